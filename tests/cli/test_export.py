"""`loupe export`: the labels as a CSV and as class folders, and a run's model (hf, onnx), from a
real project."""

import csv
import json
import os
import shutil

import pytest

from app.cli import main
from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.classes import add_class
from app.core.labelling.labels import label_images
from app.core.project.settings import ACTIVE_RUN, set_setting
from app.core.project.store import Project
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


# -- Model formats: a run's model (the formats' own checks are in tests/core/test_model_export.py)


@pytest.fixture(scope="module")
def trained_project(tmp_path_factory):
    """A tiny colour project with one linear run of a tiny ViT and one failed run (no model)."""
    from app.core.training import TrainConfig, train
    from app.core.training.data import collect_training_set
    from app.core.training.runs import create_run, finish_run
    from tests.tiny_models import make_colour_project, save_tiny_vit

    root = tmp_path_factory.mktemp("export-model")
    path = make_colour_project(root, per_class=4)
    vit = save_tiny_vit(root / "vit")
    with Project.open(path) as project:
        config = TrainConfig(model=str(vit), method="linear", epochs=1, workers=0, device="cpu", patience=0)
        run = train(project, config).run
        failed = create_run(
            project, config, collect_training_set(project, config.val_fraction, config.seed), "cpu", str(vit)
        )
        finish_run(project, failed, "failed", message="out of memory")
    return path, run, failed


def test_onnx_export_of_the_active_run_in_json_with_absolute_paths(trained_project, tmp_path, monkeypatch, capsys):
    path, run, _ = trained_project
    with Project.open(path) as project:
        set_setting(project, ACTIVE_RUN, run)
    monkeypatch.chdir(tmp_path)  # --out relative: the JSON still says where, absolutely
    assert main(["export", str(path), "--format", "onnx", "--out", "model", "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)  # one document: the exporter's own chatter stays out of stdout
    assert report["run"] == run and report["out"] == str(tmp_path / "model") and report["format"] == "onnx"
    assert sorted(report["files"]) == [
        str(tmp_path / "model" / n) for n in ("README.md", "model.onnx", "preprocessor_config.json")
    ]
    assert report["classes"] == ["red", "green", "blue"] and report["max_abs_difference"] <= 1e-4
    assert report["input"] == "pixel_values" and report["output"] == "logits"


def test_hf_export_of_a_named_run_then_the_folder_is_refused(trained_project, tmp_path, capsys):
    path, run, _ = trained_project
    out = tmp_path / "hf"
    assert main(["export", str(path), "--run", str(run), "--format", "hf", "--out", str(out)]) == 0
    said = capsys.readouterr().out
    assert f"Exported run {run} (linear on" in said and str(out / "model.safetensors") in said
    # the folder holds a model now: a second export will not mix with it (exit 2, one line)
    assert main(["export", str(path), "--run", str(run), "--format", "hf", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "is not an empty folder" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("which", ["no active run", "failed run", "unknown run"])
def test_no_model_to_export_is_one_line_and_exit_1(trained_project, tmp_path, capsys, which):
    path, _, failed = trained_project
    copy = tmp_path / "copy.loupe"  # a copy whose active run is none (another test sets the original's)
    shutil.copy(path, copy)
    with Project.open(copy) as project:
        set_setting(project, ACTIVE_RUN, None)
    run = {"no active run": [], "failed run": ["--run", str(failed)], "unknown run": ["--run", "99"]}[which]
    out = tmp_path / "out"
    assert main(["export", str(copy), *run, "--format", "onnx", "--out", str(out), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1 and not out.exists()
    expected = {"no active run": "no run is active", "failed run": "has no saved model", "unknown run": "no run 99"}[
        which
    ]
    assert expected in captured.err
