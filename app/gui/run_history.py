"""The Runs tab: every training run of the project (date, backbone, method, labels used, scores,
status, duration, which one is active); selecting one shows its curves, config and report card.

The table lists runs without their reports (a report holds a prediction per validation image:
parsing every run's on each refresh cost 230 ms with 20 runs of 20,000), and a run's label count
is read once (a run's labels never change); only the shown run's report is read, with its curves
and its images' paths, in a job (`load_run_details`; 30 ms for 20,000 validation images)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.labelling.browse import image_paths
from app.core.project.store import Project
from app.core.training.near_duplicate_groups import old_run_sentence
from app.core.training.runs import RunRecord, get_run, list_runs, run_label_counts, run_metrics
from app.gui.i18n import core_text
from app.gui.jobs import JobRunner
from app.gui.layouts import side_by_side
from app.gui.report_card import ReportCard
from app.gui.training_plot import LazyTrainingPlot, TrainingPlot

#: What matters first: which run, whether it is the active model, how it ended and how good it is.
COLUMNS = (
    QT_TRANSLATE_NOOP("RunTableModel", "Run"),
    QT_TRANSLATE_NOOP("RunTableModel", "Active"),
    QT_TRANSLATE_NOOP("RunTableModel", "Status"),
    QT_TRANSLATE_NOOP("RunTableModel", "Accuracy"),
    QT_TRANSLATE_NOOP("RunTableModel", "Macro-F1"),
    QT_TRANSLATE_NOOP("RunTableModel", "Method"),
    QT_TRANSLATE_NOOP("RunTableModel", "Backbone"),
    QT_TRANSLATE_NOOP("RunTableModel", "Labels"),
    QT_TRANSLATE_NOOP("RunTableModel", "Started"),
    QT_TRANSLATE_NOOP("RunTableModel", "Duration"),
)

#: How a run ended (or that it still trains), as the project stores it → the words shown.
STATUS_WORDS = {
    "running": QT_TRANSLATE_NOOP("RunStatus", "running"),
    "done": QT_TRANSLATE_NOOP("RunStatus", "done"),
    "failed": QT_TRANSLATE_NOOP("RunStatus", "failed"),
    "cancelled": QT_TRANSLATE_NOOP("RunStatus", "cancelled"),
}

#: A run setting's plain values (TrainConfig.described) that are words.
VALUE_WORDS = {
    "yes": QT_TRANSLATE_NOOP("RunHistoryPanel", "yes"),
    "no": QT_TRANSLATE_NOOP("RunHistoryPanel", "no"),
    "default": QT_TRANSLATE_NOOP("RunHistoryPanel", "default"),
}


def status_word(status: str) -> str:
    """A run's status in the interface's language ("done", "failed"…); an unknown one as stored."""
    return QCoreApplication.translate("RunStatus", STATUS_WORDS[status]) if status in STATUS_WORDS else status


def device_text(chosen: str, used: str) -> str:
    """The device in one line: what the form asked for and what the run used ("auto (used CPU,
    1 thread)", "cuda (used CUDA: NVIDIA H200)"), or either alone when the other is unknown."""
    used = re.sub(r"^(.*) \((.*)\)$", r"\1, \2", used.strip())  # "CPU (8 threads)" -> "CPU, 8 threads"
    if not used:
        return chosen
    return (
        QCoreApplication.translate("RunHistoryPanel", "{chosen} (used {used})").format(chosen=chosen, used=used)
        if chosen
        else used
    )


def _duration(run: RunRecord) -> str:
    if not run.finished_at:
        return ""
    seconds = (
        datetime.fromisoformat(run.finished_at.rstrip("Z")) - datetime.fromisoformat(run.created_at.rstrip("Z"))
    ).total_seconds()
    if seconds < 120:
        return QCoreApplication.translate("RunHistoryPanel", "{seconds} s").format(seconds=f"{seconds:.0f}")
    return QCoreApplication.translate("RunHistoryPanel", "{minutes} min").format(minutes=f"{seconds / 60:.1f}")


class RunTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.runs: list[RunRecord] = []
        self.label_counts: dict[int, int] = {}
        self.active: int | None = None

    def set_runs(self, runs: list[RunRecord], label_counts: dict[int, int], active: int | None) -> None:
        self.beginResetModel()
        self.runs, self.label_counts, self.active = list(reversed(runs)), label_counts, active  # newest first
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.runs)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        run = self.runs[index.row()]
        if role == Qt.ItemDataRole.ToolTipRole and run.message:
            return run.message
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (
            run.id,
            "★" if run.id == self.active else "",
            status_word(run.status),
            f"{run.accuracy:.1%}" if run.accuracy is not None else "",
            f"{run.macro_f1:.3f}" if run.macro_f1 is not None else "",
            core_text(run.method_title),
            run.backbone_name,
            self.label_counts.get(run.id, 0),
            run.created_at[:16].replace("T", " "),
            _duration(run),
        )
        return str(values[index.column()])


