"""What an export wrote, and the one signature every export format has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from app.core.project.store import Project


@dataclass
class ExportReport:
    format: str
    out: str  # absolute
    images: int = 0  # labelled images written
    linked: int = 0
    copied: int = 0
    missing: list[dict] = field(default_factory=list)  # {path, reason}
    folders: dict[str, str] = field(default_factory=dict)  # class -> its folder, where they differ (imagefolder)
    run: int | None = None  # the run whose model was exported (model formats)
    files: list[str] = field(default_factory=list)  # absolute paths of the files written (model formats)
    details: dict = field(default_factory=dict)  # what a model format adds: classes, the ONNX check…

    def to_json(self) -> dict:
        if self.run is not None:
            return {"format": self.format, "out": self.out, "run": self.run, "files": self.files, **self.details}
        document = {
            "format": self.format,
            "out": self.out,
            "images": self.images,
            "linked": self.linked,
            "copied": self.copied,
            "missing": self.missing,
        }
        if self.format == "imagefolder":
            document["renamed_folders"] = self.folders
        return document


class Exporter(Protocol):
    """What every format is: the project, where to write, the run (model formats; None: the
    active run), progress events and a stop question (asked between stages)."""

    def __call__(
        self,
        project: Project,
        out: Path,
        run_id: int | None = None,
        on_progress: Callable[[object], None] = ...,
        should_stop: Callable[[], bool] = ...,
    ) -> ExportReport: ...
