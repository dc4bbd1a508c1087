"""Synthetic whole slides and scenes, written with tifffile as scanners and GDAL write them.

- `pyramid_slide`: a tiled pyramidal TIFF (levels as SubIFDs, as Philips/OME and tifffile write
  them) with µm per pixel in its resolution tags: pink "tissue" rectangles on white glass.
- `generic_tiff_slide`: the same pixels with levels as plain IFDs, which OpenSlide reads as a
  "generic-tiff" slide.
- `georef_scene`: a 4-band uint16 GeoTIFF (blue, green, red, NIR) in UTM zone 33N with a nodata
  border, the way a clipped satellite scene arrives.
- `sparse_slide`: a large slide written tile by tile from a generator (memory stays small while
  writing), almost all glass.
Pixels are stored losslessly (zlib) so a test can compare a tile with the array it came from.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import tifffile

GLASS = 245
TISSUE = (200, 90, 150)  # an H&E-like pink


def slide_pixels(width: int, height: int, tissue: list[tuple[int, int, int, int]], seed: int = 0) -> np.ndarray:
    """White glass with textured pink `tissue` rectangles (x, y, width, height)."""
    rng = np.random.default_rng(seed)
    data = np.full((height, width, 3), GLASS, np.uint8)
    for x, y, w, h in tissue:
        texture = rng.integers(-30, 30, (h, w, 1))
        data[y : y + h, x : x + w] = np.clip(texture + np.array(TISSUE), 0, 255).astype(np.uint8)
    return data


def _resolution(mpp: float | None) -> dict:
    if mpp is None:
        return {}
    return {"resolution": (1e4 / mpp, 1e4 / mpp), "resolutionunit": "CENTIMETER"}


def pyramid_slide(path: Path, data: np.ndarray, levels: int = 3, mpp: float | None = 0.25) -> Path:
    """`data` at level 0 and halved `levels - 1` times, as SubIFDs."""
    options = {"tile": (128, 128), "compression": "zlib", "photometric": "rgb" if data.ndim == 3 else "minisblack"}
    with tifffile.TiffWriter(path, bigtiff=True) as tif:
        tif.write(data, subifds=levels - 1, **_resolution(mpp), **options)
        for level in range(1, levels):
            step = 2**level
            tif.write(data[::step, ::step], subfiletype=1, **options)
    return path


def generic_tiff_slide(path: Path, data: np.ndarray, levels: int = 3, mpp: float | None = 0.25) -> Path:
    """Levels as IFDs one after another: what OpenSlide's generic-tiff reader expects."""
    options = {"tile": (128, 128), "compression": "zlib", "photometric": "rgb"}
    with tifffile.TiffWriter(path, bigtiff=True) as tif:
        for level in range(levels):
            step = 2**level
            tif.write(data[::step, ::step], subfiletype=1 if level else 0, **_resolution(mpp), **options)
    return path


#: UTM zone 33N, 10 m pixels, upper left corner at (500000, 4000000).
SCENE_EPSG = 32633
SCENE_ORIGIN = (500_000.0, 4_000_000.0)
SCENE_PIXEL = 10.0
NODATA = 0


def scene_pixels(width: int, height: int, border: int, seed: int = 0) -> np.ndarray:
    """4 bands (B, G, R, NIR) of reflectance-like uint16 numbers, `border` pixels of nodata (0)
    around; the left half water (dark, low NIR), the right half vegetation (bright NIR)."""
    rng = np.random.default_rng(seed)
    data = np.zeros((height, width, 4), np.uint16)
    inner = data[border : height - border, border : width - border]
    inner[:] = rng.integers(300, 600, inner.shape)
    half = inner.shape[1] // 2
    inner[:, half:, 3] = rng.integers(3000, 4000, (inner.shape[0], inner.shape[1] - half))
    return data


def georef_scene(path: Path, data: np.ndarray) -> Path:
    x0, y0 = SCENE_ORIGIN
    geokeys = (1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, SCENE_EPSG)
    extratags = [
        (33550, 12, 3, (SCENE_PIXEL, SCENE_PIXEL, 0.0), True),  # ModelPixelScale
        (33922, 12, 6, (0.0, 0.0, 0.0, x0, y0, 0.0), True),  # ModelTiepoint
        (34735, 3, len(geokeys), geokeys, True),  # GeoKeyDirectory
        (42113, 2, None, f"{NODATA}", True),  # GDAL_NODATA
    ]
    tifffile.imwrite(
        path,
        data,
        photometric="minisblack",
        planarconfig="contig",
        tile=(128, 128),
        compression="zlib",
        extratags=extratags,
    )
    return path


def sparse_slide(path: Path, size: int, tissue: tuple[int, int, int, int], tile: int = 512) -> Path:
    """A `size`×`size` pyramid (levels 1/4 and 1/16 too), written tile by tile: glass except one
    `tissue` rectangle (x, y, w, h at level 0). Never holds a level in memory while writing."""
    options = {"tile": (tile, tile), "compression": "zlib", "photometric": "rgb", "dtype": np.uint8}

    def tiles(scale: int):
        side = size // scale
        tx, ty, tw, th = (v // scale for v in tissue)
        glass = np.full((tile, tile, 3), GLASS, np.uint8)
        for top in range(0, side, tile):
            for left in range(0, side, tile):
                if left + tile <= tx or left >= tx + tw or top + tile <= ty or top >= ty + th:
                    yield glass
                    continue
                block = glass.copy()
                ys = slice(max(ty - top, 0), min(ty + th - top, tile))
                xs = slice(max(tx - left, 0), min(tx + tw - left, tile))
                block[ys, xs] = TISSUE
                yield block

    with tifffile.TiffWriter(path, bigtiff=True) as tif:
        tif.write(tiles(1), shape=(size, size, 3), subifds=2, **_resolution(0.25), **options)
        for scale in (4, 16):
            tif.write(tiles(scale), shape=(size // scale, size // scale, 3), subfiletype=1, **options)
    return path
