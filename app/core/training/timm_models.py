"""timm-format backbones: most of the field's foundation models (UNI, Virchow, H-optimus…) are
published on the hub in timm's layout, which transformers loads as `TimmWrapperForImageClassification`
(model type `timm_wrapper`; the timm model sits in its `timm_model` attribute).

What differs from a transformers-native model, in one place so nothing else tests the model
type: where the head is (timm names it per family: `head`, `classifier`, `head.fc`, `fc` — timm
itself says which, `get_classifier()`), which layers an adapter method adapts (found from the
module tree), the preprocessing (the checkpoint's own `pretrained_cfg`: size, mean, std,
interpolation, crop), the config's `model_args` (timm ≥ 1.0.20 exports `num_classes` in them,
which transformers then passes twice), and attention a heatmap can read (timm's fused attention
never forms the attention matrix).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # torch comes with a model, not with this module (the form lists presets)
    from torch import nn

TIMM_MODEL_TYPE = "timm_wrapper"
#: The timm model inside transformers' wrapper.
TIMM_ATTRIBUTE = "timm_model"
#: `model_args` transformers sets itself when it builds the timm model (it would get them twice).
WRAPPER_SETS = ("num_classes",)


def is_timm(config) -> bool:
    return getattr(config, "model_type", "") == TIMM_MODEL_TYPE


def clean_model_args(config) -> None:
    """Drop the `model_args` transformers passes itself: a checkpoint exported by a recent timm
    names `num_classes` there (the hub's `timm/…` models, a model a user saved with
    `timm.models.save_for_hf`), and loading it fails with "got multiple values for keyword
    argument 'num_classes'". A headless export's `num_classes: 0` is replaced by Loupe's head."""
    if is_timm(config) and config.model_args:
        config.model_args = {k: v for k, v in config.model_args.items() if k not in WRAPPER_SETS}


def timm_head_name(model: nn.Module) -> str:
    """The dotted name of the classifier timm reports for this family (`get_classifier()`)."""
    inner = getattr(model, TIMM_ATTRIBUTE)
    classifier = inner.get_classifier()
    name = next((name for name, module in inner.named_modules() if module is classifier and name), None)
    if name is None:
        raise ValueError(f"the timm model {type(inner).__name__} has no classifier layer")
    return f"{TIMM_ATTRIBUTE}.{name}"


def timm_adapter_targets(model: nn.Module) -> list[str]:
    """The layers an adapter method adapts in a timm model, found from its module tree rather
    than a list per family: every Linear outside the head (a ViT's `qkv`, `proj`, `fc1`, `fc2`;
    ConvNeXt's MLP), or, in a model whose only Linear is the head (EfficientNet, ResNet), every
    convolution that mixes channels (depthwise convolutions hold a few weights per channel: an
    adapter there adds as many weights as it adapts)."""
    from torch import nn

    head = timm_head_name(model)
    layers = [(name, module) for name, module in model.named_modules() if name and not name.startswith(head)]
    linears = [name for name, module in layers if isinstance(module, nn.Linear)]
    if linears:
        return linears
    return [name for name, module in layers if isinstance(module, nn.Conv2d) and module.groups == 1]


def timm_preprocessing(config) -> dict:
    """The checkpoint's own preprocessing, from its `pretrained_cfg`: size (the input's last
    side), mean, std, interpolation and crop fraction (timm resizes to size / crop_pct, then
    crops the centre). Only the entries the checkpoint states."""
    cfg = getattr(config, "pretrained_cfg", None) or {}
    found = {}
    if cfg.get("input_size"):
        found["size"] = int(cfg["input_size"][-1])
    for key in ("mean", "std"):
        if cfg.get(key):
            found[key] = tuple(float(v) for v in cfg[key])
    if cfg.get("interpolation") in ("bilinear", "bicubic", "nearest"):
        found["interpolation"] = cfg["interpolation"]
    if cfg.get("crop_pct") and cfg.get("crop_mode", "center") == "center":
        found["crop_pct"] = float(cfg["crop_pct"])
    return found


@contextmanager
def explicit_attention(model: nn.Module) -> Iterator[None]:
    """timm's attention layers with the fused kernel switched off for the duration, so the
    attention matrix exists (as the input of `attn_drop`) for a heatmap to read; restored after."""
    switched = [module for module in model.modules() if getattr(module, "fused_attn", False)]
    for module in switched:
        module.fused_attn = False
    try:
        yield
    finally:
        for module in switched:
            module.fused_attn = True
