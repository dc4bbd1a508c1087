"""Import speed: Loupe's import next to a naive single-thread loop, on the same files, in one run.

    python bench/import_speed.py [--count 2000] [--repeat 2]

Generates ~2,000 photo-like JPEGs of 500×380, then times:
  naive  — for each file: open, sha256, full decode, thumbnail (one thread, no database);
  loupe  — `import_paths` into a new project (hash, header checks, decode, thumbnail, SQLite
           writes and the thumbnail cache), using every core.
Prints images/s for both and the ratio (goal: >= 1.6x on 2 cores). The best of --repeat runs
counts for each, so a noisy neighbour does not decide the result.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.importing.importer import import_paths  # noqa: E402
from app.core.project.store import Project  # noqa: E402

THUMBNAIL = 256


def photo_like(seed: int, width: int = 500, height: int = 380) -> Image.Image:
    """Smooth colour fields plus mild noise: compresses and decodes like a real photograph."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    channels = []
    for _ in range(3):
        fx, fy, phase = rng.uniform(0.005, 0.04, 2).tolist() + [rng.uniform(0, 6.28)]
        channels.append(127 + 100 * np.sin(x * fx + y * fy + phase))
    pixels = np.dstack(channels) + rng.normal(0, 12, (height, width, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def make_images(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"img{i:05}.jpg"
        if not path.exists():
            photo_like(i).save(path, quality=90)
        paths.append(path)
    return paths


def naive(paths: list[Path]) -> float:
    started = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            rgb = image.convert("RGB")
            rgb.thumbnail((THUMBNAIL, THUMBNAIL))
            rgb.save(io.BytesIO(), "JPEG", quality=85)
    return len(paths) / (time.perf_counter() - started)


def loupe(folder: Path, count: int, workdir: Path, run: int) -> float:
    project_path = workdir / f"bench-{run}.loupe"
    with Project.create(project_path) as project:
        started = time.perf_counter()
        report = import_paths(project, [folder])
        elapsed = time.perf_counter() - started
    assert report.added == count, report
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print(f"generating {args.count} JPEGs of 500x380 ...", flush=True)
        paths = make_images(workdir / "images", args.count)
        naive_rate = loupe_rate = 0.0
        for run in range(args.repeat):
            naive_rate = max(naive_rate, naive(paths))
            loupe_rate = max(loupe_rate, loupe(workdir / "images", args.count, workdir, run))
        print(f"cores: {os.cpu_count()}, images: {args.count}")
        print(f"naive single-thread loop : {naive_rate:8.1f} images/s")
        print(f"loupe import             : {loupe_rate:8.1f} images/s")
        print(f"ratio (loupe / naive)    : {loupe_rate / naive_rate:8.2f}x   (goal >= 1.6x)")


if __name__ == "__main__":
    main()
