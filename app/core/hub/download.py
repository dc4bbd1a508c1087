"""Downloading a model from the Hugging Face hub into its cache, with progress a user can watch,
a cancel that takes effect within a fraction of a second, and a resume where a cut download left
off.

Why not `hf_hub_download` alone: in huggingface_hub 2.x it writes each file under a name unique to
the process and deletes it on any failure, so a cancelled or cut 600 MB download starts again from
byte 0; and its progress hook hears of bytes 10 MiB at a time, too seldom to poll a cancel. So the
bytes are streamed here, through huggingface_hub's own HTTP session (its offline switch, headers,
token and error classes), into `blobs/<etag>.incomplete` — the name the cache layout keeps for a
resumable download — and resumed with a Range request. A file moves to `blobs/<etag>` only whole
(its size, and its SHA-256 for weights, checked against the hub's), and only when every file is
whole does `hf_hub_download` link them into `snapshots/<commit>/`: the cache stays exactly as
huggingface_hub would have left it, and a partial download never looks complete (`cache.py`).

Only what loading needs is fetched: the top-level config and text files, SentencePiece tokenizer
models (`*.model`, a protobuf: SigLIP's tokenizer) and the safetensors weights (`*.json`,
`*.txt`, `*.model`, `*.safetensors`); never a pickle (`.bin`, `.pt`, `.pth`, `.pkl`), which
could run code when loaded, nor a copy of the weights in another framework's format.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from app.core.errors import Cancelled, LoupeError
from app.core.hub.access import explain, offline_sentence, offline_variable
from app.core.hub.cache import (
    PARTIAL_SUFFIX,
    CachedModel,
    bytes_text,
    cache_folder,
    disk_free_bytes,
    repo_folder,
    snapshot_is_complete,
)

__all__ = ["Cancelled", "DownloadError", "DownloadProgress", "download_model", "wanted_file"]

#: The files a download fetches, by suffix (top-level files only).
WANTED_SUFFIXES = (".json", ".safetensors", ".txt", ".model")
#: At most this many progress events a second (plus a first and a last one).
EVENTS_PER_S = 10
#: Speed is measured over the last this many seconds.
SPEED_WINDOW_S = 3.0
#: Tries in a row that bring no new byte before a file's download gives up.
STALLED_TRIES = 3


@dataclass(frozen=True)
class DownloadProgress:
    """Bytes downloaded of a model so far (`done_bytes` counts what earlier, cut downloads left
    too), the file being fetched, the speed over the last seconds, and the time left at that speed
    (None until there is a speed)."""

    hub_id: str
    file: str
    done_bytes: int
    total_bytes: int
    speed_bps: float
    eta_s: float | None


class DownloadError(LoupeError):
    """A download failed; the message is one sentence saying why and what to do (`explain`)."""


@dataclass(frozen=True)
class _RemoteFile:
    """One file of the download, as the hub describes it at one commit."""

    name: str
    etag: str
    size: int | None
    url: str
    headers: dict[str, str] = field(repr=False)
    #: The content's SHA-256 (weights stored with LFS), checked once the file is whole.
    sha256: str | None = None


def wanted_file(name: str) -> bool:
    """Whether a download fetches a repository file: top-level config, text, SentencePiece and safetensors only."""
    return "/" not in name and name.lower().endswith(WANTED_SUFFIXES)


def download_model(
    hub_id: str,
    on_progress: Callable[[DownloadProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    revision: str | None = None,
) -> CachedModel:
    """Download `hub_id` (at `revision`, default `main`) into the Hugging Face cache and return it
    as on disk. Files already whole are kept, cut ones resume. `should_stop()` is asked at every
    piece that arrives from the network (64 KiB or less): True raises `Cancelled`, and what arrived
    stays for the next try. `on_progress` is called on the caller's thread, at most EVENTS_PER_S
    times a second. Any other failure is a `DownloadError` whose message is one sentence (a gated
    model, no network, a bad token…)."""
    should_stop = should_stop or (lambda: False)
    if offline_variable():
        raise DownloadError(offline_sentence(hub_id))
    try:
        return _download(hub_id, on_progress, should_stop, revision)
    except LoupeError:  # Cancelled, DownloadError: already said for the user
        raise
    except Exception as exc:
        if not _is_download_failure(exc):
            raise
        raise DownloadError(explain(exc, hub_id)) from exc


def _is_download_failure(exc: BaseException) -> bool:
    """A failure of the network, the hub or the disk (said in words), not a bug (a traceback)."""
    import httpx2

    return isinstance(exc, OSError | httpx2.HTTPError | ValueError)


def _download(
    hub_id: str,
    on_progress: Callable[[DownloadProgress], None] | None,
    should_stop: Callable[[], bool],
    revision: str | None,
) -> CachedModel:
    commit, siblings = _listing(hub_id, revision)
    folder = repo_folder(hub_id)
    with _download_lock(folder, should_stop):
        files = [_remote_file(hub_id, commit, sibling) for sibling in siblings]
        tracker = _Tracker(hub_id, sum(f.size or 0 for f in files), sum(_bytes_here(folder, f) for f in files))
        tracker.listen(on_progress, should_stop)
        _check_room(hub_id, tracker.total - tracker.done)
        for remote in files:
            _fetch(remote, folder, tracker)
        tracker.finish()
        _link_snapshot(hub_id, commit, files)
        _write_ref(folder, revision or "main", commit)
    snapshot = folder / "snapshots" / commit
    if not snapshot_is_complete(snapshot):
        raise DownloadError(
            f"'{hub_id}' was downloaded but has no config.json (nor open_clip_config.json) beside its weights: "
            "it is not a model Loupe can load."
        )
    return CachedModel(hub_id, snapshot, commit, sum(f.size or 0 for f in files))


def _listing(hub_id: str, revision: str | None) -> tuple[str, list]:
    """The commit `revision` is at, and the repository's files a download fetches (with their sizes
    and checksums). A repository without safetensors weights is refused before any byte moves."""
    from huggingface_hub import HfApi, constants

    info = HfApi(endpoint=constants.ENDPOINT).model_info(hub_id, revision=revision, files_metadata=True)
    siblings = [sibling for sibling in info.siblings or () if wanted_file(sibling.rfilename)]
    if not any(sibling.rfilename.endswith(".safetensors") for sibling in siblings):
        raise DownloadError(
            f"'{hub_id}' has no weights in safetensors format on the hub (pickle files can run code when loaded, "
            "so Loupe never downloads them): choose another model."
        )
    if not info.sha:
        raise DownloadError(f"the hub did not say which version of '{hub_id}' it holds: try again later.")
    return info.sha, siblings


def _remote_file(hub_id: str, commit: str, sibling) -> _RemoteFile:
    """Where one file is fetched from and what it must come to: the hub's answer to a HEAD request,
    as `hf_hub_download` reads it (so the blob's name is the one it expects)."""
    from huggingface_hub import constants, get_hf_file_metadata, hf_hub_url
    from huggingface_hub.utils import build_hf_headers

    url = hf_hub_url(hub_id, sibling.rfilename, revision=commit, endpoint=constants.ENDPOINT)
    metadata = get_hf_file_metadata(url)
    if not metadata.etag:
        raise DownloadError(f"the hub gave no checksum for {sibling.rfilename} of '{hub_id}': try again later.")
    headers = build_hf_headers()
    headers["Accept-Encoding"] = "identity"  # the bytes as stored: sizes and Range offsets mean what they say
    location = metadata.location if metadata.xet_file_data is None else url
    if _origin(location) != _origin(url):  # a signed CDN address: the token stays with the hub
        headers.pop("authorization", None)
    return _RemoteFile(
        sibling.rfilename,
        metadata.etag,
        metadata.size if metadata.size is not None else sibling.size,
        location,
        headers,
        sibling.lfs.sha256 if sibling.lfs is not None else None,
    )


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


@contextmanager
def _download_lock(folder: Path, should_stop: Callable[[], bool]) -> Iterator[None]:
    """One download of a model at a time on this machine (the window and `loupe` alike, every
    process of a `torchrun`): two writers appending to one partial file would corrupt it. A second
    one waits, cancellable, and then finds the files whole."""
    from filelock import FileLock, Timeout

    path = cache_folder() / ".locks" / folder.name / "loupe-download.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    while True:
        try:
            lock.acquire(timeout=0.2)
            break
        except Timeout:
            if should_stop():
                raise Cancelled("the download was cancelled while another download of the same model ran") from None
    try:
        yield
    finally:
        lock.release()


def _blob(folder: Path, remote: _RemoteFile) -> Path:
    return folder / "blobs" / remote.etag


def _partial(folder: Path, remote: _RemoteFile) -> Path:
    return folder / "blobs" / (remote.etag + PARTIAL_SUFFIX)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _bytes_here(folder: Path, remote: _RemoteFile) -> int:
    """Bytes of `remote` already on this machine: all of it, or what a cut download left (a partial
    longer than the file cannot be its start, and is removed)."""
    if _blob(folder, remote).is_file():
        return remote.size or _size(_blob(folder, remote))
    partial = _partial(folder, remote)
    if remote.size is not None and _size(partial) > remote.size:
        partial.unlink(missing_ok=True)
    return _size(partial)


def _check_room(hub_id: str, needed: int) -> None:
    free = disk_free_bytes()
    if needed > free:
        raise DownloadError(
            f"'{hub_id}' needs {bytes_text(needed)} more but the disk holding {cache_folder()} has "
            f"{bytes_text(free)} free: make room (`loupe models delete NAME` removes a model) and download again."
        )


def _fetch(remote: _RemoteFile, folder: Path, tracker: _Tracker) -> None:
    """One file into `blobs/<etag>`, resuming its partial; retried at once after a dropped
    connection while bytes keep arriving."""
    blob, partial = _blob(folder, remote), _partial(folder, remote)
    if blob.is_file():
        return
    import httpx2

    partial.parent.mkdir(parents=True, exist_ok=True)
    tracker.file = remote.name
    stalled = 0
    while remote.size is None or _size(partial) < remote.size:
        before = tracker.done
        try:
            _stream(remote, partial, tracker)
        except httpx2.TransportError:  # a dropped connection, a timeout: again from where it stopped
            stalled = 0 if tracker.done > before else stalled + 1
            if stalled >= STALLED_TRIES:
                raise
            time.sleep(0.2 * stalled)
            continue
        if remote.size is None:  # no size to compare: the answer's end is the file's end
            break
        stalled = 0 if tracker.done > before else stalled + 1
        if stalled >= STALLED_TRIES:
            raise DownloadError(f"the hub stopped sending {remote.name} of '{tracker.hub_id}': try again later.")
    _check_whole(remote, partial, tracker.hub_id)
    os.replace(partial, blob)


def _stream(remote: _RemoteFile, partial: Path, tracker: _Tracker) -> None:
    """Append what the hub sends of `remote` after the bytes `partial` holds. A server that ignores
    the Range sends the whole file: the partial starts again."""
    from huggingface_hub import constants
    from huggingface_hub.utils import get_session, hf_raise_for_status

    start = _size(partial)
    headers = {**remote.headers, **({"Range": f"bytes={start}-"} if start else {})}
    with get_session().stream(
        "GET", remote.url, headers=headers, timeout=constants.HF_HUB_DOWNLOAD_TIMEOUT, follow_redirects=True
    ) as response:
        hf_raise_for_status(response)
        if start and response.status_code != 206:
            tracker.add(-start)
            start = 0
        with partial.open("ab" if start else "wb") as out:
            for chunk in response.iter_bytes():  # as it arrives (64 KiB or less): a cancel is heard at once
                out.write(chunk)
                tracker.add(len(chunk))  # raises Cancelled: the chunk is already kept


def _check_whole(remote: _RemoteFile, partial: Path, hub_id: str) -> None:
    """The file as the hub describes it: its size and, for weights, its SHA-256. A file that is not
    (a server that changed it between two tries, a disk error) is removed, never kept as whole."""
    problem = None
    if remote.size is not None and _size(partial) != remote.size:
        problem = f"it has {_size(partial):,} bytes, not {remote.size:,}"
    elif remote.sha256 and _sha256(partial) != remote.sha256.lower():
        problem = "its checksum does not match the hub's"
    if problem:
        partial.unlink(missing_ok=True)
        raise DownloadError(f"{remote.name} of '{hub_id}' arrived damaged ({problem}): download it again.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _link_snapshot(hub_id: str, commit: str, files: list[_RemoteFile]) -> None:
    """Link the whole blobs into `snapshots/<commit>/` with huggingface_hub's own code (symlinks,
    or copies where a system has none): it finds each blob in place and downloads nothing."""
    from huggingface_hub import hf_hub_download

    for remote in files:
        hf_hub_download(hub_id, remote.name, revision=commit, cache_dir=str(cache_folder()))


def _write_ref(folder: Path, revision: str, commit: str) -> None:
    """`refs/<revision>`: what lets a loader find the snapshot by `main` (or a tag) offline. A
    revision that is a commit already names its snapshot."""
    if revision == commit or "/" in revision:
        return
    ref = folder / "refs" / revision
    ref.parent.mkdir(parents=True, exist_ok=True)
    temporary = ref.with_name(f".{revision}.{os.getpid()}.tmp")
    temporary.write_text(commit, encoding="utf-8")
    os.replace(temporary, ref)


class _Tracker:
    """Counts the bytes of a download, asks `should_stop` at every chunk, and tells `on_progress`
    at most EVENTS_PER_S times a second, with the speed over the last SPEED_WINDOW_S."""

    def __init__(self, hub_id: str, total: int, done: int):
        self.hub_id, self.total, self.done, self.file = hub_id, total, done, ""
        self.on_progress: Callable[[DownloadProgress], None] | None = None
        self.should_stop: Callable[[], bool] = lambda: False
        self.samples: deque[tuple[float, int]] = deque([(time.monotonic(), done)])
        self.last_event = 0.0

    def listen(self, on_progress: Callable[[DownloadProgress], None] | None, should_stop: Callable[[], bool]) -> None:
        self.on_progress, self.should_stop = on_progress, should_stop
        self._stop_if_asked()
        self._tell(time.monotonic())

    def add(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        self.samples.append((now, self.done))
        while len(self.samples) > 2 and now - self.samples[1][0] >= SPEED_WINDOW_S:
            self.samples.popleft()
        self._stop_if_asked()
        if now - self.last_event >= 1 / EVENTS_PER_S:
            self._tell(now)

    def finish(self) -> None:
        self._tell(time.monotonic())

    def _stop_if_asked(self) -> None:
        if self.should_stop():
            raise Cancelled(
                f"the download of '{self.hub_id}' was cancelled; what arrived is kept and resumes next time"
            )

    def speed(self, now: float) -> float:
        start, done = self.samples[0]
        return max(self.done - done, 0) / (now - start) if now > start else 0.0

    def _tell(self, now: float) -> None:
        self.last_event = now
        if self.on_progress is None:
            return
        speed = self.speed(now)
        left = max(self.total - self.done, 0)
        eta = left / speed if speed > 0 else (0.0 if left == 0 else None)
        self.on_progress(DownloadProgress(self.hub_id, self.file, self.done, self.total, speed, eta))
