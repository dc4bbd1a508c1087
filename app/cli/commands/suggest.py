"""`loupe suggest PROJECT [--strategy NAME] [-n N] [--model REF | --run ID] [--json]`

The next images worth labelling, most useful first, with why: the same refresh the window's
Suggested queue makes (image features cached in the project cache, a linear head refitted on
every label, the unlabelled images rescored), recorded as a round of the project's history.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_feature_source_arguments, add_json_flag, feature_source
from app.cli.commands.models import download_first
from app.cli.output import EXIT_CANCELLED, print_json, with_absolute_paths
from app.cli.progress import ProgressBar
from app.core.active.acquisition import DEFAULT_STRATEGY, STRATEGIES, get_strategy
from app.core.errors import Cancelled, ConfigError
from app.core.project.store import Project


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    strategies = " · ".join(f"{s.name}: {s.explanation}" for s in STRATEGIES.values())
    parser.add_argument(
        "--strategy", default=DEFAULT_STRATEGY, help=f"how to choose (default: {DEFAULT_STRATEGY}). {strategies}"
    )
    parser.add_argument("-n", type=int, default=20, help="how many images to suggest (default: 20)")
    add_feature_source_arguments(parser)
    parser.add_argument("--seed", type=int, default=0, help="random seed (ties, random picks, clusters)")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    get_strategy(args.strategy)  # a typo fails before any model loads
    if args.n < 1:
        raise ConfigError(f"-n must be at least 1 (got {args.n})")
    if args.seed < 0:  # numpy's generators take none below 0
        raise ConfigError(f"--seed must be at least 0 (got {args.seed})")
    from app.core.active.history import stopping_advice
    from app.core.active.suggest import suggest

    source = feature_source(args)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = ProgressBar(sys.stderr.isatty() or not args.json, "Image features", "img")
    try:
        cancelled = download_first(args.model, stop.is_set, enabled=bar.enabled)  # a preset not here yet
        if cancelled is not None:
            return cancelled
        with Project.open(args.project) as project:
            result = suggest(
                project,
                args.strategy,
                args.n,
                source,
                lambda event: bar.update(event.done, event.total),
                stop.is_set,
                args.device,
                args.seed,
            )
            advice = stopping_advice(project)
            root = project.paths.root
    except Cancelled as exc:
        print(f"loupe: {exc}; the image features computed so far are kept", file=sys.stderr)
        return EXIT_CANCELLED
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    refresh = result.refresh
    rows = [{**s.to_json(), "path": result.paths[s.image_id]} for s in refresh.suggestions]
    if args.json:
        print_json(
            with_absolute_paths(
                {
                    "strategy": refresh.strategy,
                    "source": result.source,
                    "labels": refresh.labels,
                    "unlabelled": refresh.unlabelled,
                    "estimated_accuracy": refresh.estimated_accuracy,
                    "validation_images": refresh.validation_images,
                    "changed_share": refresh.changed_share,
                    "advice": advice.sentence,
                    "suggestions": rows,
                    "unreadable": [
                        {"image": image_id, "reason": reason} for image_id, reason in result.unreadable.items()
                    ],
                },
                root,
            )
        )
        return 0
    used = STRATEGIES[refresh.strategy]
    fallback = (
        f" (asked for {args.strategy}: no model yet, fewer than two classes labelled)"
        if refresh.strategy != args.strategy
        else ""
    )
    print(
        f"{len(rows)} suggestions by {used.name}{fallback}, features from {result.source}; "
        f"{refresh.labels} labelled, {refresh.unlabelled} unlabelled"
    )
    for row in with_absolute_paths(rows, root):
        print(f"  {row['path']}  ({row['reason']})")
    if refresh.estimated_accuracy is not None:
        print(
            f"Estimated accuracy {refresh.estimated_accuracy:.1%} on {refresh.validation_images} validation images. "
            + advice.sentence
        )
    if result.unreadable:
        print(f"{len(result.unreadable)} images could not be read (see `loupe check`)")
    return 0


SUGGEST = Command(
    "suggest", "suggest the next images worth labelling", _add_arguments, _run, bad_argument_errors=(ConfigError,)
)
