"""`--screenshot FILE.png`: wait until the grid's visible thumbnails (and the viewer's image) are
painted, save a picture of the window, and quit. For docs, and for checking what users see."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from app.gui.image_list_model import HasThumbnailRole, ReasonRole

TIMEOUT_S = 30.0


def visible_tiles_ready(window) -> bool:
    grid = window.grid
    viewport = grid.viewport().rect()
    model = grid.grid_model
    for row in range(min(model.rowCount(), 5000)):
        index = model.index(row)
        if not grid.visualRect(index).intersects(viewport):
            continue
        if not index.data(HasThumbnailRole) and not index.data(ReasonRole):
            index.data()  # make sure it has been asked for
            return False
    return True


class ScreenshotTaker(QObject):
    def __init__(self, window, path: str | Path):
        super().__init__(window)
        self.window = window
        self.path = Path(path)
        self.started = time.monotonic()
        self.timer = QTimer(self, interval=100)
        self.timer.timeout.connect(self.on_timer_timeout)
        self.timer.start()

    def ready(self) -> bool:
        window = self.window
        if not window.rows_loaded or window.status.summary is None or not window.training.ready_to_train:
            return False
        if not visible_tiles_ready(window):
            return False
        viewer = window.viewer
        return (
            window.grid.current_image_id() is None
            or viewer.image_id == window.grid.current_image_id()
            and viewer.viewer.has_image()
        )

    def on_timer_timeout(self) -> None:
        timed_out = time.monotonic() - self.started > TIMEOUT_S
        if not self.ready() and not timed_out:
            return
        self.timer.stop()
        QApplication.processEvents()
        if timed_out:
            print(
                f"loupe: warning: screenshot taken after {TIMEOUT_S:.0f} s, before everything was painted",
                file=sys.stderr,
            )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        saved = self.window.grab().save(str(self.path))
        self.window.close()
        QApplication.exit(0 if saved else 1)
