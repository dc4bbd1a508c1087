"""The Train workspace: the training form on the left (Train, Cancel, progress and every
setting), the live curves of the run in progress on the right, above the Runs tab (the history,
each run's report card).

At 1280×800 each live plot is over 200 px tall and the form shows its first eight settings
without scrolling. A run that finishes well becomes the active model; its predictions then fill
the grid."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget
from qasync import asyncSlot

from app.core.project.settings import active_run
from app.core.project.store import Project
from app.core.training.runs import compare_with_active
from app.gui.jobs import JobRunner
from app.gui.ml_loader import ml_libraries
from app.gui.run_history import RunHistoryPanel
from app.gui.training_panel import TrainingPanel

#: What the Train workspace says until torch, transformers and peft have loaded.
LOADING_LIBRARIES = QT_TRANSLATE_NOOP("TrainWorkspace", "Loading the training libraries…")


#: First-run widths of the form column and the curves-and-runs column at 1280 px.
FORM_COLUMN, RUNS_COLUMN = 420, 860
#: First-run heights of the curves and of the Runs tab below them.
CURVES_HEIGHT, TABS_HEIGHT = 270, 430
#: What the curves' title says while a run trains, and before any run.
RUN_IN_PROGRESS = QT_TRANSLATE_NOOP("TrainWorkspace", "The run in progress: its loss and validation scores, live")
NO_CURVES = QT_TRANSLATE_NOOP("TrainWorkspace", "Curves: a run's loss and validation scores")


class TrainWorkspace(QWidget):
    imagesRequested = Signal(tuple, str)  # show these images in the grid
    activeRunChosen = Signal(int)
    #: The page's contents were built (the window wires their thumbnails and exports then).
    built = Signal()

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent, objectName="trainWorkspace")
        self.project = project
        self.jobs = jobs
        self.panel: TrainingPanel | None = None
        #: Asks whether a run that scores worse than the active one should replace it (tests replace it).
        self.confirm_switch = self._confirm_switch
        self._libraries_seen = False
        self._extra: dict[str, tuple] = {}  # tabs the window adds: name -> (widget, focus)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel(self.tr("Preparing training…"), self, alignment=Qt.AlignmentFlag.AlignCenter)
        self.layout_.addWidget(self.placeholder)
        #: The page's splitters by name (the window remembers how the user left them).
        self.splitters: dict[str, QSplitter] = {}

    def build(self) -> None:
        """Build the page; the window calls this after its first screen is painted (the plots
        and the run history cost more than the whole grid)."""
        if self.panel is not None or self.project.closed:
            return
        project = self.project  # runs a crash left 'running' were marked when the project opened
        self.panel = TrainingPanel(project, self.jobs, self)
        self.history = RunHistoryPanel(project, self, jobs=self.jobs)
        self.tabs = QTabWidget(self, objectName="trainTabs")
        self.tabs.addTab(self.history, self.tr("Runs"))
        self.history.show_curves_elsewhere()  # here, above the runs: one place for curves
        self.history.curvesLoaded.connect(self.on_history_curves_loaded)
        self.panel.runStarted.connect(lambda: self.curves_title.setText(self.tr(RUN_IN_PROGRESS)))
        self.panel.runFailed.connect(
            lambda message: self.curves_title.setText(self.tr("The run failed: its curves so far"))
        )
        self.curves_title = QLabel(self.tr(NO_CURVES), self, objectName="curvesTitle")
        curves = QWidget(self)
        column = QVBoxLayout(curves)
        column.setContentsMargins(4, 2, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.curves_title)
        column.addWidget(self.panel.plot_area, 1)
        right = QSplitter(Qt.Orientation.Vertical, self, objectName="curvesAndRuns")
        right.addWidget(curves)
        right.addWidget(self.tabs)
        right.setSizes([CURVES_HEIGHT, TABS_HEIGHT])
        right.setChildrenCollapsible(False)
        columns = QSplitter(Qt.Orientation.Horizontal, self, objectName="trainColumns")
        columns.addWidget(self.panel)
        columns.addWidget(right)
        columns.setSizes([FORM_COLUMN, RUNS_COLUMN])
        columns.setStretchFactor(1, 1)
        columns.setChildrenCollapsible(False)
        self.splitters = {"columns": columns, "rows": right}
        self.layout_.removeWidget(self.placeholder)
        self.placeholder.deleteLater()
        self.layout_.addWidget(columns)
        self.panel.runFinished.connect(self.on_panel_run_finished)
        self.panel.runFailed.connect(lambda message: self.history.refresh(active_run(project)))
        self.history.activeRunChosen.connect(self.activeRunChosen)
        self.history.settingsChosen.connect(self.on_history_settings_chosen)
        self.history.imagesRequested.connect(self.imagesRequested)
        self.history.refresh(active_run(project))
        self._wait_for_libraries()
        self.built.emit()

    def _wait_for_libraries(self) -> None:
        """Train stays disabled until the ML libraries have loaded in the background (asked for
        here: the tabs are built after the first screen). Connected before `ready` is read, so
        the moment they finish cannot be missed."""
        libraries = ml_libraries()
        libraries.loaded.connect(self.on_libraries_loaded)
        libraries.failed.connect(self.on_libraries_failed)
        if libraries.ready:
            self.on_libraries_loaded()
            return
        self.panel.train_button.setEnabled(False)
        self.panel.status.setText(self.tr(LOADING_LIBRARIES))
        libraries.start_later()

    @property
    def ready_to_train(self) -> bool:
        return self.panel is not None and ml_libraries().ready and self.panel.train_button.isEnabled()

    def on_libraries_loaded(self, seconds: float = 0.0) -> None:
        if self.panel is None or self.project.closed or self._libraries_seen:
            return
        self._libraries_seen = True
        if not self.panel.running:
            self.panel.allow_training()
        if self.panel.status.text() == self.tr(LOADING_LIBRARIES):
            self.panel.status.setText(self.panel.idle_text())
        self.panel.detect_device()  # names the device "auto" will use

    def on_libraries_failed(self, message: str) -> None:
        if self.panel is not None and not self.project.closed:
            self.panel.status.setText(
                self.tr("Training is unavailable: the machine-learning libraries did not load ({reason}).").format(
                    reason=message
                )
            )

    def on_history_settings_chosen(self, config) -> None:
        self.panel.form.set_value(config)
        self.show_tab("train")

    def add_tab(self, name: str, widget, title: str, focus=None) -> None:
        """Another tab after Train and Runs (`focus`: the widget that takes the keys when it is
        shown with `show_tab`)."""
        self._extra[name] = (widget, focus or widget)
        self.tabs.addTab(widget, title)

    def show_tab(self, name: str, focus: bool = True) -> None:
        """Within the page: the form ("train": its Train button takes the keys), or the Runs tab
        or an added one brought forward below the curves; with `focus`, its main control takes
        the keys. (The window shows the page first.)"""
        self.build()
        if self.panel is None:
            return
        tabs = {"runs": (self.history, self.history.table), **self._extra}
        widget, control = tabs.get(name, (None, self.panel.train_button))
        if widget is not None:
            self.tabs.setCurrentWidget(widget)
        if focus:
            control.setFocus()

    def on_history_curves_loaded(self, run_id: int, curves) -> None:
        """A run selected in Runs: its curves above, unless a run is training (its live curves
        stay)."""
        if self.panel.running:
            return
        self.panel.plot.show_history(*curves)
        self.curves_title.setText(
            self.tr("Run {run}: how its loss and validation scores went (selected in Runs)").format(run=run_id)
        )

    def on_panel_run_finished(self, result) -> None:
        self.history.refresh(active_run(self.project), select=result.run)
        self.tabs.setCurrentWidget(self.history)  # its report card, beside the form
        if result.status == "done" and result.model_dir:
            self._activate_if_better(result.run)

    @asyncSlot(int)
    async def _activate_if_better(self, run_id: int) -> None:
        if self.project.closed or self.jobs.closed:  # the window closed as the run ended
            return
        if await self.better_or_asked(run_id):
            self.activeRunChosen.emit(run_id)

    async def better_or_asked(self, run_id: int) -> bool:
        """A finished run becomes the active model if it scores at least as well as the active
        one on the validation images both were checked on; otherwise the user decides. (Both
        reports are read in a job: one holds a prediction per validation image.)"""
        active = active_run(self.project)
        comparison = await self.jobs.run(compare_with_active, self.project, run_id, active)
        if comparison is None or not comparison.new_is_worse:
            return True
        return self.confirm_switch(run_id, active, comparison)

    def _confirm_switch(self, run_id: int, active: int, comparison) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Use the new run?"),
            self.tr(
                "Run {run} scores {new} on the {count} validation images both runs were checked on; the active "
                "run {active} scores {old} on them.\n\nUse run {run} for predictions anyway?"
            ).format(
                run=run_id,
                new=f"{comparison.new_accuracy:.1%}",
                count=comparison.images,
                active=active,
                old=f"{comparison.old_accuracy:.1%}",
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_active(self, run_id: int | None) -> None:
        if self.panel is not None:
            self.history.refresh(run_id)

    def shut_down(self) -> None:
        if self.panel is not None:
            self.panel.stop_and_wait()
