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

A multi-frame DICOM (a cine loop, a tomosynthesis or enhanced CT/MR series) is one image per frame
(`ImportOptions.frames`: each frame, the first, or a chosen one): each row's path names its frame
(`part_paths.frame_path`, "series.dcm::frame(12)") and its sha256 is the file's with the frame
number (`frame_sha256`), so frames stay distinct images; the file is still read once.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field

from app.core.errors import ConfigError, ImageError
from app.core.file_names import shown
from app.core.imaging import (
    THUMBNAIL_SIZE,
    DecodeOptions,
    ImageInfo,
    decode,
    looks_like_image_name,
    probe,
    sniff_format,
    thumbnail_jpeg,
)
from app.core.imaging.decoded import DecodedImage
from app.core.imaging.dicom_decoder import decode_frames
from app.core.imaging.part_paths import file_of, frame_path
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
    frames: str = field(
        default="each",
        metadata={
            "help": "Multi-frame DICOM: 'each' makes every frame an image, 'first' only the first, "
            "a number only that frame (0-based; a file without it is rejected). Single-frame files "
            "are imported whole whatever this says."
        },
    )


#: How a multi-frame file's frames become images (`ImportOptions.frames`), by name; a number
#: chooses that one frame.
FRAME_CHOICES: dict[str, Callable[[int], Iterable[int]]] = {
    "each": lambda count: range(count),
    "first": lambda count: range(min(count, 1)),
}

#: Formats whose frames become images of their own, and how to read many frames of one file's
#: bytes at once (GIF frames are an animation and TIFF pages a pyramid or thumbnails: not these).
MULTI_FRAME_READERS: dict[str, Callable] = {"dicom": decode_frames}


def chosen_frames(choice: str, count: int) -> Iterable[int]:
    """The frames to import of a file with `count` frames (ConfigError for a choice that is neither
    a name in FRAME_CHOICES nor a frame number)."""
    text = str(choice).strip().lower()
    if text in FRAME_CHOICES:
        return FRAME_CHOICES[text](count)
    if text.isdigit():
        return [int(text)]
    names = ", ".join(f"'{name}'" for name in FRAME_CHOICES)
    raise ConfigError(f"frames must be {names} or a frame number (0-based), not '{choice}'")


def frame_sha256(file_sha256: str, frame: int) -> str:
    """A frame's own identity: each frame of one file is a different image of the project (the
    images table keeps sha256 unique), and the same frame of the same file is always the same."""
    return hashlib.sha256(f"{file_sha256}:frame:{frame}".encode()).hexdigest()


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
    frame: int | None = None  # the frame of a multi-frame file this row is, None for the whole file


