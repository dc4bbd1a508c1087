"""Python's cyclic garbage is collected on the GUI thread only.

A collection runs in whichever thread happens to allocate when a threshold is crossed, so a
training or job thread could destroy a window's widgets left in a reference cycle. Qt objects
must die in their own thread: a collection in the training thread deleting a QWidget waited for
the GIL while the GUI thread, holding it, waited for a Qt lock the deletion held (a test hung in
`test_cancel_keeps_the_run_as_cancelled`, twice). So automatic collection is turned off and a
GUI-thread timer collects by the same thresholds — pyqtgraph's `GarbageCollector` does exactly
this, but importing pyqtgraph before the first paint costs the start-up tens of milliseconds,
hence these few lines. `training.preload` keeps the collector off when it found it off.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    def __init__(self, interval_ms: int = 1000):
        super().__init__()
        self.thresholds = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()

    def on_timer_timeout(self) -> None:
        """Each generation once its count passes its threshold, as the automatic collector would."""
        counts = gc.get_count()
        for generation in range(3):
            if counts[generation] <= self.thresholds[generation]:
                break
            gc.collect(generation)


_collector: GuiThreadCollector | None = None


def collect_on_gui_thread() -> None:
    """Once per process, from the GUI thread (the timer lives there)."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector()
