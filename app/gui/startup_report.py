"""`--startup-report SECONDS`: how start-up went, as one JSON line on stdout, then quit.

For bench/startup.py and the test that the first paint loads no ML library. It records the wall
clock (`time.time()`, so the launching process can subtract its own launch time) at the
window's first paint, when the visible thumbnails are painted and when Train is ready; the peak
memory at those moments; which ML libraries were loaded then; and the GUI thread's worst
stall after the first paint, from a 10 ms heartbeat timer (app/gui/heartbeat.py), and when the
stalls over 30 ms happened.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.gui.heartbeat import Heartbeat
from app.gui.ml_loader import ml_libraries
from app.gui.screenshot import visible_tiles_ready

POLL_MS = 20
ML_MODULES = ("torch", "torchvision", "transformers", "peft", "sklearn")
#: The report waits this long at most for Train to be ready.
TIMEOUT_S = 120


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


class StartupReport(QObject):
    """Watches one main window from its creation to `seconds` after it, and at least until Train
    is ready (or TIMEOUT_S), then prints and quits."""

    def __init__(self, window, seconds: float):
        super().__init__(window)
        self.window = window
        self.seconds = seconds
        self.created = time.time()
        self.events: dict[str, dict] = {}
        window.installEventFilter(self)
        self.heartbeat = Heartbeat(self)  # started at the first paint
        ml_libraries().loaded.connect(self.on_libraries_loaded)
        self.poller = QTimer(self, interval=POLL_MS)
        self.poller.timeout.connect(self.on_poller_timeout)
        self.poller.start()
        self.finisher = QTimer(self, interval=100)
        self.finisher.timeout.connect(self.on_finisher_timeout)
        self.finisher.start()

    def _mark(self, name: str) -> None:
        if name not in self.events:
            self.events[name] = {
                "time": time.time(),
                "peak_rss_mb": round(_peak_rss_mb(), 1),
                "ml_modules": [name for name in ML_MODULES if name in sys.modules],
            }

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and "first_paint" not in self.events:
            QTimer.singleShot(0, self._on_first_paint_done)
        return False

    def _on_first_paint_done(self) -> None:
        self._mark("first_paint")
        self.heartbeat.start()

    def on_libraries_loaded(self, seconds: float) -> None:
        self._mark("ml_loaded")
        self.events["ml_loaded"]["seconds"] = round(seconds, 2)

    def on_poller_timeout(self) -> None:
        window = self.window
        if "thumbnails_painted" in self.events:
            pass
        elif "first_paint" in self.events and window.rows_loaded and visible_tiles_ready(window):
            self._mark("thumbnails_painted")
        if window.training.ready_to_train:
            self._mark("ready_to_train")
        if {"thumbnails_painted", "ready_to_train"} <= self.events.keys():
            self.poller.stop()

    def on_finisher_timeout(self) -> None:
        elapsed = time.time() - self.created
        if elapsed >= TIMEOUT_S or (elapsed >= self.seconds and "ready_to_train" in self.events):
            self.finisher.stop()
            self.finish()

    def finish(self) -> None:
        report = {
            "created": self.created,
            "events": self.events,
            "worst_stall_ms": round(self.heartbeat.worst_ms, 1),
            "stalls": self.heartbeat.notable,
        }
        print(json.dumps(report), flush=True)
        self.window.close()
        QApplication.exit(0)