def _process(candidate: Candidate, options: ImportOptions) -> list[_FileResult]:
    """Read, hash, check and thumbnail one file: one result, or one per frame imported of a
    multi-frame file (its bytes read once). Runs in a worker thread; touches no database."""
    path = candidate.path
    meant_as_image = looks_like_image_name(path)
    if candidate.not_regular:  # a named pipe or a device: never opened (a pipe waits for ever)
        return [_FileResult("rejected", candidate, reason=candidate.not_regular)]
    try:
        with open_regular(path) as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read()
    except NotRegularFile as exc:  # became one since the folder was listed
        return [_FileResult("rejected", candidate, reason=exc.strerror)]
    except OSError as exc:
        return [_FileResult("rejected", candidate, reason=f"cannot read the file ({exc.strerror or exc})")]
    fmt = sniff_format(data[:132]) if data else None
    if fmt is None:
        if not meant_as_image:
            return [_FileResult("skipped", candidate)]
        reason = "the file is empty" if not data else "the content is not an image format Loupe reads"
        return [_FileResult("rejected", candidate, reason=reason)]
    digest = hashlib.sha256(data).hexdigest()
    facts = {"candidate": candidate, "size_bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns}
    draft = DecodeOptions(draft_size=options.thumbnail_size)
    try:
        reader = MULTI_FRAME_READERS.get(fmt)
        if reader is not None and (count := probe(data).frames) > 1:
            frames = reader(data, chosen_frames(options.frames, count), draft)
            return [_frame_result(frame, image, digest, options, facts) for frame, image in frames]
        decoded = decode(data, draft)
        thumbnail = thumbnail_jpeg(decoded.rgb, options.thumbnail_size)
    except ImageError as exc:
        return [_FileResult("rejected", candidate, reason=str(exc))]
    return [_FileResult("image", sha256=digest, info=decoded.info, thumbnail=thumbnail, **facts)]


def _frame_result(
    frame: int, image: DecodedImage | ImageError, digest: str, options: ImportOptions, facts: dict
) -> _FileResult:
    if isinstance(image, ImageError):
        return _FileResult("rejected", reason=str(image), frame=frame, **facts)
    thumbnail = thumbnail_jpeg(image.rgb, options.thumbnail_size)
    sha256 = frame_sha256(digest, frame)
    return _FileResult("image", sha256=sha256, info=image.info, thumbnail=thumbnail, frame=frame, **facts)


def _results_in_order(
    candidates: list[Candidate], options: ImportOptions, should_stop: Callable[[], bool]
) -> Iterator[list[_FileResult]]:
    """Process candidates in the pool, yielding results in input order, a bounded number in
    flight (memory stays flat however many files there are)."""
    workers = options.workers or os.cpu_count() or 1
    in_flight: deque[Future] = deque()
    pending = iter(candidates)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="loupe-import") as pool:
        try:
            for candidate in pending:
                in_flight.append(pool.submit(_process, candidate, options))
                if len(in_flight) >= workers * 4:
                    break
            while in_flight:
                result = in_flight.popleft().result()
                if not should_stop():
                    next_candidate = next(pending, None)
                    if next_candidate is not None:
                        in_flight.append(pool.submit(_process, next_candidate, options))
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
                if result.frame is not None:
                    stored = frame_path(stored, result.frame)
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
        if existing is not None and not self.project.resolve_path(file_of(existing[1])).exists():
            # The same content under a new path, and the old path is gone: the file moved.
            if self._relink(existing[0], stored, result):
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

    def _relink(self, image_id: int, stored: str, result: _FileResult) -> bool:
        """Point an image whose file moved at its new path (a frame: at that frame of it)."""
        if result.frame is None:
            return relink_image(self.project, image_id, result.candidate.path)
        taken = self.conn.execute("SELECT 1 FROM images WHERE path = ?", (stored,)).fetchone()
        if taken:
            return False
        self.conn.execute(
            "UPDATE images SET path = ?, status = 'ok', size_bytes = ?, mtime_ns = ? WHERE id = ?",
            (stored, result.size_bytes, result.mtime_ns, image_id),
        )
        self.conn.execute("DELETE FROM duplicate_files WHERE path = ?", (stored,))
        return True

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
    chosen_frames(options.frames, 1)  # a bad choice is refused before any work
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
    # A file is known when the project has it, a part of it (its frames, its tiles), or a duplicate
    known_paths: dict[str, list[int]] = {}
    for path, image_id in project.conn.execute(
        "SELECT path, id FROM images UNION ALL SELECT path, image_id FROM duplicate_files"
    ):
        known_paths.setdefault(file_of(path), []).append(image_id)
    new: list[Candidate] = []
    known: list[tuple[int, Candidate]] = []
    for candidate in candidates:
        image_ids = known_paths.get(project.stored_path(candidate.path))
        if image_ids is None:
            new.append(candidate)
        else:
            known.extend((image_id, candidate) for image_id in image_ids)
    report.unchanged = len(candidates) - len(new)

    writer = _Writer(project, options, report)
    total = len(new)
    last_emit = 0.0
    try:
        if options.labels_from_folders:
            _label_known_images(writer, known)
        progress("importing", 0, total)
        for done, results in enumerate(_results_in_order(new, options, should_stop), start=1):
            for result in results:
                writer.add(result)
            now = time.monotonic()
            if now - last_emit >= 0.05 or done == total:
                progress("importing", done, total, shown(results[0].candidate.path))
                last_emit = now
            if should_stop() and done < total:
                report.cancelled = True
                break
    finally:
        writer.close()
    return report
