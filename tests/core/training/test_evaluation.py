"""Validation is evaluation: eval mode (BatchNorm on its running statistics, dropout off), so no
validation number depends on how the validation images are ordered or batched, and the accuracy
a run reports is the point its curves show for the best epoch.

These tests use models where training mode changes the outputs: a tiny ResNet (BatchNorm) and a
tiny ViT with dropout, trained fully and with LoRA (adapter dropout). With validation run in
training mode (as before), each of them fails.
"""

import random

import numpy as np
import pytest
import torch

from app.core.importing.importer import ImportOptions, import_paths
from app.core.inference.run_model import load_run_model
from app.core.labelling.classes import add_class
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.data import ImageDataset, collate_readable, collect_training_set
from app.core.training.loop import evaluate
from app.core.training.runs import get_run, run_metrics
from tests.tiny_models import COLOURS, write_colour_images

FAMILIES = [
    ("tiny_resnet", "full"),
    ("tiny_vit_dropout", "full"),
    ("tiny_vit_dropout", "lora"),
    ("tiny_resnet", "lora"),
]


def settings(model, method, **overrides):
    values = dict(
        model=str(model),
        method=method,
        epochs=4,
        batch_size=4,
        lr=5e-3 if method == "lora" else 2e-3,
        workers=0,
        device="cpu",
        patience=0,
        augment=False,
    )
    values.update(overrides)
    return TrainConfig(**values)


@pytest.mark.parametrize("model_fixture, method", FAMILIES)
def test_the_reported_accuracy_is_the_best_epochs_point_in_the_curve(colour_project, request, model_fixture, method):
    model = request.getfixturevalue(model_fixture)
    with Project.open(colour_project) as project:
        result = train(project, settings(model, method))
        run = get_run(project, result.run)
        losses = run_metrics(project, result.run, "val_loss")
        accuracies = run_metrics(project, result.run, "val_accuracy")
        f1s = run_metrics(project, result.run, "val_macro_f1")
    assert result.status == "done" and len(losses) == 4
    best = int(np.argmin([value for _, _, value in losses]))
    assert run.report["best_epoch"] == accuracies[best][1] == best + 1
    # One number everywhere: the result, the runs table, the report — the curve's point.
    assert result.accuracy == run.accuracy == run.report["accuracy"] == accuracies[best][2]
    assert result.macro_f1 == run.macro_f1 == run.report["macro_f1"] == f1s[best][2]
    matrix = np.array(run.report["confusion_matrix"])
    assert matrix.sum() == 12 and np.trace(matrix) / matrix.sum() == pytest.approx(result.accuracy)
    # The saved model is the evaluated one: reloaded, it predicts what the report says.
    with Project.open(colour_project, read_only=True) as project:
        reloaded = load_run_model(project, run.id, device="cpu")
    predictions = {p["image_id"]: p for p in run.report["val_predictions"]}
    batch, ids = validation_batches(colour_project, reloaded.transform, sort_by_class=True, batch_size=12)[0]
    with torch.inference_mode():
        probabilities = torch.softmax(reloaded.model(pixel_values=batch).logits, dim=1)
    assert [predictions[i]["predicted"] for i in ids] == probabilities.argmax(1).tolist()
    assert np.allclose([predictions[i]["confidence"] for i in ids], probabilities.max(1).values, atol=1e-4)


def validation_batches(project_path, transform, sort_by_class: bool, batch_size=4, seed=0):
    """The project's validation images as (pixels, image ids) batches: sorted by class, or shuffled."""
    with Project.open(project_path, read_only=True) as project:
        items = collect_training_set(project, 0.2, 0).split("val")
    if sort_by_class:
        items = sorted(items, key=lambda item: (item.label, item.image_id))
    else:
        random.Random(seed).shuffle(items)
    dataset = ImageDataset(items, transform, 32)
    samples = [dataset[i] for i in range(len(dataset))]
    batches = []
    for start in range(0, len(samples), batch_size):
        batch = collate_readable(samples[start : start + batch_size])
        batches.append((batch.inputs, batch.image_ids.tolist()))
    return batches


