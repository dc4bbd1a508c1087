"""Start-up of the desktop app: the window first, the ML libraries after it, against the old
start-up that loaded them behind a splash screen before the window.

    python bench/startup.py [--images 300] [--repeat 3] [--window 15]

Makes a project of `--images` small labelled images (tests/tiny_models.py's colour project),
then launches the real app (`python main.py PROJECT --startup-report WINDOW`, offscreen unless
QT_QPA_PLATFORM is set) as a subprocess, both ways in turn in the same run:

- new: the window is shown at once; torch, transformers and peft load in a background thread
  after the first paint (app/gui/ml_loader.py);
- old: the same command with `--preload-before-window`, which loads them behind the splash.

Both sides are timed the same way: from just before the process is launched (wall clock) to the
window's first paint, to the visible thumbnails painted, and to Train ready; the peak resident
memory at first paint and at ready; and the worst stall of the GUI thread (a 10 ms heartbeat
timer) from the first paint to WINDOW seconds after the window was created. The thumbnail cache
is deleted before every launch, so both sides decode the thumbnails. Prints the median of the
repeats and the ratio new/old.

Measured 2026-11-29, 2 shared CPU cores, 300 images (median of 3): first paint 0.64 s vs 4.90 s
(0.13x), thumbnails 0.68 vs 4.93 s, Train ready 4.18 vs 5.06 s, peak RSS at first paint 161 vs
1069 MB and at ready 927 vs 1074 MB, worst stall 12.0 vs 11.6 ms (44 ms in one launch of an
earlier run while other jobs loaded the machine).

Measured 2026-12-03, the same 2 cores shared with other engineers' tests (load average 1.6-3.0,
so everything took about 3x as long as above), 300 images, median of 3, two runs: first paint
1.99 / 2.03 s vs 11.90 / 11.34 s, thumbnails 2.05 / 2.08 vs 11.96 / 11.41 s, Train ready 11.45 /
10.97 vs 12.09 / 11.54 s, peak RSS at first paint 163 vs 1064 MB and at ready 923 vs 1068 MB,
worst stall 48.1 / 58.3 vs 43.8 / 36.3 ms. Each launch's worst stall now comes ~0.2 s after the
first paint, from the window building its bottom dock, before the libraries start loading;
during the load none was over 34 / 59 ms. Before issue 20's fix, between those runs: worst stall
76.6 ms, and 256 ms (medians) in runs at a load of 1-3 where the libraries took 10-19 s to load:
the window's once-a-second garbage collector walked every object the imports had made so far
(30-160 ms a time, 0.35 s for a full pass). app/core/training/preload.py now freezes them out of
its way as they are made.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.tiny_models import make_colour_project  # noqa: E402

MODES = {"new": [], "old": ["--preload-before-window"]}
MEASURES = (  # (key, label, unit)
    ("first_paint_s", "launch -> first paint", "s"),
    ("thumbnails_s", "launch -> thumbnails painted", "s"),
    ("ready_s", "launch -> ready to train", "s"),
    ("rss_first_paint_mb", "peak RSS at first paint", "MB"),
    ("rss_ready_mb", "peak RSS at ready to train", "MB"),
    ("worst_stall_ms", "worst GUI-thread stall after first paint", "ms"),
)


def launch(project: Path, flags: list[str], window_s: float, home: Path, command: list[str] | None = None) -> dict:
    """One launch of the app (`command`, default `python main.py`; packaging/startup_compare.py
    passes the bundle's); its report, with times relative to the launch."""
    shutil.rmtree(project.with_name(project.name + "-cache"), ignore_errors=True)  # as Project.cache_dir
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home), "XDG_CONFIG_HOME": str(home)}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    launched = time.time()
    done = subprocess.run(
        [
            *(command or [sys.executable, str(ROOT / "main.py")]),
            str(project),
            "--startup-report",
            str(window_s),
            *flags,
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    if done.returncode != 0:
        raise SystemExit(f"the app failed ({done.returncode}): {done.stderr[-2000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    events = report["events"]
    return {
        "first_paint_s": events["first_paint"]["time"] - launched,
        "thumbnails_s": events["thumbnails_painted"]["time"] - launched,
        "ready_s": events["ready_to_train"]["time"] - launched,
        "rss_first_paint_mb": events["first_paint"]["peak_rss_mb"],
        "rss_ready_mb": events["ready_to_train"]["peak_rss_mb"],
        "worst_stall_ms": report["worst_stall_ms"],
        "ml_at_first_paint": events["first_paint"]["ml_modules"],
        "stalls": [(round(at - launched, 2), ms) for at, ms in report["stalls"]],
        "ml_loading": (
            [
                round(events["ml_loaded"]["time"] - events["ml_loaded"]["seconds"] - launched, 2),
                round(events["ml_loaded"]["time"] - launched, 2),
            ]
            if "ml_loaded" in events
            else None
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--window", type=float, default=15.0, help="seconds of heartbeat after the window is created")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_colour_project(folder, per_class=max(1, args.images // 3))
        runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for repeat in range(args.repeat):
            for mode, flags in MODES.items():  # interleaved, so both sides see the same machine load
                result = launch(project, flags, args.window, folder / "home")
                runs[mode].append(result)
                print(
                    f"  {mode} #{repeat + 1}: "
                    + ", ".join(
                        f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}"
                        for key, value in result.items()
                    ),
                    flush=True,
                )
    print(
        f"\nStart-up on {args.images} images, median of {args.repeat} launches (new: window first; "
        f"old: --preload-before-window)"
    )
    print(f"{'':44} {'new':>9} {'old':>9} {'new/old':>8}")
    for key, label, unit in MEASURES:
        new = statistics.median(run[key] for run in runs["new"])
        old = statistics.median(run[key] for run in runs["old"])
        print(f"{label + ' (' + unit + ')':44} {new:9.2f} {old:9.2f} {new / old if old else float('nan'):7.2f}x")
    loaded = sorted({name for run in runs["new"] for name in run["ml_at_first_paint"]})
    print(f"ML libraries loaded at the new first paint: {loaded or 'none'}")


if __name__ == "__main__":
    main()
