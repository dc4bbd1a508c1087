"""Window/level: how high-bit-depth samples (16-bit, float, DICOM) become 8-bit display values.

A window is a centre and a width in the data's own units (Hounsfield units for CT). Values below
the window show black and above it white; inside it they are spread linearly over 0..255. When the
file does not say which window to use, a robust one is taken from the 0.5th and 99.5th
percentiles, so a few hot pixels cannot wash the image out and no data is clipped at an arbitrary
8-bit boundary.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Percentiles for the automatic window: robust to a few outliers at either end.
AUTO_PERCENTILES = (0.5, 99.5)
#: Above this many samples the automatic window is computed on a regular subsample (speed).
_MAX_SAMPLES_FOR_PERCENTILES = 1_000_000


@dataclass(frozen=True)
class Window:
    centre: float
    width: float

    @property
    def low(self) -> float:
        return self.centre - self.width / 2

    @property
    def high(self) -> float:
        return self.centre + self.width / 2

    @classmethod
    def from_range(cls, low: float, high: float) -> Window:
        return cls(centre=(low + high) / 2, width=max(high - low, 1e-12))


#: The usual CT windows by name (centre, width in Hounsfield units), offered for CT images.
CT_PRESETS: dict[str, Window] = {
    "Soft tissue": Window(40, 400),
    "Lung": Window(-600, 1500),
    "Bone": Window(300, 1500),
    "Brain": Window(40, 80),
    "Liver": Window(60, 160),
}


def auto_window(samples: np.ndarray) -> Window:
    """A window spanning the robust range of `samples` (NaN and infinities ignored)."""
    flat = samples.reshape(-1)
    if flat.size > _MAX_SAMPLES_FOR_PERCENTILES:
        flat = flat[:: flat.size // _MAX_SAMPLES_FOR_PERCENTILES + 1]
    if flat.dtype.kind == "f":
        flat = flat[np.isfinite(flat)]
    if flat.size == 0:
        return Window(centre=0.5, width=1.0)
    low, high = np.percentile(flat, AUTO_PERCENTILES)
    if high <= low:  # a flat image: show it mid-grey rather than dividing by zero
        return Window(centre=float(low), width=1.0)
    return Window.from_range(float(low), float(high))


def apply_window(samples: np.ndarray, window: Window) -> np.ndarray:
    """Map `samples` through `window` to uint8 (NaN shows as black)."""
    scaled = (samples.astype(np.float32) - np.float32(window.low)) * np.float32(255.0 / window.width)
    np.clip(scaled, 0, 255, out=scaled)
    if samples.dtype.kind == "f":
        scaled[~np.isfinite(samples)] = 0
    return scaled.astype(np.uint8)
