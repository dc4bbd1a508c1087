"""`loupe runs PROJECT [--activate ID] [--json]`

The project's training runs, oldest first, with the one that predicts marked; `--activate`
makes another finished run the active model (what `predict`, `suggest` and `export` use when no
`--run` is given).
"""

from __future__ import annotations

import argparse

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json
from app.core.errors import ConfigError
from app.core.project.settings import active_run
from app.core.project.store import Project
from app.core.training.runs import list_runs


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument(
        "--activate", type=int, metavar="ID", help="make this finished run the active model (used by predict, suggest)"
    )
    add_json_flag(parser)


def _check_model_files(project: Project, run_id: int) -> None:
    """A run whose model folder is damaged is not made active: predict and suggest would fail on
    it later, far from the cause. LoupeError (exit 1), like a run that is not there."""
    from app.core.training.runs import get_run
    from app.core.training.saved_models import check_run_files

    run = get_run(project, run_id, report=False)
    folder = project.paths.root / run.model_dir if run.model_dir else None
    if folder is not None and folder.is_dir():
        check_run_files(run, folder)


def _run(args: argparse.Namespace) -> int:
    if args.activate is not None and args.activate < 1:
        raise ConfigError(f"--activate takes a run number (got {args.activate})")
    with Project.open(args.project, read_only=args.activate is None) as project:
        if args.activate is not None:
            from app.core.training.active_model import activate_run

            _check_model_files(project, args.activate)
            activate_run(project, args.activate)
        runs = list_runs(project, reports=False)
        active = active_run(project)
    rows = [
        {
            "id": run.id,
            "status": run.status,
            "method": run.method,
            "backbone": run.model_ref,
            "accuracy": run.accuracy,
            "macro_f1": run.macro_f1,
            "active": run.id == active,
            "created_at": run.created_at,
        }
        for run in runs
    ]
    if args.json:
        print_json({"active_run": active, "runs": rows})
        return 0
    if args.activate is not None:
        print(f"Run {args.activate} is now the active model.")
    if not runs:
        print("No runs yet: `loupe train PROJECT --model REF` trains one.")
        return 0
    for run in runs:
        marker = "*" if run.id == active else " "
        print(f"{marker} {run.description} · {run.status}")
    print("* the active model" if active is not None else "No run is active: `loupe runs PROJECT --activate ID`.")
    return 0


RUNS = Command(
    "runs", "list training runs; choose the active model", _add_arguments, _run, bad_argument_errors=(ConfigError,)
)
