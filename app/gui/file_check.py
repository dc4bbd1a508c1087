"""Files that changed under the project, in the window: the check runs in the background each
time a project opens; File ▸ Find moved images… looks for missing ones, by their content, under
a folder the user names (with progress and Cancel)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox
from qasync import asyncSlot

from app.core.importing.file_check import CheckProgress, check_files
from app.core.sources.relink import relink_everything
from app.gui.jobs import Lane
from app.gui.long_job import LongJobController


def check_summary(report) -> str:
    """What a check found, in one sentence for the status bar ('' when all is in place)."""
    if not report.missing and not report.changed:
        return ""
    parts = [f"{len(report.missing)} image{'s' if len(report.missing) != 1 else ''} missing"] if report.missing else []
    parts += [f"{len(report.changed)} changed since import"] if report.changed else []
    return (
        ", ".join(parts)
        + " — see Show ▸ Missing or changed files"
        + ("; File ▸ Find moved images… looks for them" if report.missing else "")
    )


class FileCheckController(LongJobController):
    """Checks every image's file, and finds moved ones, in the `check` lane."""

    checked = Signal(object)  # CheckReport
    relinked = Signal(object)  # RelinkReport
    failed = Signal(str)

    @asyncSlot()
    async def check(self) -> None:
        """Look at every image's file (one stat each; a hash where size or time changed)."""
        report = await self.run_job(check_files, self.project, should_stop=self._stop.is_set, lane=Lane.CHECK)
        if report is None:
            return
        self.checked.emit(report)

    def ask_and_relink(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.parent_widget, "Where are the moved images now?")
        if folder:
            self.relink(folder)

    @asyncSlot(str)
    async def relink(self, folder: str) -> None:
        report = await self.run_job(
            relink_everything,
            self.project,
            folder,
            self._relay,
            self._stop.is_set,
            lane=Lane.CHECK,
            dialog=("Find moved images", "Looking for the missing images…"),
        )
        if report is None:
            return
        self.relinked.emit(report)
        if self.show_dialogs:
            QMessageBox.information(
                self.parent_widget,
                "Find moved images",
                f"{len(report.relinked)} missing image(s) found again under {folder} "
                f"({report.files_looked_at} files looked at); {report.still_missing} still missing."
                + "".join(f"\nSlide or scene found again: {s['path']} ({s['tiles']} tiles)" for s in report.sources),
            )

    def on_relay_progressed(self, event: CheckProgress) -> None:
        if self.dialog is None:
            return
        if event.phase == "scanning":
            self.dialog.setLabelText(f"Looking through the folder… {event.done} files found")
        else:
            self.dialog.setMaximum(max(event.total, 1))
            self.dialog.setValue(event.done)
            self.dialog.setLabelText(f"Comparing contents: {event.done} of {event.total} files of the right size")
