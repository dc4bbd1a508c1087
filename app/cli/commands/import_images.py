"""`loupe import PROJECT PATH... [--labels-from-folders] [--json]`, and whole slides and scenes cut
into tiles: `loupe import PROJECT SOURCE... --tiles SIZE [--mpp M | --level L] [--min-tissue F]`."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_json_flag
from app.cli.commands.tile_arguments import add_tile_arguments, refuse_tile_options, tile_options
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
    parser.add_argument(
        "--frames",
        default="each",
        metavar="WHICH",
        help="a multi-frame DICOM's frames: 'each' (every frame an image, the default), 'first', or a frame number (0-based)",
    )
    add_tile_arguments(
        parser,
        "whole slides and scenes (cut into tiles; each tile an image)",
        "cut each file into tiles of SIZE pixels",
    )
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
    if args.tiles is not None:
        return _run_tiles(args)
    refuse_tile_options(args)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl+C: stop cleanly
    bar = _ProgressBar(enabled=sys.stderr.isatty())
    try:
        with Project.open(args.project) as project:
            project.require_writable()
            report = import_paths(
                project,
                args.paths,
                ImportOptions(labels_from_folders=args.labels_from_folders, workers=args.workers, frames=args.frames),
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


class _TileBar(ProgressBar):
    def __init__(self, enabled: bool):
        super().__init__(enabled, "Tiles", "tile")

    def __call__(self, event) -> None:  # a TileProgress
        label = f"{event.source} ({event.sources_done + 1}/{event.sources_total})"
        self.update(event.done, event.total, label, added=event.added)


def _run_tiles(args: argparse.Namespace) -> int:
    from app.core.sources.tile_import import import_sources

    if args.labels_from_folders:
        raise ConfigError("--labels-from-folders does not apply to tiles: label tiles in the window or by class")
    if args.frames != "each":
        raise ConfigError("--frames is for multi-frame DICOM files; it does not apply with --tiles")
    options = tile_options(args)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = _TileBar(enabled=sys.stderr.isatty())
    try:
        with Project.open(args.project) as project:
            project.require_writable()
            report = import_sources(project, args.paths, options, bar, stop.is_set, args.workers)
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    status = EXIT_CANCELLED if report.cancelled else 1 if report.rejected and not report.sources else 0
    if args.json:
        print_json(with_absolute_paths(report.to_json(), project.paths.root))
        return status
    for source in report.sources:
        resolution = f"{source.tile_mpp:.2f} µm/px" if source.tile_mpp else f"level {source.level}"
        print(
            f"{source.path}: {source.kind} {source.width}×{source.height}, {source.tiles_added} tiles added "
            f"({source.tile_size} px at {resolution}), {source.tiles_unchanged} already in the project, "
            f"{source.skipped_background} skipped as {'background' if source.kind == 'slide' else 'no data'}, "
            f"{source.tiles_per_second:.0f} tiles/s"
        )
        if source.moved_from:
            print(f"  found moved from {source.moved_from}: its tiles and their labels follow it")
        if source.unreadable:
            print(
                f"  {source.unreadable} tiles could not be read and were left out (the first: {source.unreadable_reason})"
            )
    print(
        ("Import cancelled: " if report.cancelled else "Imported: ")
        + f"{len(report.sources)} source{'s' if len(report.sources) != 1 else ''}, {report.tiles_added} tiles added, "
        f"{report.skipped_background} skipped as background, {len(report.rejected)} rejected"
    )
    print_problems("Rejected files", report.rejected, "reason")
    return status


IMPORT = Command(
    "import",
    "import image files and folders into a project",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),  # ImportInputError: a path that does not exist
)
