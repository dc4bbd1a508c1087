"""Files that changed under the project, in the window: the check runs in the background each
time a project opens; File ▸ Find moved images… looks for missing ones, by their content, under
a folder the user names (with progress and Cancel)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
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
    parts = []
    if report.missing:
        count = len(report.missing)
        parts.append(
            QCoreApplication.translate("FileCheckController", "1 image missing")
            if count == 1
            else QCoreApplication.translate("FileCheckController", "{count} images missing").format(count=f"{count:,}")
        )
    if report.changed:
        parts.append(
            QCoreApplication.translate("FileCheckController", "{count} changed since import").format(
                count=f"{len(report.changed):,}"
            )
        )
    text = QCoreApplication.translate("FileCheckController", "{problems} — see Show ▸ Missing or changed files").format(
        problems=QCoreApplication.translate("FileCheckController", ", ").join(parts)
    )
    if report.missing:
        text += QCoreApplication.translate("FileCheckController", "; File ▸ Find moved images… looks for them")
    return text


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
        folder = QFileDialog.getExistingDirectory(self.parent_widget, self.tr("Where are the moved images now?"))
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
            dialog=(self.tr("Find moved images"), self.tr("Looking for the missing images…")),
        )
        if report is None:
            return
        self.relinked.emit(report)
        if self.show_dialogs:
            QMessageBox.information(
                self.parent_widget,
                self.tr("Find moved images"),
                self.tr(
                    "{found} missing image(s) found again under {folder} ({looked} files looked at); {left} still missing."
                ).format(
                    found=len(report.relinked), folder=folder, looked=report.files_looked_at, left=report.still_missing
                )
                + "".join(
                    "\n"
                    + self.tr("Slide or scene found again: {path} ({tiles} tiles)").format(
                        path=s["path"], tiles=s["tiles"]
                    )
                    for s in report.sources
                ),
            )

    def on_relay_progressed(self, event: CheckProgress) -> None:
        if self.dialog is None:
            return
        if event.phase == "scanning":
            self.dialog.setLabelText(
                self.tr("Looking through the folder… {count} files found").format(count=event.done)
            )
        else:
            self.dialog.setMaximum(max(event.total, 1))
            self.dialog.setValue(event.done)
            self.dialog.setLabelText(
                self.tr("Comparing contents: {done} of {total} files of the right size").format(
                    done=event.done, total=event.total
                )
            )
