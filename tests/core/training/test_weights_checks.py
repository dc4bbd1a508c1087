"""Wrong weights are refused, not trained on in silence: a backbone whose file holds none of its
weights, and a run of adapters whose base model was replaced after it was trained."""

import shutil

import pytest
import torch
from safetensors.torch import load_file, save_file

from app.core.errors import LoupeError
from app.core.inference.run_model import load_run_model
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import load_classifier
from app.core.training.runs import get_run
from tests.tiny_models import save_tiny_vit


def config(model, method="linear", **overrides) -> TrainConfig:
    return TrainConfig(model=str(model), method=method, epochs=2, workers=0, device="cpu", **overrides)


def test_a_backbone_whose_file_holds_none_of_its_weights_is_refused(colour_project, tmp_path):
    folder = save_tiny_vit(tmp_path / "empty-vit")
    save_file({"something.else": torch.zeros(3)}, str(folder / "model.safetensors"))
    with pytest.raises(LoupeError, match=r"does not hold the weights of its model: \d+ of the \d+ weights"):
        load_classifier(str(folder), ["a", "b"])
    with Project.open(colour_project) as project, pytest.raises(LoupeError, match="random weights"):
        train(project, config(folder))
    with Project.open(colour_project) as project:
        run = get_run(project, 1)
    assert run.status == "failed" and "does not hold the weights" in run.message


def test_a_few_missing_backbone_weights_are_a_notice_of_the_run(colour_project, tmp_path):
    folder = save_tiny_vit(tmp_path / "partial-vit")
    weights = load_file(str(folder / "model.safetensors"))
    dropped = sorted(key for key in weights if "layer.1.output" in key or "layers.1.mlp.fc2" in key)
    assert dropped
    save_file({k: v for k, v in weights.items() if k not in dropped}, str(folder / "model.safetensors"))
    with Project.open(colour_project) as project:
        result = train(project, config(folder))
    assert result.status == "done"
    assert [n for n in result.notices if f"{len(dropped)} of the" in n and "were not in the weights file" in n]


def test_a_lora_run_refuses_a_base_model_replaced_after_training(colour_project, tmp_path, tiny_vit):
    base = tmp_path / "base"
    shutil.copytree(tiny_vit, base)
    with Project.open(colour_project) as project:
        run = train(project, config(base, "lora", lr=5e-3)).run
        load_run_model(project, run, device="cpu")  # loads while the base is the same
    shutil.rmtree(base)
    save_tiny_vit(base, seed=1)  # other weights, same architecture, same folder
    with Project.open(colour_project) as project, pytest.raises(LoupeError) as refused:
        load_run_model(project, run, device="cpu")
    message = str(refused.value)
    assert f"run {run}" in message and str(base) in message and "have changed since it was trained" in message


def test_a_linear_run_keeps_working_after_its_base_changes(colour_project, tmp_path, tiny_vit):
    """A run that saved its whole model does not depend on the base any more."""
    base = tmp_path / "base"
    shutil.copytree(tiny_vit, base)
    with Project.open(colour_project) as project:
        run = train(project, config(base)).run
    shutil.rmtree(base)
    save_tiny_vit(base, seed=1)
    with Project.open(colour_project) as project:
        assert load_run_model(project, run, device="cpu").classes
