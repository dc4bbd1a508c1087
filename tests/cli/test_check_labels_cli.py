"""`loupe check-labels` end to end on a tiny model and colour images: the JSON contract with
absolute paths, a run's features with --run, and exit 2 for bad arguments."""

import json
import os

import pytest

from app.cli import main
from app.core.labelling.labels import set_labels
from app.core.project.store import Project
from tests.predict_runs import trained_project
from tests.tiny_models import copy_project, make_colour_project, save_tiny_vit

CPU = ("--device", "cpu")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_colour_project(tmp_path_factory.mktemp("colours"), per_class=8)


@pytest.fixture(scope="module")
def vit(tmp_path_factory):
    return save_tiny_vit(tmp_path_factory.mktemp("vit"))


@pytest.fixture
def project(template, tmp_path):
    """The colour project with two labels planted wrong (a red image called green, a blue one red)."""
    path = copy_project(template, tmp_path, "p.loupe")
    with Project.open(path) as opened:
        red, green, blue = (r[0] for r in opened.conn.execute("SELECT id FROM classes ORDER BY position"))
        first = {
            c: opened.conn.execute("SELECT min(image_id) FROM labels WHERE class_id = ?", (c,)).fetchone()[0]
            for c in (red, blue)
        }
        set_labels(opened, [(first[red], green), (first[blue], red)])
    return path


def loupe_json(capsys, *args) -> dict:
    status = main([*map(str, args), "--json"])
    captured = capsys.readouterr()
    assert status == 0, captured.err
    return json.loads(captured.out)


def test_check_labels_lists_issues_with_absolute_paths(project, vit, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    report = loupe_json(capsys, "check-labels", "p.loupe", "--model", vit, *CPU)
    assert report["checked"] == 24 and report["folds"] == 5 and report["not_checked"] == 0
    assert vit.name in report["source"] and report["unreadable"] == [] and report["kept"] == 0
    assert report["issues"], "two labels were planted wrong"
    for issue in report["issues"]:
        assert set(issue) == {"image", "path", "given", "suggested", "score", "suggested_probability"}
        assert os.path.isabs(issue["path"]) and os.path.exists(issue["path"])
        assert {issue["given"], issue["suggested"]} <= {"red", "green", "blue"} and issue["given"] != issue["suggested"]
        assert 0 <= issue["score"] <= 1
    scores = [issue["score"] for issue in report["issues"]]
    assert scores == sorted(scores)


def test_check_labels_with_a_runs_features(tmp_path, capsys):
    project, runs = trained_project(tmp_path)
    assert main(["check-labels", str(project), "--run", str(runs["linear"]), "-n", "1", *CPU]) == 0  # words
    words = capsys.readouterr().out
    assert f"among 18 labelled images (features from run {runs['linear']}, 5-fold)" in words
    assert words.count(str(tmp_path)) <= 1  # at most one issue, its absolute path


@pytest.mark.parametrize(
    "args",
    [("-n", "0"), ("--seed", "-1"), ("--model", "x", "--run", "1"), ("--run", "one"), ("--device", "tpu")],
)
def test_bad_arguments_exit_2(project, args, capsys):
    try:
        status = main(["check-labels", str(project), *args])
    except SystemExit as exit:  # argparse's own errors
        status = exit.code
    assert status == 2
    assert capsys.readouterr().err.count("\n") >= 1


def test_failures_exit_1_with_one_line(template, tmp_path, capsys, vit):
    assert main(["check-labels", str(tmp_path / "none.loupe"), "--model", str(vit)]) == 1
    path = copy_project(template, tmp_path, "q.loupe")
    assert main(["check-labels", str(path)]) == 1  # no model chosen yet
    err = capsys.readouterr().err
    assert "give `loupe check-labels` a --model" in err and "Traceback" not in err
    with Project.open(path) as opened:
        set_labels(
            opened, [(i, None) for (i,) in opened.conn.execute("SELECT image_id FROM labels WHERE image_id % 8 > 3")]
        )
    assert main(["check-labels", str(path), "--model", str(vit), "--json", *CPU]) == 1
    err = capsys.readouterr().err
    assert err.startswith("loupe: error: checking labels needs at least two classes with 5") and err.count("\n") == 1
