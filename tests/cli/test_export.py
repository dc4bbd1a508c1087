"""`loupe export`: the labels as a CSV and as class folders, from a real project."""

import csv
import json
import os

import pytest

from app.cli import main
from app.core.classes import add_class
from app.core.importer import ImportOptions, import_paths
from app.core.labels import label_images
from app.core.project import Project
from tests import synthetic


@pytest.fixture
def labelled(tmp_path):
    """Two classes (one with a slash in its name), two images with the same file name in one
    class, one unlabelled image, and one labelled image whose file is then deleted."""
    for folder, seed in (("a", 0), ("b", 1), ("c", 2), ("d", 3), ("e", 4)):
        synthetic.save(synthetic.random_rgb(seed=seed), tmp_path / "imgs" / folder / "scan.png")
    path = tmp_path / "p.loupe"
    with Project.create(path) as project:
        normal, odd = add_class(project, "normal"), add_class(project, "T1/T2")
        import_paths(project, [tmp_path / "imgs"], ImportOptions())
        ids = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
        label_images(project, [ids["imgs/a/scan.png"], ids["imgs/b/scan.png"]], normal.id)
        label_images(project, [ids["imgs/c/scan.png"], ids["imgs/e/scan.png"]], odd.id)
    (tmp_path / "imgs" / "e" / "scan.png").unlink()
    return path


def test_labels_csv_has_every_label_with_absolute_paths(labelled, tmp_path, capsys):
    out = tmp_path / "export" / "labels.csv"
    assert main(["export", str(labelled), "--format", "labels-csv", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["images"] == 4 and report["out"] == str(out)
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["path"], r["class"], r["source"]) for r in rows] == [
        (str(tmp_path / "imgs" / "a" / "scan.png"), "normal", "human"),
        (str(tmp_path / "imgs" / "b" / "scan.png"), "normal", "human"),
        (str(tmp_path / "imgs" / "c" / "scan.png"), "T1/T2", "human"),
        (str(tmp_path / "imgs" / "e" / "scan.png"), "T1/T2", "human"),
    ]
    assert all(r["labelled_at"] for r in rows) and not (out.parent / "labels.csv.partial").exists()


def test_imagefolder_links_each_labelled_image_into_its_class_folder(labelled, tmp_path, capsys):
    out = tmp_path / "folders"
    assert main(["export", str(labelled), "--format", "imagefolder", "--out", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["images"] == 3 and report["linked"] + report["copied"] == 3
    assert report["missing"] == [{"path": str(tmp_path / "imgs" / "e" / "scan.png"), "reason": "file not found"}]
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert len(files) == 3 and files[0] == "T1_T2/scan.png"
    normal = sorted(p.name for p in (out / "normal").iterdir())
    assert normal[-1] == "scan.png" and normal[0].endswith("-scan.png")  # same name, both kept
    assert os.path.samefile(out / "T1_T2" / "scan.png", tmp_path / "imgs" / "c" / "scan.png")  # a hard link here
    # the folder is not empty now: a second export refuses to mix with it (exit 2, one line)
    assert main(["export", str(labelled), "--format", "imagefolder", "--out", str(out)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
