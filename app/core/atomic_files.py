"""Files and folders written whole or not at all: written under a temporary name beside the
target, flushed to disk, then renamed to it. A failure halfway (a full disk, a bad value in row
90,000, Ctrl+C) removes the temporary file and leaves the target as it was; two writers never
share a temporary name. A process killed outright (kill -9, a power cut) leaves its temporary
`.NAME.xxxx.partial` beside the target: the next write of the same target removes it.

What is written gets the permissions any other tool would give it (0666 or 0777 less the
user's umask), not the owner-only ones of a temporary file.
"""

from __future__ import annotations

import glob
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeVar

#: What temporary names end with (model folders being saved carry it too).
PARTIAL = ".partial"

T = TypeVar("T")


def current_umask() -> int:
    """The process's umask. Linux says it in /proc without changing it; elsewhere it is read by
    setting it and putting it back (as every Python tool does)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def give_usual_permissions(path: Path) -> None:
    """0666 (files) or 0777 (folders) less the umask, as `open()` and `mkdir` would have made them."""
    if os.name != "posix":
        return
    base = 0o777 if stat.S_ISDIR(os.lstat(path).st_mode) else 0o666
    os.chmod(path, base & ~current_umask())


def _temporary_prefix(out: Path) -> str:
    return f".{out.name}."


def remove_leftovers(out: Path) -> list[Path]:
    """Delete what a killed writer of `out` left beside it (`.NAME.xxxx.partial` files and
    folders); returns them."""
    removed = []
    if out.parent.is_dir():
        for leftover in out.parent.glob(f"{glob.escape(_temporary_prefix(out))}*{PARTIAL}"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


@contextmanager
def written_whole(out: str | os.PathLike, newline: str | None = "", encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file to write `out` through (its folder is made if needed)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    descriptor, temporary = tempfile.mkstemp(prefix=_temporary_prefix(out), suffix=PARTIAL, dir=out.parent)
    try:
        with os.fdopen(descriptor, "w", newline=newline, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        give_usual_permissions(Path(temporary))
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def written_folder(out: Path, write: Callable[[Path], T]) -> T:
    """`write(folder)` into a temporary folder beside `out` (new, or an empty folder), then the
    folder renamed to `out`; anything raised (Ctrl+C too) removes the temporary folder and
    leaves `out` as it was. Returns what `write` returned."""
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    temporary = Path(tempfile.mkdtemp(prefix=_temporary_prefix(out), suffix=PARTIAL, dir=out.parent))
    try:
        result = write(temporary)
        give_usual_permissions(temporary)
        if out.exists():
            out.rmdir()  # empty (checked before): a folder cannot be renamed over another on every system
        os.rename(temporary, out)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return result
