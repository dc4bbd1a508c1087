"""Peak memory of importing (and training on) very large images.

    python bench/import_memory.py [--count 4] [--side 15800] [--workers 4]

Writes `--count` RGB PNGs of `--side`² pixels (250 megapixels at the default, under Loupe's
limit; about 770 KB each on disk, as scans of mostly background are), one 16-bit greyscale TIFF
of the same size and one large JPEG, then runs `loupe import --workers N` on them in a process of
its own and prints that process's peak resident memory (goal: under ~1.5 GB whatever the image
size). Then one epoch of a linear probe on those images (a tiny ViT made here, DataLoader workers
2) and its peak. Needs about 3 GB of free memory to write the files.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402


def write_images(folder: Path, count: int, side: int) -> list[Path]:
    import tifffile

    paths = []
    for i in range(count):
        row = ((np.arange(side) + 7 * i) % 256).astype(np.uint8)
        pixels = np.empty((side, side, 3), np.uint8)
        pixels[:] = row[None, :, None]
        pixels[:: 50 + i] = i
        path = folder / ("a" if i % 2 else "b") / f"scan{i}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(path, compress_level=6)
        paths.append(path)
        del pixels
    grey = np.tile(np.linspace(0, 60000, side, dtype=np.uint16), (side, 1))
    tifffile.imwrite(folder / "a" / "grey16.tif", grey, compression="zlib")
    del grey
    photo = np.random.default_rng(0).integers(0, 255, (side // 2, side // 2, 3), dtype=np.uint8)
    Image.fromarray(photo).save(folder / "b" / "photo.jpg", quality=80)
    return paths


#: Runs `python -m app ARGS` and prints its own peak resident memory (KiB on Linux) last on stderr.
_MEASURED = (
    "import resource, runpy, sys\n"
    "sys.argv = ['loupe', *sys.argv[1:]]\n"
    "try:\n    runpy.run_module('app', run_name='__main__')\n"
    "finally:\n    print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
    "          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
)


def peak_of(arguments: list[str]) -> tuple[float, float, float]:
    """(seconds, peak resident GB, largest child's peak GB) of `loupe ARGUMENTS`, measured by
    that process itself (its children: DataLoader workers)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", _MEASURED, *arguments], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    peaks = [line for line in result.stderr.splitlines() if line.startswith("PEAK ")]
    if not peaks or "error" in result.stderr.split("PEAK")[0].lower():
        raise SystemExit(f"loupe {' '.join(arguments)} failed: {result.stderr[-500:]}")
    _, own, children = peaks[-1].split()
    return seconds, int(own) / 1024 / 1024, int(children) / 1024 / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=4)
    parser.add_argument("--side", type=int, default=15800)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--write-only", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_only:
        write_images(Path(args.write_only), args.count, args.side)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # Written by another process: this one stays small while it measures.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--write-only",
                str(folder / "images"),
                "--count",
                str(args.count),
                "--side",
                str(args.side),
            ],
            check=True,
        )
        size = sum(p.stat().st_size for p in (folder / "images").rglob("*") if p.is_file())
        print(
            f"{args.count} PNGs + 1 16-bit TIFF + 1 JPEG of up to {args.side}² pixels "
            f"({args.side**2 / 1e6:.0f} MP), {size / 1e6:.1f} MB on disk"
        )
        subprocess.run(
            [sys.executable, "-m", "app", "new", str(folder / "p")], check=True, capture_output=True, cwd=ROOT
        )
        seconds, peak, _ = peak_of(
            [
                "import",
                str(folder / "p"),
                str(folder / "images"),
                "--labels-from-folders",
                "--workers",
                str(args.workers),
            ]
        )
        print(f"import, {args.workers} workers: {seconds:.1f} s, peak {peak:.2f} GB   (goal < 1.5 GB)")

        from tests.tiny_models import save_tiny_vit

        model = save_tiny_vit(folder / "vit")
        seconds, peak, worker = peak_of(
            [
                "train",
                str(folder / "p"),
                "--model",
                str(model),
                "--method",
                "full",
                "--epochs",
                "1",
                "--batch-size",
                "2",
                "--workers",
                "2",
                "--device",
                "cpu",
                "--val-fraction",
                "0.3",
            ]
        )
        print(
            f"one epoch of training, 2 DataLoader workers: {seconds:.1f} s, peak {peak:.2f} GB in the main "
            f"process, {worker:.2f} GB in the largest worker (each decodes under a budget of its own)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
