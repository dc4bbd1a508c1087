"""How to decode: the knobs shared by every decoder, and the decompression-bomb limit."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.errors import ImageError
from app.core.imaging.budget import DECODE_BUDGET
from app.core.imaging.composites import DEFAULT_COMPOSITE
from app.core.imaging.windowing import Window

#: Images above this many pixels are refused from their header, before any pixel is decoded: a
#: tiny file can claim a 60000×60000 canvas and take all memory. 250 MP fits a full Sentinel-2
#: tile (10980×10980) and large microscopy fields; whole slides and larger scenes are imported
#: as tiles instead (`sources`), read a region at a time.
MAX_PIXELS = 250_000_000


@dataclass(frozen=True)
class DecodeOptions:
    bands: tuple[int, int, int] | None = field(
        default=None, metadata={"help": "Bands shown as R, G, B for multi-band images (0-based)."}
    )
    window: Window | None = field(
        default=None, metadata={"help": "Window for high-bit-depth data; None = file's or automatic."}
    )
    frame: int = field(
        default=0, metadata={"help": "Which frame of a multi-frame file (DICOM, multi-page TIFF), 0-based."}
    )
    max_pixels: int = field(default=MAX_PIXELS, metadata={"help": "Refuse images with more pixels than this."})
    draft_size: int | None = field(
        default=None,
        metadata={
            "help": "Only an image about this many pixels across is needed (thumbnails): formats "
            "that can decode at reduced scale (JPEG) do so, which is several times faster."
        },
    )
    composite: str | None = field(
        default=None,
        metadata={
            "help": "Named band composite of a recognised satellite image (a name in "
            "composites.COMPOSITES: true_colour, false_colour_nir, swir, ndvi); None = true colour. "
            "`bands`, when given, wins."
        },
    )


def rendering_key(options: DecodeOptions) -> str:
    """What in `options` changes how a multi-band image looks, as a suffix for the keys of caches
    of what is computed from its pixels (thumbnails, features, pixel signatures): "" for the
    default view (the file's true colour, or its first bands), ":bands=3,2,1" for bands chosen
    by hand (which win over a composite), ":composite=ndvi" for another named composite. A changed
    choice then misses those caches instead of serving what another rendering made; the default
    keeps the keys made before choices existed."""
    if options.bands is not None:
        return f":bands={','.join(str(b) for b in options.bands)}"
    if options.composite and options.composite != DEFAULT_COMPOSITE:
        return f":composite={options.composite}"
    return ""


def check_size(width: int, height: int, max_pixels: int) -> None:
    """Refuse empty canvases and decompression bombs, from header values alone; inside a decode,
    wait for this image's share of the pixel budget (see `budget.py`)."""
    if width <= 0 or height <= 0:
        raise ImageError(f"the header says the image is {width}×{height} pixels, which is empty")
    if width * height > max_pixels:
        raise ImageError(
            f"image is {width}×{height} ({width * height / 1e6:.0f} megapixels), above the "
            f"{max_pixels / 1e6:.0f}-megapixel limit; refused as a possible decompression bomb "
            "(a whole slide or large scene is imported as tiles: loupe import … --tiles 224, or "
            "File ▸ Import slides or scenes…)"
        )
    DECODE_BUDGET.claim(width * height)
