"""How commands talk: JSON on stdout with --json, words otherwise, errors as one stderr line."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from app.core.file_names import shown

EXIT_FAILURE = 1
EXIT_BAD_ARGUMENTS = 2
#: Stopped by the user (Ctrl+C): what the work got to is kept. 128 + SIGINT, as shells report it.
EXIT_CANCELLED = 130


def fail(message: str, status: int) -> int:
    """The error as ONE line on stderr, whatever a file name in it holds (a newline, a tab)."""
    line = shown(message).replace("\r", "\\r").replace("\n", "\\n")
    print(f"loupe: error: {line}", file=sys.stderr)
    return status


def escape_unprintable_names() -> None:
    """A last guard for words printed without `shown` (a path in a summary line): a name's
    bytes that are not UTF-8 are written escaped rather than failing the command after its work."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def print_json(document: dict) -> None:
    """`document` as JSON on stdout, valid UTF-8 whatever the file names in it: a name's bytes
    that are not UTF-8 appear as `\\xNN` (`file_names.shown`), as the project stores them."""
    json.dump(_shown_text(document), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def _shown_text(document):
    """Every string of `document` (keys too) through `shown`."""
    if isinstance(document, str):
        return shown(document)
    if isinstance(document, dict):
        return {_shown_text(key): _shown_text(value) for key, value in document.items()}
    if isinstance(document, list | tuple):
        return [_shown_text(value) for value in document]
    return document


#: Keys whose values are image paths as the project stores them (relative to its folder).
PATH_KEYS = ("path", "duplicate_of", "old_path", "was")


def with_absolute_paths(document, root: Path):
    """`document` with every stored image path made absolute: a script can use it as given,
    from any working folder."""
    if isinstance(document, dict):
        return {
            key: os.path.abspath(root / value)
            if key in PATH_KEYS and isinstance(value, str)
            else with_absolute_paths(value, root)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [with_absolute_paths(value, root) for value in document]
    return document


def model_reference(ref: str) -> str:
    """A model as JSON names it: a folder made absolute (every path in JSON is), a preset or hub
    id as given."""
    folder = Path(ref).expanduser()
    return os.path.abspath(folder) if folder.is_dir() else ref


def print_problems(title: str, items: list[dict], detail_key: str, limit: int = 20) -> None:
    """A short list of files with their reasons (rejected) or originals (duplicates)."""
    if not items:
        return
    print(f"{title} ({len(items)}):")
    for item in items[:limit]:
        print(f"  {shown(item['path'])}: {shown(str(item[detail_key]))}")
    if len(items) > limit:
        print(f"  … and {len(items) - limit} more (see `loupe info --json`)")
