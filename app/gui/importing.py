"""Importing dropped files and folders: the core import on a worker thread, a progress dialog
with Cancel, and afterwards the list of rejected files with their reasons."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextEdit, QVBoxLayout
from qasync import asyncSlot

from app.core.importing.importer import ImportOptions, ImportProgress, ImportReport, import_paths
from app.gui.jobs import Lane
from app.gui.layouts import fit_to_screen
from app.gui.long_job import LongJobController


def rejected_text(report: ImportReport) -> str:
    """The line above the rejected files: "1 image imported; this file could not be read:"."""
    count = len(report.rejected)
    which = (
        QCoreApplication.translate("ImportController", "this file")
        if count == 1
        else QCoreApplication.translate("ImportController", "these {count} files").format(count=f"{count:,}")
    )
    images = (
        QCoreApplication.translate("ImportController", "1 image")
        if report.added == 1
        else QCoreApplication.translate("ImportController", "{count} images").format(count=f"{report.added:,}")
    )
    return QCoreApplication.translate("ImportController", "{images} imported; {which} could not be read:").format(
        images=images, which=which
    )


def progress_text(event: ImportProgress) -> str:
    """The progress dialog's line: files found while looking, then what the import did so far."""
    if event.phase == "scanning":
        if event.done == 1:
            return QCoreApplication.translate("ImportController", "Looking for images… 1 file found")
        return QCoreApplication.translate("ImportController", "Looking for images… {count} files found").format(
            count=f"{event.done:,}"
        )
    duplicates = (
        QCoreApplication.translate("ImportController", "1 duplicate")
        if event.duplicates == 1
        else QCoreApplication.translate("ImportController", "{count} duplicates").format(count=f"{event.duplicates:,}")
    )
    return QCoreApplication.translate(
        "ImportController", "Importing {done} of {total}: {added} added, {duplicates}, {rejected} not readable"
    ).format(
        done=f"{event.done:,}",
        total=f"{event.total:,}",
        added=f"{event.added:,}",
        duplicates=duplicates,
        rejected=f"{event.rejected:,}",
    )


class RejectedFilesDialog(QDialog):
    def __init__(self, report: ImportReport, parent=None):
        super().__init__(parent)
        count = len(report.rejected)
        self.setWindowTitle(
            self.tr("A file was not imported") if count == 1 else self.tr("Some files were not imported")
        )
        text = QTextEdit(self, readOnly=True)
        text.setPlainText("\n".join(f"{item['path']}: {item['reason']}" for item in report.rejected))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(rejected_text(report)))
        layout.addWidget(text)
        layout.addWidget(buttons)
        fit_to_screen(self, 640, 360)


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
            dialog=(self.tr("Importing"), self.tr("Looking for images…")),
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
        if event.phase != "scanning":
            self.dialog.setMaximum(max(event.total, 1))
            self.dialog.setValue(event.done)
        self.dialog.setLabelText(progress_text(event))
