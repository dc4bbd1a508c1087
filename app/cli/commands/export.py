"""`loupe export PROJECT [--run ID] --format hf|onnx|labels-csv|imagefolder --out PATH [--json]`"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import EXIT_CANCELLED, fail, print_json
from app.core.errors import Cancelled, ConfigError
from app.core.export.formats import EXPORTERS, check_export_output, export
from app.core.export.report import ExportReport
from app.core.project.store import Project
from app.core.training.events import Notice

_HELP = {
    "labels-csv": "a CSV of the labels (absolute path — a DICOM image's pseudonym instead —, class, source, when, image id)",
    "imagefolder": "the labelled images in one folder per class (hard links where possible, else copies)",
    "hf": "the run's model as a Hugging Face folder (adapters merged, safetensors, classes, image processor, README)",
    "onnx": "the run's model as model.onnx (pixel_values -> logits), checked against PyTorch with onnxruntime",
}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument(
        "--format",
        required=True,
        choices=list(EXPORTERS),
        help="; ".join(f"{name}: {_HELP.get(name, '')}" for name in EXPORTERS),
    )
    parser.add_argument(
        "--run",
        dest="run_id",
        type=int,
        default=None,
        metavar="ID",
        help="the run whose model to export (hf, onnx); default: the project's active run",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="the file (labels-csv) or the new or empty folder (imagefolder, hf, onnx) to write",
    )
    add_json_flag(parser)


def _notice(event: object) -> None:
    """Stages of a model export on stderr (stdout stays one JSON document with --json)."""
    if isinstance(event, Notice):
        print(event.text, file=sys.stderr)


def _print_model(report: ExportReport) -> None:
    details = report.details
    what = {"hf": "a Hugging Face model folder", "onnx": "ONNX"}.get(report.format, report.format)
    print(
        f"Exported run {report.run} ({details.get('method')} on {details.get('backbone')}, "
        f"{len(details.get('classes', []))} classes) as {what} to {report.out}"
    )
    if "max_abs_difference" in details:
        print(
            f"  onnxruntime matches PyTorch: logits at most {details['max_abs_difference']:.1e} apart "
            f"({details['exporter']} exporter, opset {details['opset']}, {details['export_seconds']:.1f} s)"
        )
    for path in report.files:
        print(f"  {path}")


def _print_labels(report: ExportReport) -> None:
    how = f" ({report.linked} linked, {report.copied} copied)" if report.format == "imagefolder" else ""
    print(f"Exported {report.images} labelled images{how} to {report.out}")
    if report.folders:
        print("Class names that are not folder names everywhere were renamed:")
        for name, folder in report.folders.items():
            print(f"  {name!r} -> {folder}")
    for item in report.missing[:20]:
        print(f"  not found: {item['path']}")
    if len(report.missing) > 20:
        print(f"  … and {len(report.missing) - 20} more (see `loupe check`)")


def _run(args: argparse.Namespace) -> int:
    stop = threading.Event()  # Ctrl+C: the export stops at its next image or stage, and writes nothing
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        with Project.open(args.project, read_only=True) as project:  # exporting changes nothing
            check_export_output(project, args.format, args.out)  # before a model loads
            report = export(
                project,
                args.format,
                args.out,
                args.run_id,
                on_progress=(lambda event: None) if args.json else _notice,
                should_stop=stop.is_set,
            )
    except Cancelled as exc:
        return fail(str(exc), EXIT_CANCELLED)
    finally:
        signal.signal(signal.SIGINT, previous)
    if args.json:
        print_json(report.to_json())
    elif report.run is not None:
        _print_model(report)
    else:
        _print_labels(report)
    return 0


EXPORT = Command(
    "export",
    "export the labels (a CSV, or class folders) or a run's model (Hugging Face, ONNX)",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
