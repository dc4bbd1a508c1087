"""`loupe check PROJECT [--json]` and `loupe relink PROJECT FOLDER [--json]`: files deleted,
moved or overwritten since they were imported, and finding moved ones again by their content."""

from __future__ import annotations

import argparse

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json, print_problems, with_absolute_paths
from app.core.errors import ConfigError
from app.core.project.store import Project


def _add_check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    add_json_flag(parser)


def _check(args: argparse.Namespace) -> int:
    from app.core.importing.file_check import check_files

    with Project.open(args.project) as project:
        report = check_files(project)
    if args.json:
        print_json(with_absolute_paths(report.to_json(), project.paths.root))
        return 0
    print(
        f"{report.checked} images checked: {len(report.missing)} missing, {len(report.changed)} changed since import"
        + (f", {report.found_again} found again" if report.found_again else "")
    )
    print_problems(
        "Missing (moved? `loupe relink PROJECT FOLDER` finds them by content)",
        [{**m, "what": "not found"} for m in report.missing],
        "what",
    )
    print_problems(
        "Changed (their labels were given to other pixels: look again)",
        [{**c, "what": "other content"} for c in report.changed],
        "what",
    )
    return 0


def _add_relink_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("folder", help="where the moved images are now (searched recursively)")
    add_json_flag(parser)


def _relink(args: argparse.Namespace) -> int:
    from app.core.sources.relink import relink_everything

    with Project.open(args.project) as project:
        report = relink_everything(project, args.folder)
    if args.json:
        print_json(with_absolute_paths(report.to_json(), project.paths.root))
        return 0
    print(
        f"{len(report.relinked)} images found again ({report.files_looked_at} files looked at); "
        f"{report.still_missing} still missing"
    )
    print_problems("Found", report.relinked, "old_path")
    for source in report.sources:
        print(f"Slide or scene found again: {source['path']} (was {source['was']}; {source['tiles']} tiles follow it)")
    return 0


CHECK = Command("check", "find the images whose files were deleted, moved or changed", _add_check_arguments, _check)
RELINK = Command(
    "relink",
    "find moved images by their content under a folder",
    _add_relink_arguments,
    _relink,
    bad_argument_errors=(ConfigError,),
)
