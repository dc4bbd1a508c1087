"""Check a built bundle by running it, as a user would (`make bundle-check`):

    python packaging/check_bundle.py [--dist dist] [--no-train]

1. the window executable with `--version` prints Loupe's version;
2. the command line makes the sample project from the images inside the bundle (`loupe new`,
   `loupe import ... --labels-from-folders`, `loupe import`) and `loupe info --json` on it shows
   what the sample holds (60 images, 48 labelled, 16 in each class);
3. the command line trains a linear probe on it (`loupe train --method linear`) with a tiny ViT
   saved here, so torch, transformers and scikit-learn are proven to load and run in the bundle
   (`--no-train` skips this and step 4);
4. the command line pre-labels the sample with a tiny open_clip model saved here (`loupe
   zeroshot`): open_clip and its bundled tokenizer vocabulary work in the bundle;
5. the window takes `--screenshot` of the sample project offscreen (it waits for the visible
   thumbnails and for Train to be ready, i.e. the ML libraries loaded in the bundle), and the
   picture is checked: the window's size, many distinct colours, no one flat colour, and the grid
   painted (the thumbnails' region holds the sample's dark fields with green cells);
6. the same in Simplified Chinese (LANG=zh_CN.UTF-8): the picture differs from the English one
   in the menu bar and toolbar, so the bundle's translations were found and loaded.

Exits 0 when all pass; otherwise 1, after a line saying which check failed and why. Runs with any
Python that has numpy and Pillow (the project's venv); the bundle itself needs no Python. Each
launch gets a temporary HOME, so no setting or model cache of the user's is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import __version__  # noqa: E402

CLASSES = ("healthy", "irregular", "no-cells")
TIMEOUT_S = 300


class CheckFailed(Exception):
    pass


def executables(dist: Path) -> tuple[Path, Path]:
    """(the window's executable, the command line's) in a bundle built by packaging/loupe.spec."""
    if sys.platform == "darwin":
        folder = dist / "Loupe.app" / "Contents" / "MacOS"
        return folder / "Loupe", folder / "loupe-cli"
    if sys.platform == "win32":
        return dist / "Loupe" / "Loupe.exe", dist / "Loupe" / "loupe-cli.exe"
    return dist / "Loupe" / "Loupe", dist / "Loupe" / "loupe"


def bundled_sample(dist: Path) -> Path:
    """The sample images inside the bundle (app/resources/sample, under _internal or, on macOS,
    Contents/Resources)."""
    for folder in sorted(dist.glob("**/app/resources/sample")):
        if (folder / "labelled").is_dir():
            return folder
    raise CheckFailed(f"no app/resources/sample folder with labelled images under {dist}")


def run(command: list, env: dict, what: str, timeout: float = TIMEOUT_S) -> subprocess.CompletedProcess:
    started = time.monotonic()
    try:
        done = subprocess.run([str(c) for c in command], capture_output=True, text=True, env=env, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{what}: no answer after {timeout:.0f} s") from exc
    except OSError as exc:
        raise CheckFailed(f"{what}: could not start {command[0]}: {exc}") from exc
    print(f"    ({what}: exit {done.returncode}, {time.monotonic() - started:.1f} s)", flush=True)
    if done.returncode != 0:
        raise CheckFailed(f"{what}: exit status {done.returncode}\n{(done.stderr or done.stdout)[-3000:]}")
    return done


def environment(home: Path, **extra: str) -> dict:
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "HF_HOME": str(home / "hf"),
        "HF_HUB_OFFLINE": "1",
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "en_US.UTF-8",
        "LANGUAGE": "en_US",
        "LC_ALL": "",
    }
    env.update(extra)
    return env


def check_version(window: Path, env: dict) -> str:
    done = run([window, "--version"], env, "Loupe --version")
    said = (done.stdout + done.stderr).strip()
    if said != f"Loupe {__version__}":
        raise CheckFailed(f"Loupe --version said {said!r}, expected 'Loupe {__version__}'")
    return said


def make_sample_project(cli: Path, sample: Path, folder: Path, env: dict) -> Path:
    """The sample project as the window's welcome view makes it (a copy of the images beside the
    project), but through the bundled command line and from the bundle's own images."""
    images = folder / "sample-images"
    shutil.copytree(sample, images)
    project = folder / "sample.loupe"
    run([cli, "new", project, "--classes", ",".join(CLASSES), "--json"], env, "loupe new")
    run([cli, "import", project, images / "labelled", "--labels-from-folders", "--json"], env, "loupe import labelled")
    run([cli, "import", project, images / "unlabelled", "--json"], env, "loupe import unlabelled")
    return project


