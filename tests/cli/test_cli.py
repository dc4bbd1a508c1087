"""The `loupe` command line: JSON contracts, exit codes, one-line errors, a real labelled folder."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from app.cli import main
from tests import synthetic


def loupe(*args: str) -> subprocess.CompletedProcess:
    """Run the real console entry point in a fresh process."""
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True)


def loupe_json(capsys, *args) -> dict:
    assert main([*map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_new_import_info_json(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative arguments; every path printed is absolute all the same
    created = loupe_json(capsys, "new", "p", "--classes", "a, b")
    assert created == {"project": str(tmp_path / "p.loupe"), "classes": ["a", "b"]}
    for i in range(3):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "imgs" / f"{i}.png")
    synthetic.save(synthetic.random_rgb(seed=0), tmp_path / "imgs" / "copy.png")
    (tmp_path / "imgs" / "bad.png").write_text("nope")
    report = loupe_json(capsys, "import", "p.loupe", "imgs")
    assert report["added"] == 3 and report["skipped"] == 0
    bad = str(tmp_path / "imgs" / "bad.png")
    assert report["rejected"] == [{"path": bad, "reason": "the content is not an image format Loupe reads"}]
    assert report["duplicates"] == [
        {"path": str(tmp_path / "imgs" / "copy.png"), "duplicate_of": str(tmp_path / "imgs" / "0.png")}
    ]
    assert {"added", "duplicates", "skipped", "rejected"} <= report.keys()
    info = loupe_json(capsys, "info", "p")
    assert info == {
        "images": 3,
        "labelled": 0,
        "missing": 0,
        "changed": 0,
        "classes": {"a": 0, "b": 0},
        "rejected": report["rejected"],
        "duplicates": report["duplicates"],
        "near_duplicates": {"groups": 0, "images": 0},
        "sources": [],
    }


def test_digits_labelled_by_folder_give_the_right_counts(tmp_path, capsys):
    """scikit-learn's handwritten digits, written out as one PNG folder per class."""
    digits = load_digits()
    for index, (pixels, target) in enumerate(zip(digits.images, digits.target)):
        grey = (pixels * (255 / 16)).astype(np.uint8)
        synthetic.save(
            Image.fromarray(grey, "L").resize((32, 32)), tmp_path / "digits" / f"digit-{target}" / f"{index:04}.png"
        )
    project = tmp_path / "digits.loupe"
    main(["new", str(project)])
    capsys.readouterr()

    first = loupe_json(capsys, "import", project, tmp_path / "digits", "--labels-from-folders")
    # A few digits are pixel-identical: those are duplicates, by content, not added twice.
    unique_per_class = Counter()
    seen = set()
    for pixels, target in zip(digits.images, digits.target):
        key = pixels.tobytes()
        if key not in seen:
            seen.add(key)
            unique_per_class[f"digit-{target}"] += 1
    assert first["added"] == len(seen) and first["added"] + len(first["duplicates"]) == len(digits.images)
    assert first["rejected"] == []
    info = loupe_json(capsys, "info", project)
    assert info["classes"] == {name: unique_per_class[name] for name in sorted(unique_per_class)}
    assert info["labelled"] == info["images"] == len(seen)

    second = loupe_json(capsys, "import", project, tmp_path / "digits", "--labels-from-folders")
    assert second["added"] == 0 and second["duplicates"] == [] and second["labelled"] == 0
    assert loupe_json(capsys, "info", project) == info


@pytest.mark.parametrize(
    "args, status, message",
    [
        (["import", "{p}", "{tmp}/nowhere"], 2, "no such file or folder"),
        (["info", "{tmp}/missing.loupe"], 1, "no project at"),
        (["new", "{p}"], 1, "already exists"),
        (["import"], 2, "required"),
        (["train-nonsense"], 2, "invalid choice"),
    ],
)
def test_errors_are_one_line_with_the_right_status(tmp_path, args, status, message):
    project = tmp_path / "p.loupe"
    assert loupe("new", project).returncode == 0
    result = loupe(*[a.format(p=project, tmp=tmp_path) for a in args])
    assert result.returncode == status
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    if status == 1:
        assert result.stderr.count("\n") == 1


def test_import_into_a_project_open_elsewhere_fails_cleanly(tmp_path):
    from app.core.project.store import Project

    with Project.create(tmp_path / "p.loupe"):
        synthetic.save(synthetic.random_rgb(), tmp_path / "a.png")
        result = loupe("import", tmp_path / "p.loupe", tmp_path / "a.png")
    assert result.returncode == 1
    assert "open in another Loupe" in result.stderr and "Traceback" not in result.stderr


def test_plain_output_lists_rejected_files(tmp_path):
    loupe("new", tmp_path / "p")
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "bad.jpg").write_bytes(b"")
    result = loupe("import", tmp_path / "p", tmp_path / "x")
    assert result.returncode == 0
    assert "0 added" in result.stdout and "x/bad.jpg: the file is empty" in result.stdout


def test_help_lists_the_commands():
    result = loupe("--help")
    assert result.returncode == 0
    for command in ("new", "import", "info"):
        assert command in result.stdout


