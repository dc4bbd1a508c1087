"""The same training run from the window and from `loupe train`: does the window slow training
down, and does training freeze the window?

    python bench/gui_train.py [--images 300] [--epochs 4] [--method full] [--workers 0 2] [--repeat 2]

Makes a labelled project (tests/tiny_models.py's colour images) and a small ViT (64 px, 4 layers,
random weights, saved here with `save_pretrained`: no network), then for each `--workers` value
runs the same TrainConfig (device cpu, seed 0) both ways, each in a fresh process, interleaved:

- CLI: `app.cli.main(["train", ...])`, the code behind `loupe train`, timed around that call;
- GUI: the real app (LoupeApp opens the project in a MainWindow, qasync's event loop runs);
  once Train is ready, a QTimer fills the form and calls the Train tab's `start()`; the time
  runs from there to `runFinished`, while a 10 ms heartbeat timer (app/gui/heartbeat.py)
  records the GUI thread's worst stall (and the GUI thread's own CPU seconds during the run).

Both sides load the ML libraries before their timer starts (the CLI with preload_ml_libraries,
the window in the background as it always does), so the timers hold the run alone. Prints the
median seconds of each side, the ratio GUI/CLI (goal <= 1.1x) and the worst stall (goal < 50 ms).

Measured 2026-11-29, 2 shared CPU cores, `--epochs 15 --repeat 2`, quiet machine: workers 0:
CLI 11.0 s, GUI 12.2-12.4 s (1.11-1.13x), worst stall 16-19 ms; workers 2: 17.2 s vs 17.2-19.1 s
(1.00-1.11x), worst stall 19-26 ms. The gap is about the GUI thread's own CPU time (1.0-1.4 s
per run: progress and curve updates, ~4 ms a step) on a machine with 2 cores that torch uses
fully. While another process trained on the same cores: 1.55-2.27x and 136-209 ms.
After the Train tab redrew its bar at most 10 times a second instead of every step (same
command): workers 0: CLI 11.1 s, GUI 12.2 s (1.10x), worst stall 14 ms, GUI-thread CPU 0.8 s;
workers 2: 18.2 s vs 19.3 s (1.06x), worst stall 19 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IMAGE_SIZE = 64


def save_small_vit(folder: Path, classes: int = 3) -> Path:
    """A ViT small enough for a CPU run of seconds, big enough that steps are not all overhead."""
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    config = ViTConfig(
        image_size=IMAGE_SIZE,
        patch_size=8,
        hidden_size=128,
        num_hidden_layers=4,
        num_attention_heads=4,
        intermediate_size=256,
        num_labels=classes,
    )
    torch.manual_seed(0)
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}).save_pretrained(folder)
    return folder


def train_config(model: Path, method: str, epochs: int, workers: int):
    from app.core.training.config import TrainConfig

    return TrainConfig(
        model=str(model),
        method=method,
        epochs=epochs,
        workers=workers,
        device="cpu",
        batch_size=16,
        lr=1e-3,
        patience=0,
        seed=0,
    )


def cli_arguments(project: Path, config) -> list[str]:
    """`loupe train` flags for every field of `config` (the CLI's flags are the field names)."""
    arguments = ["train", str(project)]
    for name, value in asdict(config).items():
        flag = "--" + name.replace("_", "-")
        if isinstance(value, bool):
            arguments.append(flag if value else "--no-" + name.replace("_", "-"))
        elif value is not None:
            arguments += [flag, str(value)]
    return arguments + ["--json"]


def run_cli_child(project: Path, config) -> dict:
    """In this process: the `loupe train` code, timed around the call, libraries loaded first."""
    from app.cli import main as cli_main
    from app.core.training.preload import preload_ml_libraries

    preload_ml_libraries()
    started = time.perf_counter()
    status = cli_main(cli_arguments(project, config))
    return {"seconds": time.perf_counter() - started, "exit": status}


def run_gui_child(project: Path, config, settings_file: Path) -> dict:
    """In this process: the real app on `project`; Train pressed once the libraries are in."""
    import asyncio

    import qasync
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from app.gui.app import LoupeApp
    from app.gui.app_settings import AppSettings
    from app.gui.heartbeat import Heartbeat

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    shell = LoupeApp(AppSettings(QSettings(str(settings_file), QSettings.Format.IniFormat)))
    window = shell.open_project(str(project), interactive=False)
    heartbeat = Heartbeat(window)
    result: dict = {}

    def press_train_when_ready() -> None:
        if not window.training.ready_to_train:
            QTimer.singleShot(50, press_train_when_ready)
            return
        panel = window.training.panel
        panel.form.set_value(config)
        panel.confirm = lambda warnings: True  # the CPU warning would wait for a click
        panel.runFinished.connect(lambda run: finish(run.status))
        panel.runFailed.connect(lambda message: finish(f"failed: {message}"))
        heartbeat.start()
        result["gui_cpu"] = time.thread_time()
        result["started"] = time.perf_counter()
        result["started_wall"] = time.time()
        panel.start()

    def finish(status: str) -> None:
        result["seconds"] = time.perf_counter() - result.pop("started")
        result["stalls"] = [(round(at - result["started_wall"], 1), ms) for at, ms in heartbeat.notable][:20]
        result["gui_thread_cpu_s"] = round(time.thread_time() - result.pop("gui_cpu"), 1)
        heartbeat.stop()
        del result["started_wall"]
        result.update(
            status=status, worst_stall_ms=round(heartbeat.worst_ms, 1), stalls_over_30ms=len(heartbeat.notable)
        )
        QTimer.singleShot(0, lambda: (window.close(), app.exit(0)))

    QTimer.singleShot(0, press_train_when_ready)
    with loop:
        loop.run_forever()
    return result


def child(side: str, workdir: Path, method: str, epochs: int, workers: int) -> dict:
    """One side's run in a fresh process; returns its JSON result."""
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            side,
            "--workdir",
            str(workdir),
            "--method",
            method,
            "--epochs",
            str(epochs),
            "--workers",
            str(workers),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        env={
            **__import__("os").environ,
            "QT_QPA_PLATFORM": "offscreen",
            "HF_HUB_OFFLINE": "1",
            "HOME": str(workdir / "home"),
        },
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith('{"bench"')]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{side} child failed ({done.returncode}): {done.stderr[-3000:]}")
    return json.loads(lines[-1])["bench"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--method", default="full")
    parser.add_argument("--workers", type=int, nargs="+", default=[0, 2], help="DataLoader workers (2 is the default)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", choices=("cli", "gui"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_child(args)
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        from tests.tiny_models import make_colour_project

        make_colour_project(workdir, per_class=max(1, args.images // 3))
        save_small_vit(workdir / "small-vit")
        rows = []
        for workers in args.workers:
            runs: dict[str, list[dict]] = {"cli": [], "gui": []}
            for repeat in range(args.repeat):
                for side in ("cli", "gui"):
                    runs[side].append(child(side, workdir, args.method, args.epochs, workers))
                    print(f"  workers {workers} {side} #{repeat + 1}: {runs[side][-1]}", flush=True)
            rows.append((workers, runs))
    print(
        f"\n{args.method}, {args.epochs} epochs, {args.images} images of {IMAGE_SIZE} px, small ViT on the CPU; "
        f"median of {args.repeat}"
    )
    print(f"{'workers':>8} {'CLI s':>8} {'GUI s':>8} {'GUI/CLI':>8} {'worst GUI stall ms':>19}")
    for workers, runs in rows:
        cli = statistics.median(run["seconds"] for run in runs["cli"])
        gui = statistics.median(run["seconds"] for run in runs["gui"])
        stall = max(run["worst_stall_ms"] for run in runs["gui"])
        print(f"{workers:>8} {cli:8.1f} {gui:8.1f} {gui / cli:7.2f}x {stall:19.0f}")


def run_child(args: argparse.Namespace) -> None:
    config = train_config(args.workdir / "small-vit", args.method, args.epochs, args.workers[0])
    project = args.workdir / "train.loupe"
    if args.child == "cli":
        result = run_cli_child(project, config)
    else:
        result = run_gui_child(project, config, args.workdir / f"settings-{time.time_ns()}.ini")
    print(json.dumps({"bench": result}), flush=True)


if __name__ == "__main__":
    main()
