"""A 10 ms timer on the GUI thread that records how late it fires: the GUI thread's stalls.

Any time the event loop cannot run (a long handler, or another thread holding Python's global
lock) shows up as a gap longer than the interval. For the benches and --startup-report.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer

INTERVAL_MS = 10
#: Stalls longer than this are kept with the moment they ended (to tell what caused them).
NOTABLE_MS = 30.0


class Heartbeat(QObject):
    def __init__(self, parent=None, interval_ms: int = INTERVAL_MS):
        super().__init__(parent)
        self.interval_ms = interval_ms
        self.worst_ms = 0.0
        self.notable: list[tuple[float, float]] = []  # (time.time() when it ended, stall ms)
        self._last: float | None = None
        self.timer = QTimer(self, interval=interval_ms, timerType=Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.on_timer_timeout)

    def start(self) -> None:
        """Start (or restart) measuring from now."""
        self.worst_ms, self.notable, self._last = 0.0, [], None
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def on_timer_timeout(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            stall_ms = (now - self._last) * 1000 - self.interval_ms
            self.worst_ms = max(self.worst_ms, stall_ms)
            if stall_ms > NOTABLE_MS:
                self.notable.append((time.time(), round(stall_ms, 1)))
        self._last = now
