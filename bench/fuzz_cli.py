"""Command-line fuzzing: every `loupe` command given hostile arguments and inputs (issue 19).

    python bench/fuzz_cli.py [--cases SUBSTRING] [--jobs 2] [--sample N] [--json FILE]

Builds one project with a trained run of a tiny ViT (tests/predict_runs.py, about 15 s), then
runs every case of the table below as `python -m app ...` in its own subprocess, on its own copy
of that project's folder (a case cannot spoil the next one):

- outputs aimed at the project's own files (the project file, its -wal, -shm and -lock, its
  cache and models folders, a run's weights), at existing folders, at an image, at read-only
  folders (for root, whom permissions do not stop, a tmpfs mounted read-only), and commands on
  a project whose own folder is read-only;
- inputs that are FIFOs, names that are not UTF-8 or hold a newline and a tab, empty files and
  folders named like images, in a folder or given directly;
- run folders with garbage weights, a config that is not JSON, no files, no folder, a pickle;
- numbers out of range, runs that do not exist, projects that are missing, garbage, empty,
  truncated, a folder, or an SQLite file of something else;
- model folders whose config asks for code of their own (`auto_map`) or hold only a pickle.

stdout is encoded as in an en_US.UTF-8 terminal (strict), not as this machine's C.UTF-8
locale would (which hides a name that cannot be printed). Prints one row per case (exit status,
flags, its `loupe: error:` line; the command and details below a flagged one) and the totals.
The flags that fail the bench (exit status 1):
- `traceback`: stderr holds "Traceback" or "unexpected error:";
- `hang`: killed (with its process group) after 3 min for train and simulate, 2 min for an ONNX
  export, 60 s where another command loads a model, 20 s otherwise;
- `multi-line`: a failure whose stderr does not end in exactly one `loupe: error:` line
  (progress bars and the lines before the error do not count);
- `project-changed`: the project file, its write-ahead log or its models folder changed under a
  command that failed (`train` may record a failed run: exit 1), or under one that only reads
  (predict, export, info, runs);
- `code-ran`: code from a model folder ran.
`exit-status` marks a status the case does not expect: listed, not necessarily a bug.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.core.project.store import ProjectPaths  # noqa: E402 - the real names of a project's files

Argv = list[str | bytes]

# Exit statuses a case may expect (README: 0 success, 2 bad arguments, 1 failure).
OK = frozenset({0})
FAILED = frozenset({1})
BAD_ARGUMENTS = frozenset({2})
REFUSED = frozenset({1, 2})
ANY = frozenset()  # no expectation: only the flags count

MODEL_TIMEOUT_S = 60.0
QUICK_TIMEOUT_S = 20.0
#: Commands that train: 15 s alone on 2 cores, near a minute with another job beside them.
TRAINING_TIMEOUT_S = 180.0
#: Commands that load torch and a model, so start slowly.
MODEL_COMMANDS = frozenset({"predict", "suggest"})
TRAINING_COMMANDS = frozenset({"train", "simulate"})
MODEL_FORMATS = frozenset({"hf", "onnx"})
#: Commands that must leave the project as it was whatever their exit status: predict, export
#: and `runs` open it read-only, `info` only reads it.
READ_ONLY_COMMANDS = frozenset({"predict", "export", "info", "runs"})
#: Flags that fail the bench; `exit-status` is listed only.
FAILING_FLAGS = ("traceback", "hang", "multi-line", "project-changed", "code-ran")
MISMATCH = "exit-status"
ERROR_PREFIX = "loupe: error:"
#: tqdm's closing bracket, "[00:01<00:02, 5.10img/s, loss=0.3]": a progress bar, not a message.
_PROGRESS_BAR = re.compile(r"\[(\d+:)?\d+:\d+(<[^\]]*)?, [^\]]*\]\s*$")


# -- the project every case starts from -------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    """Built once: a project with one trained, active linear run (its folder holds the images,
    the run's model and the tiny ViT it was trained on), and images it has never seen."""

    project: Path
    images: Path


def build_fixture(folder: Path) -> Fixture:
    from tests.predict_runs import new_images, trained_project

    project, _ = trained_project(folder / "template", ("linear",))
    new_images(folder / "new", per_colour=2)
    return Fixture(project, folder / "new")


@dataclass(frozen=True)
class Workspace:
    """One case's own copy of the fixture, and the paths its arguments and set-up name."""

    root: Path
    project: Path
    images: Path  # new images, outside the project's folder

    def own(self, suffix: str) -> Path:
        """A file beside the project named after it: `-wal`, `-shm`, `-lock`."""
        return self.project.with_name(self.project.name + suffix)

    @property
    def paths(self) -> ProjectPaths:
        return ProjectPaths(self.project)

    @property
    def labelled(self) -> Path:
        """The project's images, one folder per class (what `simulate` reads)."""
        return self.project.parent / "images"

    @property
    def vit(self) -> Path:
        return self.project.parent / "vit"

    @property
    def run_dir(self) -> Path:
        return sorted(self.paths.models_dir.glob("run-*"))[0]

    def at(self, name: str) -> Path:
        return self.root / name


def make_workspace(fixture: Fixture, folder: Path) -> Workspace:
    from tests.predict_runs import project_copy

    project = project_copy(fixture.project, folder / "project")
    shutil.copytree(fixture.images, folder / "new")
    return Workspace(folder, project, folder / "new")


# -- a case -----------------------------------------------------------------------------------


def _the_project(ws: Workspace) -> Path:
    return ws.project


@dataclass(frozen=True)
class Case:
    """One command line to run against a fresh workspace, and what it should do."""

    name: str
    argv: Callable[[Workspace], Argv]
    expect: frozenset[int] = ANY
    setup: Callable[[Workspace], object] | None = None
    #: Which project the case names (the fingerprint is taken of it): a garbage one, say.
    project: Callable[[Workspace], Path] = _the_project
    #: A problem the other checks cannot see (model code that ran), or None.
    check: Callable[[Workspace], str | None] | None = None
    #: `train` records a run that failed (exit 1) in the project, as the README says.
    failure_may_write: bool = False
    timeout: float | None = None


@dataclass
class Result:
    name: str
    command: str
    status: int | None  # None: killed after its timeout
    expected: list[int]
    seconds: float
    error: str  # the first `loupe: error:` line
    flags: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    skipped: str = ""
    stderr: str = ""  # its end, for the JSON file


# -- building blocks for the table ------------------------------------------------------------


def _png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def _write_png(path: bytes | Path) -> None:
    """Through a bytes path too: a name that is not UTF-8 cannot be a str."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, _png_bytes())
    finally:
        os.close(fd)


def _touch(path: bytes | Path) -> None:
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))


def _write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _garbage(size: int = 4096) -> bytes:
    return random.Random(size).randbytes(size)


class Unavailable(Exception):
    """A case this machine cannot set up: reported as skipped, with why."""


def _mount_tmpfs(path: Path, options: str) -> None:
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode:
        raise Unavailable("as root, whom permissions do not stop, and no read-only tmpfs can be mounted here")


def _read_only_folder(path: Path, contents: Path | None = None) -> Path:
    """A folder this user cannot write, holding a copy of `contents`: permissions taken away,
    or for root (whom they do not stop) a tmpfs remounted read-only over it."""
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        if contents is not None:
            shutil.copytree(contents, path, dirs_exist_ok=True)
        path.chmod(0o555)
        return path
    _mount_tmpfs(path, "size=64m")
    if contents is not None:
        shutil.copytree(contents, path, dirs_exist_ok=True)
    subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)
    return path


def _project_in_read_only_folder(ws: Workspace) -> None:
    """The project's own folder made read-only, its files in it (as on a mounted archive)."""
    folder = ws.project.parent
    kept = folder.with_name(folder.name + "-writable")
    folder.rename(kept)
    _read_only_folder(folder, contents=kept)


def _unmount_under(folder: Path) -> None:
    """Undo the tmpfs mounts of `_read_only_folder`, deepest first, before the folder is removed."""
    if os.geteuid() != 0:
        return
    prefix = f"{folder}{os.sep}"
    points = [line.split()[1] for line in Path("/proc/self/mounts").read_text().splitlines()]
    for point in sorted((p for p in points if p.startswith(prefix)), reverse=True):
        subprocess.run(["umount", point], capture_output=True)


def _folder_with_a_file(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    (path / "keep.txt").write_text("a file of the user's\n")
    return path


def _predict(ws: Workspace, *paths, extra: Sequence[str | bytes] = ()) -> Argv:
    return ["predict", str(ws.project), *(paths or [str(ws.images)]), "--device", "cpu", *extra]


def _export(ws: Workspace, format_: str, out: Path, *extra: str) -> Argv:
    return ["export", str(ws.project), "--format", format_, "--out", str(out), *extra]


def _train(ws: Workspace, *extra: str, project: Path | None = None, model: Path | None = None) -> Argv:
    project, model = project or ws.project, model or ws.vit
    base = ["train", str(project), "--model", str(model), "--method", "linear", "--epochs", "1"]
    return [*base, "--device", "cpu", "--workers", "0", *extra]


def _suggest(ws: Workspace, *extra: str, project: Path | None = None) -> Argv:
    return ["suggest", str(project or ws.project), "-n", "3", "--device", "cpu", *extra]


def _simulate(ws: Workspace, *extra: str, folder: Path | None = None, out: Path | None = None) -> Argv:
    settings = ["--model", str(ws.vit), "--method", "linear", "--epochs", "1", "--device", "cpu", "--workers", "0"]
    plan = ["--strategies", "random", "--initial", "3", "--step", "3", "--rounds", "1", "--seeds", "1"]
    where = ["--out", str(out or ws.at("simulation"))]
    return ["simulate", str(folder or ws.labelled), *settings, *plan, *where, *extra]


# -- outputs ----------------------------------------------------------------------------------

#: Where an output goes, and what must be made there first (None: nothing).
Target = tuple[Callable[[Workspace], Path], Callable[[Workspace], object] | None]

#: Files a file output (predict's CSV, labels-csv) must not be written over or into.
FILE_TARGETS: dict[str, Target] = {
    "project-file": (lambda ws: ws.project, None),
    "wal": (lambda ws: ws.own("-wal"), None),
    "shm": (lambda ws: ws.own("-shm"), None),
    "lock": (lambda ws: ws.own("-lock"), None),
    "cache-db": (lambda ws: ws.paths.cache_dir / "embeddings.sqlite", None),
    "in-cache": (lambda ws: ws.paths.cache_dir / "out.csv", None),
    "in-models": (lambda ws: ws.paths.models_dir / "out.csv", None),
    "run-weights": (lambda ws: ws.run_dir / "model.safetensors", None),
    "existing-folder": (lambda ws: ws.at("folder"), lambda ws: _folder_with_a_file(ws.at("folder"))),
    "image": (lambda ws: sorted(ws.images.glob("*.png"))[0], None),
}
#: Folders a folder output (imagefolder, hf, onnx, simulate) must not be written over or into.
FOLDER_TARGETS: dict[str, Target] = {
    "project-file": (lambda ws: ws.project, None),
    "wal": (lambda ws: ws.own("-wal"), None),
    "lock": (lambda ws: ws.own("-lock"), None),
    "cache": (lambda ws: ws.paths.cache_dir, None),
    "in-cache": (lambda ws: ws.paths.cache_dir / "out", None),
    "models": (lambda ws: ws.paths.models_dir, None),
    "in-models": (lambda ws: ws.paths.models_dir / "out", None),
    "run-folder": (lambda ws: ws.run_dir, None),
    "project-folder": (lambda ws: ws.project.parent, None),
    "image": (lambda ws: sorted(ws.images.glob("*.png"))[0], None),
}


def _read_only_out(ws: Workspace) -> Path:
    return ws.at("read-only") / "out"


def _make_read_only_out(ws: Workspace) -> None:
    _read_only_folder(_read_only_out(ws).parent)


def _output_cases() -> list[Case]:
    cases = []
    for target, (where, setup) in FILE_TARGETS.items():
        cases.append(
            Case(f"predict-out-{target}", lambda ws, w=where: _predict(ws, extra=["--out", str(w(ws))]), REFUSED, setup)
        )
        cases.append(
            Case(
                f"export-labels-csv-out-{target}", lambda ws, w=where: _export(ws, "labels-csv", w(ws)), REFUSED, setup
            )
        )
    for format_ in ("imagefolder", "hf", "onnx"):
        for target, (where, setup) in FOLDER_TARGETS.items():
            cases.append(
                Case(
                    f"export-{format_}-out-{target}",
                    lambda ws, f=format_, w=where: _export(ws, f, w(ws)),
                    REFUSED,
                    setup,
                    timeout=MODEL_TIMEOUT_S * 2 if format_ == "onnx" else None,
                )
            )
    for target in ("project-file", "models", "run-folder", "image"):
        where, setup = FOLDER_TARGETS[target]
        cases.append(Case(f"simulate-out-{target}", lambda ws, w=where: _simulate(ws, out=w(ws)), REFUSED, setup))
    where, setup = _read_only_out, _make_read_only_out
    return [
        *cases,
        Case("predict-out-read-only-folder", lambda ws: _predict(ws, extra=["--out", str(where(ws))]), REFUSED, setup),
        Case("export-labels-csv-out-read-only-folder", lambda ws: _export(ws, "labels-csv", where(ws)), REFUSED, setup),
        Case("export-hf-out-read-only-folder", lambda ws: _export(ws, "hf", where(ws)), REFUSED, setup),
        Case("simulate-out-read-only-folder", lambda ws: _simulate(ws, out=where(ws)), REFUSED, setup),
    ]


#: Commands on a project whose folder is read-only: reading works, writing is refused in one line.
READ_ONLY_PROJECT_USERS: dict[str, tuple[Callable[[Workspace], Argv], frozenset[int]]] = {
    "predict": (lambda ws: _predict(ws), OK),
    "export-labels-csv": (lambda ws: _export(ws, "labels-csv", ws.at("labels.csv")), OK),
    "export-hf": (lambda ws: _export(ws, "hf", ws.at("hf")), OK),
    "info": (lambda ws: ["info", str(ws.project)], OK),
    "runs": (lambda ws: ["runs", str(ws.project)], OK),
    "check": (lambda ws: ["check", str(ws.project)], ANY),
    "suggest": (lambda ws: _suggest(ws), ANY),
    "import": (lambda ws: ["import", str(ws.project), str(ws.images)], REFUSED),
    "train": (lambda ws: _train(ws), REFUSED),
}


def _read_only_project_cases() -> list[Case]:
    return [
        Case(f"{user}-project-in-read-only-folder", argv, expect, _project_in_read_only_folder)
        for user, (argv, expect) in READ_ONLY_PROJECT_USERS.items()
    ]


# -- inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostileFile:
    """A file put among the new images: its name, how it is made, and the exit status expected
    when it is named directly (in a folder, the rest is classified or imported: exit 0)."""

    name: bytes
    make: Callable[[bytes], object]
    direct: frozenset[int]


HOSTILE_FILES = {
    "fifo": HostileFile(b"x.png", os.mkfifo, ANY),
    "non-utf8-name": HostileFile(b"\xff\xfe.png", _write_png, OK),
    "newline-tab-name": HostileFile(b"a\nb\tc.png", _write_png, OK),
    "empty-file": HostileFile(b"empty.png", _touch, ANY),
    "folder-named-png": HostileFile(b"d.png", os.mkdir, ANY),
}


def _hostile_path(ws: Workspace, hostile: HostileFile) -> bytes:
    return os.path.join(os.fsencode(ws.images), hostile.name)


def _input_argv(command: str, ws: Workspace, paths: Argv) -> Argv:
    return _predict(ws, *paths) if command == "predict" else ["import", str(ws.project), *paths]


def _project_image(ws: Workspace) -> Path:
    return sorted((ws.labelled / "red").glob("*.png"))[0]


def _replace_with_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _input_cases() -> list[Case]:
    cases = []
    for kind, hostile in HOSTILE_FILES.items():

        def setup(ws: Workspace, h: HostileFile = hostile) -> None:
            h.make(_hostile_path(ws, h))

        for command in ("predict", "import"):
            cases.append(
                Case(
                    f"{command}-{kind}-in-folder", lambda ws, c=command: _input_argv(c, ws, [str(ws.images)]), OK, setup
                )
            )
            cases.append(
                Case(
                    f"{command}-{kind}-direct",
                    lambda ws, c=command, h=hostile: _input_argv(c, ws, [_hostile_path(ws, h)]),
                    hostile.direct,
                    setup,
                )
            )
    fifo = HOSTILE_FILES["fifo"]

    def fifo_among_new(ws: Workspace) -> None:
        fifo.make(_hostile_path(ws, fifo))

    def fifo_in_project(ws: Workspace) -> None:
        _replace_with_fifo(_project_image(ws))

    def fifo_in_labelled(ws: Workspace) -> None:
        os.mkfifo(ws.labelled / "red" / "x.png")

    cases += [
        Case("relink-fifo-in-folder", lambda ws: ["relink", str(ws.project), str(ws.images)], OK, fifo_among_new),
        Case("check-project-image-is-fifo", lambda ws: ["check", str(ws.project)], OK, fifo_in_project),
        Case("train-project-image-is-fifo", lambda ws: _train(ws), OK, fifo_in_project, failure_may_write=True),
        Case("suggest-project-image-is-fifo", lambda ws: _suggest(ws), OK, fifo_in_project),
        Case(
            "export-imagefolder-project-image-is-fifo",
            lambda ws: _export(ws, "imagefolder", ws.at("by-class")),
            ANY,
            fifo_in_project,
        ),
        Case("simulate-fifo-in-folder", lambda ws: _simulate(ws), OK, fifo_in_labelled),
    ]
    return cases


# -- run folders ------------------------------------------------------------------------------

RUN_DAMAGE: dict[str, Callable[[Workspace], object]] = {
    "garbage-weights": lambda ws: (ws.run_dir / "model.safetensors").write_bytes(_garbage()),
    "config-not-json": lambda ws: (ws.run_dir / "config.json").write_text('{"model_type": "vit", '),
    "empty-run-folder": lambda ws: [path.unlink() for path in ws.run_dir.iterdir()],
    "missing-run-folder": lambda ws: shutil.rmtree(ws.run_dir),
    "pickle-in-run-folder": lambda ws: (ws.run_dir / "pytorch_model.bin").write_bytes(b"\x80\x04K\x01."),
}
RUN_USERS: dict[str, tuple[Callable[[Workspace], Argv], frozenset[int]]] = {
    "predict": (lambda ws: _predict(ws), FAILED),
    "export-hf": (lambda ws: _export(ws, "hf", ws.at("hf")), FAILED),
    "export-onnx": (lambda ws: _export(ws, "onnx", ws.at("onnx")), FAILED),
    # A linear run's suggestions use its backbone's features, which never read the run's folder:
    # its damage does not matter there (`--run 1` asks for the run's own model, and is refused).
    "suggest": (lambda ws: _suggest(ws), OK),
    "suggest-run-1": (lambda ws: _suggest(ws, "--run", "1"), FAILED),
    "train-init-from": (lambda ws: _train(ws, "--init-from", "1"), REFUSED),
}


def _run_folder_cases() -> list[Case]:
    return [
        Case(f"{user}-{damage}", argv, expect, setup)
        for damage, setup in RUN_DAMAGE.items()
        for user, (argv, expect) in RUN_USERS.items()
    ]


# -- numbers ----------------------------------------------------------------------------------


def _train_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: _train(ws, *extra)


def _simulate_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: _simulate(ws, *extra)


def _suggest_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: _suggest(ws, *extra)


def _predict_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: _predict(ws, extra=extra)


def _export_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: _export(ws, "hf", ws.at("hf"), *extra)


def _runs_with(*extra: str) -> Callable[[Workspace], Argv]:
    return lambda ws: ["runs", str(ws.project), *extra]


def _number_cases() -> list[Case]:
    train, simulate, suggest = _train_with, _simulate_with, _suggest_with
    predict, export, runs = _predict_with, _export_with, _runs_with
    bald = ("--strategies", "random,bald", "--scorer", "model")  # where --mc-passes counts
    return [
        Case("predict-top-k-0", predict("--top-k", "0"), BAD_ARGUMENTS),
        Case("predict-top-k-negative", predict("--top-k", "-1"), BAD_ARGUMENTS),
        Case("predict-top-k-huge", predict("--top-k", str(10**9)), frozenset({0, 2})),
        Case("predict-run-negative", predict("--run", "-5"), REFUSED),
        Case("predict-run-999", predict("--run", "999"), REFUSED),
        Case("export-run-999", export("--run", "999"), REFUSED),
        Case("export-run-0", export("--run", "0"), REFUSED),
        Case("runs-activate-999", runs("--activate", "999"), REFUSED),
        Case("runs-activate-negative", runs("--activate", "-1"), BAD_ARGUMENTS),
        Case("simulate-mc-passes-0", simulate(*bald, "--mc-passes", "0"), BAD_ARGUMENTS),
        Case("simulate-mc-passes-negative", simulate(*bald, "--mc-passes", "-1"), BAD_ARGUMENTS),
        Case("simulate-rounds-0", simulate("--rounds", "0"), frozenset({0, 2})),
        Case("simulate-step-0", simulate("--step", "0"), BAD_ARGUMENTS),
        Case("simulate-seeds-0", simulate("--seeds", "0"), BAD_ARGUMENTS),
        Case("simulate-initial-huge", simulate("--initial", str(10**9)), REFUSED),
        Case("simulate-test-fraction-1.5", simulate("--test-fraction", "1.5"), BAD_ARGUMENTS),
        Case("suggest-n-0", suggest("-n", "0"), BAD_ARGUMENTS),
        Case("suggest-n-negative", suggest("-n", "-3"), BAD_ARGUMENTS),
        Case("suggest-n-huge", suggest("-n", str(10**9)), OK),
        Case("suggest-run-999", suggest("--run", "999"), REFUSED),
        Case("suggest-run-negative", suggest("--run", "-5"), REFUSED),
        Case("train-epochs-0", train("--epochs", "0"), BAD_ARGUMENTS),
        Case("train-lr-negative", train("--lr", "-1"), BAD_ARGUMENTS),
        Case("train-batch-size-0", train("--batch-size", "0"), BAD_ARGUMENTS),
        Case("train-batch-size-huge", train("--batch-size", str(10**9)), frozenset({0, 2}), failure_may_write=True),
        Case("train-val-fraction-1.5", train("--val-fraction", "1.5"), BAD_ARGUMENTS),
        Case("train-lora-rank-0", train("--method", "lora", "--lora-rank", "0"), BAD_ARGUMENTS),
        Case("train-init-from-999", train("--init-from", "999"), BAD_ARGUMENTS),
        Case("train-init-from-negative", train("--init-from", "-1"), BAD_ARGUMENTS),
        Case("train-workers-negative", train("--workers", "-1"), BAD_ARGUMENTS),
    ]


# -- projects that are not projects -----------------------------------------------------------


def _not_loupe_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    conn.close()


def _truncated_copy(ws: Workspace, path: Path) -> None:
    data = ws.project.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_PROJECTS: dict[str, Callable[[Workspace, Path], object]] = {
    "missing": lambda ws, path: None,
    "garbage": lambda ws, path: path.write_bytes(_garbage()),
    "empty": lambda ws, path: path.write_bytes(b""),
    "folder": lambda ws, path: _folder_with_a_file(path),
    "truncated": _truncated_copy,
    "other-sqlite": lambda ws, path: _not_loupe_sqlite(path),
}
PROJECT_USERS: dict[str, Callable[[Workspace, Path], Argv]] = {
    "new": lambda ws, p: ["new", str(p), "--classes", "a,b"],
    "info": lambda ws, p: ["info", str(p)],
    "check": lambda ws, p: ["check", str(p)],
    "relink": lambda ws, p: ["relink", str(p), str(ws.images)],
    "import": lambda ws, p: ["import", str(p), str(ws.images)],
    "runs": lambda ws, p: ["runs", str(p)],
    "suggest": lambda ws, p: _suggest(ws, project=p),
    "train": lambda ws, p: _train(ws, project=p),
    "predict": lambda ws, p: ["predict", str(p), str(ws.images), "--device", "cpu"],
    "export": lambda ws, p: ["export", str(p), "--format", "labels-csv", "--out", str(ws.at("labels.csv"))],
}


def _bad_project_cases() -> list[Case]:
    cases = []
    for kind, make in BAD_PROJECTS.items():

        def where(ws: Workspace, k: str = kind) -> Path:
            return ws.at(f"{k}.loupe")

        for command, argv in PROJECT_USERS.items():
            expect = OK if (command, kind) == ("new", "missing") else FAILED if command != "new" else REFUSED
            cases.append(
                Case(
                    f"{command}-{kind}-project",
                    lambda ws, a=argv, w=where: a(ws, w(ws)),
                    expect,
                    lambda ws, m=make, w=where: m(ws, w(ws)),
                    project=where,
                )
            )
    return cases


# -- model folders that ask for code ----------------------------------------------------------

MARKER = "CODE-RAN"
MODEL_WITH_CODE = "model-with-code"


def _model_with_code(ws: Workspace, model_type: str) -> Path:
    """A copy of the tiny ViT whose config maps the Auto classes to a module of its own that,
    imported, leaves a marker file: loading it must never run that module."""
    folder = ws.at(MODEL_WITH_CODE)
    shutil.copytree(ws.vit, folder)
    config = json.loads((folder / "config.json").read_text())
    config["model_type"] = model_type
    config["auto_map"] = {
        "AutoConfig": "evil.EvilConfig",
        "AutoModel": "evil.EvilModel",
        "AutoModelForImageClassification": "evil.EvilModel",
    }
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "evil.py").write_text(f"import pathlib\npathlib.Path({str(ws.at(MARKER))!r}).write_text('ran')\n")
    return folder


def _model_with_pickle(ws: Workspace) -> Path:
    """The ViT's config with weights only as a pickle that, unpickled, leaves the marker."""
    folder = ws.at(MODEL_WITH_CODE)
    shutil.copytree(ws.vit, folder)
    (folder / "model.safetensors").unlink()
    command = f"touch {ws.at(MARKER)}".encode()
    (folder / "pytorch_model.bin").write_bytes(b"cos\nsystem\n(S'" + command + b"'\ntR.")
    return folder


def _code_ran(ws: Workspace) -> str | None:
    return f"code from the model folder ran ({MARKER} was written)" if ws.at(MARKER).exists() else None


def _model_code_cases() -> list[Case]:
    makers = {
        "auto-map-vit": lambda ws: _model_with_code(ws, "vit"),  # loadable without its code
        "auto-map-only": lambda ws: _model_with_code(ws, "loupe-evil"),  # only its code could load it
        "pickle-only": _model_with_pickle,
    }
    expects = {"auto-map-vit": ANY, "auto-map-only": REFUSED, "pickle-only": REFUSED}
    cases = []
    for kind, make in makers.items():
        cases.append(
            Case(
                f"train-model-{kind}",
                lambda ws: _train(ws, model=ws.at(MODEL_WITH_CODE)),
                expects[kind],
                make,
                check=_code_ran,
                failure_may_write=True,
            )
        )
        cases.append(
            Case(
                f"suggest-model-{kind}",
                lambda ws: _suggest(ws, "--model", str(ws.at(MODEL_WITH_CODE))),
                expects[kind],
                make,
                check=_code_ran,
            )
        )
    return cases


CASES: list[Case] = [
    *_output_cases(),
    *_read_only_project_cases(),
    *_input_cases(),
    *_run_folder_cases(),
    *_number_cases(),
    *_bad_project_cases(),
    *_model_code_cases(),
]


def select(cases: Sequence[Case], substring: str = "", sample: int | None = None) -> list[Case]:
    """The cases whose name holds `substring`; then `sample` of them, the same ones every time
    (in table order)."""
    chosen = [case for case in cases if substring in case.name]
    if sample is not None and sample < len(chosen):
        keep = sorted(random.Random(0).sample(range(len(chosen)), sample))
        chosen = [chosen[i] for i in keep]
    return chosen


def by_name(names: Iterable[str]) -> list[Case]:
    """The named cases of the table (a KeyError names one that is not there)."""
    table = {case.name: case for case in CASES}
    return [table[name] for name in names]


# -- running one case -------------------------------------------------------------------------


def _digest(path: Path) -> str | None:
    if path.is_dir():
        return "a folder"
    if not path.exists():
        return None
    if not path.is_file():
        return "not a regular file"  # reading a FIFO would wait for a writer
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:  # permissions
        return f"unreadable: {type(exc).__name__}"


def _tree_digest(folder: Path) -> str | None:
    if not folder.is_dir():
        return _digest(folder)
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(f"{path.relative_to(folder)}\0{_digest(path) if path.is_file() else 'folder'}\n".encode())
    return digest.hexdigest()


def fingerprint(project: Path) -> dict[str, str | None]:
    """What a command that failed (or only reads) must leave as it was: the project file, its
    write-ahead log (missing and empty are the same: SQLite removes an empty one on close) and
    every file of its models folder. The -shm index and the lock change on every open."""
    paths = ProjectPaths(project)
    wal = paths.sqlite_companions[0]
    empty = hashlib.sha256(b"").hexdigest()
    return {
        project.name: _digest(project),
        wal.name: _digest(wal) or empty,
        paths.models_dir.name: _tree_digest(paths.models_dir),
    }


def child_env(ws: Workspace) -> dict[str, str]:
    """Offline, no debugging tracebacks, logs and caches inside the workspace; stdout strict UTF-8 as in
    an en_US.UTF-8 terminal."""
    env = {key: value for key, value in os.environ.items() if key != "LOUPE_DEBUG"}
    env.update(
        PYTHONPATH=str(ROOT),
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(ws.at("user-data")),
        XDG_CACHE_HOME=str(ws.at("user-cache")),  # a read-only project's cache: not the real user's
        PYTHONIOENCODING="utf-8:strict",
    )
    return env


def run_command(argv: Argv, ws: Workspace, timeout: float) -> tuple[int | None, str, float]:
    """(exit status or None when it was killed after `timeout`, stderr, seconds). Its own
    process group, so a hang is killed with every process it started."""
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *argv],
        cwd=ws.root,
        env=child_env(ws),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        _, stderr = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        _, stderr = process.communicate()
        status = None
    return status, stderr.decode("utf-8", "replace"), time.monotonic() - started


