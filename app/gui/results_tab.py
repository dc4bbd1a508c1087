"""The Results tab's place in the window: built with the training dock, brought forward when a
batch has been classified, and wired to the classify controller, the viewer and the status bar.

The window only creates it and asks it to `show`; what a batch's result does when opened (the
viewer, with its heatmap), exported (a CSV chosen in a file dialog) or accepted (the status line,
the tab read again) is here, so the main window stays a shell.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog

from app.core.file_names import real_name
from app.core.project.settings import band_choice
from app.gui.batch_results import BatchResultsPanel
from app.gui.classify_controller import ClassifyController, accept_summary, batch_summary
from app.gui.export_dialog import writable_folder


class ResultsTab(QObject):
    def __init__(self, window, classifier: ClassifyController):
        super().__init__(window)
        self.window = window
        self.classifier = classifier
        self.panel: BatchResultsPanel | None = None  # built with the training dock
        classifier.batchClassified.connect(self.on_classifier_batch_classified)
        classifier.accepted.connect(self.on_classifier_accepted)
        classifier.started.connect(lambda run: self._say(f"Classifying with run {run}…", 0))
        classifier.exported.connect(lambda path: self._say(f"Saved the results as {path}", 8000))
        classifier.failed.connect(lambda text: self._say(text, 8000))

    def _say(self, text: str, ms: int) -> None:
        self.window.status.showMessage(text, ms)

    def build(self) -> None:
        """The tab, showing the newest batch kept in the project."""
        window = self.window
        if self.panel is not None or window.project.closed:
            return
        window.training.build()
        if window.training.panel is None:
            return
        panel = BatchResultsPanel(
            window.project, window.jobs, window.session.classes, band_choice(window.project), window.training
        )
        self.panel = panel
        window.training.add_tab("results", panel, "Results", focus=panel.table)
        panel.resultOpened.connect(self.on_panel_result_opened)
        panel.acceptRequested.connect(self.classifier.accept)
        panel.exportRequested.connect(self.on_panel_export_requested)
        panel.deleteRequested.connect(self.classifier.delete)
        self.classifier.deleted.connect(lambda batch_id: panel.refresh())
        self.classifier.deleted.connect(lambda batch_id: window.status.showMessage(f"Batch {batch_id} deleted", 6000))
        panel.message.connect(lambda text: window.status.showMessage(text, 6000))
        window.session.labelsChanged.connect(panel.on_session_labels_changed)
        window.session.classesChanged.connect(panel.set_classes)
        panel.addAction(window.viewer.heatmap_action)  # H works from the results too
        panel.refresh()

    def show(self, batch_id: int | None = None) -> None:
        self.build()
        if self.panel is None:
            return
        if isinstance(batch_id, int):
            self.panel.refresh(select=batch_id)
        self.window.training.show_tab("results")

    def on_classifier_batch_classified(self, batch) -> None:
        self.window.status.showMessage(batch_summary(batch), 10000)
        self.show(batch.id)

    def on_classifier_accepted(self, result) -> None:
        self.window.status.showMessage(accept_summary(result), 10000)
        if self.panel is not None:
            self.panel.reload()

    def on_panel_result_opened(self, result, run_id) -> None:
        """A result in the viewer, with its heatmap for the predicted class."""
        viewer = self.window.viewer
        viewer.open_file_with_heatmap(real_name(result.path), run_id, result.class_id)
        viewer.legend.show_label(result.label_class_id)  # the file's label, not the grid's image's

    def on_panel_export_requested(self, batch_id: int) -> None:
        project = self.window.project
        default = str(writable_folder(project.paths.root) / f"{project.file.stem}-batch-{batch_id}.csv")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export the results as CSV", default, "CSV (*.csv)")
        if path:  # the core refuses the project's own files and the rest (said in the status bar)
            self.classifier.export_csv(batch_id, path)

    def shut_down(self) -> None:
        if self.panel is not None:
            self.panel.shut_down()
