"""`loupe new PROJECT [--classes a,b,c]`"""

from __future__ import annotations

import argparse
import os

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json
from app.core.errors import ConfigError
from app.core.labelling.classes import create_project


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file to create (.loupe is added if missing)")
    parser.add_argument("--classes", default="", help="comma-separated class names, e.g. normal,nodule")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    classes = [name.strip() for name in args.classes.split(",") if name.strip()]
    with create_project(args.project, classes=classes) as project:
        if args.json:
            print_json({"project": os.path.abspath(project.file), "classes": classes})
        else:
            print(f"Created {project.file}" + (f" with classes {', '.join(classes)}" if classes else ""))
    return 0


NEW = Command("new", "create a new project", _add_arguments, _run, bad_argument_errors=(ConfigError,))
