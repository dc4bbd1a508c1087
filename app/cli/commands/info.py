"""`loupe info PROJECT [--json]`"""

from __future__ import annotations

import argparse

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json, print_problems, with_absolute_paths
from app.core.errors import plural
from app.core.project.store import Project
from app.core.project.summary import summarize


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        summary = summarize(project)
    if args.json:
        print_json(with_absolute_paths(summary.to_json(), project.paths.root))
        return 0
    print(f"{project.file.name}: {summary.images} images, {summary.labelled} labelled")
    if summary.missing or summary.changed:
        print(
            f"  {summary.missing} missing, {summary.changed} changed since import "
            "(as last checked: `loupe check` looks again, `loupe relink` finds moved files)"
        )
    width = max((len(name) for name in summary.classes), default=0)
    for name, count in summary.classes.items():
        print(f"  {name:<{width}}  {count}")
    if summary.near_duplicates["groups"]:
        found = summary.near_duplicates
        print(
            f"Near-duplicates: {found['images']} images in {plural(found['groups'], 'group')} (kept on one side of the split)"
        )
    if summary.sources:
        print(f"Slides and scenes ({len(summary.sources)}), cut into tiles:")
        for source in summary.sources:
            print(
                f"  {source['path']}: {source['kind']} {source['width']}×{source['height']}, "
                f"{plural(source['tiles'], 'tile')} ({source['labelled']} labelled), {source['skipped']} skipped as {'background' if source['kind'] == 'slide' else 'no data'}"
            )
    print_problems("Rejected files", summary.rejected, "reason")
    print_problems("Duplicates (not added again)", summary.duplicates, "duplicate_of")
    return 0


INFO = Command("info", "show what a project holds", _add_arguments, _run)
