"""Importing dropped files and folders: the core import on a worker thread, a progress dialog
with Cancel, and afterwards the list of rejected files with their reasons."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextEdit, QVBoxLayout
from qasync import asyncSlot

from app.core.importing.importer import ImportOptions, ImportProgress, ImportReport, import_paths
from app.gui.jobs import Lane
from app.gui.long_job import LongJobController


class RejectedFilesDialog(QDialog):
    def __init__(self, report: ImportReport, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Some files were not imported")
        text = QTextEdit(self, readOnly=True)
        text.setPlainText("\n".join(f"{item['path']}: {item['reason']}" for item in report.rejected))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(f"{report.added} images imported; these {len(report.rejected)} files could not be read:")
        )
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(640, 360)


class ImportController(LongJobController):
    """Runs one import at a time for a window, in the `import` lane."""

    started = Signal()
    progressed = Signal(object)  # ImportProgress
    finished = Signal(object)  # ImportReport
    failed = Signal(str)

    @asyncSlot(list)
    async def import_paths(self, paths: list[str]) -> None:
        if self.running or not paths:
            return
        self.started.emit()
        report = await self.run_job(
            import_paths,
            self.project,
            paths,
            ImportOptions(),
            self._relay,
            self._stop.is_set,
            lane=Lane.IMPORT,
            dialog=("Importing", "Looking for images…"),
        )
        if report is None:
            return
        self.finished.emit(report)
        if report.rejected and self.show_dialogs:
            RejectedFilesDialog(report, self.parent_widget).open()

    def on_relay_progressed(self, event: ImportProgress) -> None:
        self.progressed.emit(event)
        if self.dialog is None:
            return
        if event.phase == "scanning":
            self.dialog.setLabelText(f"Looking for images… {event.done} files found")
        else:
            self.dialog.setMaximum(max(event.total, 1))
            self.dialog.setValue(event.done)
            self.dialog.setLabelText(
                f"Importing {event.done} of {event.total}: {event.added} added, "
                f"{event.duplicates} duplicates, {event.rejected} rejected"
            )
