"""Files written whole or not at all: a temporary file beside the target, flushed to disk, then
renamed over it. A failure halfway (a full disk, a bad value in row 90,000, Ctrl+C) removes the
temporary file and leaves the target as it was; two writers never share a temporary name."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def written_whole(out: str | os.PathLike, newline: str | None = "", encoding: str = "utf-8") -> Iterator[IO[str]]:
    """A text file to write `out` through (its folder is made if needed)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent)
    try:
        with os.fdopen(descriptor, "w", newline=newline, encoding=encoding) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
