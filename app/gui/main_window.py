"""The main window: a thin shell that builds the views of one project and wires their signals.

Layout: filter bar on top; the thumbnail grid and the viewer side by side in the middle; the
classes in a dock; Train, Runs, Suggest and Results in the bottom dock; counts in the status bar.
Domain work happens in the core through the session, the labelling controller, the import
controller, the suggestion controller and the classify controller.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFileDialog, QMainWindow, QSplitter, QToolBar
from qasync import asyncSlot

from app.core.labelling.browse import ImageQuery, depends_on_labels, image_paths
from app.core.project.settings import BANDS, active_run, band_choice, set_setting
from app.core.project.store import Project
from app.gui.active_learning import SuggestionController
from app.gui.app_settings import AppSettings
from app.gui.class_panel import ClassPanel
from app.gui.classify_controller import ClassifyController
from app.gui.drop_choice import ADD, CLASSIFY, ask_drop_choice, choose_classify_inputs, run_description
from app.gui.export_dialog import ExportController, ask_export, export_choices, export_summary
from app.gui.file_check import FileCheckController, check_summary
from app.gui.filter_bar import FilterBar
from app.gui.gui_garbage import collect_on_gui_thread
from app.gui.image_grid_view import DEFAULT_TILE, ImageGridView
from app.gui.image_list_model import ClassIdRole, ImageListModel, query_rows
from app.gui.importing import ImportController
from app.gui.jobs import JobRunner, Lane, NewestWins
from app.gui.labelling import LabellingController
from app.gui.predictions import PredictionController
from app.gui.results_tab import ResultsTab
from app.gui.session import ProjectSession
from app.gui.shortcuts_help import ShortcutsDialog
from app.gui.status_bar import ProjectStatusBar
from app.gui.suggestion_panel import SuggestionPanel
from app.gui.thumbnail_loader import ThumbnailLoader
from app.gui.training_dock import TrainingDock
from app.gui.viewer import ViewerPanel, forget_heatmap_models

#: The training dock is built this long after the grid's rows arrive: the grid paints first.
BUILD_TRAINING_AFTER_MS = 150


class MainWindow(QMainWindow):
    rowsLoaded = Signal(int)  # row count, after each (re)query of the grid
    projectRequested = Signal(str)  # File > Open/New chose another project
    welcomeRequested = Signal()  # File > Close project

    def __init__(self, project_path: str | os.PathLike, settings: AppSettings | None = None, parent=None):
        super().__init__(parent)
        collect_on_gui_thread()  # before any job thread runs: none of them may delete a widget
        self.settings = settings or AppSettings()
        self.project = Project.open(project_path)
        self.jobs = JobRunner()
        self.session = ProjectSession(self.project, self.jobs, self)
        self.session.load_history()
        self.rows_loaded = False
        self.querying = NewestWins(self.jobs)  # the grid's rows
        self.setWindowTitle(f"{self.project.file.stem} — Loupe" + (" (read-only)" if self.project.read_only else ""))
        self.setAcceptDrops(not self.project.read_only)  # a read-only window takes no new images

        self.model = ImageListModel(lambda ids: image_paths(self.project, ids), self)
        self.model.set_classes(self.session.classes)
        self.loader = ThumbnailLoader(self.project, self.jobs, self, band_choice(self.project))
        self.grid = ImageGridView(self.model, self)
        self.grid.set_tile_size(self.settings.tile_size(DEFAULT_TILE))
        self.viewer = ViewerPanel(self.project, self.jobs, band_choice(self.project), self)
        self.central = QSplitter(Qt.Orientation.Horizontal, self)
        self.central.setObjectName("labellingArea")
        self.central.addWidget(self.grid)
        self.central.addWidget(self.viewer)
        self.central.setStretchFactor(0, 3)
        self.central.setStretchFactor(1, 2)
        self.grid.setMinimumWidth(260)
        self.setCentralWidget(self.central)

        self.filter_bar = FilterBar(self)
        self.filter_bar.run_id = active_run(self.project)
        self.filter_bar.set_classes(self.session.classes)
        self.filter_toolbar = QToolBar("Filter", self, objectName="filterToolbar", movable=False)
        self.filter_toolbar.addWidget(self.filter_bar)
        self.addToolBar(self.filter_toolbar)
        self.class_panel = ClassPanel(self.session, self)
        dock = QDockWidget("Classes", self, objectName="classesDock")
        dock.setWidget(self.class_panel)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        self.status = ProjectStatusBar(self.project, self.jobs, self)
        self.setStatusBar(self.status)
        self.training = TrainingDock(self.project, self.jobs, self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.training)
        self.predictions = PredictionController(self.project, self.jobs, self)
        self.suggestions = SuggestionController(self.project, self.jobs, self.grid, self.model, self.filter_bar, self)
        self.suggestion_panel: SuggestionPanel | None = None  # a tab of the training dock, built with it

        self.labelling = LabellingController(self.session, self.grid, self.central, self)
        self.importer = ImportController(self.project, self.jobs, self)
        self.file_check = FileCheckController(self.project, self.jobs, self)
        self.classifier = ClassifyController(self.session, self)
        self.results = ResultsTab(self, self.classifier)  # the Results tab, built with the training dock
        #: Asks what to do with a drop when there is a model: (window, paths, run text) -> ADD,
        #: CLASSIFY or CANCEL; tests replace it.
        self.drop_choice = ask_drop_choice
        #: Asks which files or folder to classify: (window) -> paths; tests replace it.
        self.choose_classify_inputs = choose_classify_inputs
        self.exporter = ExportController(self.project, self.jobs, self)
        #: Asks what to export, which run and where: (window, ExportChoices) -> ExportRequest or
        #: None; tests replace it.
        self.choose_export = ask_export
        self.viewer.heatmap_run = active_run(self.project)
        self.central.addAction(self.viewer.heatmap_action)  # H wherever the user looks at images
        self._build_menus(dock)
        self._wire()
        self._restore_layout()
        self.loader.start()
        self.refresh_rows()

    def _build_menus(self, dock: QDockWidget) -> None:
        file_menu = self.menuBar().addMenu("&File")
        writable = not self.project.read_only
        for text, shortcut, handler, edits in (
            ("&Import images…", "Ctrl+I", self.on_import_triggered, True),
            ("&Classify images…", "Ctrl+Shift+K", self.on_classify_triggered, True),
            ("&Find moved images…", "Ctrl+Shift+F", self.file_check.ask_and_relink, True),
            ("&Export…", "Ctrl+E", lambda: self.on_export_triggered(), False),  # reads the project only
            ("&Open project…", QKeySequence.StandardKey.Open, self.on_open_triggered, False),
            ("&Close project", QKeySequence.StandardKey.Close, self.welcomeRequested.emit, False),
        ):
            action = QAction(text, self, shortcut=QKeySequence(shortcut), enabled=writable or not edits)
            action.triggered.connect(handler)
            file_menu.addAction(action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addActions([self.labelling.undo_action, self.labelling.redo_action, self.labelling.clear_action])
        find = QAction("&Find", self, shortcut=QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: self.filter_bar.search.setFocus())
        edit_menu.addAction(find)
        back = QAction("Back to the grid", self, shortcut=QKeySequence(Qt.Key.Key_Escape))
        back.triggered.connect(self.on_back_triggered)
        edit_menu.addAction(back)
        view_menu = self.menuBar().addMenu("&View")
        for text, shortcut, handler in (
            ("Larger tiles", "Ctrl+=", lambda: self.grid.step_tile_size(1)),
            ("Smaller tiles", "Ctrl+-", lambda: self.grid.step_tile_size(-1)),
            ("Fit image", "Ctrl+0", self.viewer.viewer.fit),
            ("Actual pixels", "Ctrl+1", self.viewer.viewer.actual_size),
            ("Show…", "Ctrl+L", self.filter_bar.open_show_list),
            ("Train", "Ctrl+T", lambda: self.training.show_tab("train")),
            ("Runs", "Ctrl+R", lambda: self.training.show_tab("runs")),
            ("Results", "Ctrl+Shift+R", lambda: self.results.show()),
        ):
            action = QAction(text, self, shortcut=QKeySequence(shortcut))
            action.triggered.connect(handler)
            view_menu.addAction(action)
        # In view beside the filters too: the way in to suggestions, for whoever has not met N yet.
        suggest = QAction(
            "Label next suggestions",
            self,
            shortcut=QKeySequence("N"),
            toolTip="Show the images most worth labelling next, one after another (N)",
        )
        suggest.triggered.connect(self.suggestions.label_next)
        view_menu.addAction(suggest)
        self.filter_toolbar.addAction(suggest)
        view_menu.addAction(dock.toggleViewAction())
        view_menu.addAction(self.training.toggleViewAction())
        shortcuts = QAction("&Keyboard shortcuts", self)
        shortcuts.setShortcuts([QKeySequence(Qt.Key.Key_F1), QKeySequence("?")])
        shortcuts.triggered.connect(lambda: ShortcutsDialog(self).open())
        self.menuBar().addMenu("&Help").addAction(shortcuts)

    def _wire(self) -> None:
        self.model.thumbnailWanted.connect(self.loader.request)
        self.model.pathsWanted.connect(self.on_model_paths_wanted)
        self.loader.loaded.connect(self.model.on_loader_loaded)
        self.loader.failed.connect(self.model.on_loader_failed)
        self.grid.currentImageChanged.connect(self.viewer.show_image)
        self.grid.currentImageChanged.connect(self.show_current_label)
        self.session.classesChanged.connect(self.viewer.legend.set_classes)
        self.viewer.legend.set_classes(self.session.classes)
        self.viewer.legend.chips.setEnabled(not self.project.read_only)
        self.viewer.legend.classChosen.connect(self.labelling.apply)
        self.grid.tileSizeChanged.connect(self.settings.set_tile_size)
        self.viewer.nextRequested.connect(lambda: self.grid.select_row(self.grid.currentIndex().row() + 1))
        self.viewer.previousRequested.connect(lambda: self.grid.select_row(self.grid.currentIndex().row() - 1))
        self.viewer.bandsChosen.connect(self.on_viewer_bands_chosen)
        self.filter_bar.queryChanged.connect(self.refresh_rows)
        self.class_panel.classActivated.connect(lambda class_id: self.filter_bar.show_filter("class", class_id))
        self.session.labelsChanged.connect(self.model.apply_labels)
        self.session.labelsChanged.connect(self.on_session_labels_changed)  # after the model has them
        self.session.labelsChanged.connect(self.status.refresh)
        self.session.labelsChanged.connect(self.suggestions.on_session_labels_changed)  # after the model
        self.filter_bar.queryChanged.connect(self.suggestions.on_filter_bar_query_changed)
        self.rowsLoaded.connect(self.suggestions.on_window_rows_loaded)
        self.predictions.predictionsReady.connect(self.suggestions.on_active_run_changed)
        self.suggestions.panelWanted.connect(self.on_suggestions_panel_wanted)
        self.session.classesChanged.connect(self.model.set_classes)
        self.session.classesChanged.connect(self.filter_bar.set_classes)
        self.session.classesChanged.connect(self.status.refresh)
        self.session.undoApplied.connect(self.on_session_undo_applied)
        self.status.counts.setToolTip("Labelled images per class")
        self.status.summaryChanged.connect(lambda summary: self.class_panel.set_counts(summary.classes))
        self.labelling.message.connect(lambda text: self.status.showMessage(text, 4000))
        self.training.imagesRequested.connect(self.filter_bar.show_images)
        self.training.activeRunChosen.connect(self.predictions.activate)
        self.predictions.started.connect(lambda run: self.status.showMessage(f"Predicting all images with run {run}…"))
        self.predictions.predictionsReady.connect(self.on_predictions_ready)
        self.predictions.failed.connect(lambda text: self.status.showMessage(f"Predictions failed: {text}", 8000))
        self.importer.finished.connect(self.on_importer_finished)
        self.importer.failed.connect(lambda text: self.status.showMessage(text, 8000))
        self.file_check.checked.connect(self.on_file_check_checked)
        self.file_check.relinked.connect(lambda report: self.on_file_check_checked(None))
        self.file_check.failed.connect(lambda text: self.status.showMessage(text, 8000))
        self.classifier.accepted.connect(self.on_classifier_accepted)
        self.predictions.predictionsReady.connect(self.viewer.set_heatmap_run)
        self.exporter.started.connect(lambda request: self.status.showMessage(f"Exporting to {request.out}…"))
        self.exporter.exported.connect(lambda report: self.status.showMessage(export_summary(report), 15000))
        self.exporter.cancelled.connect(lambda: self.status.showMessage("Export cancelled; nothing was written", 8000))
        self.exporter.failed.connect(lambda text: self.status.showMessage(text, 15000))

    def on_viewer_bands_chosen(self, bands: tuple[int, int, int]) -> None:
        """A band choice is the project's: saved, and the thumbnails show it too."""
        if not self.project.read_only:
            self.jobs.run(set_setting, self.project, BANDS, list(bands), lane=Lane.WRITE)
        self.loader.set_bands(bands)
        self.model.reload_thumbnails()

    def show_current_label(self, *_) -> None:
        """The current image's label, large under the viewer."""
        index = self.grid.currentIndex()
        self.viewer.legend.show_label(index.data(ClassIdRole) if index.isValid() else None)

    def on_session_labels_changed(self, changes: dict) -> None:
        """The grid's current image may have a new label; not while the viewer shows a batch's
        file (its legend is that file's, not the grid's image's)."""
        if not self.viewer.showing_outside_file:
            self.show_current_label()

    # -- rows -----------------------------------------------------------------------------------

    @asyncSlot()
    async def refresh_rows(self, query: ImageQuery | None = None, keep: int | tuple | None = None) -> None:
        """Query the grid's rows off the GUI thread; keep the current image (or the first of the
        images in `keep` that is still there)."""
        query = query if isinstance(query, ImageQuery) else self.filter_bar.query()
        keep = keep if keep is not None else self.grid.current_image_id()
        ticket = self.querying.begin()
        candidates = keep if isinstance(keep, tuple) else (keep,)
        rows, index = await self.querying.run(ticket, query_rows, self.project, query, candidates[0])
        self.model.set_rows(rows, query, index)
        keep = next((i for i in candidates if i is not None and self.model.row_of(i) is not None), None)
        if keep is not None:
            self.grid.select_image(keep)
        else:
            self.grid.select_row(0)
        first_load = not self.rows_loaded
        self.rows_loaded = True
        self.rowsLoaded.emit(len(rows))
        if first_load:  # after the grid: the first screen comes first
            self.status.refresh()
            self.status.show_active(active_run(self.project))
            QTimer.singleShot(BUILD_TRAINING_AFTER_MS, self._build_training)
            QTimer.singleShot(BUILD_TRAINING_AFTER_MS, self.file_check.check)

    @asyncSlot(list)
    async def on_model_paths_wanted(self, image_ids: list[int]) -> None:
        """Paths for rows a paint met without them, fetched off the GUI thread."""
        self.model.set_paths(await self.jobs.run(image_paths, self.project, image_ids))

    def on_session_undo_applied(self, result) -> None:
        """After an undo or redo, show the image it changed (a batch's first), so the user sees
        what came back; the current image stays when that one is not in the grid's filter. The
        grid is queried again only where labels decide the rows (a reset of 100,000 rows costs
        the grid a re-layout: stalls of 10-90 ms)."""
        changed = result.image_ids[0] if result.image_ids else None
        if depends_on_labels(self.model.query):
            self.refresh_rows(keep=(changed, self.grid.current_image_id()))
        elif self.model.row_of(changed) is not None:
            self.grid.clearSelection()
            self.grid.select_image(changed)

    def _build_training(self) -> None:
        """The bottom dock's tabs, one per turn of the event loop: together they take 40-55 ms
        of the GUI thread (twice that on a loaded machine), which a user who drops a folder
        right after opening would feel as a hitch in the first seconds of the import."""
        self.training.build()
        if self.training.panel is None:  # the project closed meanwhile
            return
        card = self.training.history.report_card  # thumbnails of the most-wrong images
        card.thumbnailWanted.connect(self.loader.request)
        self.loader.loaded.connect(card.on_thumbnail_loaded)
        if not self._layout_restored:  # first run: the grid keeps most of the height
            self.resizeDocks([self.training], [max(240, self.height() // 3)], Qt.Orientation.Vertical)
        self.training.history.exportRequested.connect(self.on_export_triggered)
        QTimer.singleShot(0, self._build_suggest_tab)

    def _build_suggest_tab(self) -> None:
        if self.project.closed or self.suggestion_panel is not None:
            return
        self.suggestion_panel = SuggestionPanel(self.suggestions, self.training)
        self.training.add_tab("suggest", self.suggestion_panel, "Suggest", focus=self.suggestion_panel.label_button)
        QTimer.singleShot(0, self._build_results_tab)

    def _build_results_tab(self) -> None:
        if self.project.closed:
            return
        self.results.build()  # at once instead when a batch comes first (ResultsTab.show builds it)
        if self.suggestions.asked:  # asked for before the dock was built
            self.on_suggestions_panel_wanted()
        self.suggestions.resume()

    def on_suggestions_panel_wanted(self) -> None:
        """Suggestions were asked for the first time: the Suggest tab shows how it goes (the keys
        stay with the grid)."""
        if self.suggestion_panel is not None:
            self.training.show_tab("suggest", focus=False)

    # -- importing ------------------------------------------------------------------------------

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.on_paths_dropped(paths))  # asked after the drop has ended

    def on_paths_dropped(self, paths: list[str]) -> None:
        """Without a model, a drop imports; with one, the user chooses: add or classify."""
        run_id = active_run(self.project)
        run_text = run_description(self.project, run_id) if run_id is not None else None
        choice = self.drop_choice(self, paths, run_text) if run_text is not None else ADD
        if choice == ADD:
            self.importer.import_paths(paths)
        elif choice == CLASSIFY:
            self.classifier.classify(paths, run_id)

    def on_import_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of images")
        if folder:
            self.importer.import_paths([folder])

    # -- classifying ----------------------------------------------------------------------------

    def on_classify_triggered(self) -> None:
        run_id = active_run(self.project)
        if run_id is None or run_description(self.project, run_id) is None:
            self.status.showMessage(
                "Classifying needs a trained model: train one (Ctrl+T), then use it for predictions in the Runs tab",
                10000,
            )
            return
        paths = self.choose_classify_inputs(self)
        if paths:
            self.classifier.classify(paths, run_id)

    # -- exporting ------------------------------------------------------------------------------

    def on_export_triggered(self, run_id: int | None = None) -> None:
        """File ▸ Export… (the active run preselected) or the Runs tab's Export… (that run)."""
        chosen = run_id if run_id is not None else active_run(self.project)
        choices = export_choices(self.project, chosen, "hf" if run_id is not None else None)
        if run_id is not None and all(run.id != run_id for run in choices.runs):  # its folder is gone
            self.status.showMessage(f"Run {run_id} has no saved model to export.", 8000)
            return
        request = self.choose_export(self, choices)
        if request is not None:
            self.exporter.export(request)

    @property
    def results_panel(self):
        """The Results tab's panel, once the training dock is built."""
        return self.results.panel

    def on_classifier_accepted(self, result) -> None:
        if result.added:  # the grid and suggestions know the new images
            self.suggestions.on_images_added()
            self.refresh_rows()
        self.status.refresh()

    def on_importer_finished(self, report) -> None:
        verb = "Import cancelled" if report.cancelled else "Imported"
        self.status.showMessage(
            f"{verb}: {report.added} added, {len(report.duplicates)} duplicates, {len(report.rejected)} rejected", 8000
        )
        self.session.catch_up_history()  # labels from folder names can be undone
        self.suggestions.on_images_added()
        self.refresh_rows()
        self.status.refresh()

    def on_back_triggered(self) -> None:
        """Escape: the search and the selection cleared, the keys back with the grid."""
        if self.filter_bar.search.text():
            self.filter_bar.search.clear()
        current = self.grid.current_image_id()
        self.grid.clearSelection()
        if current is not None:
            self.grid.select_image(current)
        self.grid.setFocus()

    def on_file_check_checked(self, report) -> None:
        """After a check (or a relink, None): say what is missing, and show the grid as it is now."""
        message = check_summary(report) if report is not None else ""
        if message:
            self.status.showMessage(message, 15000)
        if report is None or message:
            self.refresh_rows()
            self.status.refresh()

    def on_predictions_ready(self, run_id: int) -> None:
        self.status.showMessage(f"Predictions of run {run_id} are on the tiles; filter by them under Show", 8000)
        self.status.show_active(run_id)
        self.training.show_active(run_id)
        self.filter_bar.set_run(run_id)

    def on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a Loupe project", str(Path.home()), "Loupe project (*.loupe)")
        if path:
            self.projectRequested.emit(path)

    # -- lifetime -------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self._layout_restored = state is not None
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.splitter_state()
        if splitter is not None:
            self.central.restoreState(splitter)
        else:  # first run: grid and viewer share the width 11 : 9, whatever their size hints say
            width = self.width() - 300  # less the classes dock
            self.central.setSizes([width * 11 // 20, width * 9 // 20])

    def closeEvent(self, event) -> None:
        self.settings.set_window_state(self.saveGeometry(), self.saveState())
        self.settings.set_splitter_state(self.central.saveState())
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop every worker, then close the project (all labels are already committed)."""
        if self.project.closed:
            return
        self.importer.cancel()
        self.file_check.cancel()
        self.classifier.cancel()
        self.exporter.cancel()
        self.results.shut_down()
        self.predictions.cancel()
        self.suggestions.shut_down()
        self.training.shut_down()
        self.loader.stop()
        self.jobs.shutdown()
        forget_heatmap_models()
        self.project.close()
