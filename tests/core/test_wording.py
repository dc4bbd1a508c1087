"""Sentences a new user reads (issue 20): counts in the singular when there is one, actions said as
what was done and what Undo takes back, suggestions counted against every unlabelled image, and
"Am I done?" saying what its accuracy estimate waits for."""

import numpy as np
import pytest

from app.core.active.history import estimate_missing
from app.core.active.learner import ActiveLearner, LabelSnapshot
from app.core.active.pool import Pool
from app.core.errors import plural
from app.core.labelling.classes import create_project, list_classes
from app.core.labelling.labels import delete_class_action, doing, done, label_images, next_redo, next_undo, undo
from app.core.training.config import TrainConfig, remember_config


def project_of_rows(path, count: int, classes=("no-cells", "healthy", "irregular")):
    """A project with `count` image rows (files that need not exist) and these classes."""
    project = create_project(path, classes=classes)
    project.conn.executemany(
        "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
        " VALUES (?, ?, 1, 'png', 4, 4, 8, 3, 'rgb')",
        [(f"rows/img{i:03}.png", f"sha{i}") for i in range(count)],
    )
    project.conn.commit()
    return project


def test_a_count_names_one_thing_in_the_singular():
    assert [plural(n, "image") for n in (0, 1, 2, 1230)] == ["0 images", "1 image", "2 images", "1,230 images"]
    assert plural(1, "class", "classes") == "1 class" and plural(3, "class", "classes") == "3 classes"


def test_the_status_bar_says_what_was_done_and_undo_what_it_takes_back(tmp_path):
    with project_of_rows(tmp_path / "p.loupe", 3) as project:
        no_cells, healthy, _ = (c.id for c in list_classes(project))
        labelled = label_images(project, [1], no_cells)
        assert done(labelled.description) == "Labelled 1 image as 'no-cells'"
        assert doing(next_undo(project)) == "labelling 1 image as 'no-cells'"
        assert done(label_images(project, [2, 3], healthy).description) == "Labelled 2 images as 'healthy'"
        cleared = label_images(project, [2], None)
        assert done(cleared.description) == "Cleared the label of 1 image"
        assert doing(next_undo(project)) == "clearing the label of 1 image"
        undo(project)
        assert doing(next_redo(project)) == "clearing the label of 1 image"
        deleted = delete_class_action(project, healthy)
        assert done(deleted.description) == "Deleted class 'healthy'"
        assert doing(next_undo(project)) == "deleting class 'healthy'"
    # what other writers store, and projects made before these words
    assert doing("Accept 3 predictions of batch 2 as labels") == "accepting 3 predictions of batch 2 as labels"
    assert done("Accept 1 prediction of batch 2 as labels") == "Accepted 1 prediction of batch 2 as labels"
    assert doing("Labels from folder names") == "labels from folder names"
    assert done("Labels from folder names") == "Labels from folder names"


def blobs(n_per_class=5, classes=2, dims=8, seed=0):
    generator = np.random.default_rng(seed)
    centres = generator.normal(0, 3, (classes, dims))
    y = np.repeat(np.arange(classes), n_per_class)
    return (centres[y] + generator.normal(0, 1, (len(y), dims))).astype(np.float32), y


def test_a_refresh_counts_the_unlabelled_images_it_did_not_look_at():
    """The window keeps its queue up to the user's place out of a refresh (`exclude`), and images
    without image features (a missing or unreadable file) are not in the pool: before, a refresh
    counted neither, and "3 suggestions from 3 unlabelled images" was said with 4 (or 5) left."""
    x, y = blobs()
    ids = np.arange(1, len(x) + 1)
    labelled = {1: 10, 2: 10, 3: 10, 6: 11, 7: 11, 8: 11}  # 4, 5, 9, 10 unlabelled in the pool
    snapshot = LabelSnapshot(
        labelled | {12: 11}, {i: "train" for i in labelled} | {12: "train"}, [(10, "a"), (11, "b")]
    )
    pool = Pool(ids, x, "key", 2, left_out=np.array([11, 12], dtype=np.int64))  # 11 unlabelled, 12 labelled
    refresh = ActiveLearner(pool).refresh(snapshot, "margin", 24, exclude={4})
    assert refresh.unlabelled == 3 and len(refresh.suggestions) == 3
    assert refresh.set_aside == 1 and refresh.unreadable == 1 and refresh.unlabelled_total == 5
    everything = ActiveLearner(pool).refresh(snapshot, "margin", 24)
    assert everything.unlabelled == 4 and everything.set_aside == 0 and everything.unlabelled_total == 5


@pytest.mark.parametrize(
    ("per_class", "expected"),
    [
        ((0, 0, 0), "No accuracy estimate yet: label images of at least two classes first."),
        ((4, 0, 0), "the 4 labels so far are all 'no-cells'; it needs labels of at least two classes."),
        ((1, 0, 0), "the 1 label so far is 'no-cells'"),
        ((1, 1, 1), "a class gives one once it has two labels; every class has one label so far."),
        (
            (4, 4, 4),
            "12 labels in 3 classes, 3 of them set aside for checking, are enough; the estimate appears once "
            "suggestions have been chosen with them, or when a training run finishes.",
        ),
    ],
)
def test_no_accuracy_estimate_says_what_is_missing_with_the_numbers(tmp_path, per_class, expected):
    with project_of_rows(tmp_path / "p.loupe", 12) as project:
        remember_config(project, TrainConfig(model="some-model"))
        image = iter(range(1, 13))
        for info, count in zip(list_classes(project), per_class, strict=True):
            if count:
                label_images(project, [next(image) for _ in range(count)], info.id)
        assert expected in estimate_missing(project)


def test_no_accuracy_estimate_when_an_earlier_run_trained_on_every_label(tmp_path):
    """An image keeps its part (training or checking) once a run used it: labels that all went to
    training leave nothing to check on until new labels come."""
    with project_of_rows(tmp_path / "p.loupe", 12) as project:
        classes = list_classes(project)
        for k, info in enumerate(classes[:2]):
            label_images(project, [2 * k + 1, 2 * k + 2], info.id)
        project.conn.executemany(
            "INSERT INTO splits (image_id, split) VALUES (?, 'train')", [(i,) for i in range(1, 5)]
        )
        project.conn.commit()
        assert "the 4 labels so far all went to training in an earlier run" in estimate_missing(project)
