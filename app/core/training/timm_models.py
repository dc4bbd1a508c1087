"""timm-format backbones: most of the field's foundation models (UNI, Virchow, H-optimus…) are
published on the hub in timm's layout, which transformers loads as `TimmWrapperForImageClassification`
(model type `timm_wrapper`; the timm model sits in its `timm_model` attribute).

What differs from a transformers-native model, in one place so nothing else tests the model
type: where the head is (timm names it per family: `head`, `classifier`, `head.fc`, `fc` — timm
itself says which, `get_classifier()`), which layers an adapter method adapts (found from the
module tree), the preprocessing (the checkpoint's own `pretrained_cfg`: size, mean, std,
interpolation; never its centre crop), the config's `model_args` (timm ≥ 1.0.20 exports `num_classes` in them,
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


def build_args(config, card_args: dict | None = None) -> dict | None:
    """Prepare a timm config for building its model: the card's arguments (`card_args`, a
    preset's `model_args`: what config.json lacks, e.g. UNI2-h's SwiGLU MLP) merged over its
    `model_args`, less those transformers passes itself (`num_classes`: a checkpoint exported by
    a recent timm names it there, as does a card's `num_classes=0`, and loading would fail with
    "got multiple values for keyword argument 'num_classes'"), and layer names (TIMM_LAYER_ARGS) turned into timm's classes, which
    `timm.create_model` needs but JSON cannot hold. Returns the JSON-able arguments to put back
    on the built model's config (`restore_args`) so it saves; None for a model that is not timm's."""
    from app.core.training.presets import TIMM_LAYER_ARGS

    if not is_timm(config):
        return None
    merged = {k: v for k, v in {**(config.model_args or {}), **(card_args or {})}.items() if k not in WRAPPER_SETS}
    built = dict(merged)
    for key in TIMM_LAYER_ARGS:
        if isinstance(built.get(key), str):
            import timm.layers

            layer = getattr(timm.layers, built[key], None)
            if not callable(layer):
                raise ValueError(f"the model's config names a layer timm does not have: {key}={built[key]!r}")
            built[key] = layer
    config.model_args = built or None
    return merged


def restore_args(model, saved: dict | None) -> None:
    """Put the JSON-able `model_args` back on a built model's config (see `build_args`)."""
    if saved is not None:
        model.config.model_args = saved or None


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
    adapter there adds as many weights as it adapts), stride-2 `Conv2dSame` aside."""
    from torch import nn

    head = timm_head_name(model)
    layers = [(name, module) for name, module in model.named_modules() if name and not name.startswith(head)]
    linears = [name for name, module in layers if isinstance(module, nn.Linear)]
    if linears:
        return linears
    return [name for name, module in layers if _plain_convolution(module) and module.groups == 1]


def _plain_convolution(module) -> bool:
    """A convolution an adapter can wrap: one that computes what `nn.Conv2d` does. Not timm's
    TensorFlow-style `Conv2dSame` (its own forward pads by the input's size; an adapter calling
    the plain convolution would get the padding, and so the output's shape, wrong)."""
    from torch import nn

    return isinstance(module, nn.Conv2d) and type(module).forward is nn.Conv2d.forward


def timm_preprocessing(config) -> dict:
    """The checkpoint's own preprocessing, from its `pretrained_cfg`: size (the input's last
    side), mean, std and interpolation. Only the entries the checkpoint states.

    Its centre-crop fraction (`crop_pct`, e.g. 0.875: resize to size / 0.875, keep the centre) is
    deliberately not applied: Loupe shows a model the whole image, because in a tile or a scan
    what decides the label may sit at the border (a crop would cut it off in training and in
    prediction alike), and a heatmap must cover the image the user sees. Fine-tuning adapts to
    the slightly smaller scale; a linear probe loses little (bench/real_backbone.py)."""
    cfg = getattr(config, "pretrained_cfg", None) or {}
    found = {}
    if cfg.get("input_size"):
        found["size"] = int(cfg["input_size"][-1])
    for key in ("mean", "std"):
        if cfg.get(key):
            found[key] = tuple(float(v) for v in cfg[key])
    if cfg.get("interpolation") in ("bilinear", "bicubic", "nearest"):
        found["interpolation"] = cfg["interpolation"]
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
