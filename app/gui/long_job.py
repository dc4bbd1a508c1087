"""The common part of a controller for one long job at a time (an import, a check of every file,
a classification, an export): Cancel, progress on the GUI thread, and a progress dialog."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from app.core.errors import LoupeError
from app.gui.jobs import JobRunner, Lane, ProgressRelay


class LongJobController(QObject):
    """The common part of a window's controller for one long job at a time (an import, a check
    of every file): the project, the window's lanes, a stop flag for Cancel, a relay whose
    progress events reach `on_relay_progressed` on the GUI thread, and the progress dialog while
    the job runs. `show_dialogs=False` keeps the closing dialogs away (tests, benches)."""

    def __init__(self, project, jobs: JobRunner, parent_widget, show_dialogs: bool = True):
        super().__init__(parent_widget)
        self.project = project
        self.jobs = jobs
        self.parent_widget = parent_widget
        self.show_dialogs = show_dialogs
        self.running = False
        self._stop = threading.Event()
        self._relay = ProgressRelay(self)
        self._relay.progressed.connect(self.on_relay_progressed)
        self.dialog = None

    def cancel(self) -> None:
        self._stop.set()

    async def run_job(
        self, fn: Callable[..., Any], *args, lane: Lane, dialog: tuple[str, str] | None = None, **kwargs
    ) -> Any:
        """`fn(*args, **kwargs)` in `lane`, one at a time, with the progress dialog `(title,
        text)` while it runs. None when another job runs, the window has closed, or the job
        failed (then the subclass's `failed` signal says why)."""
        if self.running or self.jobs.closed:
            return None
        self.running = True
        self._stop.clear()
        if dialog is not None:
            self.dialog = progress_dialog(self.parent_widget, *dialog, self.cancel)
        try:
            return await self.jobs.run(fn, *args, lane=lane, **kwargs)
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return None
        finally:
            self.running = False
            self._close_dialog()

    def on_relay_progressed(self, event: object) -> None:
        """A progress event of the running job, on the GUI thread (the dialog's text)."""

    def _close_dialog(self) -> None:
        """Close the progress dialog; one the closing window already deleted is left alone."""
        dialog, self.dialog = self.dialog, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.close()
            dialog.deleteLater()


def progress_dialog(parent, title: str, text: str, on_cancel: Callable[[], None]):
    """A non-modal progress dialog with Cancel, shown only if the job lasts over 0.3 s."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(text, QCoreApplication.translate("LongJobController", "Cancel"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(on_cancel)
    return dialog
