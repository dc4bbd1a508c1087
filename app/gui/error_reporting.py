"""Nothing kills the app silently: exceptions from any thread (and from coroutines) are logged
and shown in a dialog; hard crashes (segfaults) leave a Python traceback in the log
(faulthandler)."""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import sys
import threading
import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Signal
from PySide6.QtWidgets import QMessageBox

log = logging.getLogger("loupe")


def log_folder() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class ErrorReporter(QObject):
    """Receives exceptions from any thread; shows them on the GUI thread."""

    reported = Signal(str, str)  # summary, details

    def __init__(self, parent=None):
        super().__init__(parent)
        self.reported.connect(self.on_reported)
        self._crash_log = None

    def install(self) -> Path:
        folder = log_folder()
        logging.basicConfig(
            filename=folder / "loupe.log", level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s"
        )
        self._crash_log = open(folder / "crash.log", "a")  # noqa: SIM115 (open for the whole run)
        faulthandler.enable(self._crash_log)
        sys.excepthook = lambda kind, value, tb: self.report(kind, value, tb)
        threading.excepthook = lambda args: self.report(args.exc_type, args.exc_value, args.exc_traceback)
        return folder

    def install_on_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        def handler(_loop, context):
            error = context.get("exception")
            if error is not None:
                self.report(type(error), error, error.__traceback__)
            else:
                log.error("event loop: %s", context.get("message"))

        loop.set_exception_handler(handler)

    def report(self, kind, value, tb) -> None:
        details = "".join(traceback.format_exception(kind, value, tb))
        log.error("unhandled exception\n%s", details)
        self.reported.emit(f"{kind.__name__}: {value}", details)

    def on_reported(self, summary: str, details: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            self.tr("Loupe hit a problem"),
            self.tr("Something went wrong; your labels are saved."),
        )
        box.setInformativeText(summary)
        box.setDetailedText(details)
        box.open()
