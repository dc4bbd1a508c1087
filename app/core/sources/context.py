"""A tile's neighbourhood: the region around it, read at the tile's own scale.

A pathologist judges a tile by what surrounds it (the edge of a gland, the margin of a tumour),
so the viewer shows the tile inside its neighbourhood. The region is the tile grown by `margin`
tiles on every side, read from the same level and shrunk by the same factor as the tile, so the
tile sits in it pixel for pixel; beyond the source's edge is glass (or no data).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from PIL import Image

from app.core.imaging import DecodeOptions
from app.core.imaging.part_paths import TileRegion, split_part
from app.core.imaging.slides import read_tile

#: Tiles of neighbourhood on each side of the tile.
CONTEXT_MARGIN = 0.5


@dataclass
class TileContext:
    """The neighbourhood picture and where the tile lies in it (pixels of the picture)."""

    image: Image.Image
    tile_left: int
    tile_top: int
    tile_width: int
    tile_height: int


def tile_context(
    path: str | os.PathLike, options: DecodeOptions = DecodeOptions(), margin: float = CONTEXT_MARGIN
) -> TileContext | None:
    """The neighbourhood of the tile a path names (None: the path names no tile)."""
    region = split_part(path).tile
    if region is None:
        return None
    grow_x, grow_y = round(region.width * margin), round(region.height * margin)
    scale = region.size / max(region.width, region.height)
    around = TileRegion(
        region.level,
        region.x - grow_x,
        region.y - grow_y,
        region.width + 2 * grow_x,
        region.height + 2 * grow_y,
        round(max(region.width + 2 * grow_x, region.height + 2 * grow_y) * scale),
    )
    picture = read_tile(split_part(path).file, around, options)
    return TileContext(
        picture.rgb,
        round(grow_x * scale),
        round(grow_y * scale),
        round(region.width * scale),
        round(region.height * scale),
    )
