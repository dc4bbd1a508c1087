"""JPEG, PNG, GIF, BMP and WebP through Pillow.

Pillow's `Image.open` reads only the header, so the size is checked before any pixel is decoded.
16-bit greyscale PNG arrives as mode "I;16"/"I" and is windowed, never squeezed through Pillow's
`convert("L")` (which clips everything above 255 to white).
"""

from __future__ import annotations

import struct
import warnings
from typing import BinaryIO

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from app.core.errors import ImageError
from app.core.imaging.decoded import DecodedImage, ImageInfo, compose_rgb, reduced_samples
from app.core.imaging.options import DecodeOptions, check_size
from app.core.imaging.registry import Decoder, register_decoder

#: Loupe's format name -> Pillow's, to open a file with its own plugin when needed.
_PILLOW_FORMATS = {
    "jpeg": "JPEG",
    "png": "PNG",
    "gif": "GIF",
    "bmp": "BMP",
    "webp": "WEBP",
    "dib": "DIB",
    "tiff": "TIFF",
}

#: Pillow mode -> (Loupe mode name, bands, bits per sample)
_MODES: dict[str, tuple[str, int, int]] = {
    "1": ("grey", 1, 1),
    "L": ("grey", 1, 8),
    "LA": ("grey-alpha", 2, 8),
    "La": ("grey-alpha", 2, 8),
    "P": ("palette", 1, 8),
    "PA": ("palette", 2, 8),
    "RGB": ("rgb", 3, 8),
    "RGBA": ("rgba", 4, 8),
    "RGBa": ("rgba", 4, 8),
    "RGBX": ("rgb", 4, 8),
    "CMYK": ("cmyk", 4, 8),
    "YCbCr": ("ycbcr", 3, 8),
    "LAB": ("lab", 3, 8),
    "HSV": ("hsv", 3, 8),
    "I;16": ("grey", 1, 16),
    "I;16L": ("grey", 1, 16),
    "I;16B": ("grey", 1, 16),
    "I;16N": ("grey", 1, 16),
    "I": ("grey", 1, 32),
    "F": ("grey", 1, 32),
}
_HIGH_DEPTH_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N", "I", "F"})
_ALPHA_MODES = frozenset({"LA", "La", "PA", "RGBA", "RGBa"})
_SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})  # EXIF orientations that rotate by 90°


def _png_bit_depth(stream: BinaryIO) -> int | None:
    """The IHDR bit depth: Pillow reads 16-bit RGB PNGs as 8-bit RGB and does not say so."""
    position = stream.tell()
    stream.seek(24)
    depth = stream.read(1)
    stream.seek(position)
    return struct.unpack("B", depth)[0] if depth else None


