"""DICOM through pydicom: modality rescale, the file's window centre/width, MONOCHROME1 inversion.

A compressed transfer syntax whose codec is not installed gets a message that names the packages
that would decode it (pydicom knows them), rather than a stack trace.
"""

from __future__ import annotations

from typing import BinaryIO

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixels import apply_color_lut, apply_rescale, get_decoder, pixel_array
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from app.core.errors import ImageError
from app.core.imaging.decoded import DecodedImage, ImageInfo, compose_rgb, reduced_samples
from app.core.imaging.options import DecodeOptions, check_size
from app.core.imaging.registry import Decoder, register_decoder
from app.core.imaging.windowing import Window


def _read_header(stream: BinaryIO, options: DecodeOptions) -> pydicom.Dataset:
    try:
        dataset = pydicom.dcmread(stream, force=True, stop_before_pixels=True)
    except Exception as exc:  # InvalidDicomError and the many errors of a damaged header
        raise ImageError(f"cannot read the DICOM header ({exc})") from exc
    if "Rows" not in dataset or "Columns" not in dataset:
        raise ImageError("this DICOM file holds no image (no Rows/Columns; e.g. a report)")
    check_size(int(dataset.Columns), int(dataset.Rows), options.max_pixels)
    return dataset


def _info(dataset: pydicom.Dataset) -> ImageInfo:
    photometric = str(dataset.get("PhotometricInterpretation", "MONOCHROME2"))
    samples = int(dataset.get("SamplesPerPixel", 1))
    return ImageInfo(
        format="dicom",
        width=int(dataset.Columns),
        height=int(dataset.Rows),
        bit_depth=int(dataset.get("BitsStored", dataset.get("BitsAllocated", 8))),
        bands=samples,
        mode="grey" if photometric.startswith("MONOCHROME") else "palette" if photometric == "PALETTE COLOR" else "rgb",
        frames=int(dataset.get("NumberOfFrames", 1) or 1),
    )


def _first(value) -> float:
    """Window tags may be multi-valued (several presets); the first is the default."""
    if isinstance(value, pydicom.multival.MultiValue):
        value = value[0]
    return float(value)


def _file_window(dataset: pydicom.Dataset) -> Window | None:
    if "WindowCenter" in dataset and "WindowWidth" in dataset:
        try:
            width = _first(dataset.WindowWidth)
            if width > 0:
                return Window(centre=_first(dataset.WindowCenter), width=width)
        except (TypeError, ValueError):
            pass  # malformed tags: fall back to the automatic window
    return None


def _check_codec(dataset: pydicom.Dataset) -> None:
    meta = getattr(dataset, "file_meta", None)
    syntax = meta.get("TransferSyntaxUID") if meta is not None else None
    if syntax is None or not syntax.is_compressed:
        return
    try:
        decoder = get_decoder(syntax)
    except NotImplementedError:
        raise ImageError(f"DICOM transfer syntax '{syntax.name}' cannot be decoded by pydicom") from None
    if not decoder.is_available:
        options = "; ".join(decoder.missing_dependencies)
        raise ImageError(f"this DICOM is compressed as '{syntax.name}', which needs a codec package: {options}")


def _ensure_transfer_syntax(dataset: pydicom.Dataset) -> None:
    """Files without a meta header (no "DICM") don't name their encoding; use what was read."""
    meta = getattr(dataset, "file_meta", None)
    if meta is None:
        dataset.file_meta = meta = pydicom.dataset.FileMetaDataset()
    if "TransferSyntaxUID" not in meta:
        implicit, little = dataset.original_encoding
        meta.TransferSyntaxUID = (
            ImplicitVRLittleEndian if implicit else ExplicitVRLittleEndian if little else ExplicitVRBigEndian
        )


def probe(stream: BinaryIO, fmt: str, options: DecodeOptions) -> ImageInfo:
    return _info(_read_header(stream, options))


def decode(stream: BinaryIO, fmt: str, options: DecodeOptions) -> DecodedImage:
    header = _read_header(stream, options)
    info = _info(header)
    _check_codec(header)
    stream.seek(0)
    try:
        dataset = pydicom.dcmread(stream, force=True)
        _ensure_transfer_syntax(dataset)
        if "PixelData" not in dataset and "FloatPixelData" not in dataset:
            raise ImageError("this DICOM file has no pixel data")
        frame = reduced_samples(pixel_array(dataset, index=0 if info.frames > 1 else None), options.draft_size)
    except ImageError:
        raise
    except Exception as exc:
        raise ImageError(f"cannot decode the DICOM pixel data ({exc})") from exc

    if info.mode == "palette":  # PALETTE COLOR: indices through the file's colour table
        frame = np.asarray(apply_color_lut(frame, dataset))
        frame = (frame >> 8).astype(np.uint8) if frame.dtype != np.uint8 else frame
        return DecodedImage(info=info, rgb=Image.fromarray(np.ascontiguousarray(frame[:, :, :3]), "RGB"))
    if info.mode == "rgb":
        frame = np.asarray(frame)
        if frame.dtype == np.uint8:
            return DecodedImage(info=info, rgb=Image.fromarray(frame[:, :, :3], "RGB"))
        rgb, window, bands = compose_rgb(frame[:, :, :3], window=options.window, bands=(0, 1, 2))
        return DecodedImage(info=info, rgb=rgb, samples=frame, window=window, bands_shown=bands)

    samples = apply_rescale(frame, dataset) if "RescaleSlope" in dataset else frame
    invert = str(dataset.get("PhotometricInterpretation")) == "MONOCHROME1"
    window = options.window or _file_window(dataset)
    rgb, used, _ = compose_rgb(samples, window=window, invert=invert)
    return DecodedImage(info=info, rgb=rgb, samples=samples, window=used, invert=invert)


register_decoder(Decoder("pydicom", probe, decode), "dicom")
