"""Running core calls off the GUI thread.

Short jobs (a query, a decode, an import) are coroutines on qasync's event loop: an `asyncSlot`
handler awaits `jobs.run(core_function, ...)`, which runs the call in this window's small thread
pool and resumes on the GUI thread with the result. Core functions report progress through plain
callables; `ProgressRelay` turns those calls into a Qt signal delivered on the GUI thread.

Every Loupe thread is named `loupe-…` and every QThread is registered with `track`, so the tests
can fail when one is left running.
"""

from __future__ import annotations

import asyncio
import functools
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal

_qthreads: "weakref.WeakSet[QThread]" = weakref.WeakSet()


def track(thread: QThread) -> QThread:
    """Register a QThread so `running_qthreads` (and the tests) can see it."""
    _qthreads.add(thread)
    return thread


def running_qthreads() -> list[QThread]:
    return [thread for thread in list(_qthreads) if shiboken6.isValid(thread) and thread.isRunning()]


class JobRunner:
    """A window's worker threads for short blocking jobs; shut down when the window closes."""

    def __init__(self, workers: int = 2, name: str = "loupe-job"):
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self.closed = False

    async def run(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """Run `fn` on a worker thread. After `shutdown` (the window closed), the coroutine that
        asked is cancelled quietly instead of failing."""
        if self.closed:
            raise asyncio.CancelledError
        loop = asyncio.get_event_loop()
        result = await loop.run_in_executor(self._executor, functools.partial(fn, *args, **kwargs))
        if self.closed:
            raise asyncio.CancelledError  # the window is gone: do not touch its widgets
        return result

    def shutdown(self) -> None:
        self.closed = True
        self._executor.shutdown(wait=True, cancel_futures=True)


class ProgressRelay(QObject):
    """A core `on_progress` callable whose events arrive as a signal on the GUI thread."""

    progressed = Signal(object)

    def __call__(self, event: object) -> None:
        self.progressed.emit(event)


def progress_dialog(parent, title: str, text: str, on_cancel: Callable[[], None]):
    """A non-modal progress dialog with Cancel, shown only if the job lasts over 0.3 s."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(text, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.NonModal)
    dialog.setMinimumDuration(300)
    dialog.canceled.connect(on_cancel)
    return dialog
