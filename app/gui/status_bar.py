"""The status bar: labelled / total and the count per class, refreshed off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QStatusBar
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.project.store import Project
from app.core.project.summary import ProjectSummary, summarize
from app.core.training.runs import get_run
from app.gui.jobs import JobRunner, NewestWins


class ProjectStatusBar(QStatusBar):
    summaryChanged = Signal(object)  # ProjectSummary

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.summary: ProjectSummary | None = None
        self.active_model = QLabel(self, objectName="activeModel")
        self.active_model.setToolTip(
            "The run whose model predicts on the tiles (Training ▸ Runs ▸ Use for predictions)"
        )
        self.addPermanentWidget(self.active_model)
        self.counts = QLabel(self)
        self.counts.setObjectName("statusCounts")
        self.addPermanentWidget(self.counts)
        if project.read_only:
            warning = QLabel(f"Read-only: {project.read_only_reason}", self)
            warning.setStyleSheet("color: #d9534f; font-weight: bold")
            self.addPermanentWidget(warning)
        self.counting = NewestWins(jobs)

    @asyncSlot()
    async def refresh(self) -> None:
        ticket = self.counting.begin()
        summary = await self.counting.run(ticket, summarize, self.project)
        self.summary = summary
        per_class = " · ".join(f"{name} {count}" for name, count in summary.classes.items())
        text = f"{summary.labelled} / {summary.images} labelled"
        if per_class:
            text += f"   —   {per_class}"
        if summary.rejected:
            text += f"   —   {len(summary.rejected)} rejected"
        if summary.missing or summary.changed:
            text += f"   —   {summary.missing} missing, {summary.changed} changed"
        self.counts.setText(text)
        self.summaryChanged.emit(summary)

    def show_active(self, run_id: int | None) -> None:
        """Name the active model and its score."""
        if run_id is None:
            self.active_model.setText("")
            return
        try:
            run = get_run(self.project, run_id, report=False)  # the scores are columns: no report parsed here
        except LoupeError:
            self.active_model.setText("")
            return
        self.active_model.setText(f"Model: {run.description}   —")
