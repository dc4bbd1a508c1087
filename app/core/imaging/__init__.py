"""The one image decoder of Loupe: every path in the app that needs pixels comes through here.

    info = probe(path)                  # header facts; refuses decompression bombs
    image = decode(path)                # first frame as 8-bit RGB (+ raw samples for windowing)
    jpeg = thumbnail_jpeg(image.rgb)    # what the project cache stores

The format is sniffed from the content (`formats.SIGNATURES`) and dispatched to a decoder in
`registry.DECODERS`. Every failure is an `ImageError` whose message is a short per-file reason.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from app.core.errors import ImageError
from app.core.imaging import dicom_decoder, pillow_decoder, tiff_decoder  # noqa: F401  (register)
from app.core.imaging.budget import DECODE_BUDGET
from app.core.imaging.decoded import DecodedImage, ImageInfo, compose_rgb, default_bands
from app.core.imaging.formats import SNIFF_BYTES, looks_like_image_name, sniff_format
from app.core.imaging.options import MAX_PIXELS, DecodeOptions, check_size
from app.core.imaging.part_paths import FilePart, split_part
from app.core.imaging.registry import DECODERS
from app.core.imaging.regular_files import NotRegularFile, open_regular
from app.core.imaging.windowing import Window, apply_window, auto_window

__all__ = [
    "DecodeOptions",
    "DecodedImage",
    "ImageInfo",
    "MAX_PIXELS",
    "Window",
    "apply_window",
    "auto_window",
    "check_size",
    "compose_rgb",
    "decode",
    "default_bands",
    "looks_like_image_name",
    "probe",
    "sniff_format",
    "thumbnail_jpeg",
]

Source = str | Path | bytes

#: Longest side of the thumbnails kept in the project cache.
THUMBNAIL_SIZE = 256


def _open_stream(source: Source) -> BinaryIO:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(source)
    try:
        return open_regular(source)  # a named pipe or a device is refused, never waited on
    except FileNotFoundError:
        raise ImageError("file not found") from None
    except IsADirectoryError:
        raise ImageError("this is a folder, not a file") from None
    except NotRegularFile as exc:
        raise ImageError(exc.strerror) from None
    except OSError as exc:
        raise ImageError(f"cannot open the file ({exc.strerror or exc})") from exc


def _format_of(stream: BinaryIO) -> str:
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise ImageError("the file is empty")
    fmt = sniff_format(head)
    if fmt is None:
        raise ImageError("the content is not an image format Loupe reads")
    return fmt


def _part(source: Source) -> FilePart | None:
    """The part of a file a path names (a tile, a frame; see `part_paths`), or None."""
    if isinstance(source, (str, Path)):
        part = split_part(source)
        return part if part.is_part else None
    return None


def probe(source: Source, options: DecodeOptions = DecodeOptions()) -> ImageInfo:
    """Header facts of an image, without decoding its pixels."""
    part = _part(source)
    if part is not None and part.tile is not None:
        return decode(source, options).info
    if part is not None:
        source, options = part.file, replace(options, frame=part.frame)
    with _open_stream(source) as stream:
        fmt = _format_of(stream)
        return DECODERS[fmt].probe(stream, fmt, options)


def decode(source: Source, options: DecodeOptions = DecodeOptions()) -> DecodedImage:
    """Decode the first frame of an image file (a path or its bytes), or the part a path names:
    a tile of a whole slide or scene, a frame of a multi-frame file (`part_paths`)."""
    part = _part(source)
    if part is not None and part.tile is not None:
        from app.core.imaging.slides import read_tile  # OpenSlide and zarr load only for sources

        with DECODE_BUDGET.decoding():
            return _guarded("this tile", lambda: read_tile(part.file, part.tile, options))
    if part is not None:
        source, options = part.file, replace(options, frame=part.frame)
    with _open_stream(source) as stream, DECODE_BUDGET.decoding():
        fmt = _format_of(stream)
        return _guarded(f"this {fmt.upper()} file", lambda: DECODERS[fmt].decode(stream, fmt, options))


def _guarded(what: str, read):
    """`read()`, every failure but an interrupt made an `ImageError`."""
    try:
        return read()
    except ImageError:
        raise
    except MemoryError:
        raise ImageError("not enough memory to decode this image") from None
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a decoder bug or an odd file must never take the app down
        # (codecs written in Rust raise PanicException, a BaseException, on some damaged data)
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        raise ImageError(f"cannot decode {what} ({type(exc).__name__}: {first_line})") from exc


def thumbnail_jpeg(rgb: Image.Image, size: int = THUMBNAIL_SIZE, quality: int = 85) -> bytes:
    """A JPEG of at most `size` pixels on the longest side, for the project cache."""
    small = (
        rgb.copy()
        if max(rgb.size) <= size
        else rgb.resize(_fit(rgb.size, size), Image.Resampling.BILINEAR, reducing_gap=2.0)
    )
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _fit(image_size: tuple[int, int], size: int) -> tuple[int, int]:
    width, height = image_size
    scale = size / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))
