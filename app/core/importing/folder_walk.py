"""The one walk of folders: import, relink and classify all find files the same way.

Hidden files and folders are left out, and so are a project's own folders (`NAME.loupe-cache`,
`NAME.loupe-models`) wherever they lie, so a project kept beside its images never imports or
classifies its own thumbnails and models. Folders are walked in sorted order, so two runs over
the same tree see the same files in the same order.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError
from app.core.project.store import Project

#: Folder names a walk never enters, besides hidden ones: a project's cache and models.
OWN_FOLDER_SUFFIXES = (".loupe-cache", ".loupe-models")


class ImportInputError(ConfigError):
    """A path given to import, relink or classify that does not exist (a bad argument)."""


def is_hidden(name: str) -> bool:
    return name.startswith(".")


def check_roots(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The given files and folders as absolute paths; ImportInputError if none, or one is absent."""
    roots = [Path(os.path.abspath(p)) for p in paths]
    if not roots:
        raise ImportInputError("nothing to import: give at least one file or folder")
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise ImportInputError(f"no such file or folder: {', '.join(missing)}")
    return roots


def walk_files(
    root: Path, on_error: Callable[[OSError], None] = lambda error: None
) -> Iterator[tuple[Path, list[str], int]]:
    """(folder, its visible file names sorted, how many hidden files it has) for `root` and every
    folder below it that a walk enters; a folder that cannot be listed goes to `on_error`."""
    for folder, dirs, files in os.walk(root, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not is_hidden(d) and not d.endswith(OWN_FOLDER_SUFFIXES))
        visible = sorted(name for name in files if not is_hidden(name))
        yield Path(folder), visible, len(files) - len(visible)


@dataclass(frozen=True)
class Candidate:
    """A file to import or relink, and the name of its folder (its label, when labels come from
    folder names)."""

    path: Path
    folder_label: str


def scan_files(project: Project, roots: list[Path], on_found: Callable[[int], None]) -> tuple[list[Candidate], int]:
    """Every file under `roots` (recursively, by the one folder walk) that may be an image; the
    project's own files are skipped. Returns (candidates, files skipped)."""
    candidates: list[Candidate] = []
    skipped = 0
    for root in roots:
        if root.is_file():
            candidates.append(Candidate(root, root.parent.name))
            continue
        for folder, names, hidden in walk_files(root):
            skipped += hidden
            for name in names:
                if name.startswith(project.paths.file.name):
                    skipped += 1
                    continue
                candidates.append(Candidate(folder / name, folder.name))
            on_found(len(candidates))
    return candidates, skipped
