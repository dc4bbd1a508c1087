"""The registry of commands: each module defines one `Command`, listed here by name."""

from __future__ import annotations

from app.cli.commands.base import Command
from app.cli.commands.check import CHECK, RELINK
from app.cli.commands.check_labels import CHECK_LABELS
from app.cli.commands.export import EXPORT
from app.cli.commands.import_images import IMPORT
from app.cli.commands.info import INFO
from app.cli.commands.machine import MACHINE
from app.cli.commands.models import MODELS
from app.cli.commands.new import NEW
from app.cli.commands.predict import PREDICT
from app.cli.commands.runs import RUNS
from app.cli.commands.simulate import SIMULATE
from app.cli.commands.suggest import SUGGEST
from app.cli.commands.train import TRAIN
from app.cli.commands.zeroshot import ZEROSHOT

COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        NEW,
        IMPORT,
        INFO,
        CHECK,
        RELINK,
        TRAIN,
        RUNS,
        SUGGEST,
        PREDICT,
        SIMULATE,
        EXPORT,
        MODELS,
        ZEROSHOT,
        CHECK_LABELS,
        MACHINE,
    )
}
