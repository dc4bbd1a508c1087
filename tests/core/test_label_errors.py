"""The label-error review: planted wrong labels come first, probabilities are out-of-fold, kept
labels stay out of the queue until they change, a change is one undoable action from the review."""

import numpy as np
import pytest

from app.core.errors import Cancelled, LoupeError
from app.core.labelling.labels import set_labels, undo
from app.core.project.store import Project
from app.core.quality.label_errors import (
    CheckProgress,
    change_label,
    fit_fold,
    keep_label,
    kept_labels,
    out_of_fold_probabilities,
    rank_label_issues,
)
from tests.label_review_data import make_blobs_project


@pytest.fixture(scope="module")
def blobs(tmp_path_factory):
    return make_blobs_project(tmp_path_factory.mktemp("blobs"), per_class=40, planted=8, unembedded=3)


def test_planted_wrong_labels_come_first_with_their_true_class_suggested(blobs):
    events = []
    with Project.open(blobs.path, read_only=True) as project:
        result = rank_label_issues(project, blobs.key, on_progress=events.append)
    top = result.issues[: len(blobs.planted)]
    found = {issue.image_id for issue in top} & blobs.planted
    assert len(found) / len(blobs.planted) >= 0.75
    assert all(issue.suggested == blobs.truth[issue.image_id] for issue in top if issue.image_id in found)
    assert all(issue.suggested != issue.given for issue in result.issues)
    scores = [issue.score for issue in result.issues]
    assert scores == sorted(scores) and all(0 <= s <= 1 for s in scores)  # self-confidence, most suspicious first
    assert result.checked == 120 - 3 and result.not_checked == 3 and result.folds == 5
    assert len(result.issues) < 30  # flags the doubtful, not everything
    assert isinstance(events[-1], CheckProgress) and events[-1].done == events[-1].total
    with Project.open(blobs.path, read_only=True) as project:
        assert len(rank_label_issues(project, blobs.key, n=3, c=1.0).issues) == 3


def test_probabilities_never_come_from_a_fit_that_saw_the_image():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(60, 100)).astype(np.float32)  # noise: labels can only be memorised
    y = np.repeat([0, 1], 30)
    rng.shuffle(y)
    memorised = fit_fold(x, y, 2, c=1e4).probabilities(x)
    assert (memorised.argmax(1) == y).mean() == 1.0  # in-sample, a weak penalty learns every label
    oof = out_of_fold_probabilities(x, y, 2, c=1e4, seed=3)
    assert (oof.probabilities.argmax(1) == y).mean() < 0.75  # out of fold: about chance
    assert sorted(set(oof.folds.tolist())) == [0, 1, 2, 3, 4]
    for fold in range(5):  # each fold's rows: exactly a fit on the other folds
        held = oof.folds == fold
        again = fit_fold(x[~held], y[~held], 2, c=1e4).probabilities(x[held])
        assert np.allclose(oof.probabilities[held], again, atol=1e-6)


def test_cancel_stops_between_fits():
    x = np.random.default_rng(0).normal(size=(40, 4)).astype(np.float32)
    calls = []
    with pytest.raises(Cancelled):
        out_of_fold_probabilities(x, np.repeat([0, 1], 20), 2, should_stop=lambda: calls.append(1) or len(calls) > 3)


def test_a_kept_label_leaves_the_queue_until_it_changes(blobs, tmp_path):
    import shutil

    path = tmp_path / "copy.loupe"
    shutil.copy(blobs.path, path)
    shutil.copytree(blobs.path.parent / "blobs.loupe-cache", tmp_path / "copy.loupe-cache")
    with Project.open(path) as project:
        first = rank_label_issues(project, blobs.key, c=1.0).issues[0]
        keep_label(project, first.image_id, first.given)
        assert kept_labels(project) == {(first.image_id, first.given)}
        again = rank_label_issues(project, blobs.key, c=1.0)
        assert first.image_id not in {i.image_id for i in again.issues} and again.kept == 1
        third = next(c for c in blobs.truth.values() if c not in (first.given, first.suggested))
        set_labels(project, [(first.image_id, third)])  # changed: it is doubtful again, under its new label
        back = {i.image_id: i for i in rank_label_issues(project, blobs.key, c=1.0).issues}
        assert back[first.image_id].given == third
        keep_label(project, 1, project.conn.execute("SELECT class_id FROM labels WHERE image_id = 1").fetchone()[0])
        assert (first.image_id, first.given) not in kept_labels(project)  # stale pairs are dropped


