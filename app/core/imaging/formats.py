"""Which image format a file holds, decided from its first bytes, never from its name.

The name only decides how a file that is not a readable image is reported: a `.jpg` whose bytes
are not an image is *rejected* (the user meant it as an image and should hear why), a `notes.txt`
is *skipped* (it was never meant to be one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: How many leading bytes `sniff_format` needs (DICOM's "DICM" sits at offset 128).
SNIFF_BYTES = 132


@dataclass(frozen=True)
class Signature:
    format: str
    matches: Callable[[bytes], bool]


def _dicom_without_preamble(head: bytes) -> bool:
    # Old or raw DICOM files start directly with a group-0008 element in explicit VR little
    # endian: tag group 0x0008, then a two-letter uppercase VR.
    return len(head) >= 6 and head[0:2] == b"\x08\x00" and head[4:6].isalpha() and head[4:6].isupper()


def _dib(head: bytes) -> bool:
    """A Windows device-independent bitmap: a BMP without its 14-byte file header (what the
    clipboard holds), starting with its info header's size, then one colour plane."""
    if len(head) < 16:
        return False
    size = int.from_bytes(head[:4], "little")
    if size == 12:
        return head[8:10] == b"\x01\x00" and int.from_bytes(head[10:12], "little") in (1, 4, 8, 24)
    return (
        size in (40, 52, 56, 64, 108, 124)
        and head[12:14] == b"\x01\x00"
        and (int.from_bytes(head[14:16], "little") in (1, 4, 8, 16, 24, 32))
    )


#: Content signatures, checked in order. Add a format by adding a line (and a decoder).
SIGNATURES: tuple[Signature, ...] = (
    # First: a DICOM file's 128-byte preamble may hold anything, a TIFF header included (the
    # standard allows files that are DICOM and TIFF at once); "DICM" at 128 decides.
    Signature("dicom", lambda h: h[128:132] == b"DICM"),
    Signature("jpeg", lambda h: h[:3] == b"\xff\xd8\xff"),
    Signature("png", lambda h: h[:8] == b"\x89PNG\r\n\x1a\n"),
    Signature("gif", lambda h: h[:6] in (b"GIF87a", b"GIF89a")),
    Signature("bmp", lambda h: h[:2] == b"BM" and len(h) >= 26),
    Signature("webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    Signature("tiff", lambda h: h[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")),
    Signature("dicom", _dicom_without_preamble),
    Signature("dib", _dib),
)

#: Names users give to image files; used only to tell "rejected" from "skipped" (see above).
IMAGE_SUFFIXES = frozenset(".jpg .jpeg .jpe .jfif .png .gif .bmp .dib .webp .tif .tiff .dcm .dicom .ima".split())


def sniff_format(head: bytes) -> str | None:
    """The format name for a file starting with `head` (>= SNIFF_BYTES bytes if available)."""
    for signature in SIGNATURES:
        if signature.matches(head):
            return signature.format
    return None


def looks_like_image_name(path: str | Path) -> bool:
    return Path(path).suffix.lower() in IMAGE_SUFFIXES