def timeout_for(case: Case, argv: Argv) -> float:
    if case.timeout is not None:
        return case.timeout
    if argv[0] in TRAINING_COMMANDS:
        return TRAINING_TIMEOUT_S
    loads_model = argv[0] in MODEL_COMMANDS or (argv[0] == "export" and MODEL_FORMATS & set(argv))
    return MODEL_TIMEOUT_S if loads_model else QUICK_TIMEOUT_S


def visible_lines(stderr: str) -> list[str]:
    """stderr as a terminal leaves it, less the progress bars: every piece between newlines and
    carriage returns that is not a tqdm bar."""
    pieces = (piece for line in stderr.split("\n") for piece in line.split("\r"))
    return [piece for piece in pieces if piece.strip() and not _PROGRESS_BAR.search(piece)]


def error_problems(status: int | None, lines: list[str]) -> tuple[str, list[str]]:
    """(the first `loupe: error:` line, why the failure's message is not one line). A failure
    ends with exactly one error line; lines after it are the rest of its message."""
    at = [i for i, line in enumerate(lines) if line.startswith(ERROR_PREFIX)]
    first = lines[at[0]] if at else ""
    if status in (0, None):
        return first, []
    if len(at) != 1:
        return first, [f"{len(at)} `{ERROR_PREFIX}` lines"]
    after = lines[at[0] + 1 :]
    if after:
        return first, [f"{len(after)} more stderr line(s) after the error, first {after[0][:80]!r}"]
    if len(first.splitlines()) != 1:
        return first, ["a line break inside the error line"]
    return first, []


