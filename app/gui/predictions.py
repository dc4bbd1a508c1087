"""Predictions of the active model for every image of the project, computed in the background
whenever the active run changes, so the grid can show and filter by them."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.predict import predict_project
from app.core.project import Project
from app.core.settings import ACTIVE_RUN, set_setting
from app.gui.jobs import JobRunner, ProgressRelay


class PredictionController(QObject):
    started = Signal(int)  # run id
    progressed = Signal(object)  # PredictionProgress
    predictionsReady = Signal(int)  # run id
    failed = Signal(str)

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self._stop = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self.progressed)
        self.running: int | None = None

    def cancel(self) -> None:
        self._stop.set()

    @asyncSlot(int)
    async def activate(self, run_id: int) -> None:
        """Make `run_id` the active model and predict every image with it."""
        try:
            set_setting(self.project, ACTIVE_RUN, run_id)
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        self._stop.clear()
        self.running = run_id
        self.started.emit(run_id)
        try:
            await self.jobs.run(predict_project, self.project, run_id, self._relay, self._stop.is_set)
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        finally:
            self.running = None
        self.predictionsReady.emit(run_id)
