"""Where the tiles of a slide or scene are: their size, the level they are read from, the grid.

    plan = plan_tiles(source, TileOptions(size=224, mpp=0.5, min_tissue=0.5))
    plan.tiles        # TileRegions kept (level-0 coordinates), row by row
    plan.skipped      # tiles left out as background (glass) or no data

Tiles of `size` pixels at the resolution asked for: `mpp` (µm per pixel, when the file says its
own) or a pyramid `level` (default: full resolution). They are read from the finest level no
coarser than asked and shrunk, so a tile at 0.5 µm/px from a 0.25 µm/px scan reads 448 level-0
pixels. The grid does not overlap and keeps whole tiles only (a partial tile at the right and
bottom edges is left out, as QuPath's tiler does without padding). The same plan serves import
and `loupe predict --tiles`, so a map's tiles are the project's tiles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from app.core.errors import ImageError
from app.core.imaging.part_paths import TileRegion
from app.core.imaging.slides import SlideSource
from app.core.sources import MIN_TISSUE
from app.core.sources.masks import Mask, Overview, overview, source_mask


@dataclass(frozen=True)
class TileOptions:
    size: int = field(default=224, metadata={"help": "Tile side in pixels, as the model sees it."})
    mpp: float | None = field(
        default=None, metadata={"help": "Microns per pixel of the tiles (the file must say its own)."}
    )
    level: int | None = field(default=None, metadata={"help": "Pyramid level to cut (0 = full resolution)."})
    min_tissue: float = field(
        default=MIN_TISSUE,
        metadata={"help": "Share of a tile that must be tissue (slides) or valid data (scenes); 0 keeps every tile."},
    )

    tissue_threshold: float | None = field(
        default=None,
        metadata={
            "help": "Colour saturation (0 to 1) above which a slide's pixel is tissue; default: Otsu's "
            "threshold on the slide (at least 0.06). Scenes ignore it (their nodata value decides)."
        },
    )

    def check(self) -> None:
        if not 16 <= self.size <= 4096:
            raise ValueError(f"a tile of {self.size} pixels: choose a size from 16 to 4096")
        if self.mpp is not None and self.level is not None:
            raise ValueError("choose the tiles' resolution by microns per pixel or by level, not both")
        if self.mpp is not None and not 0 < self.mpp <= 1000:
            raise ValueError(f"{self.mpp} µm per pixel is not a resolution (it must be above 0)")
        if not 0 <= self.min_tissue <= 1:
            raise ValueError(f"the tissue share must be from 0 to 1, not {self.min_tissue}")
        if self.tissue_threshold is not None and not 0 <= self.tissue_threshold < 1:
            raise ValueError(f"the tissue threshold is a saturation from 0 to 1, not {self.tissue_threshold}")


@dataclass(frozen=True)
class TileGeometry:
    level: int  # the level tiles are read from
    region: int  # a tile's side in level-0 pixels
    size: int  # a tile's side as shown
    mpp: float | None  # µm per pixel of the tiles, when known


@dataclass
class TilePlan:
    geometry: TileGeometry
    tiles: list[TileRegion]
    skipped: int  # whole tiles left out as background or no data
    overview: Overview
    mask: Mask


def tile_geometry(source: SlideSource, options: TileOptions) -> TileGeometry:
    """The level and level-0 size of tiles at the resolution `options` ask for."""
    options.check()
    if options.mpp is not None:
        if source.mpp is None:
            raise ImageError(
                "this file does not say its pixel size (µm per pixel), so tiles cannot be cut by "
                "microns; choose a pyramid level instead (--level)"
            )
        downsample = options.mpp / source.mpp
    elif options.level is not None:
        if not 0 <= options.level < len(source.levels):
            raise ImageError(
                f"this file has {len(source.levels)} level{'s' if len(source.levels) > 1 else ''} "
                f"(0 to {len(source.levels) - 1}); there is no level {options.level}"
            )
        downsample = source.levels[options.level].downsample
    else:
        downsample = 1.0
    region = max(1, round(options.size * downsample))
    finer = [i for i, level in enumerate(source.levels) if level.downsample <= downsample * 1.01]
    level = max(finer, key=lambda i: source.levels[i].downsample) if finer else 0
    mpp = source.mpp * region / options.size if source.mpp else None
    return TileGeometry(level, region, options.size, mpp)


def grid(source: SlideSource, geometry: TileGeometry) -> np.ndarray:
    """Every whole tile of the source, row by row, as (x, y) rows in level-0 pixels: an array, not
    objects (small tiles of a large slide are millions, most of them glass)."""
    step = geometry.region
    xs = np.arange(0, source.width - step + 1, step, dtype=np.int64)
    ys = np.arange(0, source.height - step + 1, step, dtype=np.int64)
    return np.column_stack([np.tile(xs, len(ys)), np.repeat(ys, len(xs))])


def kept_tiles(mask: Mask, corners: np.ndarray, side: int, min_tissue: float) -> np.ndarray:
    """Which tiles (`corners`, `side` level-0 pixels) the mask keeps at `min_tissue`: at least
    that share tissue or valid data, and some; every tile at 0."""
    keep = np.ones(len(corners), dtype=bool)
    if min_tissue <= 0:
        return keep
    for start in range(0, len(corners), _CHUNK):  # a million at a time: memory stays small
        part = corners[start : start + _CHUNK]
        shares = mask.shares(np.column_stack([part, np.full((len(part), 2), side)]))
        keep[start : start + _CHUNK] = (shares >= min_tissue) & (shares > 0)
    return keep


_CHUNK = 1_000_000


def plan_tiles(source: SlideSource, options: TileOptions, view: Overview | None = None) -> TilePlan:
    """The tiles to keep, and the overview and mask that decided it."""
    geometry = tile_geometry(source, options)
    view = view or overview(source)
    mask = source_mask(source, view, options.tissue_threshold)
    corners = grid(source, geometry)
    if not len(corners):
        raise ImageError(
            f"the image ({source.width}×{source.height}) is smaller than one tile "
            f"({geometry.region} pixels at full resolution); choose smaller tiles or a finer resolution"
        )
    keep = kept_tiles(mask, corners, geometry.region, options.min_tissue)
    side = geometry.region
    kept = [TileRegion(geometry.level, int(x), int(y), side, side, geometry.size) for x, y in corners[keep]]
    return TilePlan(geometry, kept, len(corners) - len(kept), view, mask)
