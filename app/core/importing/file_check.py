"""Files that change under the project: images deleted, moved or overwritten after they were
imported.

    report = check_files(project)            # marks missing and changed files, and files back again
    report = relink_files(project, folder)   # finds moved files by their content, under `folder`

The check is cheap where nothing changed: one `stat` per image, and a new hash only when a file's
size or modification time differs from what the project recorded. A file whose content changed
keeps its labels but is flagged (`changed_at`): the label was given to other pixels, so the user
should look again (the grid's "Missing or changed files" filter). Its hash is updated, so no
cache (thumbnails, features) serves the old content. Writes go in short transactions, so labels
made in the window meanwhile never wait.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from app.core.imaging.part_paths import file_of, split_part
from app.core.imaging.regular_files import open_regular
from app.core.importing.folder_walk import check_roots, scan_files
from app.core.project.store import Project

#: Images per transaction (and per progress event).
CHUNK = 500


@dataclass(frozen=True)
class CheckProgress:
    phase: str  # "checking", "scanning" or "hashing"
    done: int
    total: int


@dataclass
class CheckReport:
    checked: int = 0
    missing: list[dict] = field(default_factory=list)  # {image, path}
    changed: list[dict] = field(default_factory=list)  # {image, path}
    found_again: int = 0  # marked missing before, there again now
    cancelled: bool = False

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class RelinkReport:
    relinked: list[dict] = field(default_factory=list)  # {image, old_path, path}
    #: Whole slides and scenes found moved (`sources.relink`): {path, was, tiles}.
    sources: list[dict] = field(default_factory=list)
    still_missing: int = 0
    files_looked_at: int = 0
    cancelled: bool = False

    def to_json(self) -> dict:
        return asdict(self)


def file_hash(path: Path) -> str:
    """The sha256 of a file's content; NotRegularFile (an OSError) for a named pipe or a device,
    which would otherwise be waited on for ever."""
    with open_regular(path) as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _chunks(rows: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def check_files(
    project: Project,
    on_progress: Callable[[CheckProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> CheckReport:
    """Compare every image's file with what the project recorded; mark what is missing or
    changed (and unmark what is back). A read-only project is checked without marking."""
    rows = project.conn.execute(
        "SELECT id, path, sha256, size_bytes, mtime_ns, status FROM images ORDER BY id"
    ).fetchall()
    report = CheckReport()
    part_files: dict[str, str] = {}  # a slide's file is looked at once for all its tiles: its state
    for chunk in _chunks(rows):
        if should_stop():
            report.cancelled = True
            break
        updates = []  # (sql, parameters)
        for image_id, stored, sha, size, mtime, status in chunk:
            if split_part(stored).is_part:
                _check_part(project, image_id, stored, status, report, updates, part_files)
                continue
            path = project.resolve_path(stored)
            try:
                stat = path.stat()
            except OSError:
                report.missing.append({"image": image_id, "path": stored})
                if status != "missing":
                    updates.append(("UPDATE images SET status = 'missing' WHERE id = ?", (image_id,)))
                continue
            same = stat.st_size == size and stat.st_mtime_ns == mtime
            new_sha = sha if same else _hash_or_none(path)
            if new_sha is None:  # unreadable as a file: as good as missing
                report.missing.append({"image": image_id, "path": stored})
                updates.append(("UPDATE images SET status = 'missing' WHERE id = ?", (image_id,)))
                continue
            if status == "missing":
                report.found_again += 1
            if new_sha == sha:
                if not same or status == "missing":
                    updates.append(
                        (
                            "UPDATE images SET status = 'ok', size_bytes = ?, mtime_ns = ? WHERE id = ?",
                            (stat.st_size, stat.st_mtime_ns, image_id),
                        )
                    )
                continue
            report.changed.append({"image": image_id, "path": stored})
            updates.append(
                (
                    "UPDATE OR IGNORE images SET status = 'ok', sha256 = ?, size_bytes = ?, mtime_ns = ?,"
                    " changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
                    (new_sha, stat.st_size, stat.st_mtime_ns, image_id),
                )
            )
            updates.append(
                ("UPDATE images SET changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?", (image_id,))
            )  # a hash another image has: flagged all the same
        report.checked += len(chunk)
        if updates and not project.read_only:
            with project.conn as conn:
                for sql, parameters in updates:
                    conn.execute(sql, parameters)
        on_progress(CheckProgress("checking", report.checked, len(rows)))
    return report


def fingerprint(path: str | os.PathLike, chunk: int = 1 << 20) -> str:
    """sha256 of a file's size and its first and last MiB: what a whole slide (gigabytes) is
    known by; a changed or different file differs there (headers, tile offsets) in practice."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        digest.update(str(size).encode())
        digest.update(f.read(chunk))
        if size > chunk:
            f.seek(max(chunk, size - chunk))
            digest.update(f.read(chunk))
    return digest.hexdigest()


