"""Decoders by format name. `decode()` and `probe()` look a format up here; no if/elif chain."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from app.core.imaging.decoded import DecodedImage, ImageInfo
from app.core.imaging.options import DecodeOptions

ProbeFn = Callable[[BinaryIO, str, DecodeOptions], ImageInfo]
DecodeFn = Callable[[BinaryIO, str, DecodeOptions], DecodedImage]


@dataclass(frozen=True)
class Decoder:
    """Reads one family of formats. `probe` reads the header only; `decode` the first frame."""

    name: str
    probe: ProbeFn
    decode: DecodeFn


DECODERS: dict[str, Decoder] = {}


def register_decoder(decoder: Decoder, *formats: str) -> Decoder:
    for fmt in formats:
        DECODERS[fmt] = decoder
    return decoder
