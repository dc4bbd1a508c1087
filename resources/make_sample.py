"""Generate the sample images in resources/sample/ (run once; the output is committed).

Synthetic fluorescence-microscopy-like fields of view: dark background with noise, and cells that
are round ("healthy"), spiky ("irregular"), or absent ("no-cells"). Deterministic (fixed seeds).

    python resources/make_sample.py
"""

from pathlib import Path

import numpy as np
from PIL import Image

SIZE = 128
OUT = Path(__file__).resolve().parent / "sample"
PER_CLASS = 16
UNLABELLED = 12


def cell_mask(rng, yy, xx, spiky: bool) -> np.ndarray:
    cy, cx = rng.uniform(20, SIZE - 20, 2)
    radius = rng.uniform(9, 16)
    angle = np.arctan2(yy - cy, xx - cx)
    if spiky:
        radius = radius * (1 + 0.45 * np.sin(rng.integers(5, 9) * angle + rng.uniform(0, 6.3)))
    return np.hypot(yy - cy, xx - cx) < radius


def field(kind: str, seed: int) -> Image.Image:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    green = rng.normal(18, 6, (SIZE, SIZE))
    blue = rng.normal(14, 5, (SIZE, SIZE))
    if kind != "no-cells":
        for _ in range(rng.integers(2, 5)):
            mask = cell_mask(rng, yy, xx, spiky=(kind == "irregular"))
            green[mask] += rng.uniform(120, 190)
            nucleus = mask & (np.hypot(yy - yy[mask].mean(), xx - xx[mask].mean()) < 5)
            blue[nucleus] += 170
    red = rng.normal(10, 4, (SIZE, SIZE))
    pixels = np.clip(np.dstack([red, green, blue]), 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, "RGB")


def main() -> None:
    kinds = ("healthy", "irregular", "no-cells")
    for k, kind in enumerate(kinds):
        folder = OUT / "labelled" / kind
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(PER_CLASS):
            field(kind, seed=1000 * k + i).save(folder / f"{kind}-{i:02}.jpg", quality=88)
    folder = OUT / "unlabelled"
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(UNLABELLED):
        field(kinds[i % 3], seed=9000 + i).save(folder / f"field-{i:02}.jpg", quality=88)


if __name__ == "__main__":
    main()
