"""Harnesses that abuse Loupe the way the real world does, shared by the fast tests
(tests/core/test_abuse.py) and the long runs (bench/soak.py, bench/fuzz_decoders.py):

- `kill_while_labelling`: a child process labels through the core API and prints each id once
  its label is committed; it is killed with SIGKILL at a random moment; every printed label must
  be in the project and SQLite's integrity check must pass.
- `kill_while_training`: `loupe train` killed at a random moment; the project must open with the
  run marked interrupted and no half-written model folder, and the next run must train.
- `seed_files` / `mutate` / `DecodeWorker`: valid files of every format Loupe reads, mutated
  (bit flips, truncation, overwritten header fields and chunk lengths), decoded one by one in a
  worker process with a memory limit and a time limit per file.
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.core.labelling.classes import add_class
from app.core.project.store import Project

ROOT = Path(__file__).resolve().parents[1]

# -- kill -9 while labelling --------------------------------------------------------------------

_LABELLER = """
import sys
from app.core.labelling.labels import label_images
from app.core.project.store import Project
with Project.open(sys.argv[1]) as project:
    classes = [row[0] for row in project.conn.execute("SELECT id FROM classes ORDER BY id")]
    todo = [row[0] for row in project.conn.execute(
        "SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM labels) ORDER BY id")]
    print("READY", flush=True)
    for image_id in todo:
        class_id = classes[image_id % len(classes)]
        label_images(project, [image_id], class_id)
        print(image_id, class_id, flush=True)  # only after the commit returned
