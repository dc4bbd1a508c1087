"""Training with tiny local models: every method learns, runs are recorded, saved models reload
with plain transformers/peft, and the safety nets (cancel, NaN, out-of-memory) work."""

import json

import numpy as np
import pytest
import torch
from transformers import AutoConfig, AutoModelForImageClassification

from app.core.errors import LoupeError
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import ImageSettings, load_classifier
from app.core.training.data import ImageDataset, build_transforms, collect_training_set
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.runs import get_run, list_runs, run_metrics

CHANCE = 1 / 3


def fit(project_path, model, method, **overrides):
    settings = dict(model=str(model), method=method, epochs=8, batch_size=8, workers=0, device="cpu", patience=0)
    settings.update(overrides)
    events = []
    with Project.open(project_path) as project:
        result = train(project, TrainConfig(**settings), on_progress=events.append)
    return result, events


@pytest.mark.parametrize("method, lr", [("linear", 1e-2), ("lora", 5e-3), ("full", 1e-3)])
def test_each_method_learns_and_the_run_is_recorded(colour_project, tiny_vit, method, lr):
    result, events = fit(colour_project, tiny_vit, method, lr=lr, epochs=10 if method != "linear" else 30)
    assert result.status == "done"
    assert result.accuracy >= 0.8 > CHANCE + 0.3, result
    assert any(isinstance(e, StepProgress) for e in events) and any(isinstance(e, EpochProgress) for e in events)

    with Project.open(colour_project) as project:
        run = get_run(project, result.run)
        assert (run.status, run.method, run.config.lr) == ("done", method, lr)
        assert [c["name"] for c in run.classes] == ["red", "green", "blue"]
        snapshot = project.conn.execute(
            "SELECT split, count(*) FROM run_labels WHERE run_id = ? GROUP BY split", (result.run,)
        ).fetchall()
        assert dict(snapshot) == {"train": 48, "val": 12}  # stratified: 4 of each class's 20 held out
        steps = run_metrics(project, result.run, "train_loss")
        assert len(steps) == len({s for s, _, _ in steps}) >= 10  # one per step
        epochs = 1 if method == "linear" else run.config.epochs  # the probe is fitted, then validated once
        assert len(run_metrics(project, result.run, "val_accuracy")) == epochs
        matrix = np.array(run.report["confusion_matrix"])
        assert matrix.shape == (3, 3) and matrix.sum() == 12
        assert [c["support"] for c in run.report["classes"]] == [4, 4, 4]
        assert (project.paths.root / run.model_dir / "config.json").exists()


def eval_batch(project_path, size=32):
    with Project.open(project_path) as project:
        items = collect_training_set(project, 0.2, 0).split("val")
    _, eval_tf = build_transforms(ImageSettings(size, (0.5,) * 3, (0.5,) * 3), False, False)
    dataset = ImageDataset(items, eval_tf, size)
    return torch.stack([dataset[i][0] for i in range(len(dataset))])


def run_dir(project_path, run_id):
    with Project.open(project_path) as project:
        return project.paths.root / get_run(project, run_id).model_dir


@pytest.mark.parametrize("method", ["linear", "full"])
def test_saved_model_reloads_with_plain_transformers_and_predicts_the_same(colour_project, tiny_vit, method):
    result, _ = fit(colour_project, tiny_vit, method, epochs=3, lr=1e-2)
    folder = run_dir(colour_project, result.run)
    reloaded = AutoModelForImageClassification.from_pretrained(folder).eval()
    assert reloaded.config.id2label == {0: "red", 1: "green", 2: "blue"}
    with Project.open(colour_project) as project:
        expected = get_run(project, result.run).report["val_predictions"]
    with torch.no_grad():
        probabilities = torch.softmax(reloaded(pixel_values=eval_batch(colour_project)).logits, dim=1)
    assert [p["predicted"] for p in expected] == probabilities.argmax(1).tolist()
    confidences = probabilities.max(1).values.numpy()
    assert np.allclose([p["confidence"] for p in expected], confidences, atol=1e-4)


