"""Files decoded on every core while a model works on the batch before: the one decode loop of
every model pass over files (predictions, image features, active-learning scores).

    for batch in decoded_batches(paths, transform, DecodeOptions(...), batch_size=32):
        model(batch.pixels)   # batch.rows: which files; batch.failed: why the others could not be read

Pillow, tifffile and torchvision release the GIL while they decode and resize, so threads scale
(measured on 2 cores: decoding 2.0x, decoding and the transform 1.7x with a second thread); a
bounded queue keeps memory flat however many files there are.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import Cancelled
from app.core.imaging import DecodeOptions, decode
from app.core.torch_threads import TORCH_THREADS

#: Files per batch, unless the caller says otherwise.
BATCH = 32


@dataclass
class DecodedBatch:
    rows: list[int]  # indexes into the files asked for, of the images in `pixels`
    pixels: object  # torch.Tensor, N × 3 × size × size; None when no file of the batch could be read
    failed: dict[int, str]  # index -> why the file could not be read
    done: int  # files handled so far, this batch's included


#: Batches decoded ahead of the one in use: enough to keep a model fed while the next ones
#: decode, few enough that memory stays flat however many files there are.
AHEAD = 2


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def decode_workers() -> int:
    """Threads that decode: one per core (Pillow, tifffile and torchvision release the GIL;
    measured on 2 cores: decoding 2.0x, decoding and the transform 1.7x with a second thread)."""
    return cores()


@contextmanager
def worker_pool(name: str, workers: int, torch_threads: int = 1) -> Iterator[ThreadPoolExecutor]:
    """A pool of `workers` threads, each running torch ops on `torch_threads` threads of its own
    (0: torch's default). One thread per decode: a transform's small ops gain nothing from a
    thread team, and idle team threads spin on the cores the model needs. The process's setting
    is put back when the last such pool closes (`torch_threads`)."""
    import torch

    if torch_threads:
        TORCH_THREADS.pool_opened(torch)
    pool = ThreadPoolExecutor(
        max(1, workers), name, (lambda: torch.set_num_threads(torch_threads)) if torch_threads else None
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if torch_threads:
            TORCH_THREADS.pool_closed(torch)


def _decoded(path: Path, transform, options: DecodeOptions):
    """One file through the decoder and the transform: a tensor, or the reason it cannot be read."""
    try:
        return transform(decode(path, options).rgb)
    except Exception as exc:  # noqa: BLE001 - ImageError, or a transform failing on odd data
        return _Unreadable(str(exc) or type(exc).__name__)


@dataclass(frozen=True)
class _Unreadable:
    reason: str


def decoded_batches(
    paths: list[Path],
    transform,
    options: DecodeOptions,
    batch_size: int = BATCH,
    should_stop: Callable[[], bool] = lambda: False,
    stopped: str = "stopped",
    workers: int | None = None,
    ahead: int = AHEAD,
) -> Iterator[DecodedBatch]:
    """The files through the one decoder and an evaluation transform, `batch_size` at a time, in
    order, for every model pass over files (predictions, image features, active-learning scores).
    A file that cannot be read is named with its reason and the rest goes on.

    Files decode on `workers` threads while the caller uses the batch before (decoding overlaps
    the model); while the caller holds a batch, at most the next `ahead` are decoding or decoded,
    so memory is a few batches however many files there are. `should_stop` is asked before each
    batch, in the calling thread only (Cancelled(`stopped`)); files not decoded yet are then
    dropped, and no thread is left running once the generator ends, however it ends."""
    import torch

    starts = iter(range(0, len(paths), batch_size))
    queued: deque[tuple[int, list[Future]]] = deque()
    with worker_pool("loupe-decode", workers or decode_workers()) as pool:

        def queue_next() -> None:
            start = next(starts, None)
            if start is not None:
                rows = range(start, min(start + batch_size, len(paths)))
                queued.append((start, [pool.submit(_decoded, paths[row], transform, options) for row in rows]))

        for _ in range(ahead + 1):
            queue_next()
        while queued:
            if should_stop():
                raise Cancelled(stopped)
            start, futures = queued.popleft()
            rows, tensors, failed = [], [], {}
            for row, future in enumerate(futures, start):
                outcome = future.result()
                if isinstance(outcome, _Unreadable):
                    failed[row] = outcome.reason
                else:
                    rows.append(row)
                    tensors.append(outcome)
            yield DecodedBatch(rows, torch.stack(tensors) if tensors else None, failed, start + len(futures))
            queue_next()
