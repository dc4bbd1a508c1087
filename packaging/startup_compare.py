"""Cold start of the bundle next to `python main.py`: the same sample project opened by both, in
turn, several times each; prints the medians and the ratio bundle / python.

    python packaging/startup_compare.py [--dist dist] [--repeat 5] [--window 3]

Each launch runs `EXECUTABLE PROJECT --startup-report WINDOW` (offscreen unless QT_QPA_PLATFORM
is set) with a fresh HOME and the project's thumbnail cache deleted, as bench/startup.py does,
and is timed the same way on both sides: from just before the process is launched (wall clock)
to the window's first paint, to the visible thumbnails painted, and to Train ready (torch,
transformers and peft loaded in the background). The two sides alternate, so both see the same
machine load. The files stay in the operating system's cache between launches (dropping it
needs root): these are warm-disk-cache starts. `--evict` asks the kernel to drop each side's
files from the page cache before every launch (posix_fadvise DONTNEED on every file of the
bundle folder, or of the checkout's `app/` and the Python environment: no root needed, clean
pages only); that is as close to a cold start as this machine allows, though a virtual
machine's host may still hold the files in its own cache.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "packaging"))

from check_bundle import executables  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from startup import launch  # noqa: E402  (one launch, timed as bench/startup.py times it)

from app.core.importing.sample import create_sample_project  # noqa: E402

MEASURES = (
    ("first_paint_s", "launch -> first paint (s)"),
    ("thumbnails_s", "launch -> thumbnails painted (s)"),
    ("ready_s", "launch -> ready to train (s)"),
    ("rss_ready_mb", "peak RSS at ready to train (MB)"),
)


def evict(folders: list[Path]) -> int:
    """Ask the kernel to drop these folders' files from the page cache; returns the bytes."""
    total = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if not path.is_file() or path.is_symlink():
                continue
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                continue
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                total += os.fstat(fd).st_size
            finally:
                os.close(fd)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--window", type=float, default=3.0, help="seconds of heartbeat after the window is created")
    parser.add_argument("--evict", action="store_true", help="drop each side's files from the page cache first")
    args = parser.parse_args()
    window, _ = executables(args.dist)
    sides = {"python": [sys.executable, str(ROOT / "main.py")], "bundle": [str(window)]}
    files = {"python": [ROOT / "app", Path(sys.prefix), Path(sys.base_prefix) / "lib"], "bundle": [window.parent]}
    runs: dict[str, list[dict]] = {side: [] for side in sides}
    with tempfile.TemporaryDirectory(prefix="loupe-startup-") as tmp:
        project = create_sample_project(Path(tmp))
        for repeat in range(args.repeat):
            for side, command in sides.items():
                if args.evict:
                    evict(files[side])
                shutil.rmtree(Path(tmp) / "home", ignore_errors=True)
                result = launch(project, [], args.window, Path(tmp) / "home", command=command)
                runs[side].append(result)
                said = ", ".join(f"{key} {result[key]:.2f}" for key, _ in MEASURES)
                print(f"  {side} #{repeat + 1}: {said}", flush=True)
    cache = "page cache dropped before each launch (--evict)" if args.evict else "warm disk cache"
    print(f"\nSample project (60 images), median of {args.repeat} launches each, {cache}")
    print(f"{'':36} {'python':>9} {'bundle':>9} {'bundle/python':>14}")
    for key, label in MEASURES:
        python = statistics.median(run[key] for run in runs["python"])
        bundle = statistics.median(run[key] for run in runs["bundle"])
        print(f"{label:36} {python:9.2f} {bundle:9.2f} {bundle / python:13.2f}x")
    first = {side: runs[side][0]["first_paint_s"] for side in sides}
    print(f"first launch of each (first paint, s): python {first['python']:.2f}, bundle {first['bundle']:.2f}")


if __name__ == "__main__":
    main()