def test_lora_trains_a_small_fraction_saves_only_the_adapter_and_reloads_with_peft(colour_project, tiny_vit):
    from peft import PeftModel

    result, _ = fit(colour_project, tiny_vit, "lora", epochs=3, lr=5e-3, lora_rank=2)
    folder = run_dir(colour_project, result.run)
    assert (folder / "adapter_model.safetensors").exists() and (folder / "adapter_config.json").exists()
    assert not (folder / "model.safetensors").exists()  # not the whole model again
    with Project.open(colour_project) as project:
        run = get_run(project, result.run)
        report = run.report
    assert run.cost["parameters"]["trainable"] / run.cost["parameters"]["total"] < 0.10

    base = AutoModelForImageClassification.from_pretrained(
        tiny_vit, config=AutoConfig.from_pretrained(folder), ignore_mismatched_sizes=True
    )
    model = PeftModel.from_pretrained(base, folder).eval()
    with torch.no_grad():
        probabilities = torch.softmax(model(pixel_values=eval_batch(colour_project)).logits, dim=1)
    assert [p["predicted"] for p in report["val_predictions"]] == probabilities.argmax(1).tolist()
    assert np.allclose([p["confidence"] for p in report["val_predictions"]], probabilities.max(1).values, atol=1e-4)


def test_cancel_stops_within_one_step_and_keeps_a_model(colour_project, tiny_vit):
    seen = []

    def before_step(step, batch_size, module):
        seen.append(step)

    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(model=str(tiny_vit), method="full", epochs=5, batch_size=4, workers=0, device="cpu"),
            should_stop=lambda: len(seen) >= 3,
            before_step=before_step,
        )
        run = get_run(project, result.run)
        assert result.status == run.status == "cancelled"
        assert seen == [1, 2, 3]  # asked to stop after step 3: no step 4
        assert len(run_metrics(project, result.run, "train_loss")) == 3
        assert (project.paths.root / run.model_dir / "model.safetensors").exists()  # kept


def test_cancel_before_the_first_step_keeps_no_model(colour_project, tiny_vit):
    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(model=str(tiny_vit), method="full", epochs=2, batch_size=4, workers=0, device="cpu"),
            should_stop=lambda: True,
        )
        run = get_run(project, result.run)
    assert result.status == run.status == "cancelled" and run.model_dir is None and result.model_dir is None
    assert not (colour_project.parent / "train.loupe-models").exists() or not any(
        (colour_project.parent / "train.loupe-models").iterdir()
    )


def test_nan_losses_stop_the_run_with_a_clear_message(colour_project, tiny_vit):
    def poison(step, batch_size, module):
        if step == 2:
            with torch.no_grad():
                next(module.parameters()).fill_(float("nan"))

    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(
                model=str(tiny_vit), method="full", epochs=5, batch_size=4, workers=0, device="cpu", max_nonfinite=3
            ),
            before_step=poison,
        )
        run = get_run(project, result.run)
    assert result.status == run.status == "failed"
    assert "not a finite number for 3 steps" in run.message and "lower learning rate" in run.message


def test_out_of_memory_halves_the_batch_and_goes_on(colour_project, tiny_vit):
    sizes = []

    def small_gpu(step, batch_size, module):
        sizes.append(batch_size)
        if batch_size > 4:
            raise torch.OutOfMemoryError("CUDA out of memory (simulated)")

    events = []
    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(model=str(tiny_vit), method="full", epochs=2, batch_size=16, workers=0, device="cpu"),
            on_progress=events.append,
            before_step=small_gpu,
        )
    assert result.status == "done"
    assert sizes[:3] == [16, 8, 4] and set(sizes[2:]) == {4}
    notices = [e.text for e in events if isinstance(e, Notice)]
    assert any("batch size is now 8" in n for n in notices) and any("batch size is now 4" in n for n in notices)


@pytest.mark.parametrize(
    "model_fixture, method", [("tiny_resnet", "linear"), ("tiny_resnet", "lora"), ("tiny_clip", "linear")]
)
def test_other_architectures(colour_project, request, model_fixture, method):
    model = request.getfixturevalue(model_fixture)
    result, _ = fit(
        colour_project, model, method, epochs=25 if method == "linear" else 8, lr=1e-2 if method == "linear" else 5e-3
    )
    assert result.status == "done" and result.accuracy > CHANCE + 0.25, result