@pytest.mark.parametrize("model_fixture, method", FAMILIES[:3])
def test_shuffling_the_validation_images_changes_no_validation_number(colour_project, request, model_fixture, method):
    model = request.getfixturevalue(model_fixture)
    with Project.open(colour_project) as project:
        run = train(project, settings(model, method, epochs=2)).run
        loaded = load_run_model(project, run, device="cpu")
        classifier = loaded.model
        labels = {item.image_id: item.label for item in collect_training_set(project, 0.2, 0).items}

    def scores(sort_by_class: bool, seed: int = 0):
        classifier.train()  # as the loop leaves the model after an epoch: evaluate must switch
        batches = [
            (x, torch.tensor([labels[i] for i in ids]), torch.tensor(ids))
            for x, ids in validation_batches(colour_project, loaded.transform, sort_by_class, seed=seed)
        ]
        evaluation = evaluate(
            classifier, lambda x: classifier(pixel_values=x).logits, batches, torch.device("cpu"), None, 3
        )
        by_image = dict(zip(evaluation.image_ids, evaluation.probabilities))
        return evaluation, by_image

    reference, reference_rows = scores(sort_by_class=True)
    assert not classifier.training  # evaluated in eval mode
    for seed in (0, 1):
        shuffled, rows = scores(sort_by_class=False, seed=seed)
        assert shuffled.image_ids != reference.image_ids  # really another order
        assert shuffled.loss == pytest.approx(reference.loss, abs=1e-5)
        assert (shuffled.accuracy, shuffled.macro_f1) == (reference.accuracy, reference.macro_f1)
        assert all(np.allclose(rows[i], reference_rows[i], atol=1e-5) for i in reference_rows)


def import_in_order(folder, files, classes):
    """A project holding `files` (labelled by their folder), imported in the given order."""
    folder.mkdir()
    path = folder / "project.loupe"
    with Project.create(path) as project:
        for name in classes:
            add_class(project, name)
        import_paths(project, files, ImportOptions(labels_from_folders=True))
    return path


@pytest.mark.parametrize("model_fixture, method", [("tiny_resnet", "full"), ("tiny_vit_dropout", "lora")])
def test_validation_sorted_by_class_gives_the_same_run_as_shuffled(tmp_path, request, model_fixture, method):
    model = request.getfixturevalue(model_fixture)
    files = write_colour_images(tmp_path / "images", per_class=12)
    shuffled = list(files)
    random.Random(3).shuffle(shuffled)
    projects = {
        "sorted": import_in_order(tmp_path / "a", files, COLOURS),
        "shuffled": import_in_order(tmp_path / "b", shuffled, COLOURS),
    }
    curves, val_orders = {}, {}
    for name, path in projects.items():
        with Project.open(path) as project:
            result = train(project, settings(model, method, epochs=3, batch_size=3))
            assert result.status == "done"
            curves[name] = {
                metric: [v for _, _, v in run_metrics(project, result.run, metric)]
                for metric in ("train_loss", "val_loss", "val_accuracy", "val_macro_f1")
            }
            items = collect_training_set(project, 0.2, 0).split("val")
            val_orders[name] = [item.label for item in items]
    assert val_orders["sorted"] == sorted(val_orders["sorted"])  # validation batches hold one class each
    assert val_orders["shuffled"] != sorted(val_orders["shuffled"])  # ... and mixed classes here
    assert sorted(val_orders["sorted"]) == sorted(val_orders["shuffled"])  # the same images
    assert curves["sorted"]["train_loss"] == pytest.approx(curves["shuffled"]["train_loss"], abs=1e-6)  # same training
    for metric in ("val_loss", "val_accuracy", "val_macro_f1"):
        assert curves["sorted"][metric] == pytest.approx(curves["shuffled"][metric], abs=1e-5), metric
