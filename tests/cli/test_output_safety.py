"""Every output path safe (issue 19): no command may write over a part of the project, over a
file of another kind, or find out only after the work that it cannot write; exports are whole
or nothing, even under kill -9; class names become folder names every system takes; what is
written gets the user's usual permissions."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.errors import Cancelled
from app.core.export.datasets import export_imagefolder
from app.core.export.folder_names import MAX_BYTES, folder_names
from app.core.labelling.classes import add_class
from app.core.labelling.labels import label_images
from app.core.project.store import Project
from tests import synthetic
from tests.predict_runs import active_linear_run, new_images, project_copy
from tests.read_only import read_only_copy
from tests.tiny_models import make_colour_project

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_vit):
    """The colour project with an active linear run, and new images to classify."""
    folder = tmp_path_factory.mktemp("outputs")
    path, _ = active_linear_run(folder / "project", tiny_vit, per_class=4, epochs=2)
    return path, new_images(folder / "new", per_colour=1)


@pytest.fixture
def trained(template, tmp_path):
    path, images = template
    return project_copy(path, tmp_path / "p"), images


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("loupe: error: "), err
    return err[0]


PROJECT_PARTS = {
    "the project file": lambda p: p,
    "its write-ahead log": lambda p: p.with_name(p.name + "-wal"),
    "its SQLite index": lambda p: p.with_name(p.name + "-shm"),
    "its lock": lambda p: p.with_name(p.name + "-lock"),
    "a file in its cache": lambda p: p.with_name(p.name + "-cache") / "x.csv",
    "its models folder": lambda p: p.with_name(p.name + "-models"),
    "the project through a symbolic link": lambda p: _link(p),
}


def _link(project: Path) -> Path:
    link = project.parent / "link.csv"
    link.symlink_to(project)
    return link


@pytest.mark.parametrize("part", list(PROJECT_PARTS))
@pytest.mark.parametrize("command", ["predict", "labels-csv", "imagefolder", "hf"])
def test_no_output_may_be_a_part_of_the_project(trained, capsys, part, command):
    path, images = trained
    out = PROJECT_PARTS[part](path)
    before = _digest(path)
    argv = {
        "predict": ["predict", str(path), str(images[0]), "--out", str(out)],
        "labels-csv": ["export", str(path), "--format", "labels-csv", "--out", str(out)],
        "imagefolder": ["export", str(path), "--format", "imagefolder", "--out", str(out)],
        "hf": ["export", str(path), "--format", "hf", "--out", str(out)],
    }[command]
    assert main(argv) == 2
    line = _one_line_error(capsys)
    assert "project's" in line or "not an empty folder" in line or "not a CSV" in line or "is a file" in line
    assert _digest(path) == before
    with Project.open(path, read_only=True) as project:  # still the project, whole
        assert project.conn.execute("SELECT COUNT(*) FROM labels").fetchone()[0] == 12


def test_an_existing_file_of_another_kind_is_never_replaced(trained, tmp_path, capsys):
    path, images = trained
    image_bytes = images[0].read_bytes()
    other = tmp_path / "other.loupe"
    other.write_bytes(b"SQLite format 3\x00" + bytes(100))
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    for out, said in (
        (images[0], "is not a CSV file"),  # an image
        (other, "is not a CSV file"),  # another project
        (tmp_path, "is a folder"),
        (fifo, "not a regular file"),
        (images[0] / "x.csv", "is a file, not a folder"),
    ):
        assert main(["predict", str(path), str(images[1]), "--out", str(out)]) == 2, out
        assert said in _one_line_error(capsys)
        assert main(["export", str(path), "--format", "labels-csv", "--out", str(out)]) == 2
        assert said in _one_line_error(capsys)
    assert images[0].read_bytes() == image_bytes
    old = tmp_path / "old.csv"
    old.write_text("path,class\n")
    assert main(["export", str(path), "--format", "labels-csv", "--out", str(old)]) == 0  # a CSV over a CSV
    assert len(old.read_text().splitlines()) == 13


def test_an_unwritable_output_is_refused_before_anything_is_classified(trained, tmp_path, capsys):
    path, images = trained
    empty = tmp_path / "empty"
    empty.mkdir()
    with read_only_copy(empty, tmp_path) as locked:
        assert main(["predict", str(path), str(images[0].parent), "--out", str(locked / "p.csv")]) == 2
        captured = capsys.readouterr()
        assert "Classifying" not in captured.err and "not writable" in captured.err
        assert len(captured.err.strip().splitlines()) == 1
        assert main(["export", str(path), "--format", "onnx", "--out", str(locked / "model")]) == 2
        assert "not writable" in _one_line_error(capsys)


def test_the_labels_csv_has_absolute_paths_when_the_project_is_given_relatively(trained, tmp_path, monkeypatch):
    path, _ = trained
    monkeypatch.chdir(path.parent)
    assert main(["export", path.name, "--format", "labels-csv", "--out", "labels.csv"]) == 0
    with open(path.parent / "labels.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 12 and all(os.path.isabs(r["path"]) and Path(r["path"]).is_file() for r in rows)


def test_a_stopped_imagefolder_export_leaves_nothing(trained, tmp_path):
    path, _ = trained
    out = tmp_path / "folders"
    placed = []
    with Project.open(path, read_only=True) as project:
        with pytest.raises(Cancelled, match="nothing was written"):
            export_imagefolder(project, out, on_progress=placed.append, should_stop=lambda: len(placed) >= 5)
        assert not out.exists() and not list(tmp_path.glob(".folders*"))
        report = export_imagefolder(project, out)
    assert report.images == 12 and len(list(out.rglob("*.png"))) == 12


_KILLED_EXPORT = """
import sys
from pathlib import Path
from app.core.export.datasets import export_imagefolder
from app.core.project.store import Project
def progress(event):
    print(event.done, flush=True)
    if event.done == 3:
        sys.stdin.readline()  # waits here to be killed, however loaded the machine