def judge(case: Case, ws: Workspace, argv: Argv, status: int | None, stderr: str, before: dict) -> Result:
    lines = visible_lines(stderr)
    error, details = error_problems(status, lines)
    flags = ["multi-line"] if details else []
    if "Traceback" in stderr or "unexpected error:" in stderr:
        flags.append("traceback")
        details.append(next((line for line in reversed(lines) if "Error" in line), lines[-1] if lines else "")[:200])
    if status is None:
        flags.append("hang")
        details.append(f"last stderr line: {lines[-1][:200] if lines else '(none)'}")
    changed = [name for name, digest in fingerprint(case.project(ws)).items() if before[name] != digest]
    reads_only = argv[0] in READ_ONLY_COMMANDS and "--activate" not in argv
    must_keep = reads_only or status not in (0, None)
    if changed and must_keep and not (case.failure_may_write and status == 1):
        flags.append("project-changed")
        details.append(f"changed: {', '.join(changed)}")
    problem = case.check(ws) if case.check else None
    if problem:
        flags.append("code-ran")
        details.append(problem)
    if case.expect and status not in case.expect:
        flags.append(MISMATCH)
    return Result(case.name, shown(argv, ws), status, sorted(case.expect), 0.0, error, flags, details)


def shown(argv: Argv, ws: Workspace) -> str:
    """The command as a person would type it in the case's folder; odd names in Python's
    quotes."""
    words = []
    for arg in argv:
        text = os.fsdecode(arg).replace(f"{ws.root}{os.sep}", "")
        words.append(text if text.isprintable() and " " not in text else ascii(text))
    return "loupe " + " ".join(words)


