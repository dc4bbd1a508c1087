"""`loupe zeroshot`: per unlabelled image its id, absolute path, class and confidence; the
agreement with the labels; --accept-above as one undoable action; exit codes."""

import json
import os

import pytest

from app.cli import main
from app.core.labelling.labels import undo
from app.core.project.store import Project
from tests.zeroshot_models import save_tiny_zeroshot_clip


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    return save_tiny_zeroshot_clip(tmp_path_factory.mktemp("cli-zs-clip"))


@pytest.fixture
def colour_project(tmp_path):
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=3)
    with Project.open(path) as project:
        project.conn.execute("DELETE FROM labels WHERE image_id % 3 != 0")  # leave a third labelled
        project.conn.commit()
    return path


def test_json_has_every_unlabelled_image_with_an_absolute_path(tiny_clip, colour_project, capsys, tmp_path):
    os.chdir(tiny_clip.parent)  # paths must not depend on the working folder: the model given relative
    assert main(["zeroshot", str(colour_project), "--model", tiny_clip.name, "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) >= {"model", "templates", "agreement", "predictions", "accepted", "unreadable"}
    assert document["model"] == str(tiny_clip.resolve())  # a folder, absolute
    with Project.open(colour_project) as project:
        unlabelled = {
            i for (i,) in project.conn.execute("SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM labels)")
        }
        names = {name for (name,) in project.conn.execute("SELECT name FROM classes")}
    predictions = document["predictions"]
    assert {p["image"] for p in predictions} == unlabelled
    for p in predictions:
        assert os.path.isabs(p["path"]) and os.path.isfile(p["path"])
        assert p["class"] in names and 0 < p["confidence"] <= 1
    confidences = [p["confidence"] for p in predictions]
    assert confidences == sorted(confidences, reverse=True)
    assert document["agreement"]["labelled"] == 3 and document["accepted"] == 0


def test_accept_above_labels_as_one_undoable_action(tiny_clip, colour_project, capsys):
    assert main(["zeroshot", str(colour_project), "--model", str(tiny_clip), "--accept-above", "0", "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["accepted"] == len(document["predictions"]) == 6
    with Project.open(colour_project) as project:
        sources = [s for (s,) in project.conn.execute("SELECT source FROM labels WHERE source = 'zero-shot'")]
        assert len(sources) == 6
        assert len(undo(project).image_ids) == 6
        assert project.conn.execute("SELECT COUNT(*) FROM labels").fetchone()[0] == 3


def test_text_output_and_templates(tiny_clip, colour_project, capsys):
    assert main(["zeroshot", str(colour_project), "--model", str(tiny_clip), "--template", "a photo of {}"]) == 0
    out = capsys.readouterr().out
    assert "Zero-shot classes for 6 unlabelled images" in out and "zero-shot agrees" in out


def test_bad_arguments_exit_2_and_failures_exit_1(tiny_clip, colour_project, tmp_path, capsys):
    assert main(["zeroshot", str(colour_project), "--model", str(tiny_clip), "--accept-above", "3"]) == 2
    assert main(["zeroshot", str(colour_project), "--model", str(tiny_clip), "--template", "no slot"]) == 2
    assert main(["zeroshot", str(colour_project), "--model", str(tmp_path / "nowhere")]) == 2
    assert main(["zeroshot", str(colour_project), "--model", "quiltnet-b32"]) == 1  # pickle-only on the hub
    err = capsys.readouterr().err
    assert "pickle" in err and "Traceback" not in err


def test_a_preset_made_for_the_other_task_is_refused_before_any_download(colour_project, capsys):
    """`loupe zeroshot` with a backbone preset (no text encoder) and `loupe train` with a
    zero-shot-only preset: exit 2 with what to choose instead, and nothing downloaded (the test
    runs offline: a download attempt would fail with another message)."""
    assert main(["zeroshot", str(colour_project), "--model", "dinov2-small"]) == 2
    err = capsys.readouterr().err
    assert "dinov2-small is a backbone to train, not a zero-shot model" in err and "clip-vit-b32" in err
    assert main(["train", str(colour_project), "--model", "plip"]) == 2
    assert "plip is a zero-shot model" in capsys.readouterr().err
