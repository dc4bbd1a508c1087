"""Every training method, on both architecture families (a ViT with dropout, a CNN with
BatchNorm), in both formats (transformers' own, and timm's as transformers wraps it): it learns, saves only what it trained, reloads with plain transformers/peft as a
user would (and through Loupe's one loader) to the very predictions its report holds, and its
cost is recorded. The methods follow one protocol: nothing outside them tests their names."""

import re
from pathlib import Path

import numpy as np
import pytest
import torch
from transformers import AutoConfig, AutoModelForImageClassification

from app.core.inference.run_model import load_run_model
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.methods import METHODS, get_method
from app.core.training.methods.base import TrainingMethod
from app.core.training.runs import get_run
from tests.core.training.test_evaluation import validation_batches

LR = {"linear": 1e-2, "bitfit": 1e-2, "ia3": 1e-2, "full": 2e-3}
ADAPTERS = {"ia3", "lora", "dora", "adalora", "loha", "lokr"}


def plain_reload(folder: Path, method: str, backbone: Path):
    """The run's model loaded as a user of plain transformers/peft would (README, "Which method?")."""
    if method in ("linear", "full"):
        return AutoModelForImageClassification.from_pretrained(folder)
    base = AutoModelForImageClassification.from_pretrained(
        backbone, config=AutoConfig.from_pretrained(folder), ignore_mismatched_sizes=True
    )
    if method == "bitfit":
        from safetensors.torch import load_file

        base.load_state_dict(load_file(folder / "bitfit.safetensors"), strict=False)
        return base
    from peft import PeftModel

    return PeftModel.from_pretrained(base, folder)


@pytest.mark.parametrize("backbone_fixture", ["tiny_vit_dropout", "tiny_resnet", "tiny_timm_vit", "tiny_timm_cnn"])
@pytest.mark.parametrize("method", list(METHODS))
def test_each_method_trains_saves_what_it_trained_and_reloads(colour_project, request, backbone_fixture, method):
    backbone = request.getfixturevalue(backbone_fixture)
    config = TrainConfig(
        model=str(backbone),
        method=method,
        epochs=8,
        batch_size=8,
        lr=LR.get(method, 5e-3),
        workers=0,
        device="cpu",
        patience=0,
    )
    with Project.open(colour_project) as project:
        result = train(project, config)
        run = get_run(project, result.run)
    assert result.status == "done" and result.accuracy >= 0.5, result  # chance: 0.33
    folder = Path(result.model_dir)
    files = {path.name for path in folder.iterdir()}
    if method in ADAPTERS:
        assert {"adapter_model.safetensors", "adapter_config.json", "config.json"} <= files
    if method not in ("linear", "full"):
        assert "model.safetensors" not in files  # only what it trained
        assert run.cost["parameters"]["trainable_share"] < 0.8
    assert not any(name.endswith((".bin", ".pt", ".pkl")) for name in files)

    cost = run.cost
    assert cost == result.cost and cost["saved_bytes"] == sum(p.stat().st_size for p in folder.iterdir())
    assert 0 < cost["parameters"]["trainable"] <= cost["parameters"]["total"]
    assert cost["peak_memory"]["bytes"] > 0 and all(ms > 0 for ms in cost["latency_ms_per_image"].values())

    expected = {p["image_id"]: p for p in run.report["val_predictions"]}
    with Project.open(colour_project, read_only=True) as project:
        loaded = load_run_model(project, run.id, device="cpu")  # Loupe's loader
    batch, ids = validation_batches(colour_project, loaded.transform, sort_by_class=True, batch_size=12)[0]
    for model in (loaded.model, plain_reload(folder, method, backbone).eval()):
        with torch.inference_mode():
            probabilities = torch.softmax(model(pixel_values=batch).logits, dim=1)
        assert [expected[i]["predicted"] for i in ids] == probabilities.argmax(1).tolist()
        assert np.allclose([expected[i]["confidence"] for i in ids], probabilities.max(1).values, atol=1e-4)