def _make_removable(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)


def _skipped(case: Case, why: str) -> Result:
    return Result(case.name, "", None, sorted(case.expect), 0.0, "", skipped=why)


def run_case(case: Case, fixture: Fixture, folder: Path) -> Result:
    ws = make_workspace(fixture, folder)
    try:
        try:
            if case.setup:
                case.setup(ws)
            argv = case.argv(ws)
        except Unavailable as exc:
            return _skipped(case, str(exc))
        except Exception as exc:  # the fixture changed shape (app/ is edited meanwhile): say so, go on
            return _skipped(case, f"set-up failed: {exc!r}")
        before = fingerprint(case.project(ws))
        status, stderr, seconds = run_command(argv, ws, timeout_for(case, argv))
        result = judge(case, ws, argv, status, stderr, before)
        result.seconds, result.stderr = seconds, stderr[-4000:]
        return result
    finally:
        _unmount_under(folder)
        _make_removable(folder)
        shutil.rmtree(folder, ignore_errors=True)


def run_cases(
    cases: Sequence[Case],
    fixture: Fixture,
    folder: Path,
    jobs: int = 2,
    progress: Callable[[Result], None] | None = None,
) -> list[Result]:
    """Every case in a folder of its own, `jobs` at a time; results in table order."""

    def one(numbered: tuple[int, Case]) -> Result:
        number, case = numbered
        result = run_case(case, fixture, folder / f"{number:03}-{case.name}")
        if progress:
            progress(result)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return list(pool.map(one, enumerate(cases)))


