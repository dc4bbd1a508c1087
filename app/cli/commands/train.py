"""`loupe train PROJECT --model REF [--method linear|lora|full] [--epochs N] ... [--json]`

Runs under `torchrun --nproc_per_node=K -m app train ...` too: every process trains, rank 0
alone writes to the project and prints.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from app.cli.commands.base import Command, add_json_flag
from app.cli.commands.models import download_first
from app.cli.config_arguments import add_config_arguments, config_from_arguments
from app.cli.output import EXIT_CANCELLED, print_json
from app.cli.progress import ProgressBar
from app.core.errors import ConfigError
from app.core.project.settings import active_run
from app.core.project.store import Project
from app.core.training.config import TrainConfig, remember_config
from app.core.training.cost import describe as describe_cost
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.methods import METHODS


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    methods = " · ".join(f"{name}: {info.summary}, {info.cost}" for name, info in METHODS.items())
    add_config_arguments(parser, TrainConfig, required=("model",), more_help={"method": f"Methods — {methods}."})
    add_json_flag(parser)


class _Progress(ProgressBar):
    """A step bar with loss, rate and ETA; one line per epoch with the validation scores."""

    def __init__(self, enabled: bool):
        super().__init__(enabled, "Training", "step")

    def __call__(self, event: object) -> None:
        if isinstance(event, StepProgress):
            self.update(event.step, event.total_steps, loss=f"{event.loss:.3f}", img_s=f"{event.images_per_s:.0f}")
        elif isinstance(event, EpochProgress):
            self.write(
                f"epoch {event.epoch:g}/{event.epochs}: val loss {event.val_loss:.4f}, accuracy "
                f"{event.val_accuracy:.3f}, macro-F1 {event.val_macro_f1:.3f}" + (" *" if event.improved else "")
            )
        elif isinstance(event, Notice):
            self.write(event.text)


def _run(args: argparse.Namespace) -> int:
    config = config_from_arguments(args, TrainConfig).validate()  # before torch loads: a typo fails at once

    from app.core.training import train  # torch and transformers load only for this command
    from app.core.training.active_model import activate_if_better
    from app.core.training.distributed import context_from_env
    from app.core.training.trainer import check_settings

    main_rank = context_from_env().is_main
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl+C: stop after this step
    progress = _Progress(enabled=main_rank and (sys.stderr.isatty() or not args.json))
    try:
        if config.init_from is None:  # a preset or hub id not on this machine: downloaded first, visibly
            cancelled = download_first(config.model, stop.is_set, enabled=progress.enabled)
            if cancelled is not None:
                return cancelled
        with Project.open(args.project, read_only=not main_rank) as project:
            # A setting that cannot work (a run to continue from that is not there, a model folder
            # that cannot load) is exit 2 with the project as it was: not even remembered as the settings.
            check_settings(project, config)
            if main_rank:
                remember_config(project, config)  # the project's training settings, as the window's form keeps them
            result = train(project, config, on_progress=progress, should_stop=stop.is_set)
            activation = (
                activate_if_better(project, result.run)
                if main_rank and result.status == "done" and result.model_dir
                else None
            )
            active = active_run(project)
    finally:
        progress.close()
        signal.signal(signal.SIGINT, previous)
    if not main_rank:
        return 0
    if args.json:
        print_json(
            {
                **result.to_json(),
                "active_run": active,
                "activated": bool(activation and activation.activated),
            }
        )
    else:
        scores = (
            f"accuracy {result.accuracy:.3f}, macro-F1 {result.macro_f1:.3f}"
            if result.accuracy is not None
            else "no validation scores"
        )
        print(
            f"Run {result.run}: {result.status}; {scores}"
            + (f"; model in {result.model_dir}" if result.model_dir else "")
        )
        if result.cost:
            print(f"Cost: {describe_cost(result.cost)}")
        if result.message:
            print(result.message)
        if activation is not None:
            print(activation.sentence(args.project))
    if result.status == "failed":
        print(f"loupe: error: {result.message}", file=sys.stderr)
        return 1
    return EXIT_CANCELLED if result.status == "cancelled" else 0


TRAIN = Command(
    "train",
    "fine-tune a pretrained vision model on the project's labels",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
