"""The Review workspace: a classified batch's results beside the viewer (with its heatmap),
brought forward when a batch has been classified, and wired to the classify controller, the
viewer and the status bar.

At 1280×800 the results table shows over twelve rows beside an image large enough to judge. The
window only creates the page and asks it to `show_batch`; what a batch's result does when opened (the
viewer, with its heatmap), exported (a CSV chosen in a file dialog) or accepted (the status line,
the table read again, the viewer's label) is here, so the main window stays a shell.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QSplitter, QVBoxLayout, QWidget
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.file_names import real_name
from app.core.inference.batches import batch_results
from app.core.project.settings import image_choice
from app.gui.batch_results import BatchResultsPanel
from app.gui.classify_controller import ClassifyController, accept_summary, batch_summary
from app.gui.export_dialog import writable_folder

#: What the viewer says on the Review workspace before a result is opened.
OPEN_A_RESULT = QT_TRANSLATE_NOOP(
    "ReviewWorkspace", "Double-click a result (or select it and press Enter) to see it here with its heatmap."
)
#: First-run widths of the results table and the viewer beside it at 1280 px.
TABLE_WIDTH, VIEWER_WIDTH = 700, 580


class ReviewWorkspace(QWidget):
    shown = Signal()  # a batch was brought forward: the window shows this page

    def __init__(self, window, classifier: ClassifyController):
        super().__init__(window, objectName="reviewWorkspace")
        self.main = window
        self.classifier = classifier
        self.panel: BatchResultsPanel | None = None  # built after the first screen
        self.placeholder = QLabel(self.tr("Preparing results…"), self, alignment=Qt.AlignmentFlag.AlignCenter)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self, objectName="resultsAndViewer")
        self.splitter.addWidget(self.placeholder)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.sizes = [TABLE_WIDTH, VIEWER_WIDTH]
        self._opened: tuple | None = None  # (BatchResult, batch id) shown in the viewer
        self.splitter.splitterMoved.connect(self.keep_sizes)
        classifier.batchClassified.connect(self.on_classifier_batch_classified)
        classifier.accepted.connect(self.on_classifier_accepted)
        classifier.started.connect(lambda run: self._say(self.tr("Classifying with run {run}…").format(run=run), 0))
        classifier.exported.connect(
            lambda path: self._say(self.tr("Saved the results as {path}").format(path=path), 8000)
        )
        classifier.failed.connect(lambda text: self._say(text, 8000))

    def _say(self, text: str, ms: int) -> None:
        self.main.status.showMessage(text, ms)

    def build(self) -> None:
        """The results table, showing the newest batch kept in the project."""
        window = self.main
        if self.panel is not None or window.project.closed:
            return
        panel = BatchResultsPanel(
            window.project, window.jobs, window.session.classes, image_choice(window.project), self
        )
        self.panel = panel
        self.splitter.replaceWidget(0, panel)
        self.placeholder.deleteLater()
        self.splitter.setSizes(self.sizes)
        panel.resultOpened.connect(self.on_panel_result_opened)
        panel.acceptRequested.connect(self.classifier.accept)
        panel.exportRequested.connect(self.on_panel_export_requested)
        panel.deleteRequested.connect(self.classifier.delete)
        self.classifier.deleted.connect(lambda batch_id: panel.refresh())
        self.classifier.deleted.connect(
            lambda batch_id: window.status.showMessage(self.tr("Batch {id} deleted").format(id=batch_id), 6000)
        )
        panel.message.connect(lambda text: window.status.showMessage(text, 6000))
        window.session.labelsChanged.connect(panel.on_session_labels_changed)
        window.session.labelsChanged.connect(self.follow_opened_result)  # an undo of an accept
        window.session.classesChanged.connect(panel.set_classes)
        panel.addAction(window.viewer.heatmap_action)  # H works from the results too
        panel.refresh()

    def place_viewer(self, viewer: QWidget) -> None:
        """The window's one viewer, moved beside the results when this page is shown, at the
        width it had here last time (`sizes`: the window keeps them between sessions)."""
        if self.splitter.indexOf(viewer) >= 0:
            return
        self.splitter.addWidget(viewer)
        self.splitter.setSizes(self.sizes)
        viewer.show()
        if self._opened is not None:  # the result it showed here last, not the grid's image
            result, _, run_id = self._opened
            self.on_panel_result_opened(result, run_id)
        else:
            viewer.show_hint(self.tr(OPEN_A_RESULT))

    def keep_sizes(self, *_) -> None:
        """Remember the widths while the viewer is here (before it moves back to Label)."""
        if self.splitter.count() == 2:
            self.sizes = self.splitter.sizes()

    def show_batch(self, batch_id: int | None = None) -> None:
        """This page in view, with `batch_id` chosen (if given); the table takes the keys."""
        self.build()
        if self.panel is None:
            return
        if isinstance(batch_id, int):
            self.panel.refresh(select=batch_id)
        self.shown.emit()
        self.panel.table.setFocus()

    def on_classifier_batch_classified(self, batch) -> None:
        self.main.status.showMessage(batch_summary(batch), 10000)
        self.show_batch(batch.id)

    def on_classifier_accepted(self, result) -> None:
        self.main.status.showMessage(accept_summary(result), 10000)
        if self.panel is not None:
            self.panel.reload()
        self.follow_opened_result()

    @asyncSlot()
    async def follow_opened_result(self, *_) -> None:
        """The viewer's label line follows an accept (or its undo) of the result it shows: that
        one result is read again in a job (the table's rows are read on their own)."""
        viewer = self.main.viewer
        if self._opened is None or not viewer.showing_outside_file or self.main.jobs.closed:
            return
        result, batch_id, _ = self._opened
        try:
            rows = await self.main.jobs.run(batch_results, self.main.project, batch_id, [result.id])
        except LoupeError:  # the batch was deleted meanwhile
            return
        if rows and self._opened is not None and self._opened[0].id == result.id and viewer.showing_outside_file:
            viewer.legend.show_label(rows[0].label_class_id)

    def on_panel_result_opened(self, result, run_id) -> None:
        """A result in the viewer, with its heatmap for the predicted class."""
        viewer = self.main.viewer
        self._opened = (result, self.panel.batch_id, run_id) if self.panel is not None else None
        viewer.open_file_with_heatmap(real_name(result.path), run_id, result.class_id)
        viewer.legend.show_label(result.label_class_id)  # the file's label, not the grid's image's

    def on_panel_export_requested(self, batch_id: int) -> None:
        project = self.main.project
        default = str(writable_folder(project.paths.root) / f"{project.file.stem}-batch-{batch_id}.csv")
        path, _ = QFileDialog.getSaveFileName(
            self.main, self.tr("Export the results as CSV"), default, self.tr("CSV (*.csv)")
        )
        if path:  # the core refuses the project's own files and the rest (said in the status bar)
            self.classifier.export_csv(batch_id, path)

    def shut_down(self) -> None:
        if self.panel is not None:
            self.panel.shut_down()