# -- the report -------------------------------------------------------------------------------


def totals(results: Sequence[Result]) -> dict[str, int]:
    ran = [r for r in results if not r.skipped]
    counts = {"cases": len(ran), "skipped": len(results) - len(ran)}
    for flag in (*FAILING_FLAGS, MISMATCH):
        counts[flag] = sum(flag in r.flags for r in ran)
    return counts


def failed(counts: dict[str, int]) -> bool:
    return any(counts[flag] for flag in FAILING_FLAGS)


def _cut(text: str, width: int) -> str:
    text = ascii(text)[1:-1] if not text.isprintable() else text
    return text if len(text) <= width else text[: width - 1] + "…"


def table_lines(results: Iterable[Result]) -> list[str]:
    """One row per case: name, exit status (`-` killed, `skip`), flags, error line; the command
    and any detail indented below."""
    lines = []
    for r in results:
        if r.skipped:
            lines.append(f"{r.name:<48} skip  {r.skipped}")
            continue
        status = "-" if r.status is None else str(r.status)
        expected = "" if not r.expected or r.status in r.expected else f" (expected {'/'.join(map(str, r.expected))})"
        lines.append(f"{r.name:<48} {status:>4}{expected}  {','.join(r.flags) or 'ok'}  {_cut(r.error, 110)}")
        if r.flags:
            lines.append(f"    {_cut(r.command, 150)}  [{r.seconds:.1f} s]")
            lines += [f"    {_cut(detail, 150)}" for detail in r.details]
    return lines


