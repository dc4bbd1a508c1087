"""`loupe machine [--json]`: where Loupe trains on this machine (the CUDA GPU with its memory,
Apple MPS, or the CPU) and where it keeps downloaded models and caches — the window's first-run
note (app/gui/first_run.py), for a machine without a screen."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from app.cli.commands.base import Command, add_json_flag
from app.cli.output import print_json


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    from app.core.hub import bytes_text
    from app.core.hub.cache import cache_folder
    from app.core.training.machine import machine_facts  # loads torch

    facts = machine_facts(cache_folder())
    if args.json:
        print_json({key: str(value) if key.endswith("folder") else value for key, value in asdict(facts).items()})
        return 0
    memory = bytes_text(facts.memory_bytes) if facts.memory_bytes else "unknown memory"
    device = {
        "cuda": f"CUDA GPU {facts.name} ({memory})",
        "mps": f"Apple MPS (sharing {memory})",
        "cpu": f"CPU {facts.name} ({facts.threads} threads, {memory}); no GPU found: the linear probe "
        "takes seconds to minutes, the adapters tens of minutes, a full fine-tune hours",
    }[facts.device]
    print(f"Trains on:         {device}")
    print(f"Downloaded models: {facts.models_folder}")
    print(f"Caches:            {facts.cache_folder}")
    print(f"Error log:         {facts.data_folder}")
    return 0


MACHINE = Command(
    "machine", "say where training runs on this machine and where models and caches live", _add_arguments, _run
)
