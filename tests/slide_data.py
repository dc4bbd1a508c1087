"""Synthetic whole slides for the source overview's tests and screenshots: a pyramidal tiled TIFF
(three levels, 0.25 µm per pixel, JPEG tiles) with pink tissue blobs on white glass."""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Where the blobs of `write_slide` are, as (centre x, centre y, radius) shares of the width.
BLOBS = ((0.28, 0.40, 0.17), (0.68, 0.55, 0.21), (0.50, 0.88, 0.07))
#: Where `write_slide(..., tumour=True)` paints denser, darker tissue inside the blobs (same form).
TUMOUR = ((0.70, 0.50, 0.10), (0.22, 0.34, 0.07))


def _inside(blobs, xs, ys, width: int, height: int, seed: int) -> np.ndarray:
    hit = np.zeros(xs.shape, bool)
    for cx, cy, r in blobs:
        wobble = 1 + 0.08 * np.sin(np.arctan2(ys - cy * height, xs - cx * width) * 5 + seed)
        hit |= np.hypot(xs - cx * width, ys - cy * height) < r * width * wobble
    return hit


def is_tumour(x: float, y: float, width: int, height: int, seed: int = 0) -> bool:
    """Whether level-0 point (x, y) of a `tumour=True` slide is in its tumour."""
    xs, ys = np.array([[x]], np.float32), np.array([[y]], np.float32)
    return bool(_inside(TUMOUR, xs, ys, width, height, seed)[0, 0])


def slide_pixels(width: int, height: int, seed: int = 0, tumour: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    tissue = _inside(BLOBS, xs, ys, width, height, seed)
    data = np.full((height, width, 3), 245, np.uint8)
    stain = np.array([214, 120, 170], np.float32)
    shade = rng.normal(0, 12, (height, width, 1)).astype(np.float32)
    nuclei = (np.sin(xs / 7.0) * np.sin(ys / 9.0) > 0.8)[:, :, None] * np.array([-90, -40, -30], np.float32)
    data[tissue] = np.clip(stain + shade + nuclei, 0, 255)[tissue].astype(np.uint8)
    if tumour:
        cells = (np.sin(xs / 4.0 + np.sin(ys / 11.0)) * np.sin(ys / 5.0) > 0.3)[:, :, None]
        dense = np.array([150, 70, 160], np.float32) + shade + cells * np.array([-90, -50, -40], np.float32)
        where = tissue & _inside(TUMOUR, xs, ys, width, height, seed)
        data[where] = np.clip(dense, 0, 255)[where].astype(np.uint8)
    return data


def write_slide(
    path: Path, width: int = 2048, height: int = 1536, seed: int = 0, mpp: float = 0.25, tumour: bool = False
) -> Path:
    """A pyramidal TIFF of `slide_pixels` (levels 1, 1/2, 1/4) that says its µm per pixel."""
    import tifffile

    path.parent.mkdir(parents=True, exist_ok=True)
    data = slide_pixels(width, height, seed, tumour)
    options = dict(tile=(256, 256), compression="jpeg", photometric="rgb")
    with tifffile.TiffWriter(path) as tif:
        tif.write(data, subifds=2, resolution=(1e4 / mpp, 1e4 / mpp), resolutionunit="CENTIMETER", **options)
        tif.write(data[::2, ::2], subfiletype=1, **options)
        tif.write(data[::4, ::4], subfiletype=1, **options)
    return path


def slide_project(folder: Path, classes=("tumour", "stroma"), labelled: int = 12) -> tuple[Path, Path]:
    """A project with one slide (`write_slide`) cut into 128 px tiles at full resolution, and its
    first `labelled` tiles (in row order) labelled class 1, 2, 1, 2…; the project and slide paths."""
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels
    from app.core.project.store import Project
    from app.core.sources.tile_import import import_sources
    from app.core.sources.tiling import TileOptions

    slide = write_slide(folder / "slides" / "slide.tif")
    path = folder / "slides.loupe"
    with Project.create(path) as project:
        ids = [add_class(project, name).id for name in classes]
        import_sources(project, [slide], TileOptions(size=128, level=0, min_tissue=0.5), workers=2)
        tiles = [row[0] for row in project.conn.execute("SELECT id FROM images ORDER BY tile_y, tile_x")]
        set_labels(project, [(tile, ids[i % len(ids)]) for i, tile in enumerate(tiles[:labelled])])
    return path, slide