def test_a_change_from_the_review_is_one_undoable_action_with_source_review(blobs, tmp_path):
    import shutil

    path = tmp_path / "copy.loupe"
    shutil.copy(blobs.path, path)
    with Project.open(path) as project:
        image_id = next(iter(blobs.planted))
        before = project.conn.execute("SELECT class_id FROM labels WHERE image_id = ?", (image_id,)).fetchone()[0]
        result = change_label(project, image_id, blobs.truth[image_id])
        assert result.action and result.image_ids == (image_id,)
        assert result.description.startswith("Change the label of 1 image to '") and "(review)" in result.description
        assert project.conn.execute(
            "SELECT class_id, source FROM labels WHERE image_id = ?", (image_id,)
        ).fetchone() == (
            blobs.truth[image_id],
            "review",
        )
        assert project.conn.execute(
            "SELECT count(*) FROM label_history WHERE action = ?", (result.action,)
        ).fetchone() == (1,)
        undone = undo(project)
        assert undone.action and undone.image_ids == (image_id,)
        assert (
            project.conn.execute("SELECT class_id FROM labels WHERE image_id = ?", (image_id,)).fetchone()[0] == before
        )
        with pytest.raises(LoupeError, match="no class"):
            change_label(project, image_id, 999)


def test_too_few_labels_say_what_is_needed(tmp_path):
    blobs = make_blobs_project(tmp_path, per_class=6, planted=0)
    with Project.open(blobs.path) as project:
        cat, dog, fox = (r[0] for r in project.conn.execute("SELECT id FROM classes ORDER BY position"))
        ids = [
            r[0]
            for r in project.conn.execute(
                "SELECT image_id FROM labels WHERE class_id IN (?, ?) ORDER BY image_id", (dog, fox)
            )
        ]
        set_labels(project, [(i, None) for i in ids[2:-2]])  # dog and fox: 2 labels each
        with pytest.raises(LoupeError, match="at least two classes with 5 or more labelled images each") as error:
            rank_label_issues(project, blobs.key, c=1.0)
        assert "cat 6" in str(error.value)
        set_labels(project, [(i, dog) for i in ids[2:-2]])  # cat 6, dog 10, fox 2: fox is left out, named
        result = rank_label_issues(project, blobs.key, c=1.0)
        assert result.small_classes == {"fox": 2} and result.checked == 16


@pytest.mark.parametrize("method, frozen", [("linear", True), ("lora", False), ("full", False), ("bitfit", False)])
def test_a_run_that_fine_tuned_on_the_labels_stands_for_its_frozen_backbone(tmp_path, method, frozen):
    """A fine-tuned run's features learnt every current label, the wrong ones too: the check
    takes the backbone it started from instead (a linear run's features are that backbone's)."""
    from app.core.active.pool import EmbeddingSource
    from app.core.project.settings import ACTIVE_RUN, set_setting
    from app.core.quality.label_errors import default_source, frozen_source
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=2)
    with Project.open(path) as project:
        run_id = project.conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes, model_dir)"
            " VALUES ('done', 'dinov2-small', ?, 0, '{}', '[]', 'train.loupe-models/run-1')",
            (method,),
        ).lastrowid
        project.conn.commit()
        chosen = frozen_source(project, EmbeddingSource.from_run(run_id))
        assert chosen == (EmbeddingSource.from_run(run_id) if frozen else EmbeddingSource.from_model("dinov2-small"))
        set_setting(project, ACTIVE_RUN, run_id)
        assert default_source(project) == EmbeddingSource.from_model("dinov2-small")  # the backbone, always
        assert frozen_source(project, EmbeddingSource.from_model("x")) == EmbeddingSource.from_model("x")