def test_linear_probe_reuses_cached_features(colour_project, tiny_vit):
    _, first = fit(colour_project, tiny_vit, "linear", epochs=2, lr=1e-2)
    _, second = fit(colour_project, tiny_vit, "linear", epochs=2, lr=1e-2)
    assert any("Computing features for 60 images" in getattr(e, "text", "") for e in first)
    assert not any("Computing features" in getattr(e, "text", "") for e in second)


def test_continue_from_an_earlier_run(colour_project, tiny_vit):
    first, _ = fit(colour_project, tiny_vit, "lora", epochs=3, lr=5e-3)
    second, _ = fit(colour_project, tiny_vit, "full", epochs=2, lr=1e-4, init_from=first.run)
    assert second.status == "done" and second.accuracy >= first.accuracy - 0.2
    with Project.open(colour_project) as project:
        assert get_run(project, second.run).config.init_from == first.run
        assert [r.id for r in list_runs(project)] == [first.run, second.run]


def test_one_class_is_refused(tmp_path, tiny_vit):
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=4, classes=("red",))
    with Project.open(path) as project, pytest.raises(LoupeError, match="at least two classes"):
        train(project, TrainConfig(model=str(tiny_vit), workers=0, device="cpu"))


def test_models_that_are_not_here_give_a_clear_offline_message():
    with pytest.raises(LoupeError, match="cannot be downloaded now"):
        load_classifier("loupe-tests/no-such-model", ["a", "b"])


class _Booby:
    """Unpickling this creates a file: proof that a pickle was (or was not) loaded."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_pickled_weights_are_never_loaded(tmp_path):
    import pickle

    from transformers import ViTConfig

    ViTConfig(
        image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32
    ).save_pretrained(tmp_path)
    marker = tmp_path / "unpickled"
    (tmp_path / "pytorch_model.bin").write_bytes(pickle.dumps(_Booby(marker)))
    with pytest.raises(LoupeError):
        load_classifier(str(tmp_path), ["a", "b"])
    assert not marker.exists()


def test_a_model_folder_with_pickled_weights_only_says_so(colour_project, tmp_path, capsys):
    import pickle

    from transformers import ViTConfig

    from app.cli import main

    folder = tmp_path / "bin-only"
    ViTConfig(
        image_size=32, patch_size=8, hidden_size=32, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32
    ).save_pretrained(folder)
    marker = tmp_path / "unpickled"
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Booby(marker)))
    assert main(["train", str(colour_project), "--model", str(folder), "--device", "cpu"]) == 2
    err = capsys.readouterr().err
    assert "holds its weights only as pytorch_model.bin" in err and "safetensors only" in err
    assert "cannot be downloaded" not in err and not marker.exists()


def test_a_pickle_put_in_a_run_folder_is_refused_before_loading(colour_project, tiny_vit, tmp_path, capsys):
    import pickle

    from app.cli import main
    from app.core.inference.predict import predict_project

    first, _ = fit(colour_project, tiny_vit, "lora", epochs=1)
    folder = run_dir(colour_project, first.run)
    marker = tmp_path / "unpickled"
    (folder / "adapter_model.safetensors").unlink()
    (folder / "adapter_model.bin").write_bytes(pickle.dumps(_Booby(marker)))
    assert (
        main(
            [
                "train",
                str(colour_project),
                "--model",
                str(tiny_vit),
                "--init-from",
                str(first.run),
                "--device",
                "cpu",
                "--workers",
                "0",
            ]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "adapter_model.bin, pickle files that can run code" in err and "safetensors only" in err
    with Project.open(colour_project) as project, pytest.raises(LoupeError, match="pickle files"):
        predict_project(project, first.run, device="cpu")
    assert not marker.exists()


def test_interrupted_runs_are_marked_when_the_next_starts(colour_project, tiny_vit):
    with Project.open(colour_project) as project:
        project.conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes) VALUES "
            "('running', 'x', 'linear', 0, ?, '[]')",
            (TrainConfig().to_json(),),
        )
        project.conn.commit()
    fit(colour_project, tiny_vit, "linear", epochs=1)
    with Project.open(colour_project) as project:
        assert get_run(project, 1).status == "failed" and "interrupted" in get_run(project, 1).message
        assert json.loads(project.conn.execute("SELECT config FROM runs WHERE id = 2").fetchone()[0])["epochs"] == 1
