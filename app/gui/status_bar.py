"""The status bar, the same on every workspace: a run's progress while one trains (a click goes to
the Train workspace), the active model, labelled / total and the count per class (refreshed off
the GUI thread), and why a window is read-only. Its texts shorten in the middle rather than
widen the window past the screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QSizePolicy, QStatusBar
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.project.store import Project
from app.core.project.summary import ProjectSummary, summarize
from app.core.training.runs import get_run
from app.gui.elided_label import ElidedLabel
from app.gui.jobs import JobRunner, NewestWins
from app.gui.run_words import run_in_words

#: How often the status bar's copy of a run's progress follows the Train workspace's bar.
FOLLOW_PROGRESS_MS = 250


class StatusLabel(ElidedLabel):
    """Its whole text when there is room; shortened in the middle when there is not, so that a
    long line (a read-only reason, many classes) never makes the window wider than the screen."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.updateGeometry()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text()) + 6, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(min(self.sizeHint().width(), 60), super().minimumSizeHint().height())


class RunProgressBar(QProgressBar):
    """A small copy of the Train workspace's progress bar, shown while a run trains, so that the
    user who went back to labelling sees how it goes; a click goes to the Train workspace."""

    clicked = Signal()

    def __init__(self, parent=None):
        super().__init__(parent, objectName="runProgress")
        self.setMinimumWidth(300)
        self.setMaximumWidth(360)
        self.setToolTip(self.tr("The run in progress — click to see it in the Train workspace (Alt+2)"))
        self.source: QProgressBar | None = None
        self.timer = QTimer(self, interval=FOLLOW_PROGRESS_MS)
        self.timer.timeout.connect(self.copy_source)
        self.hide()

    def follow(self, source: QProgressBar) -> None:
        """Show and follow `source` until `stop` (while a run trains)."""
        self.source = source
        self.copy_source()
        self.show()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.hide()

    def copy_source(self) -> None:
        source = self.source
        if source is None:
            return
        self.setRange(source.minimum(), source.maximum())
        self.setValue(source.value())
        parts = [part for part in source.text().split(" · ") if not part.endswith("img/s")]  # room for the rest
        self.setFormat(
            self.tr("Training: {progress}").format(progress=" · ".join(parts)) if parts else self.tr("Training…")
        )

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self.clicked.emit()
        event.accept()


class ProjectStatusBar(QStatusBar):
    summaryChanged = Signal(object)  # ProjectSummary

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.summary: ProjectSummary | None = None
        self.run_progress = RunProgressBar(self)
        self.addPermanentWidget(self.run_progress)
        self.active_model = StatusLabel("", self)
        self.active_model.setObjectName("activeModel")
        self.active_model.setToolTip(
            self.tr("The run whose model predicts on the tiles (Train ▸ Runs ▸ Use for predictions)")
        )
        self.addPermanentWidget(self.active_model)
        self.counts = StatusLabel("", self)
        self.counts.setObjectName("statusCounts")
        self.addPermanentWidget(self.counts)
        if project.read_only:
            warning = StatusLabel(self.tr("Read-only: {reason}").format(reason=project.read_only_reason), self)
            warning.setStyleSheet("color: #d9534f; font-weight: bold")
            self.addPermanentWidget(warning)
        self.counting = NewestWins(jobs)

    @asyncSlot()
    async def refresh(self) -> None:
        ticket = self.counting.begin()
        summary = await self.counting.run(ticket, summarize, self.project)
        self.summary = summary
        per_class = " · ".join(f"{name} {count}" for name, count in summary.classes.items())
        parts = [self.tr("{labelled} / {images} labelled").format(labelled=summary.labelled, images=summary.images)]
        if per_class:
            parts.append(per_class)
        if summary.rejected:
            parts.append(self.tr("{count} rejected").format(count=len(summary.rejected)))
        if summary.missing or summary.changed:
            parts.append(
                self.tr("{missing} missing, {changed} changed").format(missing=summary.missing, changed=summary.changed)
            )
        self.counts.setText("   —   ".join(parts))
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
        self.active_model.setText(self.tr("Model: {run}").format(run=run_in_words(run)) + "   —")


def wire_status_messages(window) -> None:
    """What the window's controllers say (a label made, predictions under way, an export's end, a
    failure), shown in its status bar for as long as each deserves."""
    from app.gui.export_dialog import export_summary  # the dialog's words for an export's report

    status = window.status

    def say(text: str, milliseconds: int = 0) -> None:
        status.showMessage(text, milliseconds)

    status.counts.setToolTip(QCoreApplication.translate("MainWindow", "Labelled images per class"))
    window.labelling.message.connect(lambda text: say(text, 4000))
    window.predictions.started.connect(
        lambda run: say(
            QCoreApplication.translate("MainWindow", "Predicting all images with run {run}…").format(run=run)
        )
    )
    window.predictions.failed.connect(
        lambda text: say(
            QCoreApplication.translate("MainWindow", "Predictions failed: {error}").format(error=text), 8000
        )
    )
    window.importer.failed.connect(lambda text: say(text, 8000))
    window.file_check.failed.connect(lambda text: say(text, 8000))
    window.exporter.started.connect(
        lambda request: say(
            QCoreApplication.translate("MainWindow", "Exporting to {folder}…").format(folder=request.out)
        )
    )
    window.exporter.exported.connect(lambda report: say(export_summary(report), 15000))
    window.exporter.cancelled.connect(
        lambda: say(QCoreApplication.translate("MainWindow", "Export cancelled; nothing was written"), 8000)
    )
    window.exporter.failed.connect(lambda text: say(text, 15000))
