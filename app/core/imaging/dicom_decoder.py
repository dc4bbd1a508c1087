"""DICOM through pydicom: modality rescale, the file's window centre/width, MONOCHROME1 inversion,
any frame of a multi-frame file (enhanced DICOM's per-frame rescale and windows included).

A compressed transfer syntax whose codec is not installed gets a message that names the packages
that would decode it (pydicom knows them), rather than a stack trace.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import BinaryIO

import numpy as np
import pydicom
from PIL import Image
from pydicom.pixels import apply_color_lut, apply_rescale, get_decoder, pixel_array
from pydicom.uid import ExplicitVRBigEndian, ExplicitVRLittleEndian, ImplicitVRLittleEndian

from app.core.errors import ImageError
from app.core.imaging.budget import DECODE_BUDGET
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


def _values(value) -> list:
    """A DICOM value as a list: window tags may be multi-valued (several presets in one file)."""
    if value is None:
        return []
    if isinstance(value, (pydicom.multival.MultiValue, list, tuple)):
        return list(value)
    return [value]


def _frame_groups(dataset: pydicom.Dataset, frame: int) -> list[pydicom.Dataset]:
    """Where an enhanced (multi-frame) DICOM keeps a frame's attributes, most specific first:
    its per-frame functional group, the shared one, then the dataset itself."""
    groups = []
    per_frame = dataset.get("PerFrameFunctionalGroupsSequence")
    if per_frame is not None and frame < len(per_frame):
        groups.append(per_frame[frame])
    shared = dataset.get("SharedFunctionalGroupsSequence")
    if shared:
        groups.append(shared[0])
    return groups


def _in_groups(dataset: pydicom.Dataset, frame: int, sequence: str) -> pydicom.Dataset | None:
    for group in _frame_groups(dataset, frame):
        items = group.get(sequence)
        if items:
            return items[0]
    return None


def file_windows(dataset: pydicom.Dataset, frame: int = 0) -> dict[str, Window]:
    """Every window the file names for `frame`, by its WindowCenterWidthExplanation where given
    ("File window 2" otherwise), in the file's order; malformed or zero-width ones are left out."""
    source = _in_groups(dataset, frame, "FrameVOILUTSequence") or dataset
    try:
        centres = [float(v) for v in _values(source.get("WindowCenter"))]
        widths = [float(v) for v in _values(source.get("WindowWidth"))]
    except (TypeError, ValueError):
        return {}  # malformed tags: the automatic window will do
    names = [str(v).strip() for v in _values(source.get("WindowCenterWidthExplanation"))]
    windows: dict[str, Window] = {}
    for index, (centre, width) in enumerate(zip(centres, widths, strict=False)):
        if not (width > 0 and np.isfinite(centre) and np.isfinite(width)):
            continue
        name = names[index] if index < len(names) and names[index] else ""
        if not name or name in windows:
            name = "File window" if len(centres) == 1 else f"File window {index + 1}"
        windows[name] = Window(centre=centre, width=width)
    return windows


def _rescaled(frame: np.ndarray, dataset: pydicom.Dataset, index: int) -> np.ndarray:
    """Stored values to the modality's units (Hounsfield units for CT): the rescale of the frame's
    functional groups in an enhanced DICOM, else the dataset's rescale or modality LUT."""
    transform = _in_groups(dataset, index, "PixelValueTransformationSequence")
    if transform is not None and "RescaleSlope" in transform:
        slope, intercept = float(transform.RescaleSlope), float(transform.get("RescaleIntercept", 0) or 0)
        return frame.astype(np.float64) * slope + intercept
    if "RescaleSlope" in dataset or "ModalityLUTSequence" in dataset:
        return apply_rescale(frame, dataset)
    return frame


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


def _check_frame(frame: int, info: ImageInfo) -> None:
    if not 0 <= frame < info.frames:
        have = "one frame (0)" if info.frames == 1 else f"{info.frames} frames (0 to {info.frames - 1})"
        raise ImageError(f"frame {frame} does not exist; this DICOM has {have}")


