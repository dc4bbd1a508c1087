"""Labels out of a project: as a CSV, or as the labelled images in one folder per class (the
ImageFolder layout every training library reads). `formats.EXPORTERS` lists them with the model
formats.

The image files are never moved or changed: ImageFolder entries are hard links where the file
system allows (no extra space), copies elsewhere; an image whose file is gone is listed, not
fatal.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from app.core.atomic_files import written_whole
from app.core.errors import ConfigError
from app.core.export.report import ExportReport
from app.core.project.store import Project

#: Characters no folder name may hold on some system (a class named "T1/T2" is a folder "T1_T2").
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


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
    rows = _labelled(project)
    with written_whole(out) as f:  # never half a file under the name asked for
        writer = csv.writer(f)
        writer.writerow(["path", "class", "source", "labelled_at"])
        for _, path, name, source, when in rows:
            writer.writerow([str(project.resolve_path(path)), name, source, when])
    return ExportReport("labels-csv", str(out.resolve()), images=len(rows))


def folder_name(class_name: str) -> str:
    return _UNSAFE.sub("_", class_name).strip(" .") or "_"


def export_imagefolder(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """out/<class>/<file name> in a new or empty folder: hard links where possible, else copies;
    two images with the same file name in one class get their image id in front of the second
    one's name."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"{out} is not an empty folder; choose a new or empty one for the class folders")
    report = ExportReport("imagefolder", str(out.resolve()))
    for image_id, path, name, _, _ in _labelled(project):
        source = project.resolve_path(path)
        if not source.is_file():
            report.missing.append({"path": str(source), "reason": "file not found"})
            continue
        folder = out / folder_name(name)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / source.name
        if target.exists():  # another image of the class with the same file name
            target = folder / f"{image_id}-{source.name}"
        try:
            os.link(source, target)
            report.linked += 1
        except OSError:  # another file system, or one without hard links
            shutil.copy2(source, target)
            report.copied += 1
        report.images += 1
    return report
