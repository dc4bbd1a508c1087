"""Synthetic image files of every format Loupe reads, written by the tests themselves."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pydicom
import tifffile
from PIL import Image
from pydicom.dataset import FileMetaDataset
from pydicom.uid import MPEG2MPML, ExplicitVRLittleEndian, generate_uid


def gradient(width: int = 64, height: int = 48, low: float = 0, high: float = 255, dtype=np.uint8):
    """A horizontal ramp from `low` to `high`: every column a different value."""
    row = np.linspace(low, high, width, dtype=np.float64)
    return np.tile(row, (height, 1)).astype(dtype)


def two_colour_rgb(width: int = 40, height: int = 20, left=(255, 0, 0), right=(0, 0, 255)) -> Image.Image:
    pixels = np.zeros((height, width, 3), np.uint8)
    pixels[:, : width // 2] = left
    pixels[:, width // 2 :] = right
    return Image.fromarray(pixels, "RGB")


def random_rgb(width: int = 64, height: int = 48, seed: int = 0) -> Image.Image:
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8), "RGB")


def save(image: Image.Image, path: Path, fmt: str | None = None, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, **kwargs)
    return path


def png_bomb_header(width: int = 60000, height: int = 60000) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's calling card)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 100)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def write_dicom(
    path: Path,
    stored: np.ndarray,
    *,
    photometric: str = "MONOCHROME2",
    slope: float | None = None,
    intercept: float | None = None,
    window: tuple[float, float] | None = None,
    transfer_syntax=ExplicitVRLittleEndian,
    pixel_bytes: bytes | None = None,
    signed: bool = False,
) -> Path:
    """A minimal single-frame DICOM file holding `stored` (uint16 or int16 samples)."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = transfer_syntax
    ds = pydicom.Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = "CT"
    ds.PatientName = "Synthetic^Test"
    ds.Rows, ds.Columns = stored.shape
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = photometric
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1 if signed else 0
    if slope is not None:
        ds.RescaleSlope = slope
        ds.RescaleIntercept = intercept or 0
    if window is not None:
        ds.WindowCenter, ds.WindowWidth = window
    if pixel_bytes is None:
        ds.PixelData = stored.astype(np.int16 if signed else np.uint16).tobytes()
    else:
        from pydicom.encaps import encapsulate

        ds.PixelData = encapsulate([pixel_bytes])
        ds["PixelData"].VR = "OB"
        ds["PixelData"].is_undefined_length = True
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def write_undecodable_dicom(path: Path) -> Path:
    """A DICOM declaring a compression no installed codec decodes (MPEG-2 video)."""
    return write_dicom(path, np.zeros((8, 8), np.uint16), transfer_syntax=MPEG2MPML, pixel_bytes=b"\x00\x00\x01\xb3")


def write_compressed_dicom(path: Path, stored: np.ndarray, syntax) -> Path:
    """`stored` written uncompressed, then compressed by pydicom's own encoders (JPEG-LS,
    JPEG 2000, RLE): what a PACS export holds."""
    write_dicom(path, stored)
    dataset = pydicom.dcmread(path)
    dataset.compress(syntax)
    dataset.save_as(path, enforce_file_format=True)
    return path


def write_palette_dicom(path: Path, indices: np.ndarray, lut: np.ndarray) -> Path:
    """PALETTE COLOR: 8-bit indices and a 256-entry 16-bit colour table (`lut`: 256×3)."""
    write_dicom(path, indices.astype(np.uint16))
    dataset = pydicom.dcmread(path)
    dataset.PhotometricInterpretation = "PALETTE COLOR"
    dataset.BitsAllocated = dataset.BitsStored = 8
    dataset.HighBit = 7
    dataset.PixelData = indices.astype(np.uint8).tobytes()
    for channel in range(3):  # red, green, blue: descriptor (0028,110x) and data (0028,120x)
        dataset.add_new((0x0028, 0x1101 + channel), "US", [256, 0, 16])
        dataset.add_new((0x0028, 0x1201 + channel), "OW", lut[:, channel].astype("<u2").tobytes())
    dataset.save_as(path, enforce_file_format=True)
    return path


def write_dicom_with_tiff_preamble(path: Path, stored: np.ndarray) -> Path:
    """A dual-format file: its 128-byte DICOM preamble is a TIFF header (the standard allows it)."""
    write_dicom(path, stored)
    dataset = pydicom.dcmread(path)
    dataset.preamble = b"II*\x00" + b"\x08\x00\x00\x00" + b"\x00" * 120
    dataset.save_as(path, enforce_file_format=True)
    return path


def write_palette_tiff_1bit(path: Path, bits: np.ndarray, red, blue) -> Path:
    """A 1-bit palette TIFF (colour 0 and colour 1 from the colour map)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    colormap = [red[0], red[1], 0, 0, blue[0], blue[1]]
    tifffile.imwrite(path, bits.astype(bool), photometric="minisblack", extratags=[(320, "H", 6, colormap, True)])
    with tifffile.TiffFile(path, mode="r+b") as tif:
        tif.pages.first.tags["PhotometricInterpretation"].overwrite(3)  # PALETTE
    return path


def write_tiff(path: Path, data: np.ndarray, **kwargs) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tifffile.imwrite(path, data, **kwargs)
    return path


def jpeg_bytes(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", **kwargs)
    return buffer.getvalue()
