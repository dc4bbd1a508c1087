"""What part of a slide or scene is worth a tile: tissue on a slide, valid data in a scene.

Both are decided on an overview (the source at about 2,000 pixels on its longer side), read from the
pyramid's smallest fitting level a block at a time, so memory stays small whatever the source's
size. On a slide, tissue is where colour saturation is above Otsu's threshold (glass is white or
grey; stained tissue is coloured), as CLAM and QuPath's simple tissue detection do; a floor keeps a
slide of bare glass from being called tissue. In a scene, valid data is where no band holds the
file's nodata value (or NaN). A tile is kept when its share of the mask reaches `min_tissue`.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from app.core.errors import ImageError
from app.core.imaging.slides import SlideSource

#: Longest side of the overview the masks are made on (and the window shows).
OVERVIEW_SIDE = 2048
#: Levels are read in blocks of this many pixels a side (memory: one block at a time).
_BLOCK = 2048
#: Saturation below this is never tissue, whatever Otsu says (a slide of bare glass).
MIN_TISSUE_SATURATION = 0.06


@dataclass
class Overview:
    """The source at low resolution: `samples` (H×W or H×W×bands, as stored), and how many
    level-0 pixels one overview pixel stands for."""

    samples: np.ndarray
    downsample: float


@dataclass
class Mask:
    """Which overview pixels are tissue (or valid data), and the threshold that decided it."""

    keep: np.ndarray  # bool, the overview's height × width
    downsample: float  # level-0 pixels per mask pixel
    threshold: float

    def shares(self, regions: list[tuple[int, int, int, int]]) -> np.ndarray:
        """`share` of many regions at once, from a summed-area table."""
        table = np.pad(self.keep.astype(np.int32).cumsum(0).cumsum(1), ((1, 0), (1, 0)))
        rows, cols = self.keep.shape
        boxes = np.asarray(regions, dtype=np.float64).reshape(-1, 4) / self.downsample
        x0 = np.clip(np.floor(boxes[:, 0]), 0, cols).astype(int)
        y0 = np.clip(np.floor(boxes[:, 1]), 0, rows).astype(int)
        x1 = np.clip(np.ceil(boxes[:, 0] + boxes[:, 2]), 0, cols).astype(int)
        y1 = np.clip(np.ceil(boxes[:, 1] + boxes[:, 3]), 0, rows).astype(int)
        inside = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
        area = np.maximum((x1 - x0) * (y1 - y0), 1)
        return inside / area

    def png(self) -> bytes:
        buffer = io.BytesIO()
        Image.fromarray(self.keep.astype(np.uint8) * 255, "L").save(buffer, "PNG", optimize=True)
        return buffer.getvalue()


def overview(source: SlideSource, side: int = OVERVIEW_SIDE) -> Overview:
    """The source about `side` pixels on its longer side: the smallest level at least that large,
    read in blocks and subsampled, so a level without a pyramid above it is never held whole. A
    block that cannot be read (a damaged part) is left as background: its tiles are not cut."""
    fitting = [i for i, level in enumerate(source.levels) if max(level.width, level.height) >= side]
    index = max(fitting, key=lambda i: source.levels[i].downsample) if fitting else 0
    level = source.levels[index]
    step = max(1, math.ceil(max(level.width, level.height) / side))
    damaged: list[ImageError] = []
    samples = reduced_region(source, index, 0, 0, level.width, level.height, step, damaged.append)
    if damaged and len(damaged) == -(-level.width // _block(step)) * -(-level.height // _block(step)):
        raise damaged[0]  # nothing of the file could be read (truncated, or not image data)
    return Overview(samples, level.downsample * step)


def _block(step: int) -> int:
    return max(step, _BLOCK // step * step)  # a whole number of steps: no seams


def reduced_region(
    source: SlideSource,
    level: int,
    x: int,
    y: int,
    width: int,
    height: int,
    step: int,
    on_damaged: Callable[[ImageError], None] | None = None,
) -> np.ndarray:
    """`width`×`height` pixels of `level` from level-0 (x, y), every `step`-th row and column,
    read a block at a time: a region far larger than the screen, on a file without a coarser
    level, is never held whole. With `on_damaged`, a block that cannot be read is left as `fill`
    and reported; without, its ImageError is raised."""
    downsample = source.levels[level].downsample
    block = _block(step)
    rows, cols = -(-height // step), -(-width // step)
    shape = (rows, cols) if source.bands == 1 else (rows, cols, source.bands)
    out = np.full(shape, source.fill, dtype=source.dtype)
    for top in range(0, height, block):
        for left in range(0, width, block):
            try:
                part = source.read_region(
                    level,
                    x + round(left * downsample),
                    y + round(top * downsample),
                    min(block, width - left),
                    min(block, height - top),
                )[::step, ::step]
            except ImageError as exc:
                if on_damaged is None:
                    raise
                on_damaged(exc)
                continue
            out[top // step : top // step + part.shape[0], left // step : left // step + part.shape[1]] = part
    return out


def otsu_threshold(values: np.ndarray, bins: int = 256) -> float:
    """Otsu's threshold of `values` in [0, 1]: the cut that best separates two classes."""
    histogram, edges = np.histogram(values, bins=bins, range=(0.0, 1.0))
    weights = histogram.astype(np.float64)
    centres = (edges[:-1] + edges[1:]) / 2
    below = np.cumsum(weights)
    above = below[-1] - below
    mean_below = np.cumsum(weights * centres) / np.maximum(below, 1)
    mean_above = (np.sum(weights * centres) - np.cumsum(weights * centres)) / np.maximum(above, 1)
    between = below * above * (mean_below - mean_above) ** 2
    return float(edges[int(np.argmax(between)) + 1])


