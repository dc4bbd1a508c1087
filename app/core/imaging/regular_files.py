"""Opening a file to read it without ever waiting on it: only regular files are read.

    with open_regular(path) as stream: ...        # NotRegularFile (an OSError) for anything else

A named pipe (FIFO) among the images makes a plain `open()` wait for a writer that never comes,
in a thread Ctrl+C cannot reach: `loupe import` and `loupe predict` hung on one for ever. A
character device (/dev/zero) never ends. So the file is opened non-blocking (a FIFO opens at
once), asked what it is, and refused unless it is a regular file; every reader of image files
(the decoder, the importer, the hash of a file check, predict's sniffing) opens through here.
The reason reads plainly: "not a regular file (a named pipe)".
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
#: Opened so that nothing can wait: O_NONBLOCK lets a FIFO open without a writer.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


class NotRegularFile(OSError):
    """A path that is a FIFO, socket, device or folder where a file to read was expected; its
    `strerror` is the plain reason."""


def not_regular_reason(mode: int) -> str:
    """The reason a file of this `st_mode` is not read, e.g. 'not a regular file (a named pipe)'."""
    kind = next((name for test, name in _KINDS if test(mode)), "of an unknown kind")
    return f"not a regular file ({kind})"


def check_regular(path: str | os.PathLike) -> str:
    """'' when `path` (symbolic links followed) is a regular file, else the reason it is not read
    ('not a regular file (a named pipe)'); an OSError when it cannot be looked at."""
    mode = os.stat(path).st_mode
    return "" if stat.S_ISREG(mode) else not_regular_reason(mode)


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """`path` opened for reading in binary, never blocking; NotRegularFile when it is not a
    regular file, other OSErrors as `open()` raises them. The file object is `open()`'s own (its
    `name` is the path, which tifffile and Pillow read)."""
    return open(path, "rb", opener=_regular_descriptor)


def _regular_descriptor(path: str | os.PathLike, flags: int) -> int:
    descriptor = os.open(path, flags | _FLAGS)
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):  # as open() says it
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        if not stat.S_ISREG(mode):
            raise NotRegularFile(0, not_regular_reason(mode), os.fspath(path))
        if _FLAGS & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(descriptor, True)  # a regular file never blocks: back to the usual mode
        return descriptor
    except BaseException:
        os.close(descriptor)
        raise
