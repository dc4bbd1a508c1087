"""`loupe import PROJECT PATH... [--labels-from-folders] [--json]`"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import EXIT_CANCELLED, print_json, print_problems, with_absolute_paths
from app.cli.progress import ProgressBar
from app.core.errors import ConfigError
from app.core.project.store import Project


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files and folders (recursive)")
    parser.add_argument(
        "--labels-from-folders",
        action="store_true",
        help="use each image's parent folder name as its class (created if needed)",
    )
    parser.add_argument("--workers", type=int, default=None, help="decoding threads (default: CPU cores)")
    add_json_flag(parser)


class _ProgressBar(ProgressBar):
    """A counter while scanning, then a bar with rate and ETA."""

    def __init__(self, enabled: bool):
        super().__init__(enabled, "Scanning", "file")

    def __call__(self, event) -> None:  # an ImportProgress
        total = event.total if event.phase == "importing" else None
        self.update(event.done, total, event.phase.capitalize(), added=event.added, rejected=event.rejected)


def _run(args: argparse.Namespace) -> int:
    from app.core.importing.importer import ImportOptions, import_paths  # the decoders load only for this command

    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers must be at least 1 (got {args.workers})")
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl+C: stop cleanly
    bar = _ProgressBar(enabled=sys.stderr.isatty())
    try:
        with Project.open(args.project) as project:
            project.require_writable()
            report = import_paths(
                project,
                args.paths,
                ImportOptions(labels_from_folders=args.labels_from_folders, workers=args.workers),
                on_progress=bar,
                should_stop=stop.is_set,
            )
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    status = EXIT_CANCELLED if report.cancelled else 0  # as a cancelled training run ends
    if args.json:
        print_json(with_absolute_paths(report.to_json(), project.paths.root))
        return status
    parts = [
        f"{report.added} added",
        f"{len(report.duplicates)} duplicates",
        f"{report.skipped} skipped",
        f"{len(report.rejected)} rejected",
    ]
    if report.unchanged:
        parts.append(f"{report.unchanged} already in the project")
    if report.labelled:
        parts.append(f"{report.labelled} labelled from folder names")
    print(("Import cancelled: " if report.cancelled else "Imported: ") + ", ".join(parts))
    for merge in report.merged:
        print(f"Folder '{merge['folder']}' joined the class '{merge['class']}' (class names ignore case)")
    print_problems("Rejected files", report.rejected, "reason")
    print_problems("Duplicates (not added again)", report.duplicates, "duplicate_of")
    return status


IMPORT = Command(
    "import",
    "import image files and folders into a project",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),  # ImportInputError: a path that does not exist
)
