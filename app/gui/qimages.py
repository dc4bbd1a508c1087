"""Pixels to QImages: the one place numpy arrays and Pillow images become Qt's (copied, so the
QImage owns its memory after the array is freed)."""

from __future__ import annotations

import numpy as np
from PIL import Image
from PySide6.QtGui import QImage


def array_qimage(pixels: np.ndarray) -> QImage:
    """An H×W×3 (RGB) or H×W×4 (RGBA) uint8 array as a QImage."""
    pixels = np.ascontiguousarray(pixels, dtype=np.uint8)
    height, width, channels = pixels.shape
    fmt = QImage.Format.Format_RGBA8888 if channels == 4 else QImage.Format.Format_RGB888
    return QImage(pixels.data, width, height, channels * width, fmt).copy()


def to_qimage(image: Image.Image) -> QImage:
    """A Pillow image as an RGB QImage."""
    return array_qimage(np.asarray(image.convert("RGB")))