def check_info(cli: Path, project: Path, env: dict) -> dict:
    done = run([cli, "info", project, "--json"], env, "loupe info")
    try:
        info = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise CheckFailed(f"loupe info --json printed no JSON: {done.stdout[:500]!r}") from exc
    expected = {"images": 60, "labelled": 48, "classes": dict.fromkeys(CLASSES, 16), "rejected": []}
    got = {key: info.get(key) for key in expected}
    if got != expected:
        raise CheckFailed(f"loupe info: the sample project holds {got}, expected {expected}")
    return info


def check_train(cli: Path, project: Path, model: Path, env: dict) -> dict:
    done = run(
        [cli, "train", project, "--model", model, "--method", "linear", "--device", "cpu", "--json"],
        env,
        "loupe train --method linear",
        timeout=600,
    )
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise CheckFailed(f"loupe train --json printed no JSON: {done.stdout[-500:]!r}") from exc
    if result.get("status") != "done" or not Path(result.get("model_dir", "")).is_dir():
        raise CheckFailed(f"loupe train: {result}")
    return result


def check_zeroshot(cli: Path, project: Path, model: Path, env: dict) -> int:
    done = run([cli, "zeroshot", project, "--model", model, "--device", "cpu", "--json"], env, "loupe zeroshot")
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise CheckFailed(f"loupe zeroshot --json printed no JSON: {done.stdout[-500:]!r}") from exc
    predictions = result.get("predictions") or []
    if len(predictions) != 12 or any(p.get("class") not in CLASSES for p in predictions):
        raise CheckFailed(f"loupe zeroshot: expected a class for each of the 12 unlabelled images, got {predictions}")
    return len(predictions)


def screenshot(window: Path, project: Path, shot: Path, env: dict, what: str) -> np.ndarray:
    done = run([window, project, "--screenshot", shot], env, what)
    if "warning" in done.stderr.lower() or "traceback" in done.stderr.lower():
        raise CheckFailed(f"{what}: the window warned (painted before everything was ready?):\n{done.stderr[-3000:]}")
    if not shot.is_file():
        raise CheckFailed(f"{what}: no picture was written to {shot}")
    return np.asarray(Image.open(shot).convert("RGB"))


