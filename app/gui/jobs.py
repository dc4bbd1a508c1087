"""Running core calls off the GUI thread.

Jobs are coroutines on qasync's event loop: an `asyncSlot` handler awaits
`jobs.run(core_function, ..., lane=...)`, which runs the call on one of the window's threads of
that lane and resumes on the GUI thread with the result; `SingleFlight` keeps one job at a time in
a lane, the newest. Core functions report progress through plain
callables; `ProgressRelay` turns those calls into a Qt signal delivered on the GUI thread.
`jobs.start_job(core_function, ..., lane=...)` is the same for a panel that would rather listen
than await: it returns a `Job` whose progress, result, error and end arrive as signals (training).

Every Loupe thread is named `loupe-…` (the lanes' threads too), so the tests can fail when one
is left running; the window has no QThread of its own any more.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from app.core.errors import LoupeError

#: A window's lanes and their threads. Each lane has threads of its own, so a long job (an
#: import, predictions for the whole project, a check of every file) never delays a short one
#: (a grid query, a viewer decode, the status counts) in `interactive`. `write` is the one
#: thread that labels, undoes and redoes: their commits (an fsync each, now and then a WAL
#: checkpoint) never hold up the GUI thread, and they commit in the order they were made.
#: `embed` computes image features for suggestions; `active` is the one thread that keeps the
#: suggestions' learner and refreshes it (app/gui/active_learning.py). `classify` classifies
#: files into a batch (app/gui/classify_controller.py), `explain` computes the viewer's heatmaps
#: (one thread: it keeps one run's model loaded), `results` decodes the thumbnails of a batch's
#: files (app/gui/batch_results.py). `export` writes what File ▸ Export… asked for (a run's model
#: as a folder or ONNX, the labels as a CSV or class folders; app/gui/export_dialog.py).
LANES: dict[str, int] = {"interactive": 2, "import": 1, "predict": 1, "check": 1, "write": 1, "train": 1,
                         "thumbnails": 1, "embed": 1, "active": 1, "classify": 1, "explain": 1,
                         "results": 1, "export": 1}  # fmt: skip
#: Lanes whose queued jobs still run when the window closes (a label asked for is committed).
FINISHED_AT_SHUTDOWN = {"write"}


class JobRunner:
    """A window's worker threads, by lane; shut down when the window closes."""

    def __init__(self, lanes: dict[str, int] | None = None, name: str = "loupe-job"):
        self._executors = {
            lane: ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"{name}-{lane}")
            for lane, threads in (lanes or LANES).items()
        }
        self._running: dict[str, int] = dict.fromkeys(self._executors, 0)
        self.closed = False

    async def run(self, fn: Callable[..., Any], *args, lane: str = "interactive", **kwargs) -> Any:
        """Run `fn` on a thread of `lane`. After `shutdown` (the window closed), the coroutine
        that asked is cancelled quietly instead of failing."""
        if self.closed:
            raise asyncio.CancelledError
        loop = asyncio.get_event_loop()
        self._running[lane] += 1
        try:
            result = await loop.run_in_executor(self._executors[lane], functools.partial(fn, *args, **kwargs))
        finally:
            self._running[lane] -= 1
        if self.closed:
            raise asyncio.CancelledError  # the window is gone: do not touch its widgets
        return result

    def start(self, fn: Callable[..., Any], *args, lane: str = "interactive", **kwargs) -> asyncio.Future:
        """Submit `fn` to `lane` now and return its future, to await. `run` submits only when its
        coroutine first runs, a turn of the event loop later; a label must be submitted before
        the window can close (the write lane finishes what it was given)."""
        if self.closed:
            raise asyncio.CancelledError
        return asyncio.get_event_loop().run_in_executor(self._executors[lane], functools.partial(fn, *args, **kwargs))

    def start_job(self, fn: Callable[..., Any], *args, lane: str, **kwargs) -> "Job":
        """Run `fn(*args, on_progress=..., should_stop=..., **kwargs)` in `lane` now; listen to
        the returned Job's signals (connected before the job can report: it reports through the
        event loop, after this handler returns)."""
        return Job(self, fn, args, kwargs, lane)

    def busy(self, lane: str) -> int:
        """Jobs started in `lane` and not finished (tests wait for a lane to drain with it)."""
        return self._running[lane]

    def shutdown(self) -> None:
        self.closed = True
        for lane, executor in self._executors.items():
            executor.shutdown(wait=True, cancel_futures=lane not in FINISHED_AT_SHUTDOWN)


class SingleFlight:
    """One job at a time in a lane: starting a job stops the one before it (through its
    `should_stop`) and drops its result, so only the latest request's result arrives."""

    def __init__(self, jobs: JobRunner, lane: str):
        self.jobs, self.lane = jobs, lane
        self._stop: threading.Event | None = None
        self._generation = 0

    async def run(self, fn: Callable[..., Any], *args, **kwargs) -> Any:
        """`fn(*args, should_stop=..., **kwargs)`; raises asyncio.CancelledError (quietly ends
        the handler that awaited it) when a newer job replaced this one."""
        self.cancel()
        self._stop = stop = threading.Event()
        self._generation += 1
        mine = self._generation
        try:
            result = await self.jobs.run(fn, *args, should_stop=stop.is_set, lane=self.lane, **kwargs)
        except Exception:
            if mine != self._generation:
                raise asyncio.CancelledError from None  # stopped because replaced: nothing to report
            raise
        if mine != self._generation:
            raise asyncio.CancelledError
        return result

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()

    @property
    def generation(self) -> int:
        return self._generation


class Job(QObject):
    """A core call running in a lane, as the GUI thread sees it. The call gets `on_progress`
    (each event arrives as `progressed`) and `should_stop` (true after `cancel()`); its return
    value arrives as `succeeded`, an exception as `failed` with a one-line message, and
    `finished` follows either. A window that closes first ends it silently."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, jobs: JobRunner, fn: Callable[..., Any], args: tuple, kwargs: dict, lane: str):
        super().__init__()
        self._stop = threading.Event()
        self.running = True
        call = functools.partial(fn, *args, on_progress=self.progressed.emit, should_stop=self._stop.is_set, **kwargs)
        self._task = asyncio.ensure_future(self._run(jobs, call, lane))

    def cancel(self) -> None:
        self._stop.set()

    async def _run(self, jobs: JobRunner, call: Callable[[], Any], lane: str) -> None:
        try:
            result = await jobs.run(call, lane=lane)
        except asyncio.CancelledError:
            self.running = False  # the window closed: nobody is listening
            return
        except LoupeError as exc:
            self.running = False
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user, the app goes on
            self.running = False
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.running = False
            self.succeeded.emit(result)
        self.finished.emit()


class ProgressRelay(QObject):
    """A core `on_progress` callable whose events arrive as a signal on the GUI thread."""

    progressed = Signal(object)

    def __call__(self, event: object) -> None:
        self.progressed.emit(event)


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

    async def run_job(self, fn: Callable[..., Any], *args, lane: str, dialog: tuple[str, str] | None = None,
                      **kwargs) -> Any:  # fmt: skip
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
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


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
