"""What the window's source overview reads: a source's tiles with their labels and the active run's
predictions, the part of the source in view at the resolution the screen needs, and the tiles an
import would keep at a given tissue share (before anything is imported).

    states = tile_states(project, source_id, run_id)     # columns, one entry per tile
    pixels = view_region(file, level, x, y, width, height)   # RGB uint8 for the screen
    preview = tile_preview(file)                         # overview and mask, read once
    preview.kept(TileOptions(size=224, min_tissue=0.3))  # which whole tiles would be kept

Columns (numpy arrays) instead of one object per tile: a slide has 100,000 tiles, and the window
colours and hit-tests them all at once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import numpy as np

from app.core.imaging.slides import SlideSource, cached_source, open_source, source_rgb
from app.core.project.store import Project
from app.core.sources.masks import Mask, Overview, overview, reduced_region, source_mask
from app.core.sources.tile_import import SLIDE_SUFFIXES
from app.core.sources.tiling import TileGeometry, TileOptions, grid, kept_tiles, tile_geometry

#: Stands for "no class" in the label and prediction columns.
NONE = -1


@dataclass
class TileStates:
    """A source's tiles as columns: image id, level-0 region, label and prediction (NONE when
    there is none) and the prediction's confidence (0 when none)."""

    source_id: int
    image_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    x: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    y: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    width: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    height: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    labels: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    predicted: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    confidence: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def __len__(self) -> int:
        return len(self.image_ids)

    def index_of(self, image_id: int | None) -> int | None:
        """The row of an image id, None when it is not a tile of this source."""
        if image_id is None or not len(self):
            return None
        found = np.flatnonzero(self.image_ids == image_id)
        return int(found[0]) if len(found) else None

    def at(self, x: float, y: float) -> int | None:
        """The row of the tile under level-0 point (x, y), None between tiles. Where tiles of
        two cuts overlap, the smaller (the finer cut) wins."""
        inside = (self.x <= x) & (x < self.x + self.width) & (self.y <= y) & (y < self.y + self.height)
        rows = np.flatnonzero(inside)
        if not len(rows):
            return None
        return int(rows[np.argmin(self.width[rows] * self.height[rows])])

    def set_labels(self, changes: dict[int, int | None]) -> bool:
        """Apply {image id: class id or None}; True when a tile of this source changed."""
        if not changes or not len(self):
            return False
        ids = np.fromiter(changes.keys(), dtype=np.int64, count=len(changes))
        hit = np.isin(self.image_ids, ids)
        if not hit.any():
            return False
        for row in np.flatnonzero(hit):
            value = changes[int(self.image_ids[row])]
            self.labels[row] = NONE if value is None else value
        return True

    def counts(self, column: str) -> dict[int, int]:
        """Tiles per class in `column` ("labels" or "predicted")."""
        values = getattr(self, column)
        classes, counts = np.unique(values[values != NONE], return_counts=True)
        return dict(zip(classes.tolist(), counts.tolist()))


def tile_states(project: Project, source_id: int, run_id: int | None = None) -> TileStates:
    """Every tile of a source, with its label and `run_id`'s prediction."""
    rows = project.conn.execute(
        "SELECT i.id, i.tile_x, i.tile_y, i.tile_w, i.tile_h, l.class_id, p.class_id, p.confidence"
        " FROM images i LEFT JOIN labels l ON l.image_id = i.id"
        " LEFT JOIN predictions p ON p.image_id = i.id AND p.run_id = ?"
        " WHERE i.source_id = ? ORDER BY i.tile_y, i.tile_x",
        (run_id if run_id is not None else -1, source_id),
    ).fetchall()
    if not rows:
        return TileStates(source_id)
    table = np.array([[NONE if v is None else v for v in row[:7]] for row in rows], dtype=np.int64)
    confidence = np.array([row[7] or 0.0 for row in rows], dtype=np.float32)
    return TileStates(source_id, *(table[:, i].copy() for i in range(7)), confidence)


def source_of(project: Project, image_id: int) -> int | None:
    """The source an image is a tile of (None: an ordinary image, or gone)."""
    row = project.conn.execute("SELECT source_id FROM images WHERE id = ?", (image_id,)).fetchone()
    return row[0] if row else None


