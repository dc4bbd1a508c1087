"""Paths that name a part of a file: a tile of a whole slide or scene, a frame of a multi-frame DICOM.

A project image is named by its `path`. An image that is only part of a file keeps the file's
path and says which part after it:

    slides/a.svs::tile(L1,4096,8192,896x896,224)   # level 1, region at level-0 (4096, 8192),
                                                   # 896×896 level-0 pixels, shown at 224×224
    ct/series.dcm::frame(12)                       # the 13th frame (0-based)

Every reader of pixels (training, prediction, thumbnails, heatmaps, zero-shot) calls `decode` with
such a path as with any other; `decode` reads just that part. The suffix is matched exactly at
the end of the name, so an ordinary file whose name happens to contain "::" is still a file.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

_TILE = re.compile(r"^(?P<file>.+)::tile\(L(?P<level>\d+),(?P<x>\d+),(?P<y>\d+),(?P<w>\d+)x(?P<h>\d+),(?P<size>\d+)\)$")
_FRAME = re.compile(r"^(?P<file>.+)::frame\((?P<frame>\d+)\)$")


@dataclass(frozen=True)
class TileRegion:
    """A square (or edge-clipped) region of a source, in level-0 pixels, read at `level` and
    shown `size` pixels across (the longer side)."""

    level: int
    x: int
    y: int
    width: int
    height: int
    size: int

    def suffix(self) -> str:
        return f"::tile(L{self.level},{self.x},{self.y},{self.width}x{self.height},{self.size})"


@dataclass(frozen=True)
class FilePart:
    """The file a path names, and which part of it (neither: the whole file)."""

    file: str
    tile: TileRegion | None = None
    frame: int | None = None

    @property
    def is_part(self) -> bool:
        return self.tile is not None or self.frame is not None


def split_part(path: str | os.PathLike) -> FilePart:
    """The file and the part a (stored or absolute) path names."""
    text = os.fspath(path)
    if "::" not in text:
        return FilePart(text)
    if match := _TILE.match(text):
        values = {key: int(match.group(key)) for key in ("level", "x", "y", "w", "h", "size")}
        region = TileRegion(values["level"], values["x"], values["y"], values["w"], values["h"], values["size"])
        return FilePart(match.group("file"), tile=region)
    if match := _FRAME.match(text):
        return FilePart(match.group("file"), frame=int(match.group("frame")))
    return FilePart(text)


def tile_path(file: str, region: TileRegion) -> str:
    return f"{file}{region.suffix()}"


def frame_path(file: str, frame: int) -> str:
    return f"{file}::frame({frame})"


def file_of(path: str | os.PathLike) -> str:
    """The file itself, without any part: what exists on disk, is checked, moved or relinked."""
    return split_part(path).file


def exists(path: str | os.PathLike) -> bool:
    """Whether the file a path names (the file itself, or the file a tile or frame is part of) is
    there as a regular file."""
    return os.path.isfile(file_of(path))


def short_name(path: str | os.PathLike) -> str:
    """A name to show under a thumbnail: the file's name, and for a part where it lies
    ("biopsy.svs (4096, 8192)", "cine.dcm frame 3"), so tiles of one slide tell apart."""
    part = split_part(path)
    name = os.path.basename(part.file.replace("\\", "/"))
    if part.tile is not None:
        return f"{name} ({part.tile.x}, {part.tile.y})"
    if part.frame is not None:
        return f"{name} frame {part.frame}"
    return name
