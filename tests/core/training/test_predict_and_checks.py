"""Predictions of a run for the whole project, the grid's prediction filters, and the warnings
given before training."""

import pytest

from app.core.inference.predict import predict_project
from app.core.labelling.browse import ImageQuery, query_images
from app.core.labelling.classes import add_class, create_project
from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.checks import preflight


@pytest.fixture
def trained(colour_project, tiny_vit):
    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(model=str(tiny_vit), method="linear", epochs=30, lr=1e-2, workers=0, device="cpu", patience=0),
        )
    return colour_project, result.run


def test_predictions_are_stored_for_every_image_and_mostly_right(trained):
    path, run = trained
    with Project.open(path) as project:
        predictions = predict_project(project, run, device="cpu")
        assert len(predictions) == 60 and all(p.class_id is not None for p in predictions)
        labels = dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())
        right = sum(p.class_id == labels[p.image_id] for p in predictions)
        assert right >= 50
        stored = project.conn.execute("SELECT count(*) FROM predictions WHERE run_id = ?", (run,)).fetchone()[0]
        assert stored == 60
        assert all(0 < p.confidence <= 1 for p in predictions)


def test_prediction_filters(trained):
    path, run = trained
    with Project.open(path) as project:
        predict_project(project, run, device="cpu")
        red = project.conn.execute("SELECT id FROM classes WHERE name = 'red'").fetchone()[0]
        # Relabel two red images as green: the model (which says red) now disagrees with them.
        first_reds = [
            r[0] for r in project.conn.execute("SELECT image_id FROM labels WHERE class_id = ? LIMIT 2", (red,))
        ]
        green = project.conn.execute("SELECT id FROM classes WHERE name = 'green'").fetchone()[0]
        label_images(project, first_reds, green)
        rows = query_images(project, ImageQuery(show="disagrees", run_id=run))
        assert set(first_reds) <= set(rows.image_ids)
        predicted_red = query_images(project, ImageQuery(show="predicted", class_id=red, run_id=run))
        assert all(predicted_red.predictions[i][0] == red for i in predicted_red.image_ids)
        assert len(predicted_red) >= 15
        low = query_images(project, ImageQuery(show="low_confidence", run_id=run, threshold=1.01))
        assert len(low) == 60
        chosen = query_images(project, ImageQuery(show="ids", image_ids=(3, 1, 2)))
        assert sorted(chosen.image_ids) == [1, 2, 3]


def test_preflight_warnings(tmp_path):
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=6, classes=("red", "green"))
    with Project.open(path) as project:
        assert preflight(project, 0.2) == []
        add_class(project, "blue")
        blue = project.conn.execute("SELECT id FROM classes WHERE name = 'blue'").fetchone()[0]
        assert preflight(project, 0.2) == [
            "Classes with no labels are left out of this run (the model will never predict them): blue."
        ]
        label_images(project, [1, 2], blue)
        warnings = preflight(project, 0.2)
        assert any("fewer than 5 labels" in w and "blue (2)" in w for w in warnings)
        assert any("No images are held out" in w for w in preflight(project, 0.0))
        assert project.conn.execute("SELECT count(*) FROM splits").fetchone()[0] == 0  # nothing stored
    with create_project(tmp_path / "empty.loupe", classes=["a", "b"]) as empty:
        assert preflight(empty, 0.2) == ["No image is labelled yet: label some images of at least two classes first."]


def test_the_interval_says_how_little_few_validation_images_say():
    from app.core.training.metrics import wilson_interval

    low, high = wilson_interval(9, 10)
    assert (round(low, 2), round(high, 2)) == (0.6, 0.98)
    narrow = wilson_interval(900, 1000)
    assert narrow[1] - narrow[0] < 0.04 < high - low
    assert wilson_interval(0, 0) == (0.0, 1.0) and wilson_interval(5, 5)[1] == 1.0


def test_runs_are_compared_on_the_validation_images_both_were_checked_on():
    from app.core.training.config import TrainConfig
    from app.core.training.runs import RunRecord, compare_runs

    classes = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]

    def run(run_id, rows):
        report = {
            "val_predictions": [{"image_id": i, "label": t, "predicted": p, "confidence": 0.9} for i, t, p in rows]
        }
        return RunRecord(
            run_id, "done", "m", "linear", TrainConfig(), classes, "", None, None, None, report, "", "", None
        )

    old = run(1, [(1, 0, 0), (2, 1, 1), (3, 0, 0), (9, 1, 0)])
    new = run(2, [(1, 0, 0), (2, 1, 0), (3, 0, 1), (4, 1, 1), (5, 0, 0)])  # more images, worse on the shared ones
    comparison = compare_runs(new, old)
    assert (comparison.images, comparison.new_accuracy, comparison.old_accuracy) == (3, 1 / 3, 1.0)
    assert comparison.new_is_worse and not compare_runs(old, new).new_is_worse
    assert compare_runs(new, run(3, [(7, 0, 0)])).images == 0
