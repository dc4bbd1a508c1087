"""`loupe check-labels PROJECT [--model REF | --run ID] [-n N] [--json]`

The labels that look wrong, most suspicious first: the window's Check labels queue. Each labelled
image gets probabilities from a linear probe fitted without it (k-fold, on cached image
features), and confident learning (cleanlab) flags the labels those probabilities doubt. The score
is the out-of-fold probability of the given label (lower: more suspicious). Labels kept in the
window's review are left out until they change.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_feature_source_arguments, add_json_flag, feature_source
from app.cli.commands.models import download_first
from app.cli.output import EXIT_CANCELLED, model_reference, print_json, with_absolute_paths
from app.cli.progress import ProgressBar
from app.core.errors import Cancelled, ConfigError, plural
from app.core.project.store import Project


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("-n", type=int, default=None, help="show at most this many (default: every flagged label)")
    add_feature_source_arguments(parser)
    parser.add_argument("--seed", type=int, default=0, help="random seed of the folds")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    if args.n is not None and args.n < 1:
        raise ConfigError(f"-n must be at least 1 (got {args.n})")
    if args.seed < 0:
        raise ConfigError(f"--seed must be at least 0 (got {args.seed})")
    from app.core.labelling.browse import image_paths
    from app.core.quality.label_errors import CheckProgress, check_labels

    source = feature_source(args)
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    enabled = sys.stderr.isatty() or not args.json
    features, fits = ProgressBar(enabled, "Image features", "img"), ProgressBar(enabled, "Checking labels", "fit")

    def show(event) -> None:
        if isinstance(event, CheckProgress):
            features.close()
            fits.update(event.done, event.total)
        else:
            features.update(event.done, event.total)

    try:
        cancelled = download_first(args.model, stop.is_set, enabled=enabled)  # a preset not here yet
        if cancelled is not None:
            return cancelled
        with Project.open(args.project) as project:
            result = check_labels(project, source, args.n, show, stop.is_set, args.device, args.seed)
            paths = image_paths(project, [i.image_id for i in result.issues] + list(result.unreadable))
            root = project.paths.root
    except Cancelled as exc:
        print(f"loupe: {exc}; the image features computed so far are kept", file=sys.stderr)
        return EXIT_CANCELLED
    finally:
        features.close()
        fits.close()
        signal.signal(signal.SIGINT, previous)
    rows = [
        {
            "image": issue.image_id,
            "path": paths[issue.image_id],
            "given": issue.given_name,
            "suggested": issue.suggested_name,
            "score": round(issue.score, 6),
            "suggested_probability": round(issue.suggested_probability, 6),
        }
        for issue in result.issues
    ]
    if args.json:
        print_json(
            with_absolute_paths(
                {
                    "source": model_reference(result.source),
                    "checked": result.checked,
                    "folds": result.folds,
                    "kept": result.kept,
                    "small_classes": result.small_classes,
                    "not_checked": result.not_checked,
                    "issues": rows,
                    "unreadable": [
                        {"image": image_id, "path": paths.get(image_id), "reason": reason}
                        for image_id, reason in result.unreadable.items()
                    ],
                },
                root,
            )
        )
        return 0
    verb = "looks" if len(rows) == 1 else "look"
    print(
        f"{plural(len(rows), 'label')} {verb} wrong among {plural(result.checked, 'labelled image')} "
        f"(features from {result.source}, {result.folds}-fold); score = out-of-fold probability of the given label"
    )
    for row in with_absolute_paths(rows, root):
        print(f"  {row['score']:.3f}  {row['given']} -> {row['suggested']}  {row['path']}")
    if result.kept:
        print(f"{plural(result.kept, 'label')} you kept in an earlier review are left out")
    if result.small_classes:
        small = ", ".join(f"{name} ({count})" for name, count in result.small_classes.items())
        print(f"Not checked, too few labels: {small}")
    if result.not_checked:
        print(f"{plural(result.not_checked, 'labelled image')} could not be read (see `loupe check`)")
    return 0


CHECK_LABELS = Command(
    "check-labels",
    "list the labels that look wrong, most suspicious first",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
