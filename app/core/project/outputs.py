"""Where Loupe may write what a user asked for, checked before any work starts.

    out = check_output(args.out, CSV_FILE, project.paths)      # OutputError: one line, nothing done

Every output of a command or of the window (a predictions or labels CSV, an exported folder, a
simulation's folder) goes through this check first, so that a slip of the keyboard can never
replace the project file with a CSV, write into its cache or models folder, overwrite an image
or another project, or be found unwritable only after an hour of classifying. An output is
refused when it is:

- the project file, its SQLite companions (`-wal`, `-shm`, `-journal`), its lock or its backups,
  or anything inside its cache or models folder (compared after symbolic links are followed, and
  as the same file when it is a hard link);
- an existing file of another kind: a file output replaces only a file of its own kind (a CSV
  over a CSV, never over an image, a `.loupe` project or a folder); a folder output is new or an
  empty folder;
- not a regular file (a FIFO or a device would block or swallow the output);
- in a folder that cannot be written (permissions, a read-only file system).
"""

from __future__ import annotations

import glob
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError
from app.core.project.store import ProjectPaths

#: How many bytes of an existing file are read to tell a text file from anything else.
_SNIFF_BYTES = 4096
_SQLITE_MAGIC = b"SQLite format 3\x00"


class OutputError(ConfigError):
    """An output path that must not be written (a bad argument: exit 2), said in one line."""


@dataclass(frozen=True)
class OutputKind:
    """What an output is: a text file of one kind (the suffixes an existing file may have to be
    replaced), or a folder (new or empty)."""

    what: str  # "a CSV file", "a folder": for messages
    folder: bool = False
    suffixes: tuple[str, ...] = ()


CSV_FILE = OutputKind("a CSV file", suffixes=(".csv",))
NEW_FOLDER = OutputKind("a new or empty folder", folder=True)


def project_parts(paths: ProjectPaths) -> dict[Path, str]:
    """Every path that belongs to the project, with what it is (for the message)."""
    wal, shm = paths.sqlite_companions
    parts = {
        paths.file: "project file",
        wal: "write-ahead log (it holds the latest labels)",
        shm: "SQLite index",
        paths.file.with_name(paths.file.name + "-journal"): "SQLite journal",
        paths.lock_file: "lock file",
        paths.file.with_name(paths.file.name + "-cache"): "cache folder",
        paths.cache_dir: "cache folder",
        paths.models_dir: "models folder",
    }
    parts.update({backup: "backup" for backup in paths.file.parent.glob(f"{glob.escape(paths.file.name)}.v*.bak")})
    return parts


def _real(path: Path) -> Path:
    """The path links resolved, its case folded where the file system ignores case (Windows;
    macOS's default), so `P.LOUPE-WAL` is the project's log there too."""
    real = os.path.normcase(os.path.realpath(path))
    return Path(real.casefold() if sys.platform == "darwin" else real)


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _check_not_project_part(out: Path, paths: ProjectPaths) -> None:
    real_out = _real(out)
    for part, what in project_parts(paths).items():
        real_part = _real(part)
        inside = what.endswith("folder") and _is_within(real_out, real_part)
        same = real_out == real_part or (out.exists() and part.exists() and os.path.samefile(out, part))
        if same or inside:
            where = "inside the project's" if inside and real_out != real_part else "the project's"
            raise OutputError(f"{out} is {where} {what}; choose another path for the output")


def _looks_like_text(path: Path) -> bool:
    with open(path, "rb", opener=_nonblocking_opener) as f:
        head = f.read(_SNIFF_BYTES)
    return not head.startswith(_SQLITE_MAGIC) and b"\x00" not in head


def _nonblocking_opener(path, flags):
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _check_existing(out: Path, kind: OutputKind) -> None:
    if not os.path.lexists(out):
        return
    if kind.folder:
        if out.is_symlink():
            raise OutputError(f"{out} is a symbolic link; give the folder itself ({os.path.realpath(out)})")
        if not out.is_dir():
            raise OutputError(f"{out} is a file; give {kind.what} for this output")
        if any(out.iterdir()):
            raise OutputError(f"{out} is not an empty folder; choose a new or empty one")
        return
    if out.is_dir():
        raise OutputError(f"{out} is a folder; give the path of {kind.what} (e.g. {out / 'out.csv'})")
    if not out.is_file():
        raise OutputError(f"{out} is not a regular file (a pipe or a device); give the path of {kind.what}")
    if out.suffix.lower() not in kind.suffixes or not _looks_like_text(out):
        raise OutputError(
            f"{out} already exists and is not {kind.what}; Loupe replaces only {kind.what}, choose another path"
        )


def _check_writable(out: Path) -> None:
    """The first folder on the way to `out` that exists must be one Loupe can write in."""
    folder = out.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise OutputError(f"cannot write {out}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write {out}: the folder {folder} is not writable (permissions or a read-only disk)")


def check_output(out: str | os.PathLike, kind: OutputKind, project: ProjectPaths | None = None) -> Path:
    """`out` as an absolute path once it is safe to write as `kind`; OutputError otherwise.
    A check, not a lock: the writer still writes whole or not at all (`atomic_files`)."""
    out = Path(os.path.abspath(os.path.expanduser(os.fspath(out))))
    if project is not None:
        _check_not_project_part(out, ProjectPaths(Path(os.path.abspath(project.file))))
    _check_existing(out, kind)
    _check_writable(out)
    return out