def check_picture(pixels: np.ndarray) -> dict:
    """Not blank, and the grid painted. The window is laid out as class list | grid | viewer; the
    sample's images are dark fields with green cells, so the grid's columns (between a quarter
    and two thirds of the width) must hold many dark pixels and many green ones, in several rows."""
    height, width, _ = pixels.shape
    if height < 400 or width < 600:
        raise CheckFailed(f"screenshot: {width}x{height} is smaller than a window (600x400 at least)")
    flat = pixels.reshape(-1, 3)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    commonest = counts.max() / len(flat)
    if len(colours) < 1000:
        raise CheckFailed(f"screenshot: only {len(colours)} distinct colours: blank or nearly (1000 at least)")
    if commonest > 0.6:
        raise CheckFailed(f"screenshot: one colour covers {commonest:.0%} of the window (at most 60%)")
    grid = pixels[int(height * 0.08) : int(height * 0.95), int(width * 0.27) : int(width * 0.64)].astype(int)
    r, g, b = grid[..., 0], grid[..., 1], grid[..., 2]
    dark = grid.max(axis=2) < 50
    green = (g > 90) & (g > r + 40) & (g > b + 20)
    dark_share, green_share = dark.mean(), green.mean()
    rows_with_cells = int((green.mean(axis=1) > 0.002).reshape(-1)[:: max(1, grid.shape[0] // 40)].sum())
    if dark_share < 0.2 or green_share < 0.003 or rows_with_cells < 10:
        raise CheckFailed(
            "screenshot: the grid's thumbnails are not painted "
            f"(dark {dark_share:.1%} of the grid region, at least 20%; green cells {green_share:.2%}, at least "
            f"0.3%; rows of 40 with cells {rows_with_cells}, at least 10)"
        )
    return {
        "size": f"{width}x{height}",
        "colours": len(colours),
        "commonest_colour": round(float(commonest), 3),
        "grid_dark": round(float(dark_share), 3),
        "grid_green": round(float(green_share), 4),
        "grid_rows_with_cells": rows_with_cells,
    }


def check_translated(english: np.ndarray, chinese: np.ndarray) -> float:
    """The share of the menu bar and toolbar (the top 8 %) that differs between the two pictures."""
    if english.shape != chinese.shape:
        return 1.0
    top = int(english.shape[0] * 0.08)
    differs = (np.abs(english[:top].astype(int) - chinese[:top].astype(int)).sum(axis=2) > 60).mean()
    if differs < 0.005:
        raise CheckFailed(
            f"LANG=zh_CN: the menu bar and toolbar look as in English ({differs:.2%} of their pixels differ): "
            "the bundle's translations (app/resources/translations/loupe_zh_CN.qm) were not loaded"
        )
    return float(differs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="the folder the bundle was built into")
    parser.add_argument("--no-train", action="store_true", help="skip the training check")
    parser.add_argument("--keep", type=Path, help="copy the screenshots here")
    args = parser.parse_args()
    window, cli = executables(args.dist)
    try:
        for executable in (window, cli):
            if not executable.is_file():
                raise CheckFailed(f"no executable at {executable}: build the bundle first (make bundle)")
        with tempfile.TemporaryDirectory(prefix="loupe-bundle-check-") as tmp:
            folder = Path(tmp)
            env = environment(folder / "home")
            print(f"1. {window.name} --version", flush=True)
            print(f"   ok: {check_version(window, env)}")
            print(f"2. {cli.name} new / import / info on the sample project from {bundled_sample(args.dist)}")
            project = make_sample_project(cli, bundled_sample(args.dist), folder / "project", env)
            info = check_info(cli, project, env)
            print(f"   ok: {info['images']} images, {info['labelled']} labelled, classes {info['classes']}")
            if args.no_train:
                print("3-4. (training and zero-shot skipped: --no-train)")
            else:
                print(f"3. {cli.name} train --method linear with a tiny ViT")
                from tests.tiny_models import save_tiny_vit  # random weights, made with this Python's transformers

                result = check_train(cli, project, save_tiny_vit(folder / "tiny-vit"), env)
                print(f"   ok: run {result['run']} {result['status']}, accuracy {result.get('accuracy')}")
                print(f"4. {cli.name} zeroshot with a tiny open_clip model")
                from tests.zeroshot_models import save_tiny_open_clip

                count = check_zeroshot(cli, project, save_tiny_open_clip(folder / "tiny-open-clip"), env)
                print(f"   ok: {count} unlabelled images pre-labelled")
            print(f"5. {window.name} PROJECT --screenshot (offscreen, English)")
            english = screenshot(window, project, folder / "shot-en.png", env, "screenshot (English)")
            print(f"   ok: {check_picture(english)}")
            print(f"6. {window.name} PROJECT --screenshot (offscreen, LANG=zh_CN.UTF-8)")
            chinese_env = environment(folder / "home-zh", LANG="zh_CN.UTF-8", LANGUAGE="zh_CN")
            chinese = screenshot(window, project, folder / "shot-zh.png", chinese_env, "screenshot (Chinese)")
            check_picture(chinese)
            print(f"   ok: {check_translated(english, chinese):.1%} of the menu bar and toolbar differ from English")
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                for name in ("shot-en.png", "shot-zh.png"):
                    shutil.copy(folder / name, args.keep / name)
    except CheckFailed as exc:
        print(f"bundle-check FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"bundle-check passed: {args.dist}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
