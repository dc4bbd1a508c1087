"""The fast loop on real projects: image features computed once and cached, a head refitted on
every label, suggestions among unlabelled images only, the rounds and the stopping signal."""

import json

import numpy as np
import pytest

from app.cli import main
from app.core.active.history import advice_from_rounds, learning_history, stable_window, stopping_advice
from app.core.active.learner import ActiveLearner, LabelSnapshot, read_labels
from app.core.active.pool import EmbeddingSource, Pool, load_pool
from app.core.active.suggest import suggest
from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.training.logistic import fit_head
from tests.tiny_models import copy_project, make_colour_project, save_tiny_resnet


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    return save_tiny_resnet(tmp_path_factory.mktemp("resnet"))


@pytest.fixture(scope="module")
def colours_template(tmp_path_factory):
    return make_colour_project(tmp_path_factory.mktemp("colours"), per_class=12)


@pytest.fixture
def few_labels(colours_template, tmp_path):
    """The colour project (3 × 12 images) with 4 labels per class left."""
    path = copy_project(colours_template, tmp_path, "p.loupe")
    with Project.open(path) as project:
        by_class = {}
        for image_id, class_id in project.conn.execute("SELECT image_id, class_id FROM labels ORDER BY image_id"):
            by_class.setdefault(class_id, []).append(image_id)
        label_images(project, [i for ids in by_class.values() for i in ids[4:]], None)
    return path


def blobs(n_per_class=200, classes=3, dims=16, seed=0):
    generator = np.random.default_rng(seed)
    centres = generator.normal(0, 3, (classes, dims))
    y = np.repeat(np.arange(classes), n_per_class)
    return (centres[y] + generator.normal(0, 1, (len(y), dims))).astype(np.float32), y


def test_the_head_learns_separable_classes_and_a_warm_start_lands_on_the_same_answer():
    x, y = blobs()
    head = fit_head(x, y, 3)
    assert (head.probabilities(x).argmax(1) == y).mean() > 0.98
    again = fit_head(x, y, 3, warm=head)
    assert np.allclose(again.probabilities(x), head.probabilities(x), atol=1e-3)
    assert np.allclose(
        head.mc_probabilities(x[:5], 3, 0.0, np.random.default_rng(0))[0], head.probabilities(x[:5]), atol=1e-5
    )


def snapshot_of(y, labelled_rows, val_every=5):
    labels = {int(r) + 1: int(y[r]) + 10 for r in labelled_rows}
    splits = {i: ("val" if k % val_every == 0 else "train") for k, i in enumerate(labels)}
    return LabelSnapshot(labels, splits, [(10, "a"), (11, "b"), (12, "c")])


def test_a_refresh_suggests_unlabelled_images_estimates_accuracy_and_tracks_changes():
    x, y = blobs()
    learner = ActiveLearner(Pool(np.arange(1, len(x) + 1), x, "key", 0))
    first = learner.refresh(snapshot_of(y, [0]), "margin", 5)  # one class labelled: no model yet
    assert first.strategy == "cold-start" and first.estimated_accuracy is None and first.changed_share is None
    labelled = list(range(0, 600, 20))
    second = learner.refresh(snapshot_of(y, labelled), "margin", 5)
    assert second.strategy == "margin" and second.labels == 30 and second.unlabelled == 570
    assert not {s.image_id for s in second.suggestions} & {r + 1 for r in labelled}
    assert second.estimated_accuracy == pytest.approx(1.0) and second.validation_images == 6
    assert second.changed_share is None  # the first model: nothing to compare with
    assert all(len(s.top) == 2 and s.reason.startswith(s.top[0][0]) for s in second.suggestions)
    third = learner.refresh(snapshot_of(y, labelled + [1, 201]), "entropy", 5, exclude={second.suggestions[0].image_id})
    assert third.changed_share is not None and 0 <= third.changed_share < 0.05
    assert second.suggestions[0].image_id not in {s.image_id for s in third.suggestions}
    predicted = np.array([third.predictions[i + 1] for i in range(len(y)) if i + 1 in third.predictions])
    truth = np.array([y[i] + 10 for i in range(len(y)) if i + 1 in third.predictions])
    assert (predicted == truth).mean() > 0.95