def tissue_mask(view: Overview, threshold: float | None = None) -> Mask:
    """Tissue on a slide: saturation above `threshold`, by default Otsu's (and above a floor).
    A faint stain Otsu misses, or a dirty slide it over-calls, is fixed by giving one."""
    rgb = view.samples[:, :, :3] if view.samples.ndim == 3 else view.samples[:, :, None]
    high, low = rgb.max(axis=2).astype(np.float32), rgb.min(axis=2).astype(np.float32)
    if rgb.shape[2] == 1:  # a greyscale slide has no colour: tissue is what is darker than glass
        top = float(np.iinfo(rgb.dtype).max) if rgb.dtype.kind in "ui" else 1.0
        saturation = 1.0 - high / top
    else:
        saturation = (high - low) / np.maximum(high, 1)  # 0 where black, as where grey
    blurred = np.asarray(Image.fromarray((saturation * 255).astype(np.uint8)).filter(_median())) / 255.0
    if threshold is None:
        threshold = max(otsu_threshold(blurred), MIN_TISSUE_SATURATION)
    return Mask(blurred > threshold, view.downsample, threshold)


def _median():
    from PIL import ImageFilter

    return ImageFilter.MedianFilter(5)  # specks of dust and noise are not tissue


def valid_data_mask(view: Overview, nodata: float | None) -> Mask:
    """Valid data in a scene: pixels where no band is the nodata value or NaN."""
    samples = view.samples if view.samples.ndim == 3 else view.samples[:, :, None]
    invalid = np.zeros(samples.shape[:2], dtype=bool)
    if samples.dtype.kind == "f":
        invalid |= ~np.isfinite(samples).all(axis=2)
    if nodata is not None:
        invalid |= (samples == nodata).any(axis=2)
    return Mask(~invalid, view.downsample, float("nan") if nodata is None else float(nodata))


#: How each kind of source decides where its tiles may be (a threshold applies to tissue only:
#: a scene's valid data is decided by its nodata value).
MASKS = {
    "slide": lambda source, view, threshold: tissue_mask(view, threshold),
    "scene": lambda source, view, threshold: valid_data_mask(view, source.nodata),
}


def source_mask(source: SlideSource, view: Overview, threshold: float | None = None) -> Mask:
    return MASKS[source.kind](source, view, threshold)
