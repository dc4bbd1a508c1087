"""Every export format by name, so a project's work can leave Loupe: its labels as a CSV, or as
the labelled images in one folder per class (`datasets`); a run's model as a Hugging Face folder
or as ONNX (`models`).

    report = export(project, "imagefolder", Path("out"))
    report = export(project, "onnx", Path("out"), run_id=3)   # run None: the project's active run

Formats are a registry by name (`EXPORTERS`) of functions with one signature (`report.Exporter`);
the label formats ignore the run. Each checks its output first (`project.outputs`): never the
project's own files, never over a file of another kind, never half written. `OUTPUT_KINDS` says
what each writes, so the window can check a chosen path before it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.core.errors import ConfigError
from app.core.export.datasets import export_imagefolder, export_labels_csv
from app.core.export.models import export_hf, export_onnx
from app.core.export.report import Exporter, ExportReport
from app.core.project.outputs import CSV_FILE, NEW_FOLDER, OutputKind, check_output
from app.core.project.store import Project

EXPORTERS: dict[str, Exporter] = {
    "labels-csv": export_labels_csv,
    "imagefolder": export_imagefolder,
    "hf": export_hf,
    "onnx": export_onnx,
}
#: What each format writes: one CSV file, or a new or empty folder.
OUTPUT_KINDS: dict[str, OutputKind] = {
    "labels-csv": CSV_FILE,
    "imagefolder": NEW_FOLDER,
    "hf": NEW_FOLDER,
    "onnx": NEW_FOLDER,
}


def check_export_output(project: Project, format: str, out: Path) -> Path:
    """`out` as an absolute path if `format` may be written there (OutputError otherwise)."""
    return check_output(out, OUTPUT_KINDS[format], project.paths)


def export(
    project: Project,
    format: str,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    try:
        exporter = EXPORTERS[format]
    except KeyError:
        raise ConfigError(f"unknown export format '{format}'; choose {', '.join(EXPORTERS)}") from None
    return exporter(project, Path(out), run_id, on_progress, should_stop)