def test_parameter_efficient_methods_keep_batchnorm_statistics(colour_project, tiny_resnet):
    """What a method does not save must not change: the BatchNorm statistics of the backbone."""
    from safetensors.torch import load_file

    before = {k: v for k, v in load_file(tiny_resnet / "model.safetensors").items() if "running_" in k}
    with Project.open(colour_project) as project:
        result = train(
            project, TrainConfig(model=str(tiny_resnet), method="lora", epochs=2, batch_size=8, workers=0, device="cpu")
        )
        model = load_run_model(project, result.run, device="cpu").model
    after = {k: v for k, v in model.state_dict().items() if "running_" in k}
    assert before.keys() == after.keys() and all(torch.equal(before[k], after[k]) for k in before)


def test_methods_hold_no_state_between_runs(colour_project, tiny_vit):
    """One method object prepares two runs: it keeps nothing of either, and each run's
    `Prepared` saves its own model."""
    from app.core.imaging import DecodeOptions
    from app.core.training.backbones import image_settings
    from app.core.training.data import SkippedImages, collect_training_set
    from app.core.training.distributed import DistributedContext
    from app.core.training.methods.base import MethodContext
    from app.core.training.saved_models import starting_point

    with Project.open(colour_project) as project:
        training_set = collect_training_set(project, 0.2, 0)
    for name in METHODS:
        method = get_method(name)
        assert isinstance(method, TrainingMethod)
        assert method.name == name and method.default_lr > 0 and method.description and method.cost
        prepared = []
        for run in range(2):
            start = starting_point(None, str(tiny_vit), None, training_set.classes)
            ctx = MethodContext(
                start.model,
                training_set,
                image_settings(start.processor, start.model.config, None),
                TrainConfig(model=str(tiny_vit), method=name, workers=0, device="cpu"),
                torch.device("cpu"),
                colour_project.parent / f"cache-{name}",
                f"key-{run}",
                DecodeOptions(),
                DistributedContext(),
                lambda event: None,
                lambda: False,
                SkippedImages(training_set.items, lambda event: None),
            )
            prepared.append(method.prepare(ctx))
            assert vars(method) == {"info": METHODS[name]}
        assert prepared[0].model is not prepared[1].model
        for index, one in enumerate(prepared):
            folder = colour_project.parent / f"{name}-{index}"
            folder.mkdir()
            method.save(one, folder)
            assert any(folder.iterdir())


def test_adalora_saves_the_best_epoch_even_when_its_rank_budget_moved_on(colour_project, tiny_resnet):
    """The best epoch comes early (its weights then get ruined at random); AdaLoRA keeps pruning
    ranks until the end, and the saved adapter must still be the best epoch's model."""

    def ruin_after_epoch_two(step, batch_size, module):
        if step > 12:
            with torch.no_grad():
                for name, parameter in module.named_parameters():
                    if "classifier" in name and parameter.requires_grad:
                        parameter.copy_(torch.randn_like(parameter) * 3)  # a random head at every step

    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(
                model=str(tiny_resnet),
                method="adalora",
                epochs=8,
                augment="none",
                batch_size=8,
                lr=2e-2,
                lora_rank=4,
                workers=0,
                device="cpu",
                patience=0,
            ),
            before_step=ruin_after_epoch_two,
        )
        run = get_run(project, result.run)
        loaded = load_run_model(project, run.id, device="cpu")
    assert result.status == "done" and run.report["best_epoch"] <= 3
    expected = {p["image_id"]: p for p in run.report["val_predictions"]}
    batch, ids = validation_batches(colour_project, loaded.transform, sort_by_class=True, batch_size=12)[0]
    with torch.inference_mode():
        probabilities = torch.softmax(loaded.model(pixel_values=batch).logits, dim=1)
    assert np.allclose([expected[i]["confidence"] for i in ids], probabilities.max(1).values, atol=1e-4)


def test_adalora_runs_with_a_single_step(tmp_path, tiny_vit):
    from tests.tiny_models import make_colour_project

    path = make_colour_project(tmp_path, per_class=3)
    with Project.open(path) as project:
        result = train(
            project,
            TrainConfig(model=str(tiny_vit), method="adalora", epochs=1, batch_size=16, workers=0, device="cpu"),
        )
    assert result.status == "done" and result.model_dir


def test_nothing_outside_the_methods_tests_a_method_name_or_looks_for_its_files():
    root = Path(__file__).resolve().parents[3] / "app"
    names = "|".join(METHODS)
    pattern = re.compile(rf"""(method\s*(==|!=|in)\s*\(?["']({names})["'])|adapter_config\.json|bitfit\.safetensors""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in root.rglob("*.py")
        if "methods" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