"""


def make_labelling_project(folder: Path, images: int = 20_000) -> Path:
    """A project with `images` image rows (no files: labelling never reads them) and 3 classes."""
    path = folder / "soak.loupe"
    with Project.create(path) as project:
        for name in ("normal", "nodule", "mass"):
            add_class(project, name)
        with project.conn as conn:
            conn.executemany(
                "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
                " VALUES (?, ?, 1, 'png', 8, 8, 8, 3, 'rgb')",
                ((f"img/{i:06}.png", f"{i:064x}") for i in range(images)),
            )
    return path


@dataclass
class LabelKillReport:
    kills: int = 0
    printed: int = 0
    lost: list[int] = field(default_factory=list)
    integrity_failures: int = 0


def kill_while_labelling(path: Path, kills: int, rng: random.Random, max_wait: float = 0.4) -> LabelKillReport:
    report = LabelKillReport()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(kills):
        child = subprocess.Popen(
            [sys.executable, "-c", _LABELLER, str(path)], stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT
        )
        assert child.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0, max_wait))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        report.kills += 1
        complete = out.split("\n")[:-1]  # a line the kill cut short (no newline yet) was never reported
        printed = [tuple(map(int, line.split())) for line in complete if line.strip()]
        report.printed += len(printed)
        conn = sqlite3.connect(path)
        try:
            labels = dict(conn.execute("SELECT image_id, class_id FROM labels"))
            report.lost += [image_id for image_id, class_id in printed if labels.get(image_id) != class_id]
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                report.integrity_failures += 1
        finally:
            conn.close()
    return report


# -- kill -9 while training ---------------------------------------------------------------------


@dataclass
class TrainKillReport:
    kills: int = 0
    interrupted_marked: int = 0
    done_with_model: int = 0  # killed after the run was recorded done (while the process ended)
    runs: int = 0
    leftovers: list[str] = field(default_factory=list)  # model folders no run names, partial ones
    next_run_trained: bool = False


def train_command(project: Path, model: Path, epochs: int = 6) -> list[str]:
    return [
        sys.executable,
        "-m",
        "app",
        "train",
        str(project),
        "--model",
        str(model),
        "--method",
        "full",
        "--epochs",
        str(epochs),
        "--batch-size",
        "4",
        "--workers",
        "0",
        "--device",
        "cpu",
        "--patience",
        "0",
    ]


def _running_runs(project: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{project}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def kill_while_training(project: Path, model: Path, moments: list[float], epochs: int = 30) -> TrainKillReport:
    """For each of `moments`: start `loupe train`, wait until its run is recorded, then kill it
    that many seconds later (during steps, an evaluation or the save, as the moment falls)."""
    from app.core.training.runs import list_runs

    report = TrainKillReport()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for moment in moments:
        child = subprocess.Popen(
            train_command(project, model, epochs),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
        while child.poll() is None and not _running_runs(project):
            time.sleep(0.02)
        try:
            child.wait(timeout=moment)
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
            report.kills += 1
        with Project.open(project) as opened:  # as any next command does
            runs = list_runs(opened)
            report.runs = len(runs)
            report.interrupted_marked = sum(1 for run in runs if "interrupted" in run.message)
            report.done_with_model = sum(
                1
                for run in runs
                if run.status == "done" and run.model_dir and (opened.paths.root / run.model_dir).is_dir()
            )
            assert not any(run.status == "running" for run in runs)
            named = {Path(run.model_dir).name for run in runs if run.model_dir}
            models = opened.paths.models_dir
            present = {p.name for p in models.iterdir()} if models.is_dir() else set()
            report.leftovers += sorted(present - named)
    result = subprocess.run(
        train_command(project, model, epochs=1) + ["--json"], capture_output=True, text=True, env=env, cwd=ROOT
    )
    report.next_run_trained = result.returncode == 0 and '"status": "done"' in result.stdout
    return report


# -- decoder fuzzing ----------------------------------------------------------------------------


def seed_files(folder: Path) -> list[Path]:
    """One or more valid files of every kind Loupe reads."""
    import tifffile
    from PIL import Image
    from pydicom.uid import JPEG2000Lossless, JPEGLSLossless, RLELossless

    from tests import synthetic

    folder.mkdir(parents=True, exist_ok=True)
    rgb = synthetic.random_rgb(40, 30, seed=1)
    paths = []
    for name, fmt, options in (
        ("a.jpg", "JPEG", {}),
        ("a.png", "PNG", {}),
        ("a.gif", "GIF", {}),
        ("a.bmp", "BMP", {}),
        ("a.webp", "WEBP", {}),
        ("a.dib", "DIB", {}),
        ("p.tif", "TIFF", {}),
    ):
        rgb.save(folder / name, fmt, **options)
        paths.append(folder / name)
    Image.fromarray(synthetic.gradient(40, 30, 0, 60000, np.uint16)).save(folder / "16.png")
    bits = np.random.default_rng(2).random((30, 40)) > 0.5
    Image.fromarray(bits).convert("1").save(folder / "g4.tif", "TIFF", compression="group4")
    paths += [folder / "16.png", folder / "g4.tif"]
    grey16 = synthetic.gradient(40, 30, 0, 4000, np.uint16)
    paths.append(synthetic.write_tiff(folder / "16.tif", grey16, compression="zlib"))
    paths.append(synthetic.write_tiff(folder / "f.tif", grey16.astype(np.float32) / 7))
    bands = np.random.default_rng(3).integers(0, 4000, (30, 40, 6), dtype=np.uint16)
    paths.append(synthetic.write_tiff(folder / "sat.tif", bands, photometric="minisblack", planarconfig="separate"))
    paths.append(synthetic.write_palette_tiff_1bit(folder / "pal1.tif", bits, red=(65535, 0), blue=(0, 65535)))
    paths.append(synthetic.write_dicom(folder / "ct.dcm", grey16, slope=1, intercept=-1024, window=(40, 400)))
    paths.append(synthetic.write_dicom(folder / "cr.dcm", grey16, photometric="MONOCHROME1"))
    ct = synthetic.gradient(32, 40, 0, 4000, np.uint16)  # openjpeg's encoder refuses some small shapes
    for syntax in (JPEGLSLossless, JPEG2000Lossless, RLELossless):
        paths.append(synthetic.write_compressed_dicom(folder / f"{syntax.name[:8].replace(' ', '')}.dcm", ct, syntax))
    lut = np.stack([np.arange(256) * 257] * 3, axis=1).astype(np.uint16)
    paths.append(synthetic.write_palette_dicom(folder / "pal.dcm", (grey16 % 256).astype(np.uint8), lut))
    del tifffile
    return paths


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One damaged variant of `data`: bits flipped, cut short, bytes overwritten in the header
    (sizes, offsets, chunk lengths live there), a run of random bytes, or a length field maxed."""
    data = bytearray(data)
    kind = rng.randrange(6)
    if kind == 0:  # flip a few bits anywhere
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif kind == 1:  # cut short
        data = data[: rng.randrange(1, len(data))]
    elif kind == 2:  # overwrite header bytes (dimensions, offsets, tag counts)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(min(len(data), 512))
            data[i] = rng.randrange(256)
    elif kind == 3:  # a run of random bytes
        start = rng.randrange(len(data))
        for i in range(start, min(len(data), start + rng.randint(4, 64))):
            data[i] = rng.randrange(256)
    elif kind == 4:  # a 32-bit field (a chunk length, an offset, a count) set huge
        i = rng.randrange(max(1, min(len(data), 1024) - 4))
        data[i : i + 4] = rng.choice(
            [b"\xff\xff\xff\x7f", b"\x7f\xff\xff\xff", b"\x00\x00\x00\x00", b"\xff\xff\xff\xff"]
        )
    else:  # bytes inserted or removed mid-file
        i = rng.randrange(len(data))
        data = data[:i] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 16))) + data[i + rng.randint(0, 16) :]
    return bytes(data)


