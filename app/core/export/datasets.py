"""Labels out of a project: as a CSV, or as the labelled images in one folder per class (the
ImageFolder layout every training library reads). `formats.EXPORTERS` lists them with the model
formats.

The image files are never moved or changed: ImageFolder entries are hard links where the file
system allows (no extra space), copies elsewhere; an image whose file is gone is listed, not
fatal. Both are written whole or not at all (`atomic_files`).
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.atomic_files import written_folder, written_whole
from app.core.errors import Cancelled
from app.core.export.folder_names import file_name, folder_names
from app.core.export.report import ExportReport
from app.core.file_names import shown
from app.core.project.outputs import CSV_FILE, NEW_FOLDER, check_output
from app.core.project.store import Project


@dataclass(frozen=True)
class ExportProgress:
    """Images placed so far, of all there are to place."""

    done: int
    total: int


def _labelled(project: Project) -> list[tuple[int, str, str, str, str]]:
    """(image id, stored path, class name, label source, labelled at) of every labelled image."""
    return project.conn.execute(
        "SELECT i.id, i.path, c.name, l.source, l.updated_at FROM labels l JOIN images i ON i.id = l.image_id"
        " JOIN classes c ON c.id = l.class_id WHERE c.deleted = 0 ORDER BY c.position, c.id, i.path"
    ).fetchall()


def export_labels_csv(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """One row per labelled image: absolute path, class, where the label came from, when."""
    out = check_output(out, CSV_FILE, project.paths)
    rows = _labelled(project)
    with written_whole(out) as f:  # never half a file under the name asked for
        writer = csv.writer(f)
        writer.writerow(["path", "class", "source", "labelled_at"])
        for _, path, name, source, when in rows:
            writer.writerow([shown(os.path.abspath(project.resolve_path(path))), name, source, when])
    return ExportReport("labels-csv", str(out), images=len(rows))


def export_imagefolder(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """out/<class>/<file name> in a new or empty folder: hard links where possible, else copies;
    two images with the same file name in one class get their image id in front of the second
    one's name. Class names become folder names every system accepts (`folder_names`), each
    renamed one reported. Written into a temporary folder renamed to `out` when complete: a
    stop, an error or a kill never leaves part of the images under `out`."""
    out = check_output(out, NEW_FOLDER, project.paths)
    rows = _labelled(project)
    folders = folder_names(dict.fromkeys(name for _, _, name, _, _ in rows))
    report = ExportReport(
        "imagefolder", str(out), folders={name: folder for name, folder in folders.items() if name != folder}
    )

    def write(folder: Path) -> None:
        for done, (image_id, path, name, _, _) in enumerate(rows):
            if should_stop():
                raise Cancelled(f"export stopped after {done} of {len(rows)} images; nothing was written to {out}")
            source = project.resolve_path(path)
            if not source.is_file():
                report.missing.append({"path": shown(os.path.abspath(source)), "reason": "file not found"})
                continue
            _place(source, folder / folders[name], image_id, report)
            on_progress(ExportProgress(done + 1, len(rows)))

    written_folder(out, write)
    return report


def _place(source: Path, folder: Path, image_id: int, report: ExportReport) -> None:
    """`source` into `folder`: a hard link, else a copy, under a name no other image there has."""
    folder.mkdir(exist_ok=True)
    target = folder / file_name(source.name)
    if os.path.lexists(target):  # another image of the class with the same file name
        target = folder / file_name(f"{image_id}-{source.name}")
    try:
        os.link(source, target)
        report.linked += 1
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)
        report.copied += 1
    report.images += 1