def _read_dataset(
    stream: BinaryIO, options: DecodeOptions, frame: int | None = None
) -> tuple[pydicom.Dataset, ImageInfo]:
    """The whole dataset, pixels included, read once; refused from its header first when too big,
    compressed with a codec not installed, holding no pixels, or without `frame`."""
    header = _read_header(stream, options)
    info = _info(header)
    if frame is not None:
        _check_frame(frame, info)
    _check_codec(header)
    stream.seek(0)
    try:
        dataset = pydicom.dcmread(stream, force=True)
        _ensure_transfer_syntax(dataset)
    except Exception as exc:
        raise ImageError(f"cannot decode the DICOM pixel data ({exc})") from exc
    if "PixelData" not in dataset and "FloatPixelData" not in dataset:
        raise ImageError("this DICOM file has no pixel data")
    return dataset, info


def _decode_frame(dataset: pydicom.Dataset, info: ImageInfo, index: int, options: DecodeOptions) -> DecodedImage:
    """Frame `index` of a dataset already read: only that frame's pixels are decoded."""
    _check_frame(index, info)
    try:
        frame = reduced_samples(pixel_array(dataset, index=index if info.frames > 1 else None), options.draft_size)
    except Exception as exc:
        raise ImageError(f"cannot decode the DICOM pixel data ({exc})") from exc
    modality = str(dataset.get("Modality", "") or "").strip().upper()

    if info.mode == "palette":  # PALETTE COLOR: indices through the file's colour table
        frame = np.asarray(apply_color_lut(frame, dataset))
        frame = (frame >> 8).astype(np.uint8) if frame.dtype != np.uint8 else frame
        rgb = Image.fromarray(np.ascontiguousarray(frame[:, :, :3]), "RGB")
        return DecodedImage(info=info, rgb=rgb, modality=modality)
    if info.mode == "rgb":
        frame = np.asarray(frame)
        if frame.dtype == np.uint8:
            return DecodedImage(info=info, rgb=Image.fromarray(frame[:, :, :3], "RGB"), modality=modality)
        rgb, window, bands = compose_rgb(frame[:, :, :3], window=options.window, bands=(0, 1, 2))
        return DecodedImage(info=info, rgb=rgb, samples=frame, window=window, bands_shown=bands, modality=modality)

    samples = _rescaled(frame, dataset, index)
    invert = str(dataset.get("PhotometricInterpretation")) == "MONOCHROME1"
    windows = file_windows(dataset, index)
    window = options.window or next(iter(windows.values()), None)
    rgb, used, _ = compose_rgb(samples, window=window, invert=invert)
    return DecodedImage(
        info=info, rgb=rgb, samples=samples, window=used, invert=invert, modality=modality, file_windows=windows
    )


def decode(stream: BinaryIO, fmt: str, options: DecodeOptions) -> DecodedImage:
    """Frame `options.frame` (0: the first) of a DICOM file."""
    dataset, info = _read_dataset(stream, options, options.frame)
    return _decode_frame(dataset, info, options.frame, options)


def decode_frames(
    data: bytes, frames: Iterable[int], options: DecodeOptions
) -> Iterator[tuple[int, DecodedImage | ImageError]]:
    """Several frames of one DICOM file's bytes, the file parsed once (an import making each
    frame of a 300-frame series an image must not parse it 300 times). Yields (frame, image), or
    (frame, the ImageError saying why that frame could not be read: one damaged or missing frame
    does not lose the others); a file that cannot be read at all raises ImageError."""
    with DECODE_BUDGET.decoding():
        dataset, info = _read_dataset(io.BytesIO(data), options)
    for index in frames:
        yield index, _frame_or_reason(dataset, info, index, options)


def _frame_or_reason(
    dataset: pydicom.Dataset, info: ImageInfo, index: int, options: DecodeOptions
) -> DecodedImage | ImageError:
    try:
        with DECODE_BUDGET.decoding():
            check_size(info.width, info.height, options.max_pixels)
            return _decode_frame(dataset, info, index, options)
    except ImageError as exc:
        return exc
    except MemoryError:
        return ImageError("not enough memory to decode this frame")
    except Exception as exc:  # noqa: BLE001 - one odd frame must not stop an import
        return ImageError(f"cannot decode frame {index} of this DICOM ({type(exc).__name__}: {exc})")


register_decoder(Decoder("pydicom", probe, decode), "dicom")
