"""TIFF through tifffile: 8/16-bit, float, palette, CMYK, multi-page and multi-band (satellite) data.

Only the first page is read (a multi-page TIFF is a stack or a document; Loupe classifies its
first image). Samples stay in their stored type so 16-bit and float data can be windowed.
"""

from __future__ import annotations

from typing import BinaryIO
from xml.etree import ElementTree

import numpy as np
import tifffile
from PIL import Image

from app.core.errors import ImageError
from app.core.imaging import pillow_decoder
from app.core.imaging.band_tags import band_tags_of
from app.core.imaging.decoded import DecodedImage, ImageInfo, compose_rgb, reduced_samples
from app.core.imaging.options import DecodeOptions, check_size
from app.core.imaging.registry import Decoder, register_decoder
from app.core.imaging.windowing import auto_window

_PHOTOMETRIC_MODES = {
    "MINISWHITE": "grey",
    "MINISBLACK": "grey",
    "RGB": "rgb",
    "PALETTE": "palette",
    "SEPARATED": "cmyk",
    "YCBCR": "rgb",
    "CIELAB": "lab",
}


def _photometric(page) -> str:
    return getattr(page.photometric, "name", str(page.photometric))


def _mode(page) -> str:
    photometric = _photometric(page)
    if photometric in ("MINISBLACK", "MINISWHITE") and page.samplesperpixel > 1:
        return "multiband"
    if photometric == "RGB" and page.samplesperpixel > 3:
        return "rgba" if page.extrasamples else "multiband"
    return _PHOTOMETRIC_MODES.get(photometric, photometric.lower())


def _info(tif: tifffile.TiffFile, options: DecodeOptions):
    if not tif.pages:
        raise ImageError("the TIFF file has no pages")
    page = tif.pages.first
    check_size(page.imagewidth, page.imagelength, options.max_pixels)
    info = ImageInfo(
        format="tiff",
        width=page.imagewidth,
        height=page.imagelength,
        bit_depth=page.bitspersample,
        bands=page.samplesperpixel,
        mode=_mode(page),
        frames=len(tif.pages),
    )
    return page, info


def _open(stream: BinaryIO) -> tifffile.TiffFile:
    try:
        return tifffile.TiffFile(stream)
    except Exception as exc:
        raise ImageError(f"cannot read the TIFF header ({exc})") from exc


def _samples_last(page, data: np.ndarray) -> np.ndarray:
    """Page data as H×W or H×W×samples, whatever the planar configuration."""
    axes = page.axes
    if "S" in axes and axes.index("S") < axes.index("Y"):
        data = np.moveaxis(data, axes.index("S"), -1)
    if data.ndim == 3 and data.shape[2] == 1:
        data = data[:, :, 0]
    return data


def band_names_of(page) -> tuple[str, ...]:
    """Band descriptions from a GeoTIFF's GDAL metadata (`<Item name="DESCRIPTION" sample="0"
    role="description">Red</Item>`), in band order; empty when the file has none. Read with
    expat, which refuses entity expansion bombs."""
    tag = page.tags.get("GDAL_METADATA")
    if tag is None or not isinstance(tag.value, str):
        return ()
    try:
        root = ElementTree.fromstring(tag.value)
    except ElementTree.ParseError:
        return ()
    named = {}
    for item in root.iter("Item"):
        if item.get("role") == "description" and (item.get("sample") or "").isdigit():
            named[int(item.get("sample"))] = (item.text or "").strip()
    if not named:
        return ()
    return tuple(named.get(i, "") for i in range(max(named) + 1))


def probe(stream: BinaryIO, fmt: str, options: DecodeOptions) -> ImageInfo:
    with _open(stream) as tif:
        return _info(tif, options)[1]


def decode(stream: BinaryIO, fmt: str, options: DecodeOptions) -> DecodedImage:
    """tifffile first (16-bit, float, multi-band); where it cannot, Pillow, which reads some
    TIFFs tifffile does not (old-style JPEG, odd bilevel encodings)."""
    try:
        return _decode(stream, options)
    except ImageError as first:
        if "megapixel limit" in str(first):
            raise
        stream.seek(0)
        try:
            return pillow_decoder.decode(stream, "tiff", options)
        except ImageError:
            raise first from None


def _level_for(tif: tifffile.TiffFile, page, draft_size: int | None):
    """The page to decode: with `draft_size`, the smallest level of a pyramid (whole-slide and
    cloud-optimised GeoTIFFs keep reduced copies) that is still at least twice that size."""
    if not draft_size or not tif.series or len(tif.series[0].levels) < 2:
        return page
    fitting = [
        level.keyframe
        for level in tif.series[0].levels
        if min(level.keyframe.imagewidth, level.keyframe.imagelength) >= 2 * draft_size
    ]
    return min(fitting, key=lambda p: p.imagewidth * p.imagelength) if fitting else page


