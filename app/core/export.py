"""Exports of a project's labels, so they can leave Loupe: as a CSV, or as the labelled images in
one folder per class (the ImageFolder layout every training library reads).

    report = export(project, "imagefolder", Path("out"))

Formats are a registry by name (`EXPORTERS`); the model formats of a run join it. The image
files are never moved or changed: ImageFolder entries are hard links where the file system
allows (no extra space), copies elsewhere; an image whose file is gone is listed, not fatal.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import ConfigError
from app.core.project import Project

#: Characters no folder name may hold on some system (a class named "T1/T2" is a folder "T1_T2").
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class ExportReport:
    format: str
    out: str  # absolute
    images: int = 0  # labelled images written
    linked: int = 0
    copied: int = 0
    missing: list[dict] = field(default_factory=list)  # {path, reason}

    def to_json(self) -> dict:
        return {"format": self.format, "out": self.out, "images": self.images, "linked": self.linked,
                "copied": self.copied, "missing": self.missing}  # fmt: skip


def _labelled(project: Project) -> list[tuple[int, str, str, str, str]]:
    """(image id, stored path, class name, label source, labelled at) of every labelled image."""
    return project.conn.execute(
        "SELECT i.id, i.path, c.name, l.source, l.updated_at FROM labels l JOIN images i ON i.id = l.image_id"
        " JOIN classes c ON c.id = l.class_id WHERE c.deleted = 0 ORDER BY c.position, c.id, i.path"
    ).fetchall()


def export_labels_csv(project: Project, out: Path) -> ExportReport:
    """One row per labelled image: absolute path, class, where the label came from, when."""
    rows = _labelled(project)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(out.name + ".partial")
    with temporary.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["path", "class", "source", "labelled_at"])
        for _, path, name, source, when in rows:
            writer.writerow([str(project.resolve_path(path)), name, source, when])
    os.replace(temporary, out)  # never half a file under the name asked for
    return ExportReport("labels-csv", str(out.resolve()), images=len(rows))


def folder_name(class_name: str) -> str:
    return _UNSAFE.sub("_", class_name).strip(" .") or "_"


def export_imagefolder(project: Project, out: Path) -> ExportReport:
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


EXPORTERS: dict[str, Callable[[Project, Path], ExportReport]] = {
    "labels-csv": export_labels_csv,
    "imagefolder": export_imagefolder,
}


def export(project: Project, format: str, out: Path) -> ExportReport:
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ConfigError(f"unknown export format '{format}'; choose {', '.join(EXPORTERS)}") from None
    return exporter(project, Path(out))
