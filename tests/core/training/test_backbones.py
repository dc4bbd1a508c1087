"""Model references and defaults: presets, hub ids, folders; the learning rate that applies."""

import pytest

from app.core.errors import LoupeError
from app.core.training.backbones import PRESETS, resolve
from app.core.training.config import TrainConfig
from app.core.training.methods import METHODS, get_method
from app.core.training.trainer import _learning_rate


def test_references_resolve(tmp_path, tiny_vit):
    assert resolve("DINOv2-small") == ("facebook/dinov2-small", PRESETS["dinov2-small"])
    assert resolve("someone/their-model") == ("someone/their-model", None)
    assert resolve(str(tiny_vit)) == (str(tiny_vit.resolve()), None)
    with pytest.raises(LoupeError, match="not a Hugging Face model folder"):
        resolve(str(tmp_path))
    with pytest.raises(LoupeError, match="unknown model 'nonsense'"):
        resolve("nonsense")


def test_every_preset_has_defaults():
    expected = {"dinov2-small", "vit-b16", "convnext-tiny", "swin-tiny", "resnet-50", "mobilevit-small", "clip-vit-b32"}
    assert expected <= set(PRESETS)  # today's general presets, and the fields' own
    for preset in PRESETS.values():
        assert preset.method in METHODS and preset.lr and preset.image_size >= 224 and "/" in preset.hub_id


def test_learning_rate_precedence():
    lora, linear = get_method("lora"), get_method("linear")
    vit = PRESETS["vit-b16"]  # suggests LoRA at 5e-4
    assert _learning_rate(TrainConfig(method="lora", lr=3e-3), vit, lora) == 3e-3  # the user's
    assert _learning_rate(TrainConfig(method="lora"), vit, lora) == vit.lr  # the preset's, for its method
    assert _learning_rate(TrainConfig(method="linear"), vit, linear) == linear.default_lr  # the method's


def test_a_checkpoint_head_that_happens_to_fit_is_not_kept(tmp_path):
    """A 2-class checkpoint loaded for 2 new classes gets a new head, not the old classes' rows;
    its backbone is the checkpoint's."""
    import torch
    from transformers import AutoModelForImageClassification

    from app.core.training.backbones import load_classifier
    from app.core.training.heads import head_linear
    from tests.tiny_models import save_tiny_resnet, save_tiny_vit

    for save in (save_tiny_vit, save_tiny_resnet):
        folder = save(tmp_path / save.__name__)
        original = AutoModelForImageClassification.from_pretrained(folder)
        loaded = load_classifier(str(folder), ["cat", "dog"])
        assert not torch.equal(head_linear(loaded).weight, head_linear(original).weight)
        kept = [name for name, p in original.state_dict().items() if not name.startswith("classifier")]
        assert all(torch.equal(loaded.state_dict()[name], original.state_dict()[name]) for name in kept)
