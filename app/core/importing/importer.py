"""Import image files and folders into a project.

    report = import_paths(project, ["scans/"], ImportOptions(labels_from_folders=True),
                          on_progress=print, should_stop=lambda: False)

Files are read once each; hashing (sha256, for duplicates), header checks, decoding and the
thumbnail run in a pool of worker threads (Pillow, tifffile and hashlib release the GIL, so this
uses every core without the start-up cost of processes). Only the calling thread writes to the
project, in small transactions: a crash or `kill -9` loses at most the batch in flight, and the
next import of the same paths picks up where this one stopped, because files already in the
project are recognised by path and skipped.

A file that is not an image is *skipped* (counted); a file meant as an image that cannot be read
is *rejected* with its reason and recorded in the project; the import of the rest goes on.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from app.core.errors import ImageError
from app.core.file_names import shown
from app.core.imaging import (
    THUMBNAIL_SIZE,
    DecodeOptions,
    ImageInfo,
    decode,
    looks_like_image_name,
    sniff_format,
    thumbnail_jpeg,
)
from app.core.imaging.regular_files import NotRegularFile, open_regular
from app.core.imaging.thumbnails import ThumbnailCache
from app.core.importing.file_check import relink_image
from app.core.importing.folder_walk import Candidate, check_roots, scan_files
from app.core.labelling.classes import ensure_class
from app.core.labelling.labels import set_labels
from app.core.project.store import Project

#: A batch is written at least this often, however slowly files decode (progress stays visible
#: in the project, and a crash loses little).
MAX_BATCH_SECONDS = 1.0


@dataclass(frozen=True)
class ImportOptions:
    labels_from_folders: bool = field(
        default=False, metadata={"help": "Use each image's parent folder name as its class."}
    )
    workers: int | None = field(default=None, metadata={"help": "Decoding threads; default: one per CPU core."})
    thumbnail_size: int = field(
        default=THUMBNAIL_SIZE, metadata={"help": "Longest side of cached thumbnails, in pixels."}
    )
    batch_size: int = field(
        default=64, metadata={"help": "Files per committed transaction (at most this is redone after a crash)."}
    )


@dataclass(frozen=True)
class ImportProgress:
    """One progress event: `phase` is 'scanning' (total not known yet) or 'importing'."""

    phase: str
    done: int
    total: int
    added: int
    duplicates: int
    rejected: int
    skipped: int
    path: str = ""


@dataclass
class ImportReport:
    added: int = 0
    unchanged: int = 0  # already in the project under the same path
    labelled: int = 0
    skipped: int = 0
    duplicates: list[dict] = field(default_factory=list)  # {path, duplicate_of}
    rejected: list[dict] = field(default_factory=list)  # {path, reason}
    #: Files already in the project under a path that is gone: the project now points here.
    relinked: list[dict] = field(default_factory=list)  # {path, was}
    #: Folders whose name differs from an existing class only in case: their images joined it.
    merged: list[dict] = field(default_factory=list)  # {folder, class}
    cancelled: bool = False

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _FileResult:
    """What a worker found out about one file; `kind` is 'image', 'rejected' or 'skipped'."""

    kind: str
    candidate: Candidate
    reason: str = ""
    sha256: str = ""
    size_bytes: int = 0
    mtime_ns: int = 0
    info: ImageInfo | None = None
    thumbnail: bytes = b""


def _process(candidate: Candidate, thumbnail_size: int) -> _FileResult:
    """Read, hash, check and thumbnail one file. Runs in a worker thread; touches no database."""
    path = candidate.path
    meant_as_image = looks_like_image_name(path)
    if candidate.not_regular:  # a named pipe or a device: never opened (a pipe waits for ever)
        return _FileResult("rejected", candidate, reason=candidate.not_regular)
    try:
        with open_regular(path) as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read()
    except NotRegularFile as exc:  # became one since the folder was listed
        return _FileResult("rejected", candidate, reason=exc.strerror)
    except OSError as exc:
        return _FileResult("rejected", candidate, reason=f"cannot read the file ({exc.strerror or exc})")
    if not data or sniff_format(data[:132]) is None:
        if not meant_as_image:
            return _FileResult("skipped", candidate)
        reason = "the file is empty" if not data else "the content is not an image format Loupe reads"
        return _FileResult("rejected", candidate, reason=reason)
    digest = hashlib.sha256(data).hexdigest()
    try:
        decoded = decode(data, DecodeOptions(draft_size=thumbnail_size))
        thumbnail = thumbnail_jpeg(decoded.rgb, thumbnail_size)
    except ImageError as exc:
        return _FileResult("rejected", candidate, reason=str(exc))
    return _FileResult(
        "image",
        candidate,
        sha256=digest,
        size_bytes=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        info=decoded.info,
        thumbnail=thumbnail,
    )


def _results_in_order(
    candidates: list[Candidate], options: ImportOptions, should_stop: Callable[[], bool]
) -> Iterator[_FileResult]:
    """Process candidates in the pool, yielding results in input order, a bounded number in
    flight (memory stays flat however many files there are)."""
    workers = options.workers or os.cpu_count() or 1
    in_flight: deque[Future] = deque()
    pending = iter(candidates)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="loupe-import") as pool:
        try:
            for candidate in pending:
                in_flight.append(pool.submit(_process, candidate, options.thumbnail_size))
                if len(in_flight) >= workers * 4:
                    break
            while in_flight:
                result = in_flight.popleft().result()
                if not should_stop():
                    next_candidate = next(pending, None)
                    if next_candidate is not None:
                        in_flight.append(pool.submit(_process, next_candidate, options.thumbnail_size))
                yield result
        finally:
            for future in in_flight:
                future.cancel()


class _Writer:
    """Writes results to the project in batches, each in one short transaction.

    Results are buffered and written together, so the project's write lock is held for
    milliseconds per batch, not for as long as the batch takes to decode: a label made in the
    window while an import runs never waits long for it.
    """

    def __init__(self, project: Project, options: ImportOptions, report: ImportReport):
        self.project = project
        self.options = options
        self.report = report
        self.conn = project.conn
        self.thumbnails = ThumbnailCache(project.paths.cache_dir)
        self.pending: list[_FileResult] = []
        self.pending_labels: list[tuple[int, int]] = []
        self.class_ids: dict[str, int] = {}
        self.last_flush = time.monotonic()

    def add(self, result: _FileResult) -> None:
        if result.kind == "skipped":
            self.report.skipped += 1
            return
        self.pending.append(result)
        if len(self.pending) >= self.options.batch_size or time.monotonic() - self.last_flush > MAX_BATCH_SECONDS:
            self.flush()

    def class_id(self, folder_label: str) -> int | None:
        if not folder_label.strip():
            return None
        if folder_label not in self.class_ids:
            info = ensure_class(self.project, folder_label)  # its own transaction
            self.class_ids[folder_label] = info.id
            if info.name != " ".join(folder_label.split()):  # 'cat' joins the class 'Cat': say so
                self.report.merged.append({"folder": folder_label, "class": info.name})
        return self.class_ids[folder_label]

    def label_later(self, image_id: int, folder_label: str) -> None:
        class_id = self.class_id(folder_label)
        if class_id is not None:
            self.pending_labels.append((image_id, class_id))

    def flush(self) -> None:
        """Write the buffered results: thumbnails first (the cache may run ahead, never behind),
        then the project rows in one transaction."""
        results, self.pending = self.pending, []
        self.last_flush = time.monotonic()
        images = [r for r in results if r.kind == "image"]
        if self.options.labels_from_folders:
            for result in images:
                self.class_id(result.candidate.folder_label)
        if images:
            self.thumbnails.put_many([(r.sha256, r.thumbnail) for r in images])
        if not results and not self.pending_labels:
            return
        with self.conn:
            for result in results:
                stored = self.project.stored_path(result.candidate.path)
                if result.kind == "rejected":
                    self._reject(stored, result.reason)
                else:
                    self._add_image(stored, result)
            if self.pending_labels:
                set_labels(self.project, self.pending_labels, "imported", "Labels from folder names", conn=self.conn)
                self.report.labelled += len(self.pending_labels)
                self.pending_labels = []

    def _reject(self, stored: str, reason: str) -> None:
        self.report.rejected.append({"path": stored, "reason": reason})
        self.conn.execute(
            "INSERT INTO rejected_files (path, reason) VALUES (?, ?) ON CONFLICT (path) DO "
            "UPDATE SET reason = excluded.reason, seen_at = excluded.seen_at",
            (stored, reason),
        )

    def _add_image(self, stored: str, result: _FileResult) -> None:
        self.conn.execute("DELETE FROM rejected_files WHERE path = ?", (stored,))
        existing = self.conn.execute("SELECT id, path FROM images WHERE sha256 = ?", (result.sha256,)).fetchone()
        if existing is not None and not self.project.resolve_path(existing[1]).exists():
            # The same content under a new path, and the old path is gone: the file moved.
            if relink_image(self.project, existing[0], result.candidate.path):
                self.report.relinked.append({"path": stored, "was": existing[1]})
                return
        if existing is not None:
            self.report.duplicates.append({"path": stored, "duplicate_of": existing[1]})
            self.conn.execute(
                "INSERT INTO duplicate_files (path, image_id) VALUES (?, ?) ON CONFLICT (path) DO "
                "UPDATE SET image_id = excluded.image_id, seen_at = excluded.seen_at",
                (stored, existing[0]),
            )
            return
        info = result.info
        cursor = self.conn.execute(
            "INSERT INTO images (path, sha256, size_bytes, mtime_ns, format, width, height,"
            " bit_depth, bands, mode, frames) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                stored,
                result.sha256,
                result.size_bytes,
                result.mtime_ns,
                info.format,
                info.width,
                info.height,
                info.bit_depth,
                info.bands,
                info.mode,
                info.frames,
            ),
        )
        self.report.added += 1
        if self.options.labels_from_folders:
            class_id = self.class_ids.get(result.candidate.folder_label)
            if class_id is not None:
                self.pending_labels.append((cursor.lastrowid, class_id))

    def close(self) -> None:
        self.flush()
        self.thumbnails.close()


def _label_known_images(writer: _Writer, known: list[tuple[int, Candidate]]) -> None:
    """Re-importing with labels from folders labels images that are still unlabelled."""
    labelled = {row[0] for row in writer.conn.execute("SELECT image_id FROM labels")}
    for image_id, candidate in known:
        if image_id not in labelled:
            writer.label_later(image_id, candidate.folder_label)


def import_paths(
    project: Project,
    paths: Iterable[str | os.PathLike],
    options: ImportOptions = ImportOptions(),
    on_progress: Callable[[ImportProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import files and folders (recursively) into `project`; see the module docstring."""
    project.require_writable()
    roots = check_roots(paths)
    should_stop = should_stop or (lambda: False)
    report = ImportReport()
    emit = on_progress or (lambda event: None)

    def progress(phase: str, done: int, total: int, path: str = "") -> None:
        emit(
            ImportProgress(
                phase, done, total, report.added, len(report.duplicates), len(report.rejected), report.skipped, path
            )
        )

    candidates, report.skipped = scan_files(project, roots, lambda found: progress("scanning", found, 0))
    known_paths = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
    known_paths.update(project.conn.execute("SELECT path, image_id FROM duplicate_files").fetchall())
    new: list[Candidate] = []
    known: list[tuple[int, Candidate]] = []
    for candidate in candidates:
        image_id = known_paths.get(project.stored_path(candidate.path))
        if image_id is None:
            new.append(candidate)
        else:
            known.append((image_id, candidate))
    report.unchanged = len(known)

    writer = _Writer(project, options, report)
    total = len(new)
    last_emit = 0.0
    try:
        if options.labels_from_folders:
            _label_known_images(writer, known)
        progress("importing", 0, total)
        for done, result in enumerate(_results_in_order(new, options, should_stop), start=1):
            writer.add(result)
            now = time.monotonic()
            if now - last_emit >= 0.05 or done == total:
                progress("importing", done, total, shown(result.candidate.path))
                last_emit = now
            if should_stop() and done < total:
                report.cancelled = True
                break
    finally:
        writer.close()
    return report
