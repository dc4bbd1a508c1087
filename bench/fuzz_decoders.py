"""Decoder fuzzing: valid files of every format Loupe reads, mutated, decoded one by one.

    python bench/fuzz_decoders.py [--files 5000] [--seed 0] [--memory-gb 3] [--seconds 20]

The seeds are JPEG, PNG (8- and 16-bit), GIF, BMP, DIB, WebP, TIFF (RGB, 16-bit zlib, float,
6-band planar, bilevel G4, 1-bit palette) and DICOM (plain, MONOCHROME1, JPEG-LS, JPEG 2000,
RLE, palette). Each mutant has bits flipped, is cut short, has header bytes or a 32-bit length
overwritten, a run of random bytes, or bytes inserted. Each is decoded in a worker process
limited to `--memory-gb` of address space and `--seconds` per file. Prints files tried, decoded,
refused with a one-line reason, crashes, hangs and reasons that are not one line (the last three
must be 0), and the worker's peak memory. Crashing or hanging files are kept in ./fuzz-failures.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import abuse  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--memory-gb", type=float, default=3)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        seeds = abuse.seed_files(folder / "seeds")
        worker = abuse.DecodeWorker(memory_bytes=int(args.memory_gb * 1024**3), seconds=args.seconds)
        started = time.perf_counter()
        try:
            report = abuse.fuzz_decoders(seeds, folder / "mutants", args.files, random.Random(args.seed), worker)
        finally:
            peak = worker.peak_kib()
            worker.close()
        kept = [p for p in (folder / "mutants").iterdir() if p.name.startswith(("crash-", "hang-"))]
        if kept:
            out = Path("fuzz-failures")
            out.mkdir(exist_ok=True)
            for path in kept:
                shutil.copy(path, out / path.name)
    formats = Counter(seed.suffix for seed in seeds)
    print(
        f"{len(seeds)} seed files ({', '.join(f'{n} {s}' for s, n in sorted(formats.items()))}); "
        f"{report.tried} mutants in {time.perf_counter() - started:.0f} s"
    )
    print(
        f"decoded {report.decoded}, refused with a one-line reason {report.refused}, crashes {len(report.crashes)}, "
        f"hangs {len(report.hangs)}, reasons not one line {len(report.bad_reasons)}; worker peak memory "
        f"{peak / 1024:.0f} MB (limit {args.memory_gb:g} GB)"
    )
    for line in (report.crashes + report.hangs + report.bad_reasons)[:20]:
        print("  ", line)
    return 1 if report.crashes or report.hangs or report.bad_reasons else 0


if __name__ == "__main__":
    sys.exit(main())
