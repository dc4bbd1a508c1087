"""Predictions of the active model for every image of the project, computed in the background
whenever the active run changes, so the grid can show and filter by them."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.inference.predict import predict_project
from app.core.project.settings import ACTIVE_RUN, set_setting
from app.core.project.store import Project
from app.gui.jobs import JobRunner, Lane, NewestWins, ProgressRelay


class PredictionController(QObject):
    """Predictions of the active run, one job at a time: choosing another run (or the same one
    again) stops the job under way and starts the new one."""

    started = Signal(int)  # run id
    progressed = Signal(object)  # PredictionProgress
    predictionsReady = Signal(int)  # run id
    failed = Signal(str)

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.flight = NewestWins(jobs, Lane.PREDICT)
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self.progressed)
        self.running: int | None = None
        self.completed = 0  # prediction jobs that ran to the end (tests count them)

    def cancel(self) -> None:
        self.flight.cancel()

    @asyncSlot(int)
    async def activate(self, run_id: int) -> None:
        """Make `run_id` the active model and predict every image with it."""
        ticket = self.flight.begin()  # stops the job under way
        try:
            await self.flight.run(ticket, set_setting, self.project, ACTIVE_RUN, run_id, lane=Lane.WRITE)
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        self.running = run_id
        self.started.emit(run_id)
        try:
            await self.flight.run(
                ticket, predict_project, self.project, run_id, self._relay, should_stop=self.flight.stopper(ticket)
            )
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        finally:
            if self.flight.is_newest(ticket):  # the newest job ended
                self.running = None
        self.completed += 1
        self.predictionsReady.emit(run_id)
