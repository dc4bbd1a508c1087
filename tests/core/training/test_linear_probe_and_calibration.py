"""The linear probe is logistic regression fitted to convergence (checked against scikit-learn on
the same standardised features), and every run's confidences are calibrated by a temperature
fitted on its validation images and folded into the saved model."""

import numpy as np
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from transformers import AutoModelForImageClassification

from app.core.inference.run_model import load_run_model
from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import ImageSettings
from app.core.training.calibration import calibrate, expected_calibration_error, review_threshold, with_temperature
from app.core.training.data import ImageDataset, build_transforms, collect_training_set
from app.core.training.embeddings import FeatureExtractor
from app.core.training.logistic import C_GRID, fit_logistic, standardiser
from app.core.training.runs import get_run
from tests.tiny_models import make_colour_project


def overlapping_classes(n: int, d: int, k: int, seed: int):
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(k, d)) * 0.35
    y = rng.integers(0, k, n)
    x = (centres[y] + rng.normal(size=(n, d)) + rng.normal(size=d) * 3).astype(np.float32)  # not centred
    return x, y


def test_fit_logistic_equals_scikit_learn_at_the_cross_validated_strength():
    x, y = overlapping_classes(300, 20, 4, seed=1)
    fitted = fit_logistic(x, y, 4, seed=0)
    assert fitted.folds == 5
    assert C_GRID[0] < fitted.c < C_GRID[-1]  # an interior choice: the penalty mattered
    assert fitted.c == min(fitted.cv_losses, key=fitted.cv_losses.get)
    mean, scale = standardiser(x)
    reference = LogisticRegression(C=fitted.c, class_weight="balanced", max_iter=10_000, tol=1e-10)
    reference.fit((x - mean) / scale, y)
    x_test, _ = overlapping_classes(200, 20, 4, seed=2)
    ours = fitted.head.probabilities(x_test)
    theirs = reference.predict_proba((x_test - mean) / scale)
    assert np.abs(ours - theirs).max() < 2e-3


def test_a_class_with_one_training_image_is_fitted_without_cross_validation():
    x, y = overlapping_classes(40, 5, 2, seed=3)
    y[:] = 0
    y[0] = 1
    fitted = fit_logistic(x, y, 2)
    assert fitted.folds == 0 and fitted.cv_losses == {}
    assert fitted.head.probabilities(x[:1]).argmax() == 1  # the lone image's class is learned


def mislabel_every(path, step: int):
    """Move every `step`-th label of the project at `path` to the next class; returns `path`."""
    with Project.open(path) as project:
        rows = project.conn.execute("SELECT image_id, class_id FROM labels ORDER BY image_id").fetchall()
        class_ids = sorted({c for _, c in rows})
        for image_id, class_id in rows[::step]:
            label_images(project, [image_id], class_ids[(class_ids.index(class_id) + 1) % len(class_ids)])
    return path


@pytest.fixture
def noisy_project(colour_project):
    """The colour project with a quarter of the labels moved to the next colour: classes overlap,
    so the fit's regularisation and the model's confidence both matter."""
    return mislabel_every(colour_project, 4)


def features(model, items, size=32):
    _, eval_tf = build_transforms(ImageSettings(size, (0.5,) * 3, (0.5,) * 3), False, False)
    dataset = ImageDataset(items, eval_tf, size)
    pixels = torch.stack([dataset[i][0] for i in range(len(dataset))])
    with FeatureExtractor(model) as extractor, torch.inference_mode():
        feats, logits = extractor.features_and_logits(pixels)
    return feats.numpy(), torch.softmax(logits, dim=1).numpy()


def test_the_linear_probe_is_scikit_learns_logistic_regression_on_the_same_features(noisy_project, tiny_vit):
    config = TrainConfig(model=str(tiny_vit), method="linear", workers=0, device="cpu")
    with Project.open(noisy_project) as project:
        result = train(project, config)
        run = get_run(project, result.run)
        items = collect_training_set(project, config.val_fraction, config.seed)
        folder = project.paths.root / run.model_dir
    fit, calibration = run.report["fit"], run.report["calibration"]
    assert fit["folds"] == 5 and fit["C"] in C_GRID
    model = AutoModelForImageClassification.from_pretrained(folder).eval()  # plain transformers
    x_train, _ = features(model, items.split("train"))
    x_val, saved = features(model, items.split("val"))
    y_train = np.array([item.label for item in items.split("train")])
    mean, scale = standardiser(x_train)
    reference = LogisticRegression(C=fit["C"], class_weight="balanced", max_iter=10_000, tol=1e-10)
    reference.fit((x_train - mean) / scale, y_train)
    expected = with_temperature(reference.predict_proba((x_val - mean) / scale), calibration["temperature"])
    assert np.abs(saved - expected).max() < 3e-3


