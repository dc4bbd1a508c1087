"""What a command is: a name, its arguments, and a function from parsed arguments to an exit code."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass

from app.core.training.config import DEVICES


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    #: Exceptions that mean "the arguments were wrong" (exit 2) rather than "it failed" (exit 1).
    bad_argument_errors: tuple[type[Exception], ...] = ()


def add_feature_source_arguments(parser: argparse.ArgumentParser) -> None:
    """--model | --run and --device: whose image features a command computes, and where
    (`loupe suggest`, `loupe check-labels`); `feature_source(args)` reads them back."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--model",
        help="compute image features with this backbone (preset, hub id or folder); "
        "default: the active run's model, else the last training settings' model",
    )
    source.add_argument(
        "--run", type=int, dest="run_id", metavar="ID", help="use this run's model for the image features"
    )
    parser.add_argument(
        "--device",
        default=None,
        choices=DEVICES,
        help="where to compute image features (default: the last training settings' device)",
    )


def feature_source(args: argparse.Namespace):
    """The EmbeddingSource `add_feature_source_arguments` asked for; None: the command's default."""
    from app.core.active.pool import EmbeddingSource

    if args.run_id is not None:
        return EmbeddingSource.from_run(args.run_id)
    return EmbeddingSource.from_model(args.model) if args.model else None


def add_json_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout")
