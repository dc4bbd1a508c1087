"""The main window: a thin shell that builds the workspaces of one project and wires their signals.

Three workspaces, one screen each, switched by the tabs at the top left or Alt+1/2/3
(app/gui/workspaces.py): Label (the filters; the classes, the thumbnail grid and the viewer side
by side), Train (the form, the live curves, Runs and Suggest) and Review (a batch's results beside
the viewer). The one viewer moves between Label and Review. The menus, undo and the status bar
(counts, the active model, a run's progress) are the same on every workspace. Domain work happens
in the core through the session, the labelling controller, the import controller, the suggestion
controller and the classify controller.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QSplitter, QTabWidget, QToolBar
from qasync import asyncSlot

from app.core.labelling.browse import ImageQuery, depends_on_labels, image_paths
from app.core.project.settings import active_run, band_choice, image_choice
from app.core.project.store import Project
from app.gui.active_learning import SuggestionController
from app.gui.app_settings import AppSettings
from app.gui.class_panel import ClassPanel
from app.gui.classify_controller import ClassifyController
from app.gui.drop_choice import ADD, CLASSIFY, ask_drop_choice, choose_classify_inputs, run_description
from app.gui.export_dialog import ExportController, ask_export, export_choices
from app.gui.file_check import FileCheckController, check_summary
from app.gui.filter_bar import FilterBar
from app.gui.gui_garbage import collect_on_gui_thread
from app.gui.image_choice import wire_image_choice
from app.gui.image_grid_view import DEFAULT_TILE, ImageGridView
from app.gui.image_list_model import ClassIdRole, ImageIdRole, ImageListModel, PathRole, ReasonRole, query_rows
from app.gui.importing import ImportController
from app.gui.jobs import JobRunner, NewestWins
from app.gui.label_review_panel import install_label_review
from app.gui.labelling import LabellingController
from app.gui.near_duplicates import NearDuplicatesController, wire_near_duplicates
from app.gui.predictions import PredictionController
from app.gui.review_workspace import ReviewWorkspace
from app.gui.session import ProjectSession
from app.gui.source_controller import wire_sources
from app.gui.status_bar import ProjectStatusBar, wire_status_messages
from app.gui.suggestion_panel import SuggestionPanel
from app.gui.thumbnail_loader import ThumbnailLoader
from app.gui.tile_import_dialog import looks_like_source
from app.gui.train_workspace import TrainWorkspace
from app.gui.viewer import ViewerPanel, forget_heatmap_models
from app.gui.window_menus import build_menus
from app.gui.workspaces import LABEL, REVIEW, TRAIN, WorkspaceStack, remember_splitters, restore_splitters
from app.gui.zeroshot_panel import install_zero_shot

#: The Train and Review workspaces are built this long after the grid's rows arrive: the grid
#: paints first.
BUILD_TRAINING_AFTER_MS = 150
#: First-run widths at 1280 px of the Label workspace's classes, grid and viewer (the grid shows
#: four columns of the default tiles, the viewer an image large enough to judge).
CLASSES_WIDTH, GRID_WIDTH, VIEWER_WIDTH = 200, 560, 520
#: The saved window layout's version: the docks of earlier versions are not restored.
LAYOUT_VERSION = 2


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
        self.models_page = None  # View ▸ Models…, built when first opened
        title = self.tr("{project} — Loupe (read-only)") if self.project.read_only else self.tr("{project} — Loupe")
        self.setWindowTitle(title.format(project=self.project.file.stem))
        self.setAcceptDrops(not self.project.read_only)  # a read-only window takes no new images

        self.model = ImageListModel(lambda ids: image_paths(self.project, ids), self)
        self.model.set_classes(self.session.classes)
        self.loader = ThumbnailLoader(self.project, self.jobs, self, image_choice(self.project))
        self.grid = ImageGridView(self.model, self)
        self.grid.set_tile_size(self.settings.tile_size(DEFAULT_TILE))
        self.viewer = ViewerPanel(self.project, self.jobs, band_choice(self.project), self)
        self.class_panel = ClassPanel(self.session, self)
        self.side = QTabWidget(self, objectName="labelSide")  # Classes, and Suggest once built
        self.side.addTab(self.class_panel, self.tr("Classes"))
        self.central = QSplitter(Qt.Orientation.Horizontal, self)  # the Label workspace
        self.central.setObjectName("labellingArea")
        self.central.addWidget(self.side)
        self.central.addWidget(self.grid)
        self.central.addWidget(self.viewer)
        self.central.setStretchFactor(1, 3)
        self.central.setStretchFactor(2, 2)
        self.central.setChildrenCollapsible(False)
        self.grid.setMinimumWidth(260)

        self.filter_bar = FilterBar(self)
        self.filter_bar.run_id = active_run(self.project)
        self.filter_bar.set_classes(self.session.classes)
        self.status = ProjectStatusBar(self.project, self.jobs, self)
        self.setStatusBar(self.status)
        self.training = TrainWorkspace(self.project, self.jobs, self)
        self.predictions = PredictionController(self.project, self.jobs, self)
        self.suggestions = SuggestionController(self.project, self.jobs, self.grid, self.model, self.filter_bar, self)
        self.suggestion_panel: SuggestionPanel | None = None  # beside Classes, built after the first screen
        self.label_review = None  # the Check labels tab's controller, built with the Suggest tab

        self.labelling = LabellingController(self.session, self.grid, self.central, self)
        self.importer = ImportController(self.project, self.jobs, self)
        self.file_check = FileCheckController(self.project, self.jobs, self)
        self.near_duplicates = NearDuplicatesController(self.project, self.jobs, self.filter_bar, self)
        self.classifier = ClassifyController(self.session, self)
        self.results = ReviewWorkspace(self, self.classifier)  # its table is built after the first screen
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
        self.workspaces = WorkspaceStack(
            {LABEL.name: self.central, TRAIN.name: self.training, REVIEW.name: self.results}, self
        )
        self.setCentralWidget(self.workspaces)
        self._build_toolbars()
        self._build_menus()
        self._wire()
        self._restore_layout()
        self.loader.start()
        self.refresh_rows()

    def _build_toolbars(self) -> None:
        """The workspace tabs at the top left; the Label workspace's filters beside them (hidden
        on the other workspaces, which have nothing to filter)."""
        switcher = QToolBar(self.tr("Workspaces"), self, objectName="workspaceToolbar", movable=False)
        switcher.addWidget(self.workspaces.tabs)
        self.addToolBar(switcher)
        self.filter_toolbar = QToolBar(self.tr("Filter"), self, objectName="filterToolbar", movable=False)
        self.filter_toolbar.addWidget(self.filter_bar)
        self.addToolBar(self.filter_toolbar)

    def _build_menus(self) -> None:
        build_menus(self)

    def _wire(self) -> None:
        self.workspaces.workspaceChanged.connect(self.on_workspaces_workspace_changed)
        self.results.shown.connect(lambda: self.workspaces.show_workspace(REVIEW.name))
        self.training.built.connect(self.on_training_built)
        self.status.run_progress.clicked.connect(lambda: self.show_training("train"))
        self.model.thumbnailWanted.connect(self.loader.request)
        self.model.pathsWanted.connect(self.on_model_paths_wanted)
        self.loader.loaded.connect(self.model.on_loader_loaded)
        self.loader.failed.connect(self.model.on_loader_failed)
        self.grid.currentImageChanged.connect(self.viewer.show_image)
        self.grid.currentImageChanged.connect(self.show_current_label)
        # From one refused file to another the image id stays None: the current row tells.
        self.grid.selectionModel().currentChanged.connect(self.show_current_label)
        self.session.classesChanged.connect(self.viewer.legend.set_classes)
        self.viewer.legend.set_classes(self.session.classes)
        self.viewer.legend.chips.setEnabled(not self.project.read_only)
        self.viewer.legend.classChosen.connect(self.labelling.apply)
        self.grid.tileSizeChanged.connect(self.settings.set_tile_size)
        self.viewer.nextRequested.connect(lambda: self.grid.select_row(self.grid.currentIndex().row() + 1))
        self.viewer.previousRequested.connect(lambda: self.grid.select_row(self.grid.currentIndex().row() - 1))
        wire_image_choice(self)
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
        self.status.summaryChanged.connect(lambda summary: self.class_panel.set_counts(summary.classes))
        self.training.imagesRequested.connect(self.on_training_images_requested)
        self.training.activeRunChosen.connect(self.predictions.activate)
        self.predictions.predictionsReady.connect(self.on_predictions_ready)
        self.importer.finished.connect(self.on_importer_finished)
        self.file_check.checked.connect(self.on_file_check_checked)
        self.file_check.relinked.connect(lambda report: self.on_file_check_checked(None))
        wire_near_duplicates(self)
        wire_status_messages(self)  # what the controllers say, in the status bar
        wire_sources(self)  # the Slides and scenes tab beside the grid, and their import
        self.classifier.accepted.connect(self.on_classifier_accepted)
        self.predictions.predictionsReady.connect(self.viewer.set_heatmap_run)

    # -- workspaces -----------------------------------------------------------------------------

    def on_workspaces_workspace_changed(self, name: str) -> None:
        """The filters only where there are images to filter; the one viewer beside the grid on
        Label and beside the results on Review (it shows the grid's image again on Label)."""
        self.filter_toolbar.setVisible(name == LABEL.name)
        if name == TRAIN.name:
            self.training.build()
        elif name == REVIEW.name:
            if self.central.indexOf(self.viewer) >= 0:
                self._label_sizes = self.central.sizes()
            self.results.build()
            self.results.place_viewer(self.viewer)
        elif self.central.indexOf(self.viewer) < 0:
            self.results.keep_sizes()
            self.central.addWidget(self.viewer)
            self.central.setSizes(self._label_sizes)
            self.viewer.show()
            if self.viewer.showing_outside_file or self.viewer.image_id != self.grid.current_image_id():
                self.viewer.show_image(self.grid.current_image_id())
                self.show_current_label()

    def show_training(self, tab: str) -> None:
        """Ctrl+T (the form) or Ctrl+R (the runs): the Train workspace with that part in front."""
        self.workspaces.show_workspace(TRAIN.name)
        self.training.show_tab(tab)

    def on_show_list_triggered(self) -> None:
        self.workspaces.show_workspace(LABEL.name)
        self.filter_bar.open_show_list()

    def on_suggest_triggered(self) -> None:
        """N: the suggestions come in the Label workspace's grid, wherever N was pressed."""
        self.workspaces.show_workspace(LABEL.name)
        self.suggestions.label_next()

    def on_training_images_requested(self, image_ids: tuple, title: str) -> None:
        """A report card's images (the most confidently wrong ones) shown in the Label workspace."""
        self.workspaces.show_workspace(LABEL.name)
        self.filter_bar.show_images(image_ids, title)

    def on_training_built(self) -> None:
        """A run in progress shows in the status bar too, on every workspace."""
        panel = self.training.panel
        panel.runStarted.connect(lambda: self.status.run_progress.follow(panel.progress))
        panel.runFinished.connect(lambda result: self.status.run_progress.stop())
        panel.runFailed.connect(lambda message: self.status.run_progress.stop())
        panel.modelsWanted.connect(self.show_models)
        restore_splitters(self.settings, TRAIN.name, self.training.splitters)

    def show_models(self, name: str = "", download: bool = False) -> None:
        """The Models page (one per window, not modal), `name` selected and, if asked, its
        download started."""
        from app.gui.models_page import ModelsPage  # the hub's calls load when the page first opens

        if self.models_page is None:
            self.models_page = ModelsPage(self.jobs, self)
            self.models_page.modelsChanged.connect(self.on_models_page_models_changed)
        page = self.models_page
        page.show()
        page.raise_()
        page.activateWindow()
        if name:
            page.select(name)
        if download:
            page.download(name)

    def on_models_page_models_changed(self) -> None:
        """A model was downloaded or deleted: the training form says again which are here."""
        if self.training.panel is not None:
            self.training.panel.on_models_changed()

    def show_current_label(self, *_) -> None:
        """The current image's label, large under the viewer; for a file the import refused (a
        row with no image id), why it could not be read, in the viewer itself."""
        index = self.grid.currentIndex()
        if index.isValid() and index.data(ImageIdRole) is None:
            self.viewer.show_rejected(index.data(PathRole) or "", index.data(ReasonRole) or "")
            return
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
        """The Train and Review workspaces' contents, one per turn of the event loop: together they take 40-55 ms
        of the GUI thread (twice that on a loaded machine), which a user who drops a folder
        right after opening would feel as a hitch in the first seconds of the import."""
        self.training.build()
        if self.training.panel is None:  # the project closed meanwhile
            return
        card = self.training.history.report_card  # thumbnails of the most-wrong images
        card.thumbnailWanted.connect(self.loader.request)
        self.loader.loaded.connect(card.on_thumbnail_loaded)
        self.training.history.exportRequested.connect(self.on_export_triggered)
        QTimer.singleShot(0, self._build_suggest_tab)

    def _build_suggest_tab(self) -> None:
        if self.project.closed or self.suggestion_panel is not None:
            return
        self.suggestion_panel = SuggestionPanel(self.suggestions, self.side)
        self.side.addTab(self.suggestion_panel, self.tr("Suggest"))
        self.side.setTabToolTip(
            1, self.tr("Which images to label next, and whether more labels still help (Am I done?)")
        )
        self.zero_shot = install_zero_shot(self)  # the Zero-shot tab, and Enter on the grid
        self.label_review = install_label_review(self)  # the Check labels tab: K keeps, C changes
        QTimer.singleShot(0, self._build_results_tab)

    def _build_results_tab(self) -> None:
        if self.project.closed:
            return
        self.results.build()  # at once instead when a batch comes first (show_batch builds it)
        if self.suggestions.asked:  # asked for before the Suggest tab was built
            self.on_suggestions_panel_wanted()
        self.suggestions.resume()

    def on_suggestions_panel_wanted(self) -> None:
        """Suggestions were asked for the first time: the Suggest tab beside Classes comes
        forward to show how it goes (the keys stay with the grid)."""
        if self.suggestion_panel is not None:
            self.side.setCurrentWidget(self.suggestion_panel)

    def show_suggestions(self) -> None:
        """The Label workspace with the Suggest tab in front (showing it asks for suggestions)."""
        self.workspaces.show_workspace(LABEL.name)
        if self.suggestion_panel is not None:
            self.side.setCurrentWidget(self.suggestion_panel)
            self.suggestion_panel.label_button.setFocus()

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
        """Slides and scenes go to their import dialog; for the rest, without a model a drop
        imports, with one the user chooses: add or classify."""
        if looks_like_source(paths) and not self.project.read_only:
            self.source_import.on_paths_dropped(paths, self.on_images_dropped)
        else:
            self.on_images_dropped(paths)

    def on_images_dropped(self, paths: list[str]) -> None:
        run_id = active_run(self.project)
        run_text = run_description(self.project, run_id) if run_id is not None else None
        choice = self.drop_choice(self, paths, run_text) if run_text is not None else ADD
        if choice == ADD:
            self.importer.import_paths(paths)
        elif choice == CLASSIFY:
            self.classifier.classify(paths, run_id)

    def on_import_triggered(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Import a folder of images"))
        if folder:
            self.importer.import_paths([folder])

    # -- classifying ----------------------------------------------------------------------------

    def on_classify_triggered(self) -> None:
        run_id = active_run(self.project)
        if run_id is None or run_description(self.project, run_id) is None:
            self.status.showMessage(
                self.tr(
                    "Classifying needs a trained model: train one (Ctrl+T), then use it for predictions (Train ▸ Runs ▸ Use for predictions)"
                ),
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
            self.status.showMessage(self.tr("Run {run} has no saved model to export.").format(run=run_id), 8000)
            return
        request = self.choose_export(self, choices)
        if request is not None:
            self.exporter.export(request)

    @property
    def results_panel(self):
        """The Review workspace's results table, once it is built."""
        return self.results.panel

    def on_classifier_accepted(self, result) -> None:
        if result.added:  # the grid and suggestions know the new images
            self.suggestions.on_images_added()
            self.refresh_rows()
        self.status.refresh()

    def on_importer_finished(self, report) -> None:
        text = (
            self.tr("Import cancelled: {added} added, {duplicates} duplicates, {rejected} rejected")
            if report.cancelled
            else self.tr("Imported: {added} added, {duplicates} duplicates, {rejected} rejected")
        )
        counts = {"added": report.added, "duplicates": len(report.duplicates), "rejected": len(report.rejected)}
        self.status.showMessage(text.format(**counts), 8000)
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
        self.status.showMessage(
            self.tr("Predictions of run {run} are on the tiles; filter by them under Show").format(run=run_id), 8000
        )
        self.status.show_active(run_id)
        self.training.show_active(run_id)
        self.filter_bar.set_run(run_id)

    def on_open_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a Loupe project"), str(Path.home()), self.tr("Loupe project (*.loupe)")
        )
        if path:
            self.projectRequested.emit(path)

    # -- lifetime -------------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        """The window as the user left it; at first 1280×800 with the Label workspace's columns
        at their first-run widths. (It always opens on Label: opening a project starts there.)"""
        geometry, state = self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if state is not None:
            self.restoreState(state, LAYOUT_VERSION)
        self.central.setSizes([CLASSES_WIDTH, GRID_WIDTH, VIEWER_WIDTH])  # the user's, once shown
        self._label_sizes = self.central.sizes()  # kept while the viewer is on Review
        self._splitters_restored = False
        self.results.sizes = self.settings.splitter_sizes(f"{REVIEW.name}/columns") or self.results.sizes
        self.central.splitterMoved.connect(self._on_central_splitter_moved)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """The Label workspace's columns as the user left them, restored once the window has its
        size (restored before, a splitter shares its width out again when the window resizes)."""
        super().showEvent(event)
        if not self._splitters_restored:
            self._splitters_restored = True
            sizes = self.settings.splitter_sizes(f"{LABEL.name}/columns")
            if sizes is not None and len(sizes) == 3:
                self.central.setSizes(sizes)
                self._label_sizes = self.central.sizes()

    def _on_central_splitter_moved(self, *_) -> None:
        if self.central.count() == 3:
            self._label_sizes = self.central.sizes()

    def remember_layout(self) -> None:
        """The window and each workspace's dividers, for next time. (The viewer moves between
        Label and Review, so their widths are kept as numbers, wherever the viewer is now.)"""
        self.settings.set_window_state(self.saveGeometry(), self.saveState(LAYOUT_VERSION))
        if self.central.indexOf(self.viewer) >= 0:
            self._label_sizes = self.central.sizes()
        else:
            self.results.keep_sizes()
        self.settings.set_splitter_sizes(f"{LABEL.name}/columns", self._label_sizes)
        self.settings.set_splitter_sizes(f"{REVIEW.name}/columns", self.results.sizes)
        if self.training.panel is not None:
            remember_splitters(self.settings, TRAIN.name, self.training.splitters)

    def closeEvent(self, event) -> None:
        self.remember_layout()
        self.shut_down()
        super().closeEvent(event)

    def shut_down(self) -> None:
        """Stop every worker, then close the project (all labels are already committed)."""
        if self.project.closed:
            return
        self.importer.cancel()
        self.source_import.cancel()
        self.file_check.cancel()
        self.classifier.cancel()
        self.exporter.cancel()
        if self.models_page is not None:
            self.models_page.shut_down()  # a download stops; what arrived is kept
        self.results.shut_down()
        self.predictions.cancel()
        self.suggestions.shut_down()
        if self.label_review is not None:
            self.label_review.shut_down()
        if getattr(self, "zero_shot", None) is not None:
            self.zero_shot.cancel()  # a running job stops at its next batch: closing never waits it out
        self.near_duplicates.cancel()
        self.training.shut_down()
        self.loader.stop()
        self.jobs.shutdown()
        forget_heatmap_models()
        self.project.close()
