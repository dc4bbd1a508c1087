"""`loupe export PROJECT --format labels-csv|imagefolder --out PATH [--json]`"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json
from app.core.errors import ConfigError
from app.core.export import EXPORTERS, export
from app.core.project import Project

_HELP = {
    "labels-csv": "a CSV of the labels (absolute path, class, source, when)",
    "imagefolder": "the labelled images in one folder per class (hard links where possible, else copies)",
}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("--format", required=True, choices=list(EXPORTERS),
                        help="; ".join(f"{name}: {_HELP.get(name, '')}" for name in EXPORTERS))  # fmt: skip
    parser.add_argument("--out", type=Path, required=True, help="the file (labels-csv) or folder (imagefolder) to write")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    with Project.open(args.project, read_only=True) as project:  # exporting changes nothing
        report = export(project, args.format, args.out)
    if args.json:
        print_json(report.to_json())
        return 0
    how = f" ({report.linked} linked, {report.copied} copied)" if args.format == "imagefolder" else ""
    print(f"Exported {report.images} labelled images{how} to {report.out}")
    for item in report.missing[:20]:
        print(f"  not found: {item['path']}")
    if len(report.missing) > 20:
        print(f"  … and {len(report.missing) - 20} more (see `loupe check`)")
    return 0


EXPORT = Command("export", "export the labels: a CSV, or the labelled images in one folder per class",
                 _add_arguments, _run, bad_argument_errors=(ConfigError,))  # fmt: skip
