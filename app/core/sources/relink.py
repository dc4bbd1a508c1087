"""Find moved slides and scenes by their fingerprint, as `relink_files` finds moved images.

A whole slide is not hashed (gigabytes): a missing source is looked for among the slide and
scene files under a folder with its size, and recognised by its fingerprint (size, first and last
MiB). Found, its row and its tiles' paths are pointed at the new place in one transaction, so the
tiles keep their ids, labels, splits and history.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from app.core.importing.file_check import CheckProgress, RelinkReport, fingerprint, relink_files
from app.core.project.store import Project
from app.core.sources.tile_import import move_source, source_files


def relink_sources(project: Project, folder: str | os.PathLike) -> list[dict]:
    """Point the project's missing sources at their files under `folder`: [{path, was, tiles}]."""
    project.require_writable()
    missing = [
        (path, size, digest)
        for path, size, digest in project.conn.execute("SELECT path, size_bytes, fingerprint FROM sources")
        if not project.resolve_path(path).is_file()
    ]
    if not missing:
        return []
    files, _ = source_files([folder])
    by_size: dict[int, list] = {}
    for file in files:
        try:
            by_size.setdefault(file.stat().st_size, []).append(file)
        except OSError:
            continue
    found = []
    for old, size, digest in missing:
        for file in by_size.get(size, []):
            try:
                same = fingerprint(file) == digest
            except OSError:
                continue
            if same:
                new = project.stored_path(file)
                tiles = move_source(project, old, new)
                found.append({"path": new, "was": old, "tiles": tiles})
                break
    return found


def relink_everything(
    project: Project,
    folder: str | os.PathLike,
    on_progress: Callable[[CheckProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> RelinkReport:
    """`relink_files`, and the moved slides and scenes under the same folder (`relink_sources`)."""
    report = relink_files(project, folder, on_progress, should_stop)
    if not report.cancelled:
        report.sources = relink_sources(project, folder)
    return report
