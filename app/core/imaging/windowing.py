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


#: The usual CT windows by name (centre, width in Hounsfield units): the values radiology
#: viewers ship (e.g. Radiopaedia's "windowing (CT)" table), offered for every CT image.
CT_PRESETS: dict[str, Window] = {
    "Lung": Window(-600, 1500),
    "Mediastinum": Window(50, 350),
    "Bone": Window(400, 1800),
    "Brain": Window(40, 80),
    "Liver": Window(60, 160),
    "Soft tissue": Window(40, 400),
}

#: The name of the automatic window in a preset list; its value is None, meaning "computed from
#: the pixels" (`auto_window`), which a viewer does off its GUI thread, where it renders.
AUTO_PRESET = "Auto (robust range)"


@dataclass(frozen=True)
class ModalityPresets:
    """Which windows a modality offers: fixed ones in calibrated units (CT's Hounsfield units
    mean the same in every scanner), and whether the file's own windows are worth offering
    (MR and projection X-ray have no absolute units: only the file, or the pixels, know)."""

    fixed: dict[str, Window]
    file_windows: bool = True


#: Window presets by DICOM Modality (0008,0060). A modality not listed gets `OTHER_MODALITY`:
#: the file's windows and the automatic one. For CT the file's window stays one click away
#: (the viewer's reset), and the named presets are what a radiologist reaches for.
MODALITY_PRESETS: dict[str, ModalityPresets] = {
    "CT": ModalityPresets(CT_PRESETS, file_windows=False),
    **{
        modality: ModalityPresets({})
        for modality in ("MR", "CR", "DX", "MG", "XA", "RF", "IO", "PX", "RG", "PT", "NM", "US", "OT")
    },
}
OTHER_MODALITY = ModalityPresets({})


def window_presets(modality: str, file_windows: dict[str, Window] | None = None) -> dict[str, Window | None]:
    """The windows to offer for an image of `modality` whose file names `file_windows`, in the
    order to show them: the automatic one first (value None: computed from the pixels), then the
    modality's fixed presets, then the file's own (a file window named like a preset is kept
    under "NAME (file)")."""
    family = MODALITY_PRESETS.get((modality or "").strip().upper(), OTHER_MODALITY)
    presets: dict[str, Window | None] = {AUTO_PRESET: None, **family.fixed}
    if family.file_windows:
        for name, window in (file_windows or {}).items():
            presets[f"{name} (file)" if name in presets else name] = window
    return presets


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