def test_zero_shot_s_order_is_the_cold_start_until_two_classes_have_labels():
    """A cold-start order given by the caller (zero-shot's, each class in turn) is followed as
    given, without labelled or excluded images, until a model exists; then the strategy rules."""
    from app.core.zeroshot.cold_start import cold_start_queue
    from app.core.zeroshot.scoring import ZeroShotPrediction

    x, y = blobs()
    learner = ActiveLearner(Pool(np.arange(1, len(x) + 1), x, "key", 0))
    guesses = [ZeroShotPrediction(i + 1, int(y[i]) + 10, "abc"[y[i]], 0.9 - i / 1000) for i in range(0, 600, 7)]
    order = cold_start_queue(guesses)
    assert [image_id for image_id, _ in order[:3]] == [1, 204, 407]  # each class's most confident in turn
    assert order[0][1] == "zero-shot: a 90%"
    first = learner.refresh(snapshot_of(y, [0]), "margin", 5, exclude={204}, cold_start=order)
    expected = [image_id for image_id, _ in order if image_id not in {1, 204}][:5]
    assert first.strategy == "zero-shot" and [s.image_id for s in first.suggestions] == expected
    assert first.suggestions[0].reason.startswith("zero-shot: ")
    later = learner.refresh(snapshot_of(y, list(range(0, 600, 20))), "margin", 5, cold_start=order)
    assert later.strategy == "margin"


def test_the_stopping_signal_needs_a_long_calm_stretch():
    calm = [(100, None)] + [(100 + 20 * k, 0.0005) for k in range(1, 12)]
    advice = advice_from_rounds(calm)
    assert advice.stable and advice.labels_covered >= 200
    assert advice.sentence.startswith("Predictions have barely changed over the last 200 labels")
    busy = calm[:-1] + [(320, 0.08)]
    assert not advice_from_rounds(busy).stable and "still teaching" in advice_from_rounds(busy).sentence
    short = [(100, None), (120, 0.0)]  # calm, but over 20 labels only
    assert not advice_from_rounds(short).stable
    assert advice_from_rounds(short).sentence.endswith("200 labels are needed to tell whether they have settled.")
    assert not advice_from_rounds([]).stable and advice_from_rounds([]).sentence.startswith("Not enough to tell yet")


def test_the_stopping_signal_scales_with_a_small_project():
    assert [stable_window(n) for n in (60, 500, 1200, 100_000)] == [20, 50, 120, 200]
    sample = [(20, None)] + [(20 + 5 * k, 0.0) for k in range(1, 6)]  # 25 calm labels in a 60-image project
    advice = advice_from_rounds(sample, stable_window(60))
    assert advice.stable and advice.labels_covered == 20
    assert not advice_from_rounds(sample).stable  # the large-project window would still wait for 200


def test_suggest_caches_features_suggests_unlabelled_images_and_records_the_round(few_labels, tiny_model):
    events = []
    with Project.open(few_labels) as project:
        result = suggest(project, "margin", 5, EmbeddingSource.from_model(str(tiny_model)), on_progress=events.append)
        assert events[-1].done == events[-1].total == 36  # every image, once
        labelled = set(read_labels(project).labels)
        assert len(labelled) == 12
        ids = [s.image_id for s in result.refresh.suggestions]
        assert len(ids) == 5 and not set(ids) & labelled
        assert all(result.paths[i].startswith("images/") for i in ids)
        events.clear()
        again = suggest(project, "margin", 5, EmbeddingSource.from_model(str(tiny_model)), on_progress=events.append)
        assert events[-1].total == 0  # all cached
        assert [s.image_id for s in again.refresh.suggestions] == ids  # same labels, same answer
        assert len(load_pool(project, _key_of(project))) == 36
        rounds = project.conn.execute("SELECT strategy, labels, unlabelled FROM active_rounds").fetchall()
        assert rounds == [("margin", 12, 24)] * 2
        assert [p.kind for p in learning_history(project)] == ["refresh", "refresh"]
        assert stopping_advice(project).sentence


def _key_of(project) -> str:
    import sqlite3

    conn = sqlite3.connect(project.paths.cache_dir / "embeddings.sqlite")
    (key,) = conn.execute("SELECT DISTINCT backbone FROM embeddings").fetchone()
    conn.close()
    return key


