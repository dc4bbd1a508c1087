"""The `loupe` command line: every command is a thin wrapper over one core call.

Exit status: 0 on success (an import with some rejected files is a success), 2 for bad
arguments, 1 for failures; errors are one line on stderr, never a traceback (set LOUPE_DEBUG=1
to see one).
"""

from __future__ import annotations

import argparse
import logging
import os
import sqlite3
import sys
import traceback
from pathlib import Path

from app import __version__
from app.cli.commands import COMMANDS
from app.cli.output import EXIT_BAD_ARGUMENTS, EXIT_CANCELLED, EXIT_FAILURE, escape_unprintable_names, fail
from app.core.errors import LoupeError
from app.core.project.schema import is_schema_damage
from app.core.project.store import ProjectPaths, damaged_message, project_file
from app.core.user_folders import user_data_dir


class _Parser(argparse.ArgumentParser):
    """Bad arguments are one line too (argparse would print its usage first), exit status 2."""

    def error(self, message: str):
        self.exit(
            EXIT_BAD_ARGUMENTS,
            f"loupe: error: {self.prog.removeprefix('loupe').strip() or 'loupe'}: "
            f"{message} (see `{self.prog} --help`)\n",
        )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="loupe",
        description="Label images, train a classifier on your own machine, and classify in batch.",
    )
    parser.add_argument("--version", action="version", version=f"loupe {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS.values():
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run, bad_argument_errors=command.bad_argument_errors)
    return parser


#: Libraries that log on their own (tifffile warns about every odd tag of a TIFF corpus).
LIBRARY_LOGGERS = ("tifffile", "pydicom", "PIL", "py.warnings")
#: Loupe's own loggers (`app.core.inference.engines`: "onnxruntime not used … predicting with
#: PyTorch"): worth keeping for a bug report, but not the user's terminal, where Python's
#: last-resort handler would print them between a command's lines.
LOUPE_LOGGER = "app"


def log_file() -> Path:
    """Where the command line logs: the user's data folder (`~/.local/share/loupe` on Linux, the
    platform's application-data folder elsewhere)."""
    return user_data_dir() / "loupe-cli.log"


#: The handler `send_library_logs_to_file` installed last: replaced, not added to, when `main`
#: runs again in the same process (tests, scripts), so no record is written twice.
_installed: logging.Handler | None = None


def send_library_logs_to_file() -> None:
    """Library warnings and Loupe's own log records go to Loupe's log, not the user's terminal
    (errors that matter reach the user as Loupe's own one-line messages). The file opens only
    when something is logged. Loupe's loggers keep propagating: the root logger has no handler
    in the command line (the file handler here keeps the last-resort one quiet), and one that a
    host program or a test adds still sees them."""
    global _installed
    logging.captureWarnings(True)
    try:
        path = log_file()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, delay=True, encoding="utf-8", errors="backslashreplace")
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    for name in (*LIBRARY_LOGGERS, LOUPE_LOGGER):
        logger = logging.getLogger(name)
        if _installed is not None:
            logger.removeHandler(_installed)
        logger.addHandler(handler)
        if name != LOUPE_LOGGER:
            logger.propagate = False
    if _installed is not None:
        _installed.close()
    _installed = handler


def main(argv: list[str] | None = None) -> int:
    escape_unprintable_names()
    send_library_logs_to_file()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args) or 0
    except args.bad_argument_errors as exc:
        return fail(str(exc), EXIT_BAD_ARGUMENTS)
    except LoupeError as exc:
        return fail(str(exc), EXIT_FAILURE)
    except sqlite3.DatabaseError as exc:  # damage found after the project opened
        if not getattr(args, "project", None) or (
            isinstance(exc, sqlite3.OperationalError) and not is_schema_damage(exc)
        ):
            return _unexpected(exc)  # "database is locked" is an OperationalError too: not damage
        return fail(damaged_message(ProjectPaths(project_file(args.project)), exc), EXIT_FAILURE)
    except KeyboardInterrupt:
        return fail("interrupted", EXIT_CANCELLED)
    except Exception as exc:  # a bug: still one line, unless debugging
        return _unexpected(exc)


def _unexpected(exc: Exception) -> int:
    if os.environ.get("LOUPE_DEBUG"):
        traceback.print_exc()
    return fail(f"unexpected error: {type(exc).__name__}: {exc}", EXIT_FAILURE)


if __name__ == "__main__":
    sys.exit(main())
