"""`loupe zeroshot PROJECT --model REF [--accept-above P] [--json]`

Zero-shot pre-labels: every unlabelled image's class from the class names (and descriptions)
alone, with a CLIP-family model (a preset such as clip-vit-b32, siglip-b16 or plip, a hub id, or
a folder in transformers' or open_clip's format), and how those classes agree with the labels
already made. `--accept-above P` labels every image whose confidence is at least P (0..1) with its
zero-shot class, as one undoable action with the source `zero-shot`.

JSON: `model`, `templates`, `agreement` (`labelled`, `correct`, `accuracy`, `classes`),
`predictions` (list of `{image, path, class, confidence}`, most confident first), `accepted`,
`unreadable` (list of `{image, path, reason}`).
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_json_flag
from app.cli.commands.models import download_first
from app.cli.output import EXIT_CANCELLED, model_reference, print_json, with_absolute_paths
from app.cli.progress import ProgressBar
from app.core.errors import Cancelled, ConfigError
from app.core.project.store import Project
from app.core.training.config import DEVICES
from app.core.training.presets import ZERO_SHOT


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument(
        "--model",
        required=True,
        help="a zero-shot model: a preset (clip-vit-b32, siglip-b16, plip…; `loupe models` lists them), "
        "a hub id, or a folder in transformers' CLIP/SigLIP or open_clip's format",
    )
    parser.add_argument(
        "--template",
        action="append",
        dest="templates",
        metavar="TEXT",
        help="a prompt with {} for the class, e.g. 'a satellite image of {}' (repeat for several; "
        "default: the project's templates)",
    )
    parser.add_argument(
        "--accept-above",
        type=float,
        default=None,
        metavar="P",
        help="label every unlabelled image whose zero-shot confidence is at least P (0..1), as one undoable action",
    )
    parser.add_argument("--device", default="cpu", choices=DEVICES, help="where the model runs (default: cpu)")
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    if args.accept_above is not None and not 0 <= args.accept_above <= 1:
        raise ConfigError(f"--accept-above is a confidence between 0 and 1 (got {args.accept_above})")
    templates = None
    if args.templates:
        from app.core.zeroshot.prompts import check_templates

        try:
            templates = check_templates(args.templates)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
    from app.core.zeroshot.accept import accept_zero_shot
    from app.core.zeroshot.prompts import templates_for
    from app.core.zeroshot.scoring import run_zero_shot

    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = ProgressBar(sys.stderr.isatty() or not args.json, "Zero-shot", "img")
    accepted = 0
    try:
        cancelled = download_first(args.model, stop.is_set, enabled=bar.enabled, task=ZERO_SHOT)
        if cancelled is not None:
            return cancelled
        with Project.open(args.project) as project:
            templates = templates or templates_for(project)
            result = run_zero_shot(
                project,
                args.model,
                templates,
                args.device,
                lambda event: bar.update(event.done, event.total) if event.total else None,
                stop.is_set,
            )
            paths = dict(project.conn.execute("SELECT id, path FROM images"))
            if args.accept_above is not None:
                chosen = {p.image_id: p.class_id for p in result.above(args.accept_above)}
                accepted = len(accept_zero_shot(project, chosen).image_ids)
            root = project.paths.root
    except Cancelled as exc:
        print(f"loupe: {exc}; the image features computed so far are kept", file=sys.stderr)
        return EXIT_CANCELLED
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    rows = [
        {"image": p.image_id, "path": paths[p.image_id], "class": p.class_name, "confidence": round(p.confidence, 6)}
        for p in result.predictions
    ]
    if args.json:
        print_json(
            with_absolute_paths(
                {
                    "model": model_reference(args.model),
                    "templates": templates,
                    "agreement": result.agreement.to_json(),
                    "predictions": rows,
                    "accepted": accepted,
                    "unreadable": [
                        {"image": i, "path": paths.get(i), "reason": reason} for i, reason in result.unreadable.items()
                    ],
                },
                root,
            )
        )
        return 0
    print(f"Zero-shot classes for {len(rows):,} unlabelled images with {args.model}.")
    print(result.agreement.sentence())
    for row in with_absolute_paths(rows, root):
        print(f"  {row['path']}  {row['class']}  {row['confidence']:.0%}")
    if args.accept_above is not None:
        print(f"Accepted {accepted:,} zero-shot labels at {args.accept_above:.0%} or more (undo in the window).")
    if result.unreadable:
        print(f"{len(result.unreadable)} images could not be read (see `loupe check`)")
    return 0


ZEROSHOT = Command(
    "zeroshot",
    "pre-label unlabelled images from the class names with a CLIP-family model",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