def totals_line(counts: dict[str, int]) -> str:
    return (
        f"{counts['cases']} cases ({counts['skipped']} skipped): tracebacks {counts['traceback']}, hangs "
        f"{counts['hang']}, multi-line errors {counts['multi-line']}, project changed on failure "
        f"{counts['project-changed']}, model code ran {counts['code-ran']}; unexpected exit status "
        f"{counts[MISMATCH]}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="", help="run the cases whose name holds this")
    parser.add_argument("--jobs", type=int, default=2, help="subprocesses at a time")
    parser.add_argument("--sample", type=int, default=None, help="this many cases, the same ones every time")
    parser.add_argument("--json", type=Path, default=None, help="write the results to this file")
    args = parser.parse_args()
    cases = select(CASES, args.cases, args.sample)
    with tempfile.TemporaryDirectory(prefix="loupe-fuzz-cli-") as tmp:
        started = time.perf_counter()
        fixture = build_fixture(Path(tmp) / "fixture")
        print(f"project with a trained run built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        done = []

        def progress(result: Result) -> None:
            done.append(result)
            print(f"[{len(done)}/{len(cases)}] {result.name}: {result.flags or 'ok'}", file=sys.stderr)

        results = run_cases(cases, fixture, Path(tmp) / "cases", args.jobs, progress)
    print("\n".join(table_lines(results)))
    counts = totals(results)
    print(f"{totals_line(counts)} ({time.perf_counter() - started:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({"totals": counts, "results": [asdict(r) for r in results]}, indent=1))
    return 1 if failed(counts) else 0


if __name__ == "__main__":
    sys.exit(main())
