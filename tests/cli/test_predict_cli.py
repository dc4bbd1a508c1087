"""`loupe predict`: the same answers as the run's model folder loaded by plain transformers, every
path absolute, unreadable files listed while the rest is classified, the CSV, the exit codes, and
a project left as it was."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.labelling.classes import create_project
from app.core.project.store import Project
from app.core.training.runs import get_run
from tests.predict_runs import new_images, trained_project


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return trained_project(tmp_path_factory.mktemp("predict-cli"), ("linear",))


def _plain_transformers(model_folder: Path, files: list[Path]) -> list[dict[str, float]]:
    """Class name -> probability per file, by AutoModelForImageClassification and
    AutoImageProcessor from the run's folder, nothing of Loupe."""
    import torch
    from PIL import Image
    from transformers import AutoImageProcessor, AutoModelForImageClassification

    model = AutoModelForImageClassification.from_pretrained(model_folder).eval()
    processor = AutoImageProcessor.from_pretrained(model_folder)
    inputs = processor([Image.open(f).convert("RGB") for f in files], return_tensors="pt")
    with torch.no_grad():
        probabilities = torch.softmax(model(**inputs).logits, dim=1)
    return [{model.config.id2label[i]: float(q) for i, q in enumerate(row)} for row in probabilities]


def test_predict_json_and_csv_match_plain_transformers(trained, tmp_path, capsys, monkeypatch):
    path, runs = trained
    images = new_images(tmp_path / "new" / "deeper")  # at the model's input size: no resizing on either side
    broken = tmp_path / "new" / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0" + b"\0" * 30)
    monkeypatch.chdir(tmp_path)  # relative arguments; every path printed is absolute all the same
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    status = main(["predict", str(path), "new", "--json", "--out", "out.csv", "--device", "cpu", "--top-k", "3"])

    assert status == 0  # an unreadable file does not fail the batch
    document = json.loads(capsys.readouterr().out)
    assert document["run"] == runs["linear"] and document["out"] == str(tmp_path / "out.csv")
    assert document["failed"] == [{"path": str(broken), "reason": document["failed"][0]["reason"]}]
    assert document["failed"][0]["reason"]
    predictions = document["predictions"]
    assert [p["path"] for p in predictions] == [str(f) for f in sorted(images)]
    with Project.open(path, read_only=True) as project:
        model_folder = project.paths.root / get_run(project, runs["linear"]).model_dir
    expected = _plain_transformers(model_folder, sorted(images))
    for p, want in zip(predictions, expected):
        assert p["label"] == max(want, key=want.get)
        assert p["confidence"] == pytest.approx(want[p["label"]], abs=1e-4)
        assert [t["label"] for t in p["top"]] == sorted(want, key=want.get, reverse=True)
        assert {t["label"]: t["probability"] for t in p["top"]} == pytest.approx(want, abs=1e-4)
    with (tmp_path / "out.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["path"] for r in rows] == [str(broken)] + [str(f) for f in sorted(images)]
    assert rows[0]["class"] == "" and rows[0]["error"] == document["failed"][0]["reason"]
    for row, p in zip(rows[1:], predictions):
        assert (row["class"], row["top_2_class"], row["top_3_class"]) == tuple(t["label"] for t in p["top"])
        assert float(row["confidence"]) == pytest.approx(p["confidence"], abs=1e-6)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before  # opened read-only: nothing written
    with Project.open(path, read_only=True) as project:
        assert project.conn.execute("SELECT count(*) FROM predictions").fetchone()[0] == 0


def test_words_list_the_first_unreadable_files_then_a_count(trained, tmp_path, capsys):
    path, _ = trained
    images = new_images(tmp_path / "in", per_colour=1)
    for i in range(23):
        (tmp_path / "in" / f"bad{i:02}.png").write_bytes(b"not a png at all")
    assert main(["predict", str(path), str(tmp_path / "in"), "--device", "cpu", "--tta"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.splitlines()
    assert len(lines) == len(images)  # stdout: one tab-separated line per image, for pipes
    assert all(
        line.split("\t")[0] in {str(f) for f in images} and line.split("\t")[1] in {"red", "green", "blue"}
        for line in lines
    )
    assert "Classified 3 images with run 1" in captured.err and "Could not read 23 files:" in captured.err
    assert captured.err.count("bad") == 20 and "… and 3 more" in captured.err


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (["--run", "99"], 1, "there is no run 99"),
        (["--top-k", "0"], 2, "--top-k must be at least 1"),
        (["--device", "tpu"], 2, "invalid choice"),
        (["MISSING"], 2, "no such file or folder"),
    ],
)
def test_exit_codes(trained, tmp_path, capsys, arguments, status, message):
    path, _ = trained
    images = new_images(tmp_path / "in", per_colour=1)
    paths = [str(tmp_path / "missing.png")] if arguments == ["MISSING"] else [str(images[0])]
    options = [] if arguments == ["MISSING"] else arguments
    try:
        got = main(["predict", str(path), *paths, *options, "--json"])
    except SystemExit as exit:  # argparse's own errors
        got = exit.code
    assert got == status
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_project_without_an_active_run_fails_with_one_line(tmp_path, capsys):
    with create_project(tmp_path / "empty.loupe", classes=["a", "b"]):
        pass
    images = new_images(tmp_path / "in", per_colour=1)
    assert main(["predict", str(tmp_path / "empty.loupe"), str(images[0]), "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("loupe: error: no model to predict with") and len(err.strip().splitlines()) == 1


def test_a_large_job_on_the_cpu_exports_the_run_to_onnx_once_and_answers_as_transformers(
    trained, tmp_path, capsys, caplog
):
    """A job of ENGINE_MIN_FILES files or more runs on onnxruntime: the run's ONNX file is written
    to the project's cache by the first job, reused by the next, and the answers stay those of
    plain transformers; no fallback to torch is logged."""
    import logging

    from app.core.inference.engines import ENGINE_MIN_FILES, onnx_cache_file

    caplog.set_level(logging.INFO, logger="app.core.inference.engines")

    path, runs = trained
    images = sorted(new_images(tmp_path / "many", per_colour=-(-ENGINE_MIN_FILES // 3)))
    with Project.open(path, read_only=True) as project:
        run = get_run(project, runs["linear"])
        cached, model_folder = onnx_cache_file(project, run), project.paths.root / run.model_dir
    assert not cached.exists()

    documents = []
    for turn in range(2):
        assert main(["predict", str(path), str(tmp_path / "many"), "--json", "--device", "cpu"]) == 0
        out, err = capsys.readouterr()
        documents.append(json.loads(out))
        assert err == "" and cached.is_file()
        if turn == 0:
            written = cached.stat().st_mtime_ns
    assert cached.stat().st_mtime_ns == written  # the second job reused the file
    used = [r.getMessage() for r in caplog.records if r.name == "app.core.inference.engines"]
    assert len(used) == 2 and all("with onnxruntime" in message for message in used), used
    assert documents[0]["predictions"] == documents[1]["predictions"]
    expected = _plain_transformers(model_folder, images)
    assert [p["path"] for p in documents[0]["predictions"]] == [str(f) for f in images]
    for p, want in zip(documents[0]["predictions"], expected):
        assert p["label"] == max(want, key=want.get)
        assert {t["label"]: t["probability"] for t in p["top"]} == pytest.approx(want, abs=1e-4)