#: The curves the Runs tab draws for a run.
CURVES = ("train_loss", "val_loss", "val_accuracy", "val_macro_f1")


@dataclass(frozen=True)
class RunDetails:
    """What the details of one run show, read together off the GUI thread."""

    run: RunRecord  # with its report
    paths: dict[int, str]  # of its validation images, for the report card
    curves: tuple[list, ...]  # run_metrics of each of CURVES
    near_duplicates: str = ""  # a run made before near-duplicates were kept apart: how many still are


def load_run_details(project: Project, run_id: int) -> RunDetails:
    """A run's report, its validation images' paths and its curves (a job: a large project's
    report holds a prediction per validation image)."""
    run = get_run(project, run_id)
    ids = [p["image_id"] for p in (run.report or {}).get("val_predictions", [])]
    curves = tuple(run_metrics(project, run_id, name) for name in CURVES)
    twins = old_run_sentence(project, run_id, run.report)
    return RunDetails(run, image_paths(project, ids) if ids else {}, curves, twins)


class RunHistoryPanel(QWidget):
    activeRunChosen = Signal(int)
    settingsChosen = Signal(object)  # a run's TrainConfig, to train again with
    imagesRequested = Signal(tuple, str)
    detailsShown = Signal(int)  # run id, once its report card, config and curves are filled
    curvesLoaded = Signal(int, object)  # run id, its curves (train loss, val loss, accuracy, macro-F1)
    exportRequested = Signal(int)  # run id: File ▸ Export… with this run chosen

    def __init__(self, project: Project, parent=None, jobs: JobRunner | None = None):
        super().__init__(parent)
        self.project = project
        #: Reads a run's details off the GUI thread; without it (a bare panel) they are read here.
        self.jobs = jobs
        self.model = RunTableModel(self)
        self.table = QTableView(self, objectName="runTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda current, _: self.show_run(self.selected_run()))
        self.activate_button = QPushButton(self.tr("Use for predictions"), self, objectName="activateRunButton")
        self.activate_button.setToolTip(self.tr("Make the selected run's model the one that predicts in the grid"))
        self.activate_button.clicked.connect(self.on_activate_clicked)
        self.activate_button.setEnabled(not project.read_only)  # the choice is stored in the project
        self.export_button = QPushButton(self.tr("Export…"), self, objectName="exportRunButton", enabled=False)
        self.export_button.setToolTip(self.tr("Export the selected run's model (Hugging Face folder or ONNX)"))
        self.export_button.clicked.connect(self.on_export_clicked)
        self.plot_area = LazyTrainingPlot("", self)
        #: Labelled images per run, counted once per run (run_labels are written when a run starts).
        self._label_counts: dict[int, int] = {}
        self._shown: RunRecord | None = None
        self._drawn: RunRecord | None = None
        self.settings_table = QTableWidget(0, 2, self, objectName="runSettings")
        self.settings_table.setHorizontalHeaderLabels(["", ""])
        self.settings_table.horizontalHeader().hide()
        self.settings_table.verticalHeader().hide()
        self.settings_table.horizontalHeader().setStretchLastSection(True)
        self.settings_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.settings_table.setWordWrap(True)
        self.reuse_button = QPushButton(
            self.tr("Train again with these settings"), self, objectName="reuseSettingsButton"
        )
        self.reuse_button.setToolTip(self.tr("Put this run's settings in the training form, on the left"))
        self.reuse_button.clicked.connect(
            lambda: self._shown is not None and self.settingsChosen.emit(self._shown.config)
        )
        settings = QWidget(self)
        settings_column = QVBoxLayout(settings)
        settings_column.setContentsMargins(0, 0, 0, 0)
        settings_column.addWidget(self.settings_table, 1)
        settings_column.addWidget(self.reuse_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.report_card = ReportCard(self)
        self.report_card.imagesRequested.connect(self.imagesRequested)
        report = self.report_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        report.addWidget(self.report_card)
        report.addWidget(self.plot_area)
        report.setSizes([700, 380])  # the report card's tables first; the curves read at 380 px
        self.details = QTabWidget(self)
        self.details.addTab(report, self.tr("Report card and curves"))
        self.details.addTab(settings, self.tr("Settings"))
        # "Open in a window" in the tab bar's free corner: the scores above the tables get the
        # card's whole width (fewer lines, more room for the tables).
        self.details.setCornerWidget(self.report_card.open_button, Qt.Corner.TopRightCorner)
        top = QWidget(self)
        column = QVBoxLayout(top)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.table)
        buttons = QHBoxLayout()
        buttons.addWidget(self.activate_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        side_by_side(self, top, self.details)

    def refresh(self, active: int | None, select: int | None = None) -> None:
        runs = list_runs(self.project, reports=False)
        self._label_counts.update(
            run_label_counts(self.project, [r.id for r in runs if r.id not in self._label_counts])
        )
        keep = select if select is not None else (self.selected_run().id if self.selected_run() else None)
        self.model.set_runs(runs, self._label_counts, active)
        self.table.resizeColumnsToContents()
        # Run, active, status and both scores always in view; the rest scrolls.
        leading = sum(self.table.columnWidth(c) for c in range(COLUMNS.index("Macro-F1") + 1))
        self.table.setMinimumWidth(leading + 2 * self.table.frameWidth() + 4)
        rows = [i for i, run in enumerate(self.model.runs) if run.id == keep] or ([0] if self.model.runs else [])
        if rows:
            self.table.selectRow(rows[0])
            self.show_run(self.selected_run())

    def selected_run(self) -> RunRecord | None:
        index = self.table.currentIndex()
        return self.model.runs[index.row()] if index.isValid() and index.row() < len(self.model.runs) else None

    @property
    def plot(self) -> TrainingPlot:
        return self.plot_area.plot()

    def show_run(self, run: RunRecord | None) -> None:
        """Show a run's details now if this tab is on screen, else when it first appears (the
        curves and report card are not worth building behind another tab at start-up)."""
        self.export_button.setEnabled(run is not None and bool(run.model_dir))
        if run is None or (run is self._shown and self._drawn is run):
            return  # already on screen (selecting a row and refresh both ask)
        self._shown = run
        self._drawn = None
        if self.isVisible():
            self._fill_details()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._shown is not None and self._drawn is not self._shown:
            self._fill_details()

    def _fill_details(self) -> None:
        shown = self._drawn = self._shown
        if self.jobs is None:
            self._show_details(load_run_details(self.project, shown.id))
        else:
            self._load_details(shown)

    @asyncSlot(object)
    async def _load_details(self, shown: RunRecord) -> None:
        details = await self.jobs.run(load_run_details, self.project, shown.id)
        if self._shown is shown:  # else another run was selected meanwhile
            self._show_details(details)

    def show_curves_elsewhere(self) -> None:
        """The curves are drawn by whoever listens to `curvesLoaded` (the Train workspace, above
        this panel): the report card takes the details' whole width."""
        self.plot_area.hide()
        self.details.setTabText(0, self.tr("Report card"))

    def _show_details(self, details: RunDetails) -> None:
        run = details.run
        if self.plot_area.isVisibleTo(self):
            self.plot.show_history(*details.curves)
        self.curvesLoaded.emit(run.id, details.curves)
        self._show_settings(run)
        notices = [*run.notices, details.near_duplicates] if details.near_duplicates else run.notices
        self.report_card.show_report(run.report, details.paths, run.cost, notices, run.status, run.message)
        self.detailsShown.emit(run.id)

    def _show_settings(self, run: RunRecord) -> None:
        """The run's settings in plain words, with what it was trained on and where it is saved."""
        status = status_word(run.status)
        facts = [
            (
                self.tr("Status"),
                self.tr("{status}: {message}").format(status=status, message=run.message) if run.message else status,
            ),
            (self.tr("Device"), device_text(run.config.device, run.device or "")),
            (self.tr("Classes"), ", ".join(c["name"] for c in run.classes)),
            (self.tr("Model folder"), run.model_dir or self.tr("none kept")),
        ]
        settings = [
            (core_text(name), self.tr(VALUE_WORDS[value]) if value in VALUE_WORDS else value)
            for name, value in run.config.described()
            if name != "Device"  # said above
        ]
        rows = facts + settings + [(self.tr("Notice"), text) for text in run.notices]
        self.settings_table.setRowCount(len(rows))
        for row, (name, value) in enumerate(rows):
            self.settings_table.setItem(row, 0, QTableWidgetItem(name))
            item = QTableWidgetItem(value)
            item.setToolTip(value)
            self.settings_table.setItem(row, 1, item)
        self.settings_table.resizeColumnToContents(0)
        self.settings_table.resizeRowsToContents()
        self.report_card.title = self.tr("run {run}").format(run=run.id)

    def on_export_clicked(self) -> None:
        run = self.selected_run()
        if run is not None and run.model_dir:
            self.exportRequested.emit(run.id)

    def on_activate_clicked(self) -> None:
        run = self.selected_run()
        if run is not None and run.model_dir:
            self.activeRunChosen.emit(run.id)