def _decode(stream: BinaryIO, options: DecodeOptions) -> DecodedImage:
    with _open(stream) as tif:
        page, info = _info(tif, options)
        page = _level_for(tif, page, options.draft_size)
        try:
            data = reduced_samples(_samples_last(page, page.asarray()), options.draft_size)
        except Exception as exc:
            message = str(exc)
            if "imagecodecs" in message:
                raise ImageError(
                    f"this TIFF uses {page.compression.name} compression, which needs the "
                    "'imagecodecs' package (pip install imagecodecs)"
                ) from exc
            raise ImageError(f"cannot decode the TIFF pixel data ({message})") from exc
        photometric = _photometric(page)
        colormap = page.colormap if photometric == "PALETTE" else None
        band_names = band_names_of(tif.pages.first)
        tags = band_tags_of(tif.pages.first)  # scale, offset, no-data: what composites need
    try:
        return _to_image(info, data, photometric, colormap, band_names, options, tags)
    except (TypeError, ValueError, IndexError) as exc:
        # A layout of samples tifffile reads and this decoder does not know: `decode` hands the
        # file to Pillow, which may (rather than refusing a file other readers open).
        raise ImageError(f"cannot show this TIFF's samples ({type(exc).__name__}: {exc})") from exc


def _palette_rgb(colormap, data: np.ndarray) -> Image.Image:
    """Indices through the file's colour table. A palette with an alpha sample (two samples per
    pixel, as Pillow's mode "PA") shows on white, as Pillow shows it."""
    lut = np.asarray(colormap).T
    lut = (lut >> 8).astype(np.uint8) if lut.max() > 255 else lut.astype(np.uint8)
    index_plane = data[:, :, 0] if data.ndim == 3 else data
    indices = np.clip(index_plane.astype(np.intp), 0, len(lut) - 1)  # 1-bit palettes arrive as booleans
    rgb = Image.fromarray(lut[indices], "RGB")
    if data.ndim == 3 and data.shape[2] == 2:
        alpha = data[:, :, 1]
        if alpha.dtype != np.uint8:
            raise ValueError(f"a {alpha.dtype} alpha sample")  # Pillow's turn (see `_decode`)
        rgb.putalpha(Image.fromarray(np.ascontiguousarray(alpha), "L"))
        return pillow_decoder.flatten_alpha(rgb)
    if data.ndim != 2:
        raise ValueError(f"{data.shape[2]} samples per palette pixel")
    return rgb


def _to_image(
    info: ImageInfo, data: np.ndarray, photometric: str, colormap, band_names, options: DecodeOptions, tags=None
):
    """The decoded samples as an image to show (and the samples, to window, when deeper than 8
    bits)."""
    if colormap is not None:
        return DecodedImage(info=info, rgb=_palette_rgb(colormap, data))
    if data.dtype == bool:  # bilevel (fax, scans): black and white, as the file means them
        white = ~data if photometric == "MINISWHITE" else data
        return DecodedImage(info=info, rgb=Image.fromarray(white.astype(np.uint8) * 255, "L").convert("RGB"))
    if info.mode == "cmyk" and data.dtype == np.uint8 and data.ndim == 3 and data.shape[2] == 4:
        return DecodedImage(info=info, rgb=Image.fromarray(data, "CMYK").convert("RGB"))
    if info.mode in ("rgb", "rgba") and data.ndim == 3:
        colour = data[:, :, :3]
        if colour.dtype == np.uint8:
            return DecodedImage(info=info, rgb=Image.fromarray(np.ascontiguousarray(colour), "RGB"))
        # High-bit-depth colour: one window for all three channels keeps the colour balance.
        window = options.window or auto_window(colour)
        rgb, _, bands = compose_rgb(colour, window=window, bands=(0, 1, 2))
        return DecodedImage(info=info, rgb=rgb, samples=colour, window=window, bands_shown=bands)
    if data.ndim == 2 and data.dtype == np.uint8 and photometric != "MINISWHITE":
        return DecodedImage(info=info, rgb=Image.fromarray(data, "L").convert("RGB"))
    invert = photometric == "MINISWHITE"
    try:
        rgb, window, bands = compose_rgb(
            data,
            window=options.window,
            bands=options.bands,
            invert=invert,
            band_names=band_names,
            composite=options.composite,
            tags=tags,
        )
    except ValueError as exc:
        raise ImageError(str(exc)) from exc
    return DecodedImage(info=info, rgb=rgb, samples=data, window=window, bands_shown=bands, invert=invert)


register_decoder(Decoder("tifffile", probe, decode), "tiff")