_WORKER = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from app.core.imaging import DecodeOptions, decode
from app.core.errors import ImageError
print("READY", flush=True)
for line in sys.stdin:
    path = line.rstrip("\\n")
    if path == "PEAK":
        print("OK", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
        continue
    try:
        decoded = decode(path, DecodeOptions(draft_size=256 if hash(path) % 2 else None))
        print("OK", decoded.info.format, flush=True)
    except ImageError as exc:
        print("ERR", repr(str(exc)), flush=True)
"""


@dataclass
class FuzzReport:
    tried: int = 0
    decoded: int = 0
    refused: int = 0  # with a one-line reason
    crashes: list[str] = field(default_factory=list)  # the worker died (segfault, uncaught exception)
    hangs: list[str] = field(default_factory=list)  # no answer within the time limit
    bad_reasons: list[str] = field(default_factory=list)  # reasons that are not one plain line


class DecodeWorker:
    """Decodes files one at a time in a child process with an address-space limit; a file that
    crashes it or takes longer than `seconds` is recorded and a new child is started."""

    def __init__(self, memory_bytes: int = 3 * 1024**3, seconds: float = 20.0):
        self.memory_bytes, self.seconds = memory_bytes, seconds
        self.child: subprocess.Popen | None = None

    def _start(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.child = subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(self.memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=ROOT,
        )
        ready, _, _ = select.select([self.child.stdout], [], [], 60)
        assert ready and self.child.stdout.readline().strip() == "READY"

    def decode(self, path: Path) -> tuple[str, str]:
        """("ok", format) | ("error", reason) | ("crash", "") | ("hang", "")"""
        if self.child is None or self.child.poll() is not None:
            self._start()
        self.child.stdin.write(f"{path}\n")
        self.child.stdin.flush()
        ready, _, _ = select.select([self.child.stdout], [], [], self.seconds)
        if not ready:
            self.close()
            return "hang", ""
        line = self.child.stdout.readline()
        if not line:
            self.close()
            return "crash", ""
        status, _, rest = line.rstrip("\n").partition(" ")
        return ("ok", rest) if status == "OK" else ("error", eval(rest))  # noqa: S307 - our own repr()

    def peak_kib(self) -> int:
        """The current worker's peak resident memory (KiB); 0 when none runs."""
        if self.child is None or self.child.poll() is not None:
            return 0
        self.child.stdin.write("PEAK\n")
        self.child.stdin.flush()
        return int(self.child.stdout.readline().split()[1])

    def close(self) -> None:
        if self.child is not None:
            self.child.kill()
            self.child.wait()
            self.child = None


def fuzz_decoders(seeds: list[Path], folder: Path, count: int, rng: random.Random, worker: DecodeWorker) -> FuzzReport:
    report = FuzzReport()
    folder.mkdir(parents=True, exist_ok=True)
    originals = {seed: seed.read_bytes() for seed in seeds}
    for n in range(count):
        seed = seeds[n % len(seeds)]
        path = folder / f"{n:06}{seed.suffix}"
        path.write_bytes(mutate(originals[seed], rng))
        outcome, detail = worker.decode(path)
        report.tried += 1
        if outcome == "ok":
            report.decoded += 1
        elif outcome == "error":
            report.refused += 1
            if not detail or "\n" in detail or "Traceback" in detail:
                report.bad_reasons.append(f"{path.name}: {detail!r}")
        else:
            (report.crashes if outcome == "crash" else report.hangs).append(path.name)
            path.rename(path.with_name(f"{outcome}-{path.name}"))  # kept to reproduce
            continue
        path.unlink()
    return report
