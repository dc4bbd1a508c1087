"""`loupe simulate FOLDER --model REF --method M [every train flag] --strategies a,b --initial N
--step N --rounds R --seeds S --out DIR [--json]`

Replays active learning on an already labelled folder (FOLDER/<class>/<images>) so a user can
choose a strategy with their own data: DIR/results.csv (strategy, seed, labels, accuracy,
macro_f1) and DIR/learning_curves.png. The training flags are `loupe train`'s own (made from
TrainConfig), so the simulation trains exactly as the app would.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import threading
from pathlib import Path

from app.cli.commands.base import Command, add_json_flag
from app.cli.config_arguments import add_config_arguments, config_from_arguments
from app.cli.output import EXIT_CANCELLED, fail, print_json
from app.cli.progress import ProgressBar
from app.core.active.acquisition import STRATEGIES
from app.core.active.simulate import SCORERS
from app.core.errors import Cancelled, ConfigError
from app.core.project.outputs import NEW_FOLDER, OutputError, check_output
from app.core.training.config import TrainConfig
from app.core.training.events import Notice
from app.core.training.methods import METHODS


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "folder", help="an already labelled folder: FOLDER/<class>/<images> (the folder names are the truth)"
    )
    methods = " · ".join(f"{name}: {info.summary}, {info.cost}" for name, info in METHODS.items())
    # --init-from names a run of a project; the simulation's projects are its own, made per seed.
    add_config_arguments(
        parser, TrainConfig, skip=("init_from",), required=("model",), more_help={"method": f"Methods — {methods}."}
    )
    strategies = " · ".join(f"{s.name}: {s.explanation}" for s in STRATEGIES.values())
    parser.add_argument(
        "--strategies",
        default=",".join(STRATEGIES),
        help=f"comma-separated strategies to compare (default: all). {strategies}".replace("%", "%%"),
    )
    parser.add_argument(
        "--initial", type=int, default=20, help="random labels to start from, the same for every strategy (default: 20)"
    )
    parser.add_argument("--step", type=int, default=20, help="images each strategy picks per round (default: 20)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of picking and retraining (default: 5)")
    parser.add_argument(
        "--seeds",
        type=int,
        default=3,
        help="repeats with different test splits, starts and training seeds (default: 3)",
    )
    parser.add_argument(
        "--test-fraction",
        type=float,
        default=0.2,
        help="share of each class held out as the test set, never labelled (default: 0.2)",
    )
    parser.add_argument(
        "--mc-passes", type=int, default=None, help="stochastic passes for bald with --scorer model (default: 10)"
    )
    parser.add_argument(
        "--scorer",
        default="head",
        choices=list(SCORERS),
        help="what scores the unlabelled images: "
        + "; ".join(f"{k}: {v}" for k, v in SCORERS.items())
        + " (default: head)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        help="a new or empty folder for results.csv, learning_curves.png and the work projects "
        "(or an earlier simulation's, whose results are replaced)",
    )
    add_json_flag(parser)


class _Progress(ProgressBar):
    """One bar over every training of the simulation; notices above it."""

    def __init__(self, enabled: bool):
        super().__init__(enabled, "Simulating", "training")

    def __call__(self, event: object) -> None:
        from app.core.active.simulate import SimulationProgress

        if isinstance(event, SimulationProgress):
            postfix = (
                dict(strategy=event.strategy, seed=event.seed, labels=event.labels, accuracy=f"{event.accuracy:.3f}")
                if event.strategy
                else {}
            )
            self.update(event.done, event.total, **postfix)
        elif isinstance(event, Notice):
            self.write(event.text)


def summary_lines(rows) -> list[str]:
    """Per strategy: its final budget, mean ± sd of the test accuracy there, and the difference
    from random at that budget."""
    finals: dict[str, tuple[int, list[float]]] = {}
    for row in rows:
        labels, values = finals.get(row.strategy, (-1, []))
        if row.labels > labels:
            finals[row.strategy] = (row.labels, [row.accuracy])
        elif row.labels == labels:
            values.append(row.accuracy)
    width = max([len("strategy"), *map(len, finals)])
    lines = [f"{'strategy':<{width}}  labels  test accuracy      vs random"]
    base = finals.get("random")
    for name, (labels, values) in finals.items():
        mean = statistics.fmean(values)
        sd = statistics.stdev(values) if len(values) > 1 else 0.0
        versus = (
            f"{(mean - statistics.fmean(base[1])) * 100:+.1f} points"
            if base and base[0] == labels and name != "random"
            else ""
        )
        lines.append(f"{name:<{width}}  {labels:>6}  {mean:.3f} ± {sd:.3f}   {versus}".rstrip())
    return lines


#: What a simulation writes in its --out folder; a folder holding only these is an earlier
#: simulation's, which running again in the same place replaces (the work projects included).
SIMULATION_OUTPUTS = {"results.csv": Path.is_file, "learning_curves.png": Path.is_file, "work": Path.is_dir}


def check_out(out: Path) -> Path:
    """The --out folder as an absolute path, checked before any image is read (OutputError: exit
    2): a new or empty folder (`outputs.check_output`), or an earlier simulation's folder, to be
    written again. Anything else there — a file, a project, someone's folder — is refused rather
    than found after an hour of training, or mixed with the results."""
    path = Path(os.path.abspath(os.path.expanduser(out)))
    if path.is_dir() and not path.is_symlink():
        entries = list(path.iterdir())
        if entries and all(SIMULATION_OUTPUTS.get(entry.name, lambda _: False)(entry) for entry in entries):
            if not os.access(path, os.W_OK | os.X_OK):
                raise OutputError(f"cannot write {path}: the folder is not writable (permissions or a read-only disk)")
            return path
    return check_output(path, NEW_FOLDER)


def _run(args: argparse.Namespace) -> int:
    from app.core.active.simulate import check_settings

    config = config_from_arguments(args, TrainConfig).validate()
    strategies = [name.strip() for name in args.strategies.split(",") if name.strip()]
    check_settings(
        strategies, args.initial, args.step, args.rounds, args.seeds, args.test_fraction, args.mc_passes
    )  # exit 2 at once
    out = check_out(args.out)

    from app.cli.learning_curves import write_learning_curves
    from app.core.active.simulate import simulate

    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl+C: stop after this training's step
    progress = _Progress(enabled=sys.stderr.isatty() or not args.json)
    try:
        rows = simulate(
            Path(args.folder),
            config,
            strategies,
            args.initial,
            args.step,
            args.rounds,
            args.seeds,
            out,
            test_fraction=args.test_fraction,
            on_progress=progress,
            should_stop=stop.is_set,
            mc_passes=args.mc_passes,
            scorer=args.scorer,
        )
    except Cancelled:
        progress.close()
        return fail(f"stopped; the rows measured so far are in {out / 'results.csv'}", EXIT_CANCELLED)
    finally:
        progress.close()
        signal.signal(signal.SIGINT, previous)
    plot = write_learning_curves(
        rows, out / "learning_curves.png", title=f"{Path(args.folder).name}: {config.method} on {config.model}"
    )
    results = out / "results.csv"
    if args.json:
        print_json(
            {
                "results": os.path.abspath(results),
                "plot": os.path.abspath(plot),
                "rows": [row.to_json() for row in rows],
            }
        )
        return 0
    print("\n".join(summary_lines(rows)))
    print(f"Results: {results}")
    print(f"Learning curves: {plot}")
    return 0


SIMULATE = Command(
    "simulate",
    "replay active learning on a labelled folder and compare strategies against random",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