def test_new_and_info_load_no_machine_learning_or_imaging_library(tmp_path):
    """`loupe info` and `loupe new` answer in a fraction of a second: the registry of commands
    imports no command's heavy libraries (torch alone took 2.8 s and 936 MB)."""
    script = (
        "import sys; from app.cli import main; "
        f"assert main(['new', {str(tmp_path / 'p')!r}, '--classes', 'a,b']) == 0; "
        f"assert main(['info', {str(tmp_path / 'p')!r}, '--json']) == 0; "
        "heavy = ('torch', 'transformers', 'peft', 'torchvision', 'sklearn', 'PIL', 'pydicom', 'tifffile'); "
        "print('LOADED', [m for m in heavy if m in sys.modules])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=Path(__file__).parents[2]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "LOADED []"


def test_class_names_that_differ_only_in_case_are_one_class_everywhere(tmp_path, capsys):
    assert main(["new", str(tmp_path / "p"), "--classes", "Cat,dog,cat"]) == 2
    err = capsys.readouterr().err
    assert "'Cat' and 'cat' are the same class" in err and err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no half-created project

    for folder, seed in (("Cat", 1), ("cat", 2), ("dog", 3)):
        synthetic.save(synthetic.random_rgb(seed=seed), tmp_path / "imgs" / folder / f"{seed}.png")
    assert main(["new", str(tmp_path / "p")]) == 0
    capsys.readouterr()
    report = loupe_json(capsys, "import", tmp_path / "p", tmp_path / "imgs", "--labels-from-folders")
    assert report["added"] == 3 and report["merged"] == [{"folder": "cat", "class": "Cat"}]
    assert loupe_json(capsys, "info", tmp_path / "p")["classes"] == {"Cat": 2, "dog": 1}


def test_check_and_relink_from_the_command_line(tmp_path, capsys):
    import shutil

    for i in range(3):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "imgs" / f"{i}.png")
    loupe_json(capsys, "new", tmp_path / "p")
    loupe_json(capsys, "import", tmp_path / "p", tmp_path / "imgs")
    (tmp_path / "other").mkdir()
    shutil.move(tmp_path / "imgs" / "1.png", tmp_path / "other" / "1.png")
    report = loupe_json(capsys, "check", tmp_path / "p")
    assert report["missing"] == [{"image": 2, "path": str(tmp_path / "imgs" / "1.png")}]
    assert loupe_json(capsys, "info", tmp_path / "p")["missing"] == 1
    relinked = loupe_json(capsys, "relink", tmp_path / "p", tmp_path / "other")
    assert relinked["relinked"] == [
        {"image": 2, "old_path": str(tmp_path / "imgs" / "1.png"), "path": str(tmp_path / "other" / "1.png")}
    ]
    assert loupe_json(capsys, "info", tmp_path / "p")["missing"] == 0
    assert main(["relink", str(tmp_path / "p"), str(tmp_path / "nowhere")]) == 2


def test_ctrl_c_ends_an_import_and_a_training_run_with_the_same_status(tmp_path):
    import signal
    import sqlite3
    import time

    from tests.tiny_models import make_colour_project, save_tiny_vit

    for i in range(1000):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "many" / f"{i:04}.png")
    assert main(["new", str(tmp_path / "p")]) == 0
    importing = subprocess.Popen(
        [sys.executable, "-m", "app", "import", str(tmp_path / "p"), str(tmp_path / "many")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the first images are written: the import is under way
        with sqlite3.connect(tmp_path / "p.loupe", timeout=5) as conn:
            if conn.execute("SELECT count(*) FROM images").fetchone()[0]:
                break
        time.sleep(0.01)
    importing.send_signal(signal.SIGINT)
    out, err = importing.communicate(timeout=60)
    assert importing.returncode == 130, (out, err)

    (tmp_path / "t").mkdir()
    project = make_colour_project(tmp_path / "t", per_class=8)
    model = save_tiny_vit(tmp_path / "vit")
    training = subprocess.Popen(
        [
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
            "500",
            "--workers",
            "0",
            "--device",
            "cpu",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until its run is recorded
        with sqlite3.connect(project) as conn:
            if conn.execute("SELECT count(*) FROM runs").fetchone()[0]:
                break
        time.sleep(0.05)
    time.sleep(0.5)
    training.send_signal(signal.SIGINT)
    out, err = training.communicate(timeout=60)
    assert training.returncode == 130 and "cancelled" in out, (out, err)


def test_machine_says_where_training_runs_and_where_models_live(capsys):
    from app.core.hub.cache import cache_folder

    facts = loupe_json(capsys, "machine")
    from app.core.training.device import choose_device

    device = choose_device("auto").device.type
    assert facts["device"] == device and facts["threads"] >= 1 and facts["memory_bytes"] > 1024**3
    assert facts["models_folder"] == str(cache_folder())
    assert main(["machine"]) == 0
    text = capsys.readouterr().out
    said = {"cpu": "no GPU found", "cuda": "CUDA GPU", "mps": "Apple MPS"}[device]
    assert said in text and str(cache_folder()) in text