with Project.open(sys.argv[1], read_only=True) as project:
    export_imagefolder(project, Path(sys.argv[2]), on_progress=progress)
"""


def test_an_imagefolder_export_killed_outright_leaves_nothing_under_its_name(trained, tmp_path, capsys):
    path, _ = trained
    out = tmp_path / "folders"
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED_EXPORT, str(path), str(out)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    for _ in range(3):
        child.stdout.readline()  # three images placed
    child.send_signal(signal.SIGKILL)
    child.communicate()
    assert not out.exists()
    assert len(list(tmp_path.glob(".folders.*.partial"))) == 1  # what kill -9 leaves: the temporary folder
    assert main(["export", str(path), "--format", "imagefolder", "--out", str(out)]) == 0  # not "not empty"
    assert len(list(out.rglob("*.png"))) == 12 and not list(tmp_path.glob(".folders.*"))  # and it is cleaned


def test_a_killed_model_exports_leftover_is_cleaned_by_the_next(trained, tmp_path, capsys):
    path, _ = trained
    leftover = tmp_path / ".model.k3j_9x2a.partial"  # as tempfile names them
    leftover.mkdir()
    (leftover / "model.safetensors").write_bytes(b"half")
    assert main(["export", str(path), "--format", "hf", "--out", str(tmp_path / "model")]) == 0
    assert not leftover.exists() and (tmp_path / "model" / "config.json").is_file()


def test_class_names_become_safe_unique_folder_names():
    long_name, emoji = "n" * 500, "🔬" * 70
    names = ["a/b", "a_b", "x.", "x", "CON", "con.txt", "nul.tar.gz", "aux .x", "Tumour", "tumour", "..", " "]
    names += [long_name, emoji]
    folders = folder_names(names)
    assert folders["a/b"] == "a_b" and folders["a_b"] == "a_b-2"
    assert folders["x."] == "x" and folders["x"] == "x-2"
    assert folders["CON"] == "CON_" and folders["con.txt"] == "con_.txt" and folders["nul.tar.gz"] == "nul_.tar.gz"
    assert folders["aux .x"] == "aux _.x"
    assert folders["Tumour"] == "Tumour" and folders["tumour"] == "tumour-2"  # one folder on macOS and Windows
    assert folders[".."] == "_" and folders[" "] == "_-2"
    assert len({name.casefold() for name in folders.values()}) == len(names)
    assert all(0 < len(f.encode()) <= MAX_BYTES and not f.endswith((" ", ".")) for f in folders.values())
    assert folders[emoji] == "🔬" * (MAX_BYTES // 4)  # cut on a character, not inside one


def test_colliding_and_overlong_class_names_export_whole_and_are_reported(tmp_path, capsys):
    names = ["a/b", "a_b", "x.", "x", "n" * 500, "🔬" * 70]
    for i in range(len(names)):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "imgs" / f"{i}.png")
    path = tmp_path / "p.loupe"
    with Project.create(path) as project:
        from app.core.importing.importer import ImportOptions, import_paths

        import_paths(project, [tmp_path / "imgs"], ImportOptions())
        ids = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
        for i, name in enumerate(names):
            label_images(project, [ids[f"imgs/{i}.png"]], add_class(project, name).id)
    out = tmp_path / "folders"
    assert main(["export", str(path), "--format", "imagefolder", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "renamed" in printed and "'a_b' -> a_b-2" in printed
    assert sorted(len(list(folder.iterdir())) for folder in out.iterdir()) == [1] * 6  # six classes, six folders


def test_what_is_written_gets_the_users_usual_permissions(trained, tmp_path):
    path, images = trained
    previous = os.umask(0o027)  # not the common 022: a hard-coded 0644 would not pass
    try:
        assert main(["export", str(path), "--format", "labels-csv", "--out", str(tmp_path / "l.csv")]) == 0
        assert main(["predict", str(path), str(images[0]), "--out", str(tmp_path / "p.csv")]) == 0
        assert main(["export", str(path), "--format", "imagefolder", "--out", str(tmp_path / "f")]) == 0
    finally:
        os.umask(previous)
    assert (tmp_path / "l.csv").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "p.csv").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "f").stat().st_mode & 0o777 == 0o750


def test_a_link_to_a_folder_is_refused_as_a_folder_output(trained, tmp_path, capsys):
    path, _ = trained
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert main(["export", str(path), "--format", "imagefolder", "--out", str(tmp_path / "link")]) == 2
    assert "symbolic link" in _one_line_error(capsys) and not any((tmp_path / "real").iterdir())


def test_a_leftover_another_writer_is_still_writing_is_left_alone(tmp_path):
    from app.core.atomic_files import remove_leftovers, written_whole

    out = tmp_path / "labels.csv"
    other = tmp_path / ".labels.csv.v2.abcd1234.partial"  # another target's: not this one's
    other.write_text("theirs")
    with written_whole(out) as f:  # this writer holds its own temporary file while it writes
        (mine,) = tmp_path.glob(".labels.csv.????????.partial")
        killed = tmp_path / ".labels.csv.abcd1234.partial"  # what a killed writer left meanwhile
        killed.write_text("half")
        assert remove_leftovers(out) == [killed]  # a second writer's cleanup: the killed one only
        assert mine.exists()
        f.write("path,class\n")
    assert out.read_text() == "path,class\n" and other.exists()


def test_an_error_naming_a_file_with_a_newline_stays_one_line(tmp_path, capsys):
    path = make_colour_project(tmp_path, per_class=1)
    odd = tmp_path / "a\nb.png"
    assert main(["predict", str(path), str(odd)]) == 2
    assert "a\\nb.png" in _one_line_error(capsys)


def test_a_pipe_named_like_a_project_is_refused_without_waiting(tmp_path, capsys):
    fifo = tmp_path / "x.loupe"
    os.mkfifo(fifo)
    assert main(["info", str(fifo)]) == 1  # it used to wait forever for a writer
    assert "not a regular file" in _one_line_error(capsys)


def test_import_workers_below_one_is_a_bad_argument(tmp_path, capsys):
    path = make_colour_project(tmp_path, per_class=1)
    assert main(["import", str(path), str(tmp_path), "--workers", "-1"]) == 2
    assert "--workers must be at least 1" in _one_line_error(capsys)
