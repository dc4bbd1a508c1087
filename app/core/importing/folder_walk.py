"""The one walk of folders: import, relink and classify all find files the same way.

Hidden files and folders are left out, and so are a project's own folders (`NAME.loupe-cache`,
`NAME.loupe-models`) wherever they lie, so a project kept beside its images never imports or
classifies its own thumbnails and models. Folders are walked in sorted order, so two runs over
the same tree see the same files in the same order.

What is not a regular file (a named pipe, a socket, a device) is listed apart with the reason it
is not read: opening a named pipe waits for a writer for ever, so no caller may treat one as an
image file. The file types come from the folder listing itself (no `stat` per file).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError
from app.core.file_names import shown
from app.core.imaging.formats import looks_like_image_name
from app.core.imaging.regular_files import check_regular, not_regular_reason
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
    missing = [shown(p) for p in roots if not p.exists()]
    if missing:
        raise ImportInputError(f"no such file or folder: {', '.join(missing)}")
    return roots


@dataclass(frozen=True)
class Listing:
    """One folder of a walk: its visible regular files (and links to them) sorted, how many
    hidden files it has, and its visible entries that are not regular files, with the reason
    each is not read ('not a regular file (a named pipe)'), sorted."""

    folder: Path
    files: list[str]
    hidden: int
    not_regular: list[tuple[str, str]]


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _not_regular(entry: os.DirEntry) -> str:
    """'' for a regular file, a link to one or a link that leads nowhere (its reader says why),
    else the reason it is not read. The listing's file type answers, without a `stat`, for
    everything but links and file systems that do not give types."""
    try:
        if entry.is_file():
            return ""
        mode = entry.stat().st_mode
    except OSError:
        return ""
    return not_regular_reason(mode)


def walk_files(root: Path, on_error: Callable[[OSError], None] = lambda error: None) -> Iterator[Listing]:
    """A `Listing` for `root` and every folder below it that a walk enters (depth first, sorted,
    not into linked folders); a folder that cannot be listed goes to `on_error`."""
    stack = [Path(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as listing:
                entries = list(listing)
        except OSError as error:
            on_error(error)
            continue
        files, not_regular, subfolders, hidden = [], [], [], 0
        for entry in entries:
            if _is_folder(entry):
                if not (is_hidden(entry.name) or entry.name.endswith(OWN_FOLDER_SUFFIXES) or entry.is_symlink()):
                    subfolders.append(entry.name)
            elif is_hidden(entry.name):
                hidden += 1
            elif reason := _not_regular(entry):
                not_regular.append((entry.name, reason))
            else:
                files.append(entry.name)
        yield Listing(folder, sorted(files), hidden, sorted(not_regular))
        stack.extend(folder / name for name in sorted(subfolders, reverse=True))


@dataclass(frozen=True)
class Candidate:
    """A file to import or relink, and the name of its folder (its label, when labels come from
    folder names), as text (`file_names.shown`: a folder name that is not UTF-8 is a class name
    all the same). `not_regular` is the reason a named pipe or a device is not read."""

    path: Path
    folder_label: str
    not_regular: str = ""


def scan_files(project: Project, roots: list[Path], on_found: Callable[[int], None]) -> tuple[list[Candidate], int]:
    """Every file under `roots` (recursively, by the one folder walk) that may be an image; the
    project's own files are skipped. A named pipe, socket or device is a candidate with its
    reason when it was given by name or is named as an image (`x.png`), else skipped. Returns
    (candidates, files skipped)."""
    candidates: list[Candidate] = []
    skipped = 0
    for root in roots:
        if root.is_file():
            candidates.append(Candidate(root, shown(root.parent.name)))
            continue
        if not root.is_dir():  # named, and there (`check_roots`), but not a file
            candidates.append(Candidate(root, shown(root.parent.name), _reason_not_read(root)))
            continue
        for listing in walk_files(root):
            skipped += listing.hidden
            label = shown(listing.folder.name)
            for name in listing.files:
                if name.startswith(project.paths.file.name):
                    skipped += 1
                    continue
                candidates.append(Candidate(listing.folder / name, label))
            for name, reason in listing.not_regular:
                if looks_like_image_name(name):
                    candidates.append(Candidate(listing.folder / name, label, reason))
                else:
                    skipped += 1
            on_found(len(candidates))
    return candidates, skipped


def _reason_not_read(path: Path) -> str:
    try:
        return check_regular(path) or "cannot read the file"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"