def view_level(source: SlideSource, level0_per_pixel: float) -> int:
    """The coarsest level still at least as fine as the screen needs (level-0 pixels per screen
    pixel): what a viewer reads to show the source sharp without reading more than it shows."""
    finer = [i for i, level in enumerate(source.levels) if level.downsample <= max(level0_per_pixel, 1.0) * 1.01]
    return max(finer, key=lambda i: source.levels[i].downsample) if finer else 0


#: The most pixels `view_region` reads at once (a side): a view is a screen, not a level.
MAX_VIEW_SIDE = 4096


def view_region(
    file: str | os.PathLike, level0_per_pixel: float, x: int, y: int, width: int, height: int
) -> tuple[np.ndarray, int]:
    """The level-0 region (x, y, width, height) of a source as RGB uint8, read from the level
    that `level0_per_pixel` needs (`view_level`), and that level. At most MAX_VIEW_SIDE pixels a
    side are read: a wider region is read from a coarser level."""
    source = cached_source(file)
    level = view_level(source, max(level0_per_pixel, max(width, height) / MAX_VIEW_SIDE))
    downsample = source.levels[level].downsample
    across, down = max(1, round(width / downsample)), max(1, round(height / downsample))
    step = -(-max(across, down) // MAX_VIEW_SIDE)  # > 1 only when no level is coarse enough
    if step == 1:
        samples = source.read_region(level, int(x), int(y), across, down)
    else:
        samples = reduced_region(source, level, int(x), int(y), across, down, step)
    return source_rgb(source, samples), level


@dataclass
class TilePreview:
    """A source before import: its overview (RGB), its tissue or valid-data mask, and what the
    file says (kind, size, µm per pixel, levels), to choose how to cut it."""

    path: str
    kind: str
    width: int
    height: int
    mpp: float | None
    levels: tuple  # imaging.slides.Level per level
    rgb: np.ndarray  # the overview, H×W×3 uint8
    mask: Mask
    source: SlideSource  # closed: its facts only (tile_geometry needs its levels and mpp)
    view: Overview | None = None  # the overview's samples, to make the mask again at another threshold

    @property
    def downsample(self) -> float:
        return self.mask.downsample

    def geometry(self, options: TileOptions) -> TileGeometry:
        return tile_geometry(self.source, options)

    def mask_for(self, threshold: float | None) -> Mask:
        """The mask at a tissue `threshold` (None: the automatic one, made when read)."""
        if threshold is None or self.view is None:
            return self.mask
        return source_mask(self.source, self.view, threshold)

    def kept(self, options: TileOptions) -> tuple[np.ndarray, np.ndarray, TileGeometry]:
        """The whole tiles of the cut `options` ask for, as (x, y, side) rows in level-0 pixels,
        whether each would be kept, and the geometry; as `plan_tiles` decides it."""
        mask = self.mask_for(options.tissue_threshold)
        geometry = tile_geometry(self.source, options)
        corners = grid(self.source, geometry)
        boxes = np.column_stack([corners, np.full(len(corners), geometry.region, dtype=np.int64)])
        return boxes, kept_tiles(mask, corners, geometry.region, options.min_tissue), geometry


def tile_preview(file: str | os.PathLike) -> TilePreview:
    """Read a source's overview and mask once (seconds for a large slide: a worker's job)."""
    with open_source(file) as source:
        view: Overview = overview(source)
        mask = source_mask(source, view)
        rgb = source_rgb(source, view.samples)
    return TilePreview(
        os.fspath(file), source.kind, source.width, source.height, source.mpp, source.levels, rgb, mask, source, view
    )


def is_source_file(path: str | os.PathLike) -> bool:
    """A file to import as tiles rather than as one image: a vendor slide, or a TIFF with a
    pyramid or too large to decode whole (reads the TIFF's header only)."""
    text = os.fspath(path)
    suffix = os.path.splitext(text)[1].lower()
    if suffix in SLIDE_SUFFIXES:
        return os.path.isfile(text)
    if suffix not in (".tif", ".tiff") or not os.path.isfile(text):
        return False
    import tifffile

    from app.core.imaging.options import MAX_PIXELS

    try:
        with tifffile.TiffFile(text) as tif:
            series = tif.series[0]
            shape = dict(zip(series.axes, series.shape))
            return len(series.levels) > 1 or shape.get("Y", 0) * shape.get("X", 0) > MAX_PIXELS
    except Exception:  # noqa: BLE001 - not a TIFF we can read: the ordinary import says why
        return False
