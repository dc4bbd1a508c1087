"""Running core calls off the GUI thread: the window's one pattern for background work.

Three faces, all over one `JobRunner` of named lanes (`Lane`), each lane with its own threads:

- `await jobs.run(core_function, ..., lane=Lane.X)` in a qasync handler (`asyncSlot`): the call
  is submitted at once and the handler resumes on the GUI thread with its result.
- `jobs.start_job(core_function, ..., lane=Lane.X)` for a panel that listens instead: a `Job`
  whose progress, result, error and end arrive as signals (training, the long loaders).
- `NewestWins`, for a handler the user can ask again before the answer comes (the viewer, the
  grid's query, the status counts): only the newest request's result arrives; an older one
  ends its handler quietly, and a long job given its `stopper` stops early.

Core functions report progress through plain callables; `ProgressRelay` turns those calls into
a Qt signal delivered on the GUI thread. Every Loupe thread is named `loupe-…` (the lanes'
threads too), so the tests can fail when one is left running.
"""

from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.errors import LoupeError


class Lane(StrEnum):
    """A window's lanes. Each has threads of its own, so a long job never delays a short one."""

    #: Sub-second queries and decodes: the grid's rows, the viewer's image, the status counts.
    INTERACTIVE = "interactive"
    IMPORT = "import"
    #: Predictions of the active run for every image of the project.
    PREDICT = "predict"
    #: A check of every file, a relink.
    CHECK = "check"
    #: The one thread that writes: labels, undo and redo, class edits, settings. Their commits
    #: (an fsync each, now and then a WAL checkpoint) never hold up the GUI thread, and they
    #: commit in the order they were made.
    WRITE = "write"
    TRAIN = "train"
    THUMBNAILS = "thumbnails"
    #: Image features for suggestions.
    EMBED = "embed"
    #: The one thread that keeps the suggestions' learner and refreshes it.
    ACTIVE = "active"
    #: Files classified into a batch.
    CLASSIFY = "classify"
    #: The viewer's heatmaps (one thread: it keeps one run's model loaded).
    EXPLAIN = "explain"
    #: Thumbnails of a batch's files.
    RESULTS = "results"
    #: What File ▸ Export… asked for.
    EXPORT = "export"
    #: A model's download from the Models page (minutes: no other lane's jobs wait behind it).
    DOWNLOAD = "download"


#: Threads per lane (one where not named).
THREADS: dict[Lane, int] = {Lane.INTERACTIVE: 2}
#: Lanes whose queued jobs still run when the window closes (a label asked for is committed).
FINISHED_AT_SHUTDOWN = {Lane.WRITE}


class JobRunner:
    """A window's worker threads, by lane; shut down when the window closes."""

    def __init__(self, lanes: dict[Lane, int] | None = None, name: str = "loupe-job"):
        """Every lane with its threads, or only `lanes` (a dialog's own runner, a test's)."""
        lanes = lanes or {lane: THREADS.get(lane, 1) for lane in Lane}
        self._executors = {
            Lane(lane): ThreadPoolExecutor(max_workers=threads, thread_name_prefix=f"{name}-{lane}")
            for lane, threads in lanes.items()
        }
        self._running: dict[Lane, int] = dict.fromkeys(self._executors, 0)
        self.closed = False

    def run(self, fn: Callable[..., Any], *args, lane: Lane = Lane.INTERACTIVE, **kwargs) -> Awaitable[Any]:
        """Submit `fn(*args, **kwargs)` to a thread of `lane` now, and return what to await for
        its result on the GUI thread. Submitted now, not when awaited: a label asked for before
        the window closes is in the write lane's queue (which finishes what it was given). After
        `shutdown` (the window closed), the awaiting handler is cancelled quietly instead of
        failing."""
        if self.closed:
            raise asyncio.CancelledError
        loop = asyncio.get_event_loop()
        lane = Lane(lane)
        self._running[lane] += 1
        submitted = loop.run_in_executor(self._executors[lane], functools.partial(fn, *args, **kwargs))
        answer = loop.create_future()

        def finished(done: asyncio.Future) -> None:
            self._running[lane] -= 1
            if answer.cancelled():
                return
            if self.closed or done.cancelled():
                answer.cancel()  # the window is gone: do not touch its widgets
            elif done.exception() is not None:
                answer.set_exception(done.exception())
            else:
                answer.set_result(done.result())

        submitted.add_done_callback(finished)
        return answer

    def start_job(self, fn: Callable[..., Any], *args, lane: Lane, **kwargs) -> Job:
        """Run `fn(*args, on_progress=..., should_stop=..., **kwargs)` in `lane` now; listen to
        the returned Job's signals (connected before the job can report: it reports through the
        event loop, after this handler returns)."""
        return Job(self, fn, args, kwargs, Lane(lane))

    def busy(self, lane: Lane) -> int:
        """Jobs started in `lane` and not finished (tests wait for a lane to drain with it)."""
        return self._running[Lane(lane)]

    def shutdown(self, wait: bool = True) -> None:
        """Stop taking jobs; `wait=False` returns at once and lets a running job end on its own
        (its answer is dropped), for a dialog whose job may take seconds it no longer needs."""
        self.closed = True
        for lane, executor in self._executors.items():
            executor.shutdown(wait=wait, cancel_futures=lane not in FINISHED_AT_SHUTDOWN)


class NewestWins:
    """ "Newest request wins" for one kind of request (the image shown, the grid's rows, the
    counts): `begin()` starts a request and makes every older one stale; `await run(ticket, fn,
    ...)` returns `fn`'s result while the ticket is the newest, and raises
    asyncio.CancelledError once a newer request began (an error of a stale job too), which ends
    the handler quietly. A request may await several jobs with its one ticket.

    A long job also stops early instead of finishing for nobody when given
    `should_stop=newest.stopper(ticket)` (predictions for the whole project)."""

    def __init__(self, jobs: JobRunner, lane: Lane = Lane.INTERACTIVE):
        self.jobs, self.lane = jobs, Lane(lane)
        self.ticket = 0  # the newest request's

    def begin(self) -> int:
        """A new request's ticket; every older one is stale from now on."""
        self.ticket += 1
        return self.ticket

    def is_newest(self, ticket: int) -> bool:
        return ticket == self.ticket

    def stopper(self, ticket: int) -> Callable[[], bool]:
        """A core function's `should_stop`: true once a newer request began."""
        return lambda: ticket != self.ticket

    async def run(self, ticket: int, fn: Callable[..., Any], *args, lane: Lane | None = None, **kwargs) -> Any:
        if ticket != self.ticket:
            raise asyncio.CancelledError
        try:
            result = await self.jobs.run(fn, *args, lane=lane or self.lane, **kwargs)
        except Exception:
            if ticket != self.ticket:
                raise asyncio.CancelledError from None  # replaced: nothing to report
            raise
        if ticket != self.ticket:
            raise asyncio.CancelledError  # the user has moved on
        return result

    def cancel(self) -> None:
        """Make every request stale (a job given `stopper` stops)."""
        self.begin()


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
