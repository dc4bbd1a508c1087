"""`--startup-report SECONDS`: how start-up went, as one JSON line on stdout, then quit.

For bench/startup.py and the test that the first paint loads no ML library. It records the wall
clock (`time.time()`, so the launching process can subtract its own launch time) at the
window's first paint, when the visible thumbnails are painted and when Train is ready; the peak
memory at those moments; which ML libraries were loaded then; and the GUI thread's worst
stall after the first paint, from a 10 ms heartbeat timer (a gap longer than 10 ms is time the
event loop could not run).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.gui.screenshot import visible_tiles_ready

HEARTBEAT_MS = 10
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
        self.worst_stall_ms = 0.0
        self.worst_stall_at = 0.0
        self._last_beat: float | None = None
        window.installEventFilter(self)
        self.heartbeat = QTimer(self, interval=HEARTBEAT_MS, timerType=Qt.TimerType.PreciseTimer)
        self.heartbeat.timeout.connect(self.on_heartbeat_timeout)
        self.heartbeat.start()
        self.poller = QTimer(self, interval=POLL_MS)
        self.poller.timeout.connect(self.on_poller_timeout)
        self.poller.start()
        self.finisher = QTimer(self, interval=100)
        self.finisher.timeout.connect(self.on_finisher_timeout)
        self.finisher.start()

    def _mark(self, name: str) -> None:
        if name not in self.events:
            self.events[name] = {"time": time.time(), "peak_rss_mb": round(_peak_rss_mb(), 1),
                                 "ml_modules": [name for name in ML_MODULES if name in sys.modules]}  # fmt: skip

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and "first_paint" not in self.events:
            QTimer.singleShot(0, lambda: self._mark("first_paint"))  # once the paint has been done
        return False

    def on_heartbeat_timeout(self) -> None:
        now = time.perf_counter()
        if self._last_beat is not None and "first_paint" in self.events:
            stall_ms = (now - self._last_beat) * 1000 - HEARTBEAT_MS
            if stall_ms > self.worst_stall_ms:
                self.worst_stall_ms, self.worst_stall_at = stall_ms, time.time()
        self._last_beat = now

    def on_poller_timeout(self) -> None:
        window = self.window
        if "first_paint" in self.events and window.rows_loaded and visible_tiles_ready(window):
            self._mark("thumbnails_painted")
        if window.training.ready_to_train:
            self._mark("ready_to_train")
        if len(self.events) == 3:
            self.poller.stop()

    def on_finisher_timeout(self) -> None:
        elapsed = time.time() - self.created
        if elapsed >= TIMEOUT_S or (elapsed >= self.seconds and "ready_to_train" in self.events):
            self.finisher.stop()
            self.finish()

    def finish(self) -> None:
        report = {"created": self.created, "events": self.events,
                  "worst_stall_ms": round(self.worst_stall_ms, 1), "worst_stall_at": self.worst_stall_at}  # fmt: skip
        print(json.dumps(report), flush=True)
        self.window.close()
        QApplication.exit(0)
