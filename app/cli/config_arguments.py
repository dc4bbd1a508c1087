"""Command-line flags made from a config dataclass: every field becomes `--field-name`, with its
type, default and help text, so a new option needs no hand-written flag."""

from __future__ import annotations

import argparse
import types
import typing
from dataclasses import MISSING, fields


def _base_type(annotation) -> type:
    hints = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else ()
    candidates = [h for h in hints if h is not type(None)] or [annotation]
    return candidates[0]


def add_config_arguments(
    parser: argparse.ArgumentParser,
    config_class,
    skip: tuple[str, ...] = (),
    required: tuple[str, ...] = (),
    more_help: dict[str, str] | None = None,
) -> None:
    """`more_help[name]` is added to a field's help text (e.g. what each choice costs)."""
    hints = typing.get_type_hints(config_class)
    for field in fields(config_class):
        if field.name in skip:
            continue
        flag = "--" + field.name.replace("_", "-")
        default = field.default if field.default is not MISSING else None
        help_text = " ".join(filter(None, (field.metadata.get("help", ""), (more_help or {}).get(field.name))))
        help_text = help_text.replace("%", "%%")  # argparse formats help with %
        kind = _base_type(hints[field.name])
        if kind is bool:
            parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=default, help=help_text)
        elif field.name in required:
            parser.add_argument(flag, type=kind, required=True, help=help_text)
        else:
            parser.add_argument(flag, type=kind, default=default, help=f"{help_text} (default: {default})")
        if "off" in field.metadata:  # `--no-augment` for `--augment none`
            off = field.metadata["off"]
            parser.add_argument(
                "--no-" + field.name.replace("_", "-"),
                dest=field.name,
                action="store_const",
                const=off,
                help=f"the same as {flag} {off}",
            )


def config_from_arguments(args: argparse.Namespace, config_class, **overrides):
    values = {f.name: getattr(args, f.name) for f in fields(config_class) if hasattr(args, f.name)}
    values.update(overrides)
    return config_class(**values)