def test_temperature_scaling_lowers_the_error_of_overconfident_probabilities():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(400, 3)) * 1.5
    calibrated = torch.softmax(torch.from_numpy(logits), dim=1).numpy()
    labels = np.array([rng.choice(3, p=p) for p in calibrated])  # the labels follow `calibrated` exactly
    overconfident = torch.softmax(torch.from_numpy(logits * 4), dim=1).numpy()
    fitted = calibrate(overconfident, labels)
    assert 3 < fitted.temperature < 5.5
    assert fitted.ece_before > 0.15 and fitted.ece_after < fitted.ece_before / 2
    assert expected_calibration_error(with_temperature(overconfident, fitted.temperature), labels) == pytest.approx(
        fitted.ece_after
    )
    assert (with_temperature(overconfident, 3.0).argmax(1) == overconfident.argmax(1)).all()  # never a new class
    assert sum(row["count"] for row in fitted.reliability_after) == 400


def test_too_few_or_all_correct_validation_images_are_not_calibrated():
    probabilities = np.array([[0.9, 0.1]] * 10)
    fitted = calibrate(probabilities, np.array([0, 1] * 5))
    assert fitted.temperature == 1.0 and "10 validation images" in fitted.note
    fitted = calibrate(np.array([[0.9, 0.1]] * 30), np.zeros(30, dtype=int))  # all right: no sharpening
    assert fitted.temperature == 1.0 and "every validation image right" in fitted.note


@pytest.fixture
def very_noisy_project(tmp_path):
    """120 colour images with every third label moved to the next colour: a full fine-tune at a
    high learning rate memorises the noise and is over-confident on the 48 validation images."""
    return mislabel_every(make_colour_project(tmp_path / "noisy", per_class=40), 3)


def test_an_overconfident_run_is_calibrated_and_its_saved_model_gives_the_calibrated_confidences(
    very_noisy_project, tiny_vit
):
    config = TrainConfig(
        model=str(tiny_vit),
        method="full",
        lr=3e-2,
        epochs=12,
        patience=0,
        workers=0,
        device="cpu",
        augment="none",
        val_fraction=0.4,
    )
    with Project.open(very_noisy_project) as project:
        result = train(project, config)
        run = get_run(project, result.run)
        items = collect_training_set(project, config.val_fraction, config.seed).split("val")
        run_model = load_run_model(project, result.run, device="cpu")
    calibration = run.report["calibration"]
    assert calibration["images"] == 48 and not calibration["note"]
    assert calibration["temperature"] > 1.15, calibration  # over-confident: its logits are divided
    assert calibration["ece_after"] < calibration["ece_before"] * 0.85
    _, eval_tf = build_transforms(ImageSettings(32, (0.5,) * 3, (0.5,) * 3), False, False)
    dataset = ImageDataset(items, eval_tf, 32)
    pixels = torch.stack([dataset[i][0] for i in range(len(dataset))])
    with torch.inference_mode():
        probabilities = torch.softmax(run_model.model(pixel_values=pixels).logits, dim=1).numpy()
    reported = {p["image_id"]: p["confidence"] for p in run.report["val_predictions"]}
    shown = {item.image_id: float(probabilities[i].max()) for i, item in enumerate(items)}
    assert shown == pytest.approx(reported, abs=2e-3)


def test_a_temperature_folded_into_a_peft_head_is_what_the_adapter_saves(tiny_vit, tmp_path):
    """The adapter methods save their head beside the adapters (peft's modules_to_save): the
    temperature must land in that saved copy, not in the frozen original."""
    from peft import LoraConfig, PeftModel, get_peft_model

    from app.core.training.backbones import load_classifier
    from app.core.training.heads import head_linear, head_linear_name, scale_head

    model = load_classifier(str(tiny_vit), ["a", "b", "c"])
    head_name = head_linear_name(model)
    config = LoraConfig(r=4, target_modules="all-linear", modules_to_save=[head_name])
    peft_model = get_peft_model(model, config)
    before = head_linear(peft_model).weight.detach().clone()
    scale_head(peft_model, 0.5)
    peft_model.save_pretrained(tmp_path / "adapter")
    reloaded = PeftModel.from_pretrained(load_classifier(str(tiny_vit), ["a", "b", "c"]), tmp_path / "adapter")
    merged = reloaded.merge_and_unload()
    assert torch.allclose(head_linear(merged).weight, before * 0.5)


def test_the_review_threshold_keeps_the_error_rate_of_what_it_lets_through():
    rng = np.random.default_rng(0)
    confidence = rng.uniform(0.34, 1.0, 2000)
    wrong = rng.random(2000) > confidence  # calibrated: right as often as it says
    rows = [{"confidence": float(c), "label": 0, "predicted": int(w)} for c, w in zip(confidence, wrong)]
    chosen = review_threshold(rows, 0.05)
    kept = confidence >= chosen.threshold
    assert chosen.kept == kept.sum() and chosen.error_rate == pytest.approx(wrong[kept].mean())
    assert chosen.error_rate <= 0.05 and 0.85 < chosen.threshold < 0.98
    looser = review_threshold(rows, 0.10)
    assert looser.threshold < chosen.threshold and looser.kept > chosen.kept
    assert review_threshold(rows[:10], 0.05).kept == 0  # ten images cannot promise 5 %
    assert "of the 2000 validation images" in chosen.sentence
