"""What the decoder returns: facts about an image, and its pixels ready to show or to train on."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from PIL import Image

from app.core.imaging.band_tags import BandTags
from app.core.imaging.composites import COMPOSITES, DEFAULT_COMPOSITE, recognise, render_default
from app.core.imaging.windowing import Window, apply_window, auto_window


@dataclass(frozen=True)
class ImageInfo:
    """Header facts, known before the pixels are decoded."""

    format: str  # "jpeg", "png", "gif", "bmp", "webp", "tiff", "dicom"
    width: int
    height: int
    bit_depth: int  # bits per sample: 1, 8, 16, 32, 64
    bands: int  # samples per pixel: 1 grey, 3 RGB, 4 RGBA/CMYK, N for multi-band data
    mode: str  # how the samples are meant: "grey", "rgb", "rgba", "cmyk", "palette", "multiband", ...
    frames: int = 1  # pages of a TIFF, frames of a GIF or DICOM; Loupe uses the first


@dataclass
class DecodedImage:
    """One image: the first frame of a file, or the part of a file its path names (a frame, a tile).

    `rgb` is the 8-bit RGB view (EXIF orientation applied, alpha flattened, high bit depths
    windowed, multi-band data composed from the chosen bands). For high-bit-depth or multi-band
    images `samples` keeps the data as stored (H×W or H×W×bands, DICOM rescale applied) so a viewer
    can re-window it without decoding the file again; for ordinary 8-bit images it is None.
    """

    info: ImageInfo
    rgb: Image.Image
    samples: np.ndarray | None = None
    window: Window | None = None  # the window used for `rgb`, if any (single-band data)
    bands_shown: tuple[int, int, int] | None = None  # which bands are R, G, B (multi-band data)
    invert: bool = False  # DICOM MONOCHROME1: high values show dark
    #: DICOM Modality (0008,0060), e.g. "CT", "MR", "DX"; "" for other formats. The viewer offers
    #: the window presets of this modality (`windowing.window_presets`).
    modality: str = ""
    #: The windows the file itself names (every value of a multi-valued WindowCenter/WindowWidth,
    #: by WindowCenterWidthExplanation where given), in the file's order; `window` is the first.
    file_windows: dict[str, Window] = field(default_factory=dict)

    @property
    def windowable(self) -> bool:
        return self.samples is not None


def reduced_samples(samples: np.ndarray, draft_size: int | None) -> np.ndarray:
    """Every k-th row and column, when only about `draft_size` pixels across are needed: windowing
    a 15,000-pixel-wide 16-bit image for a thumbnail would otherwise make float copies of all of it."""
    if not draft_size:
        return samples
    step = max(samples.shape[0], samples.shape[1]) // (2 * draft_size)
    return np.ascontiguousarray(samples[::step, ::step]) if step >= 2 else samples


#: Band names (as GDAL writes them in a GeoTIFF's band descriptions) that mean a visible colour.
_COLOUR_NAMES = {"red": ("red", "r"), "green": ("green", "g"), "blue": ("blue", "b")}


def default_bands(band_count: int, names: tuple[str, ...] = ()) -> tuple[int, int, int]:
    """The bands shown as R, G, B when the project has no band choice: the true-colour bands of
    a recognised sensor (Sentinel-2, Landsat 8/9, by band names or count; see `composites`) or of
    bands named red, green and blue; four unnamed bands are read as blue, green, red,
    near-infrared — the order of 4-band satellite products such as PlanetScope's; otherwise the
    first three."""
    layout = recognise(band_count, BandTags(names=tuple(names)))
    true_colour = COMPOSITES[DEFAULT_COMPOSITE].bands_in(layout) if layout else None
    if true_colour is not None:
        return true_colour  # type: ignore[return-value]
    by_name = [_named_band(names, colour) for colour in ("red", "green", "blue")]
    if all(band is not None for band in by_name):
        return tuple(by_name)  # type: ignore[return-value]
    if band_count >= 3:
        return (0, 1, 2)
    return (0, 0, 0)


def _named_band(names: tuple[str, ...], colour: str) -> int | None:
    for index, name in enumerate(names):
        words = name.lower().replace("_", " ").replace("-", " ").split()
        if any(word in _COLOUR_NAMES[colour] for word in words):
            return index
    return None


def compose_rgb(
    samples: np.ndarray,
    *,
    window: Window | None = None,
    bands: tuple[int, int, int] | None = None,
    invert: bool = False,
    band_names: tuple[str, ...] = (),
    composite: str | None = None,
    tags: BandTags | None = None,
) -> tuple[Image.Image, Window | None, tuple[int, int, int] | None]:
    """Render high-bit-depth or multi-band `samples` to an 8-bit RGB image.

    Single-band data is windowed with `window` (automatic when None). Multi-band data of a
    recognised sensor (see `composites`: band names in `tags` or `band_names`, or the band
    count) shows `composite` by name (the true colour when None or not available), in
    reflectance on a fixed range, pixels without data painted `composites.NEUTRAL`. Otherwise,
    or when `bands` (or a `window`) is given, the three `bands` show as R, G, B, each windowed on
    its own robust range unless `window` is given (a false-colour composite, as remote-sensing
    viewers do). Returns the image, the window used for single-band data, and the bands used
    for multi-band data (for NDVI: NIR, red, red).
    """
    if samples.ndim == 2 or (samples.ndim == 3 and samples.shape[2] == 1):
        grey = samples.reshape(samples.shape[0], samples.shape[1])
        used = window or auto_window(grey)
        pixels = apply_window(grey, used)
        if invert:
            pixels = 255 - pixels
        return Image.fromarray(pixels, "L").convert("RGB"), used, None
    if bands is None and window is None:
        tags = tags or BandTags()
        if band_names and not tags.names:
            tags = replace(tags, names=tuple(band_names))
        rendered = render_default(samples, tags, composite)
        if rendered is not None:
            return Image.fromarray(rendered.rgb, "RGB"), None, rendered.bands_shown
    band_count = samples.shape[2]
    chosen = bands or default_bands(band_count, band_names)
    for band in chosen:
        if not 0 <= band < band_count:
            raise ValueError(f"band {band + 1} does not exist; this image has {band_count} bands")
    planes = [apply_window(samples[:, :, b], window or auto_window(samples[:, :, b])) for b in chosen]
    return Image.fromarray(np.dstack(planes), "RGB"), window, chosen
