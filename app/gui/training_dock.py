"""The training dock: the Train tab, the Runs tab and the Suggest tab (added by the window),
side by side with the labelling view. A run that finishes well becomes the active model; its
predictions then fill the grid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QLabel, QMessageBox, QTabWidget
from qasync import asyncSlot

from app.core.project.settings import active_run
from app.core.project.store import Project
from app.core.training.runs import compare_with_active
from app.gui.jobs import JobRunner
from app.gui.ml_loader import ml_libraries
from app.gui.run_history import RunHistoryPanel
from app.gui.training_panel import TrainingPanel

#: What the Train tab says until torch, transformers and peft have loaded.
LOADING_LIBRARIES = "Loading the training libraries…"


class TrainingDock(QDockWidget):
    imagesRequested = Signal(tuple, str)  # show these images in the grid
    activeRunChosen = Signal(int)

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__("Training", parent, objectName="trainingDock")
        self.project = project
        self.jobs = jobs
        self.panel: TrainingPanel | None = None
        #: Asks whether a run that scores worse than the active one should replace it (tests replace it).
        self.confirm_switch = self._confirm_switch
        self._libraries_seen = False
        self._extra: dict[str, tuple] = {}  # tabs the window adds: name -> (widget, focus)
        self.setWidget(QLabel("Preparing training…", self))

    def build(self) -> None:
        """Build the tabs; the window calls this after its first screen is painted (the plots
        and the run history cost more than the whole grid)."""
        if self.panel is not None or self.project.closed:
            return
        project = self.project  # runs a crash left 'running' were marked when the project opened
        self.panel = TrainingPanel(project, self.jobs, self)
        self.history = RunHistoryPanel(project, self, jobs=self.jobs)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.panel, "Train")
        self.tabs.addTab(self.history, "Runs")
        self.setWidget(self.tabs)
        self.panel.runFinished.connect(self.on_panel_run_finished)
        self.panel.runFailed.connect(lambda message: self.history.refresh(active_run(project)))
        self.history.activeRunChosen.connect(self.activeRunChosen)
        self.history.settingsChosen.connect(self.on_history_settings_chosen)
        self.history.imagesRequested.connect(self.imagesRequested)
        self.history.refresh(active_run(project))
        self._wait_for_libraries()

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
        self.panel.status.setText(LOADING_LIBRARIES)
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
        if self.panel.status.text() == LOADING_LIBRARIES:
            self.panel.status.setText(self.panel.idle_text())
        self.panel.detect_device()  # names the device "auto" will use

    def on_libraries_failed(self, message: str) -> None:
        if self.panel is not None and not self.project.closed:
            self.panel.status.setText(
                f"Training is unavailable: the machine-learning libraries did not load ({message})."
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
        """Ctrl+T / Ctrl+R: the Train or Runs tab (or an added one), in view (the dock shown and
        raised); with `focus`, its main control takes the keys."""
        self.build()
        if self.panel is None:
            return
        self.show()
        self.raise_()
        tabs = {
            "train": (self.panel, self.panel.train_button),
            "runs": (self.history, self.history.table),
            **self._extra,
        }
        widget, control = tabs[name]
        self.tabs.setCurrentWidget(widget)
        if focus:
            control.setFocus()

    def on_panel_run_finished(self, result) -> None:
        self.history.refresh(active_run(self.project), select=result.run)
        self.tabs.setCurrentWidget(self.history)
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
            "Use the new run?",
            f"Run {run_id} scores {comparison.new_accuracy:.1%} on the {comparison.images} validation images both runs "
            f"were checked on; the active run {active} scores {comparison.old_accuracy:.1%} on them.\n\n"
            f"Use run {run_id} for predictions anyway?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_active(self, run_id: int | None) -> None:
        if self.panel is not None:
            self.history.refresh(run_id)

    def shut_down(self) -> None:
        if self.panel is not None:
            self.panel.stop_and_wait()
