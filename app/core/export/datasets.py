"""Exports, so a project's work can leave Loupe: its labels as a CSV, or as the labelled images
in one folder per class (the ImageFolder layout every training library reads); a run's model as a
Hugging Face folder or as ONNX (`model_export.py`).

    report = export(project, "imagefolder", Path("out"))
    report = export(project, "onnx", Path("out"), run_id=3)   # run None: the project's active run

Formats are a registry by name (`EXPORTERS`) of functions with one signature, `Exporter`; the
label formats ignore the run. The image files are never moved or changed: ImageFolder entries
are hard links where the file system allows (no extra space), copies elsewhere; an image whose
file is gone is listed, not fatal.
"""

from __future__ import annotations

import csv
import importlib
import os
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.core.atomic_files import written_whole
from app.core.errors import ConfigError
from app.core.project.store import Project

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
    run: int | None = None  # the run whose model was exported (model formats)
    files: list[str] = field(default_factory=list)  # absolute paths of the files written (model formats)
    details: dict = field(default_factory=dict)  # what a model format adds: classes, the ONNX check…

    def to_json(self) -> dict:
        if self.run is not None:
            return {"format": self.format, "out": self.out, "run": self.run, "files": self.files, **self.details}
        return {"format": self.format, "out": self.out, "images": self.images, "linked": self.linked,
                "copied": self.copied, "missing": self.missing}  # fmt: skip


class Exporter(Protocol):
    """What every format is: the project, where to write, the run (model formats; None: the
    active run), progress events and a stop question (asked between stages)."""

    def __call__(self, project: Project, out: Path, run_id: int | None = None,
                 on_progress: Callable[[object], None] = ...,
                 should_stop: Callable[[], bool] = ...) -> ExportReport: ...  # fmt: skip


def _labelled(project: Project) -> list[tuple[int, str, str, str, str]]:
    """(image id, stored path, class name, label source, labelled at) of every labelled image."""
    return project.conn.execute(
        "SELECT i.id, i.path, c.name, l.source, l.updated_at FROM labels l JOIN images i ON i.id = l.image_id"
        " JOIN classes c ON c.id = l.class_id WHERE c.deleted = 0 ORDER BY c.position, c.id, i.path"
    ).fetchall()


def export_labels_csv(project: Project, out: Path, run_id: int | None = None,
                      on_progress: Callable[[object], None] = lambda event: None,
                      should_stop: Callable[[], bool] = lambda: False) -> ExportReport:  # fmt: skip
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


def export_imagefolder(project: Project, out: Path, run_id: int | None = None,
                       on_progress: Callable[[object], None] = lambda event: None,
                       should_stop: Callable[[], bool] = lambda: False) -> ExportReport:  # fmt: skip
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


def _model_format(name: str) -> Exporter:
    """`model_export.<name>`, imported when it runs (it imports this module for ExportReport)."""

    def exporter(project: Project, out: Path, run_id: int | None = None,
                 on_progress: Callable[[object], None] = lambda event: None,
                 should_stop: Callable[[], bool] = lambda: False) -> ExportReport:  # fmt: skip
        implementation = getattr(importlib.import_module("app.core.export.models"), name)
        return implementation(project, out, run_id, on_progress, should_stop)

    exporter.__name__ = exporter.__qualname__ = name
    return exporter


EXPORTERS: dict[str, Exporter] = {
    "labels-csv": export_labels_csv,
    "imagefolder": export_imagefolder,
    "hf": _model_format("export_hf"),
    "onnx": _model_format("export_onnx"),
}


def export(project: Project, format: str, out: Path, run_id: int | None = None,
           on_progress: Callable[[object], None] = lambda event: None,
           should_stop: Callable[[], bool] = lambda: False) -> ExportReport:  # fmt: skip
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ConfigError(f"unknown export format '{format}'; choose {', '.join(EXPORTERS)}") from None
    return exporter(project, Path(out), run_id, on_progress, should_stop)
