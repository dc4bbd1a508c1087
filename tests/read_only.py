"""A folder Loupe cannot write, made for real: owner-only permissions taken away for a normal
user; for root (whom permissions do not stop, as in CI containers), a tmpfs mounted read-only
over it. Skips the test only where neither can be made."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def read_only_copy(source: Path, parent: Path) -> Iterator[Path]:
    """A copy of the folder `source` under `parent` that cannot be written while the context lasts."""
    target = parent / f"read-only-{uuid.uuid4().hex[:8]}"
    if os.geteuid() != 0:
        shutil.copytree(source, target)
        modes = _take_write_permission(target)
        try:
            yield target
        finally:
            for path, mode in modes:
                os.chmod(path, mode)
        return
    target.mkdir()
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", str(target)], capture_output=True
    ).returncode:
        pytest.skip("cannot make a read-only folder here (not allowed to mount a tmpfs as root)")
    try:
        shutil.copytree(source, target, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True, capture_output=True)
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _take_write_permission(folder: Path) -> list[tuple[Path, int]]:
    modes = []
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode & 0o7777
        modes.append((path, mode))
    for path, mode in reversed(modes):
        os.chmod(path, mode & ~0o222)
    return modes
