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
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TypeVar

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; a leftover is removed whatever its age
    fcntl = None

#: What temporary names end with (model folders being saved carry it too).
PARTIAL = ".partial"

T = TypeVar("T")


def current_umask() -> int:
    """The process's umask. Linux says it in /proc without changing it; elsewhere it is the one
    read when this module was imported (reading it means setting it and putting it back, which
    must not race other threads creating files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return _UMASK_AT_START


def _read_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK_AT_START = _read_umask()


def give_usual_permissions(path: Path) -> None:
    """0666 (files) or 0777 (folders) less the umask, as `open()` and `mkdir` would have made them."""
    if os.name != "posix":
        return
    base = 0o777 if stat.S_ISDIR(os.lstat(path).st_mode) else 0o666
    os.chmod(path, base & ~current_umask())


def _temporary_prefix(out: Path) -> str:
    return f".{out.name}."


def remove_leftovers(out: Path) -> list[Path]:
    """Delete what a killed writer of `out` left beside it (`.NAME.xxxxxxxx.partial` files and
    folders, exactly as `tempfile` names them); returns them. One still being written by another
    process (its writer holds a lock on it) is left alone, and so is one this user may not delete."""
    removed = []
    if not out.parent.is_dir():
        return removed
    pattern = re.compile(re.escape(_temporary_prefix(out)) + r"[a-z0-9_]{8}" + re.escape(PARTIAL))
    for leftover in out.parent.glob(f"{glob.escape(_temporary_prefix(out))}*{PARTIAL}"):
        if not pattern.fullmatch(leftover.name) or leftover.is_symlink():
            continue
        try:
            with _held(leftover, wait=False) as held:
                if not held:
                    continue  # another writer's, in progress
                if leftover.is_dir():
                    shutil.rmtree(leftover)
                else:
                    leftover.unlink()
        except OSError:
            continue
        removed.append(leftover)
    return removed


@contextmanager
def _held(path: Path, wait: bool = True) -> Iterator[bool]:
    """An exclusive lock on the file or folder `path` while the context lasts (True), or False
    when another process holds it and `wait` is False. Where there are no such locks (Windows),
    always True."""
    if fcntl is None:
        yield True
        return
    descriptor = os.open(path, os.O_RDONLY)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(descriptor)  # the lock goes with it (and with the process, however it ends)


@contextmanager
def written_whole(
    out: str | os.PathLike, newline: str | None = "", encoding: str = "utf-8", binary: bool = False
) -> Iterator[IO]:
    """A text file (a binary one with `binary`) to write `out` through (its folder is made if
    needed)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    descriptor, temporary = tempfile.mkstemp(prefix=_temporary_prefix(out), suffix=PARTIAL, dir=out.parent)
    try:
        if fcntl is not None:  # says "being written" to another writer's `remove_leftovers`
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        text = {} if binary else {"newline": newline, "encoding": encoding}
        with os.fdopen(descriptor, "wb" if binary else "w", **text) as f:
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
        with _held(temporary):  # says "being written" to another writer's `remove_leftovers`
            result = write(temporary)
            give_usual_permissions(temporary)
            if out.exists():
                out.rmdir()  # empty (checked before): a folder cannot be renamed over another on every system
            os.rename(temporary, out)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return result