def _part_file_state(project: Project, file: str) -> str:
    """'missing', 'changed' or 'ok' for the file tiles or frames are part of. A slide whose size or
    time differs from its import is fingerprinted again (2 MiB read, never the whole file)."""
    path = project.resolve_path(file)
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    if not path.is_file():
        return "missing"
    row = project.conn.execute(
        "SELECT size_bytes, mtime_ns, fingerprint FROM sources WHERE path = ?", (file,)
    ).fetchone()
    if row is None or (row[0], row[1]) == (stat.st_size, stat.st_mtime_ns):
        return "ok"
    try:
        return "ok" if fingerprint(path) == row[2] else "changed"
    except OSError:
        return "missing"


def _check_part(
    project: Project, image_id: int, stored: str, status: str, report: CheckReport, updates: list, seen: dict
) -> None:
    """A tile or frame is there when its file is, changed when its slide's fingerprint is (its
    labels were made on other pixels: flagged as a changed file's are)."""
    file = file_of(stored)
    if file not in seen:
        seen[file] = _part_file_state(project, file)
    state = seen[file]
    if state == "missing":
        report.missing.append({"image": image_id, "path": stored})
        if status != "missing":
            updates.append(("UPDATE images SET status = 'missing' WHERE id = ?", (image_id,)))
        return
    if status == "missing":
        report.found_again += 1
        updates.append(("UPDATE images SET status = 'ok' WHERE id = ?", (image_id,)))
    if state == "changed":
        report.changed.append({"image": image_id, "path": stored})
        updates.append(
            ("UPDATE images SET changed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?", (image_id,))
        )


def relink_image(project: Project, image_id: int, path: Path) -> bool:
    """Point image `image_id` at `path` (the same content, found elsewhere), within the caller's
    transaction if one is open; False when another image of the project already has that path."""
    stat = path.stat()
    stored = project.stored_path(path)
    conn = project.conn
    conn.execute("SAVEPOINT relink")
    try:
        conn.execute(
            "UPDATE images SET path = ?, status = 'ok', size_bytes = ?, mtime_ns = ? WHERE id = ?",
            (stored, stat.st_size, stat.st_mtime_ns, image_id),
        )
        conn.execute("DELETE FROM duplicate_files WHERE path = ?", (stored,))
    except sqlite3.IntegrityError:
        conn.execute("ROLLBACK TO relink")
        conn.execute("RELEASE relink")
        return False
    conn.execute("RELEASE relink")
    return True


def _hash_or_none(path: Path) -> str | None:
    try:
        return file_hash(path)
    except OSError:
        return None


def relink_files(
    project: Project,
    folder: str | os.PathLike,
    on_progress: Callable[[CheckProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> RelinkReport:
    """Find the project's missing images under `folder` by their content and point the project
    at them (their labels, splits and history stay theirs). Only files with the size of a missing
    image are hashed."""
    project.require_writable()
    roots = check_roots([folder])
    check_files(project, should_stop=should_stop)  # what is missing now
    missing = [
        row
        for row in project.conn.execute("SELECT id, path, sha256, size_bytes FROM images WHERE status = 'missing'")
        if not split_part(row[1]).is_part  # a tile or frame is not a file of its own to find
    ]
    report = RelinkReport()
    by_size: dict[int, dict[str, tuple[int, str]]] = {}
    for image_id, stored, sha, size in missing:
        by_size.setdefault(size, {})[sha] = (image_id, stored)
    candidates, _ = scan_files(project, roots, lambda found: on_progress(CheckProgress("scanning", found, 0)))
    sized = []
    for candidate in candidates:
        if candidate.not_regular:  # a named pipe or a device holds no moved image
            continue
        try:
            size = candidate.path.stat().st_size
        except OSError:
            continue
        if size in by_size:
            sized.append((candidate.path, size))
    report.files_looked_at = len(candidates)
    for done, (path, size) in enumerate(sized, start=1):
        if should_stop():
            report.cancelled = True
            break
        wanted = by_size[size]
        sha = _hash_or_none(path)
        if sha in wanted:
            image_id, old = wanted.pop(sha)
            with project.conn:
                linked = relink_image(project, image_id, path)
            if linked:
                report.relinked.append({"image": image_id, "old_path": old, "path": project.stored_path(path)})
        on_progress(CheckProgress("hashing", done, len(sized)))
    report.still_missing = len(missing) - len(report.relinked)
    return report
