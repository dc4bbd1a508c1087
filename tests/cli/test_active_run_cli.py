"""The run you trained is the one used: `loupe train` makes its run active by the window's rule
and says so, `loupe runs` lists runs and switches the active one, and `predict` and `suggest`
work right after `train` without `--run`."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from app.core.labelling.labels import label_images
from app.core.project.settings import active_run
from app.core.project.store import Project
from tests.predict_runs import new_images
from tests.tiny_models import make_colour_project, save_tiny_vit


def run_json(capsys, *args) -> dict:
    assert main([*map(str, args), "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def project_and_vit(tmp_path):
    return make_colour_project(tmp_path / "p", per_class=8), save_tiny_vit(tmp_path / "vit")


TRAIN = ("--method", "linear", "--workers", "0", "--device", "cpu")


def test_train_then_predict_and_suggest_need_no_run(project_and_vit, tmp_path, capsys):
    project, vit = project_and_vit
    trained = run_json(capsys, "train", project, "--model", vit, *TRAIN)
    assert trained["status"] == "done" and trained["activated"] is True and trained["active_run"] == trained["run"]
    predicted = run_json(capsys, "predict", project, *new_images(tmp_path / "new", per_colour=1))
    assert len(predicted["predictions"]) == 3
    with Project.open(project) as opened:  # leave some images unlabelled, for suggestions
        label_images(opened, [1, 2, 3, 9, 10, 11], None)
    suggested = run_json(capsys, "suggest", project, "-n", "3")
    assert len(suggested["suggestions"]) == 3 and vit.name in suggested["source"]


def test_a_worse_run_is_not_made_active_and_runs_can_switch(project_and_vit, capsys):
    project, vit = project_and_vit
    first = run_json(capsys, "train", project, "--model", vit, *TRAIN)["run"]
    with Project.open(project) as opened:  # the next run learns from scrambled labels: worse on the same images
        rows = opened.conn.execute("SELECT image_id, class_id FROM labels ORDER BY image_id").fetchall()
        classes = sorted({c for _, c in rows})
        for image_id, class_id in rows:
            if image_id % 3:
                label_images(opened, [image_id], classes[(classes.index(class_id) + image_id) % 3])
    assert main(["train", str(project), "--model", str(vit), *TRAIN]) == 0
    words = capsys.readouterr().out
    assert f"Run {first} stays the active model" in words and f"loupe runs {project} --activate 2" in words
    listed = run_json(capsys, "runs", project)
    assert listed["active_run"] == first
    assert [(r["id"], r["status"], r["method"], r["active"]) for r in listed["runs"]] == [
        (1, "done", "linear", True),
        (2, "done", "linear", False),
    ]
    assert listed["runs"][0]["backbone"] == str(vit) and listed["runs"][0]["accuracy"] > 0.9
    assert main(["runs", str(project), "--activate", "2"]) == 0
    assert "Run 2 is now the active model" in capsys.readouterr().out
    with Project.open(project, read_only=True) as opened:
        assert active_run(opened) == 2


@pytest.mark.parametrize(("run", "message"), [("7", "there is no run 7"), ("0", "--activate takes a run number")])
def test_activating_a_run_that_is_not_there_is_one_line(project_and_vit, capsys, run, message):
    project, _ = project_and_vit
    assert main(["runs", str(project), "--activate", run]) in (1, 2)
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_suggest_without_a_model_chosen_says_what_to_do(project_and_vit, capsys):
    project, _ = project_and_vit
    assert main(["suggest", str(project)]) == 1
    err = capsys.readouterr().err
    assert "none is chosen yet" in err and "--model" in err and "dinov2" not in err
