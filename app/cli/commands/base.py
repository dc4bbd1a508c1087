"""What a command is: a name, its arguments, and a function from parsed arguments to an exit code."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    #: Exceptions that mean "the arguments were wrong" (exit 2) rather than "it failed" (exit 1).
    bad_argument_errors: tuple[type[Exception], ...] = ()


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
