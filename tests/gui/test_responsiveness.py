"""The window stays responsive while 1,000 images import through it."""

import time

from PySide6.QtCore import QTimer

from tests import synthetic
from tests.gui.conftest import make_project
from tests.gui.test_labelling_window import drop

N_IMAGES = 1000
TICK_MS = 10
MAX_LATE_MS = 100


def test_a_10ms_timer_is_never_more_than_100ms_late_during_import(qtbot, tmp_path, open_window):
    folder = tmp_path / "incoming"
    for i in range(N_IMAGES):
        synthetic.save(synthetic.random_rgb(96, 72, seed=i), folder / f"{i // 100}" / f"{i:04}.jpg", quality=85)
    window = open_window(make_project(tmp_path, images=0))

    lateness = []
    last = [time.perf_counter()]

    def on_tick():
        now = time.perf_counter()
        lateness.append((now - last[0]) * 1000 - TICK_MS)
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(on_tick)
    timer.start()
    try:
        with qtbot.waitSignal(window.importer.finished, timeout=120000) as finished:
            drop(window, [folder])
        qtbot.waitUntil(lambda: window.model.rowCount() == N_IMAGES, timeout=10000)
    finally:
        timer.stop()
    assert finished.args[0].added == N_IMAGES
    assert len(lateness) > 20, "the import was too quick to measure anything"
    worst = max(lateness)
    print(f"\n{len(lateness)} ticks, worst lateness {worst:.1f} ms, median {sorted(lateness)[len(lateness) // 2]:.1f} ms")
    assert worst <= MAX_LATE_MS, f"the GUI thread was blocked for {worst:.0f} ms"