def _open(stream: BinaryIO, fmt: str, options: DecodeOptions) -> Image.Image:
    """Open the header and apply this call's pixel limit (`options.max_pixels`).

    Pillow's own decompression-bomb guard stays on for the rest of the process (Loupe never
    changes `Image.MAX_IMAGE_PIXELS`). It refuses images above twice its limit (179 MP); Loupe
    accepts up to `options.max_pixels` (250 MP by default), so an image Pillow refuses that is
    within this call's limit is opened with its format's plugin directly, and the size checked
    here from the header alone."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # the size is checked below
            try:
                image = Image.open(stream, formats=[_PILLOW_FORMATS[fmt]])
            except Image.DecompressionBombError:
                image = _open_with_plugin(stream, fmt)
    except UnidentifiedImageError:
        raise ImageError(f"the {fmt.upper()} header is damaged or incomplete") from None
    except ImageError:
        raise
    except Exception as exc:  # Pillow raises many types for bad headers
        raise ImageError(f"cannot read the {fmt.upper()} header ({exc})") from exc
    check_size(image.width, image.height, options.max_pixels)
    return image


def _open_with_plugin(stream: BinaryIO, fmt: str) -> Image.Image:
    """The header through the format's plugin, without Pillow's process-wide size guard (the
    caller applies its own limit before any pixel is decoded)."""
    Image.init()
    factory, _ = Image.OPEN[_PILLOW_FORMATS[fmt]]
    stream.seek(0)
    return factory(stream, "")


def _info(image: Image.Image, fmt: str, stream: BinaryIO) -> ImageInfo:
    mode_name, bands, bits = _MODES.get(image.mode, (image.mode.lower(), len(image.getbands()), 8))
    if fmt == "png":
        bits = _png_bit_depth(stream) or bits
    width, height = image.size
    # A PNG's EXIF is read only when its header had it: asking Pillow for more decodes every pixel.
    has_exif = fmt in ("jpeg", "webp") or (fmt == "png" and "exif" in image.info)
    orientation = image.getexif().get(0x0112) if has_exif else None
    if orientation in _SWAPPING_ORIENTATIONS:
        width, height = height, width
    return ImageInfo(
        format=fmt,
        width=width,
        height=height,
        bit_depth=bits,
        bands=bands,
        mode=mode_name,
        frames=getattr(image, "n_frames", 1),
    )


def flatten_alpha(image: Image.Image) -> Image.Image:
    """Transparent pixels show on white, as in every image viewer users know."""
    rgba = image.convert("RGBA")
    background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


def probe(stream: BinaryIO, fmt: str, options: DecodeOptions) -> ImageInfo:
    with _open(stream, fmt, options) as image:
        return _info(image, fmt, stream)


def decode(stream: BinaryIO, fmt: str, options: DecodeOptions) -> DecodedImage:
    with _open(stream, fmt, options) as image:
        info = _info(image, fmt, stream)
        if options.draft_size and fmt == "jpeg":
            # DCT scaling: decode at 1/2, 1/4 or 1/8 scale, still reading the whole file.
            scale = options.draft_size / max(image.size)
            image.draft(image.mode, (round(image.width * scale), round(image.height * scale)))
        try:
            image.load()
        except Exception as exc:
            raise ImageError(f"the file is truncated or corrupt ({exc})") from exc
        image = _reduced(image, options.draft_size)
        if fmt in ("jpeg", "webp", "png") and image.getexif().get(0x0112, 1) != 1:
            try:
                image = ImageOps.exif_transpose(image)  # a new image only when there is a turn to make
            except Exception:  # a broken EXIF block must not lose an otherwise good image
                pass
        if image.mode in _HIGH_DEPTH_MODES:
            samples = reduced_samples(np.asarray(image), options.draft_size)
            if image.mode.startswith("I;16"):
                samples = samples.astype(np.uint16, copy=False)
            rgb, window, _ = compose_rgb(samples, window=options.window)
            return DecodedImage(info=info, rgb=rgb, samples=samples, window=window)
        if image.mode in _ALPHA_MODES or (image.mode == "P" and "transparency" in image.info):
            return DecodedImage(info=info, rgb=flatten_alpha(image))
        return DecodedImage(info=info, rgb=image if image.mode == "RGB" else image.convert("RGB"))


#: Modes Pillow's `reduce` handles.
_REDUCIBLE = frozenset({"L", "LA", "RGB", "RGBA", "RGBX", "I", "F", "CMYK"})


def _reduced(image: Image.Image, draft_size: int | None) -> Image.Image:
    """When only about `draft_size` pixels across are needed (thumbnails, training) and the format
    could not decode at reduced scale (PNG, GIF, BMP), shrink right after decoding: the full-size
    pixels are freed before any conversion copies them."""
    if not draft_size or image.mode not in _REDUCIBLE:
        return image
    factor = max(image.size) // (2 * draft_size)
    return image.reduce(factor) if factor >= 2 else image


register_decoder(Decoder("pillow", probe, decode), "jpeg", "png", "gif", "bmp", "webp", "dib")