def test_loupe_suggest_json_has_absolute_paths_and_reasons(few_labels, tiny_model, capsys):
    assert (
        main(["suggest", str(few_labels), "--model", str(tiny_model), "-n", "3", "--strategy", "entropy", "--json"])
        == 0
    )
    out = json.loads(capsys.readouterr().out)
    assert out["strategy"] == "entropy" and out["labels"] == 12 and out["unlabelled"] == 24
    assert len(out["suggestions"]) == 3
    for row in out["suggestions"]:
        assert {"image", "path", "score", "reason", "top"} <= row.keys()
        assert row["path"].startswith(str(few_labels.parent)) and (few_labels.parent / row["path"]).is_file()
        assert len(row["top"]) == 2 and row["top"][0]["probability"] >= row["top"][1]["probability"]
    assert main(["suggest", str(few_labels), "--strategy", "nope"]) == 2
    assert "unknown strategy 'nope'" in capsys.readouterr().err


def test_suggestions_use_a_fine_tuned_run_s_features_and_a_linear_run_s_backbone(few_labels, tiny_model):
    from app.core.active.suggest import default_source
    from app.core.project.settings import ACTIVE_RUN, set_setting
    from app.core.training import TrainConfig, train
    from app.core.training.config import remember_config

    with Project.open(few_labels) as project:
        remember_config(project, TrainConfig(model=str(tiny_model)))
        assert default_source(project) == EmbeddingSource.from_model(str(tiny_model))
        common = dict(model=str(tiny_model), epochs=1, workers=0, device="cpu", augment=False)
        full = train(project, TrainConfig(method="full", **common))
        linear = train(project, TrainConfig(method="linear", **common))
        set_setting(project, ACTIVE_RUN, linear.run)
        assert default_source(project) == EmbeddingSource.from_model(str(tiny_model))  # the same features
        set_setting(project, ACTIVE_RUN, full.run)
        assert default_source(project) == EmbeddingSource.from_run(full.run)
        result = suggest(project, "coreset", 4)
        assert result.source == f"run {full.run}" and len(result.refresh.suggestions) == 4
        keys = {
            row[0]
            for row in __import__("sqlite3")
            .connect(project.paths.cache_dir / "embeddings.sqlite")
            .execute("SELECT DISTINCT backbone FROM embeddings")
        }
        assert any(key.startswith("run:") for key in keys) and len(keys) == 2


def test_advice_when_every_image_has_a_label_and_a_missing_model_folder_is_named(few_labels, tmp_path):
    from app.core.active.history import record_round
    from app.core.active.learner import Refresh
    from app.core.errors import ConfigError
    from app.core.training.backbones import resolve

    with Project.open(few_labels) as project:
        record_round(project, Refresh("margin", [], 36, 0, 1.0, 6, None), "model")
        assert stopping_advice(project) == type(stopping_advice(project))(None, 0, True, "Every image has a label.")
        (point,) = learning_history(project)
        low, high = point.interval()
        assert point.validation_images == 6 and low < 0.65 and high == pytest.approx(1.0)  # 6 of 6 right says little
    with pytest.raises(ConfigError, match=f"the model folder {tmp_path / 'gone'} does not exist"):
        resolve(str(tmp_path / "gone"))


def test_features_are_computed_on_the_train_form_s_device_unless_told(few_labels, tiny_model):
    """A form set to a device this machine lacks is heard (and refused); an explicit device wins."""
    import torch

    from app.core.active.pool import embed_images
    from app.core.errors import ConfigError
    from app.core.training import TrainConfig
    from app.core.training.config import remember_config

    absent = "cuda" if not torch.cuda.is_available() else "mps"  # no machine has both
    with Project.open(few_labels) as project:
        remember_config(project, TrainConfig(model=str(tiny_model), device=absent))
        with pytest.raises(ConfigError, match=f"device '{absent}' is not available"):
            embed_images(project, EmbeddingSource.from_model(str(tiny_model)))
        key, unreadable = embed_images(project, EmbeddingSource.from_model(str(tiny_model)), device="cpu")
        assert len(load_pool(project, key)) == 36 and not unreadable
