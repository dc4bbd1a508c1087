"""Heatmaps: where in an image a run's model found its evidence for a class.

    run_model = load_run_model(project, run_id)
    heat = heatmap_for_file(run_model, path)               # for the predicted class
    heat = heatmap_for_file(run_model, path, class_id=3)   # for a chosen class
    heat = heatmap_for_image(project, image_id)            # an image of the project, the active run
    picture = overlay(rgb, heat.values, alpha=0.45)        # H × W × 3 uint8, for the viewer

How a heatmap is made depends on the model's structure, so each method is an entry in
`EXPLAINERS` whose pass also probes the model (it answers None when the model lacks what it
needs). A model's architecture may declare its method in `BY_ARCHITECTURE`; that one is tried
first, then the others in order. Each is one forward and one backward pass at the model's input
size, for the predicted class or a chosen one:

- `grad-cam` (Selvaraju et al., 2017): on the last 4-D feature map before pooling (ResNet,
  ConvNeXt, RegNet, MobileViT…; Swin's last stage as the grid its model reports), each channel
  weighed by the class score's mean gradient, negative evidence cut at zero.
- `attention-gradient-rollout` (Chefer, Gur and Wolf, 2021): for ViT-like models (ViT, DeiT,
  DINOv2, CLIP, BEiT): every layer's attention weighed by the score's gradient, rolled out
  through the layers to the patch tokens. Attention must be computed explicitly for this
  (fused kernels never form the attention matrix): the model is switched to eager attention for
  the pass and back. On the tests' trained tiny ViT (full and LoRA) its peak was on the deciding
  square in 24 of 24 held-out images, where Grad-CAM on the tokens managed 8 and 9.
- `timm-attention-rollout`: the same rollout for timm ViTs inside transformers' wrapper (most
  pathology foundation models): their fused attention is switched to the explicit form for the
  pass and each layer's attention read where it enters `attn_drop`. timm CNNs get Grad-CAM on the
  last feature map the wrapper reports.
- `vit-token-grad-cam`: Grad-CAM on the patch tokens entering the last transformer block (the
  tokens leaving it are read by no one in a CLS classifier: their gradient is zero); for
  transformers whose attention cannot be had.

Patch tokens are told from CLS, distillation and register tokens by count (patches fill a
square grid), so no architecture needs naming for that.

Gradients never reach the model: the backward pass asks `torch.autograd.grad` for the tensors
the method needs only (no parameter's `.grad` is written, no `requires_grad` changes), in eval
mode, so the same model keeps predicting as before. Wrappers (peft's adapters) pass the call
through to the model inside.

The map is computed on the evaluation transform's square input (a plain resize of the whole
decoded image), so it is upsampled bilinearly straight to the decoded image's height × width.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from app.core.errors import ConfigError, LoupeError
from app.core.imaging import DecodeOptions, decode
from app.core.inference.run_model import RunModel, load_run_model
from app.core.project.store import Project
from app.core.training.timm_models import TIMM_ATTRIBUTE, TIMM_MODEL_TYPE, explicit_attention, is_timm


@dataclass
class Heatmap:
    values: np.ndarray  # float32, H × W of the decoded image (as the viewer shows it), in [0, 1]
    class_id: int  # the project's class id
    class_name: str
    probability: float  # the model's probability for that class on this image
    method: str  # the explainer's name (a key of `EXPLAINERS`), e.g. "grad-cam"


@dataclass
class Evidence:
    """What an explainer found in one image."""

    cam: object  # torch.Tensor, h × w on the CPU, not normalised, >= 0
    index: int  # the head's row (class index) explained
    probabilities: object  # torch.Tensor, the model's class probabilities for the image


#: An explainer's pass: (model, input 1 × 3 × S × S asking for a gradient, class index or None for
#: the predicted one) -> its evidence, or None when the model lacks the structure it needs.
Explain = Callable[[object, object, "int | None"], "Evidence | None"]


@dataclass(frozen=True)
class Explainer:
    name: str
    description: str
    explain: Explain = field(repr=False)


def _scored(outputs, index: int | None):
    """(the class score to explain, its index, the probabilities) from a forward pass's outputs."""
    import torch

    logits = outputs.logits[0].float()
    probabilities = torch.softmax(logits.detach(), dim=0).cpu()
    chosen = int(probabilities.argmax()) if index is None else index
    return logits[chosen], chosen, probabilities


def _grad_cam(activation, gradient):
    """C × h × w activation and gradient -> h × w Grad-CAM: channels weighed by their mean
    gradient, negative evidence cut at zero."""
    import torch

    weights = gradient.float().mean(dim=(1, 2))
    return torch.relu(torch.einsum("c,chw->hw", weights, activation.detach().float()))


def _last_spatial_map(outputs):
    """(the last feature map before pooling, a function laying it — or its gradient — out as
    C × h × w), or None: a CNN's last 4-D (N × C × h × w) hidden state; or, for models that
    report their token grids reshaped beside the tokens (Swin), the last tokens themselves (the
    reshaped copy is not on the path to the logits: it has no gradient) on that grid."""
    states = getattr(outputs, "hidden_states", None)
    if not states:
        return None
    last = states[-1]
    if last.dim() == 4 and min(last.shape[-2:]) > 1:
        return last, lambda t: t[0]
    reshaped = getattr(outputs, "reshaped_hidden_states", None)
    if reshaped and last.dim() == 3 and reshaped[-1].dim() == 4:
        height, width = reshaped[-1].shape[-2:]
        if height * width == last.shape[1] and min(height, width) > 1:
            return last, lambda t: t[0].reshape(height, width, -1).permute(2, 0, 1)
    return None


def spatial_grad_cam(model, x, index: int | None) -> Evidence | None:
    """Grad-CAM on the last feature map before pooling."""
    import torch

    outputs = model(pixel_values=x, output_hidden_states=True)
    found = _last_spatial_map(outputs)
    if found is None:
        return None
    feature_map, as_grid = found
    score, chosen, probabilities = _scored(outputs, index)
    (gradient,) = torch.autograd.grad(score, feature_map, allow_unused=True)
    if gradient is None:  # a copy the logits are not computed from
        return None
    return Evidence(_grad_cam(as_grid(feature_map), as_grid(gradient)).cpu(), chosen, probabilities)


#: Tokens besides the patches a transformer may carry (CLS, distillation, registers).
MAX_EXTRA_TOKENS = 8


def patch_grid(tokens: int) -> tuple[int, int] | None:
    """(extra tokens in front, side of the square patch grid) for a sequence of `tokens`, or
    None when no square grid fits. The largest square wins (fewest extra tokens)."""
    side = math.isqrt(tokens)
    if side >= 2 and tokens - side * side <= MAX_EXTRA_TOKENS:
        return tokens - side * side, side
    return None


def token_grad_cam(model, x, index: int | None) -> Evidence | None:
    """Grad-CAM on the patch tokens entering the last transformer block, laid out on the patch
    grid (the tokens leaving it are read by no one in a CLS-token classifier: zero gradient)."""
    import torch

    outputs = model(pixel_values=x, output_hidden_states=True)
    states = getattr(outputs, "hidden_states", None)
    if not states or len(states) < 2 or states[-2].dim() != 3 or patch_grid(states[-2].shape[1]) is None:
        return None
    extra, side = patch_grid(states[-2].shape[1])
    score, chosen, probabilities = _scored(outputs, index)
    (gradient,) = torch.autograd.grad(score, states[-2], allow_unused=True)
    if gradient is None:
        return None

    def grid(t):
        return t[0, extra:].reshape(side, side, -1).permute(2, 0, 1)

    return Evidence(_grad_cam(grid(states[-2]), grid(gradient)).cpu(), chosen, probabilities)


def _transformers_model(model):
    """The outermost transformers model in `model` (itself, or inside a peft wrapper)."""
    from transformers import PreTrainedModel

    return next((m for m in model.modules() if isinstance(m, PreTrainedModel)), None)


#: Held while a model is switched to eager attention, so that two heatmaps made at once never
#: see each other's switch (one putting the fused kernel back under the other's forward pass).
_attention_switch = threading.RLock()


@contextmanager
def _eager_attention(model):
    """The model computes attention explicitly (attention probabilities can be returned) for the
    duration; fused kernels (sdpa, flash) never form them. Put back as it was afterwards. A
    prediction running meanwhile on the same model in another thread gets the same values
    (eager attention computes what the fused kernel does, more slowly)."""
    with _attention_switch:
        inner = _transformers_model(model)
        before = getattr(getattr(inner, "config", None), "_attn_implementation", None)
        if inner is None or before in (None, "eager"):
            yield inner is not None
            return
        try:
            inner.set_attn_implementation("eager")
        except (ValueError, ImportError, AttributeError):
            yield False
            return
        try:
            yield True
        finally:
            inner.set_attn_implementation(before)


def attention_gradient_rollout(model, x, index: int | None) -> Evidence | None:
    """Gradient-weighted attention rollout (Chefer, Gur and Wolf, ICCV 2021): each layer's
    attention, heads averaged after weighting by the class score's gradient (negative parts cut),
    is rolled out through the layers (R ← R + Ā·R); the output tokens are weighed by how much
    the score depends on them (the CLS token for CLS classifiers, the patches for mean-pooling
    ones), and their relevance to the patch tokens is the map. Class-specific, and what
    localised the evidence best on ViTs in our tests (Grad-CAM on tokens: a third as often)."""
    if is_timm(getattr(_transformers_model(model), "config", None)):
        return None  # transformers cannot return a timm model's attention: `timm_attention_rollout`
    with _eager_attention(model) as eager:
        if not eager:
            return None
        outputs = model(pixel_values=x, output_attentions=True, output_hidden_states=True)
    attentions, states = getattr(outputs, "attentions", None), getattr(outputs, "hidden_states", None)
    if not attentions or not states or states[-1].dim() != 3:
        return None
    return _rolled_out(outputs, list(attentions), states[-1], index)


def _rolled_out(outputs, attentions: list, final, index: int | None, extra: int | None = None) -> Evidence | None:
    """The rollout of `attentions` (each 1 × heads × T × T, on the path to the logits) to the
    patch tokens, the output tokens `final` (1 × T × D) weighed by the score's gradient; `extra`
    tokens in front of the patches (CLS, registers), else told by count. None when the attention
    is not one square token grid (windowed or pooled attention)."""
    import torch

    shape = attentions[0].shape
    tokens = shape[-1]
    found = patch_grid(tokens) if extra is None else (extra, math.isqrt(tokens - extra))
    if (
        len(shape) != 4
        or shape[0] != 1
        or shape[-2] != tokens
        or final.shape[1] != tokens
        or any(a.shape != shape for a in attentions)
        or found is None
        or found[1] ** 2 != tokens - found[0]
    ):
        return None
    extra, side = found
    score, chosen, probabilities = _scored(outputs, index)
    *gradients, reads_gradient = torch.autograd.grad(score, [*attentions, final], allow_unused=True)
    if reads_gradient is None:  # the last tokens reported are not what the head reads
        return None
    relevance = torch.eye(tokens)
    for attention, gradient in zip(attentions, gradients):
        if gradient is None:  # a layer the score does not depend on adds nothing
            continue
        weighted = torch.relu(gradient[0].float() * attention[0].detach().float()).mean(dim=0).cpu()
        relevance = relevance + weighted @ relevance
    reads = reads_gradient[0].float().norm(dim=-1).cpu()  # how much the score reads each output token
    cam = (reads / reads.sum().clamp_min(1e-12)) @ relevance
    return Evidence(cam[extra:].reshape(side, side), chosen, probabilities)


def timm_attention_rollout(model, x, index: int | None) -> Evidence | None:
    """The same rollout for a timm ViT inside transformers' wrapper (UNI, Virchow, H-optimus…):
    transformers cannot return its attention, so its fused attention is switched to the explicit
    form for the pass and each layer's attention is read where it enters `attn_drop`; the output
    tokens are those leaving the final norm, and the tokens before the patches are the count
    timm states (`num_prefix_tokens`: CLS and up to 8 or more registers)."""
    from torch import nn

    wrapper = _transformers_model(model)
    inner = getattr(wrapper, TIMM_ATTRIBUTE, None) if wrapper is not None else None
    layers = [
        m.attn_drop
        for m in model.modules()
        if hasattr(m, "fused_attn") and isinstance(getattr(m, "attn_drop", None), nn.Module)
    ]
    final_norm = getattr(inner, "norm", None)
    if inner is None or not layers or not isinstance(final_norm, nn.Module):
        return None
    attentions, finals = [], []
    hooks = [layer.register_forward_hook(lambda _m, args, _out: attentions.append(args[0])) for layer in layers]
    hooks.append(final_norm.register_forward_hook(lambda _m, _args, out: finals.append(out)))
    try:
        with _attention_switch, explicit_attention(model):
            outputs = model(pixel_values=x)
    finally:
        for hook in hooks:
            hook.remove()
    if len(attentions) != len(layers) or len(finals) != 1 or finals[0].dim() != 3:
        return None
    return _rolled_out(outputs, attentions, finals[0], index, extra=int(getattr(inner, "num_prefix_tokens", 1)))


EXPLAINERS: dict[str, Explainer] = {
    explainer.name: explainer
    for explainer in (
        Explainer("grad-cam", "Grad-CAM on the last convolutional feature map", spatial_grad_cam),
        Explainer(
            "attention-gradient-rollout",
            "Gradient-weighted attention rollout over the transformer's layers",
            attention_gradient_rollout,
        ),
        Explainer(
            "vit-token-grad-cam", "Grad-CAM on the patch tokens entering the last transformer block", token_grad_cam
        ),
        Explainer(
            "timm-attention-rollout",
            "Gradient-weighted attention rollout over a timm transformer's layers",
            timm_attention_rollout,
        ),
    )
}

#: model_type -> explainer, for the architectures the presets use (others are probed, in the
#: order of `EXPLAINERS`).
BY_ARCHITECTURE: dict[str, str] = {
    "resnet": "grad-cam",
    "convnext": "grad-cam",
    "convnextv2": "grad-cam",
    "regnet": "grad-cam",
    "mobilevit": "grad-cam",
    "swin": "grad-cam",
    "vit": "attention-gradient-rollout",
    "deit": "attention-gradient-rollout",
    "dinov2": "attention-gradient-rollout",
    "dinov2_with_registers": "attention-gradient-rollout",
    "clip": "attention-gradient-rollout",
    "beit": "attention-gradient-rollout",
    # One model type for every timm family: a timm ViT's rollout answers None on a CNN, which
    # then gets Grad-CAM on the last feature map transformers reports (`forward_intermediates`).
    TIMM_MODEL_TYPE: "timm-attention-rollout",
}


def explainers_for(model) -> list[Explainer]:
    """The explainers to try for `model`, in order: its architecture's, then every other."""
    declared = BY_ARCHITECTURE.get(getattr(getattr(model, "config", None), "model_type", ""))
    first = [EXPLAINERS[declared]] if declared in EXPLAINERS else []
    return first + [e for e in EXPLAINERS.values() if e not in first]


def explain_pixels(model, pixels, index: int | None = None, method: str | None = None) -> tuple[Evidence, Explainer]:
    """The evidence for the class at row `index` of the head (None: the predicted class) in one
    transformed image `pixels` (3 × S × S, on the model's device), by `method` or the model's
    explainer. No gradient is left in the model; its mode is as it was."""
    import torch

    if method is not None and method not in EXPLAINERS:
        raise ConfigError(f"unknown heatmap method '{method}'; choose {', '.join(EXPLAINERS)}")
    order = [EXPLAINERS[method]] if method else explainers_for(model)
    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode(False), torch.enable_grad():
            # The input asks for a gradient so that the graph exists even when every weight is
            # frozen; autograd.grad computes only the tensors an explainer asks for.
            x = pixels.detach().clone()[None].requires_grad_(True)
            for explainer in order:
                evidence = explainer.explain(model, x, index)
                if evidence is not None:
                    return evidence, explainer
    finally:
        model.train(was_training)
    model_type = getattr(getattr(model, "config", None), "model_type", type(model).__name__)
    tried = ", ".join(e.name for e in order)
    raise LoupeError(f"no heatmap method fits this model ({model_type}; tried {tried})")


def upsampled(cam, height: int, width: int) -> np.ndarray:
    """An h × w map bilinearly resized to height × width and scaled to [0, 1] there (the peak
    shown is 1 whatever the grid's cell centres fall on; all zeros when the map holds no
    positive evidence), float32."""
    import torch
    import torch.nn.functional as F

    cam = torch.nan_to_num(cam.detach().float(), nan=0.0, posinf=0.0, neginf=0.0).clamp_min(0.0)
    top = float(cam.max())
    if top <= 0:
        return np.zeros((height, width), np.float32)
    big = F.interpolate((cam / top)[None, None], size=(height, width), mode="bilinear", align_corners=False)[0, 0]
    return big.div_(big.max()).clamp_(0.0, 1.0).numpy()  # in place: one H × W float32 array in all


def _class_index(run_model: RunModel, class_id: int | None) -> int | None:
    if class_id is None:
        return None
    for index, entry in enumerate(run_model.classes):
        if entry["id"] == class_id:
            return index
    known = ", ".join(f"{entry['name']} ({entry['id']})" for entry in run_model.classes)
    raise ConfigError(f"this run's model does not know class {class_id}; it knows {known}")


def heatmap_for_rgb(run_model: RunModel, rgb, class_id: int | None = None, method: str | None = None) -> Heatmap:
    """The heatmap of a decoded RGB image (PIL), at its own size."""
    index = _class_index(run_model, class_id)
    pixels = run_model.transform(rgb).to(run_model.device)
    evidence, explainer = explain_pixels(run_model.model, pixels, index, method)
    entry = run_model.classes[evidence.index]
    width, height = rgb.size
    return Heatmap(
        upsampled(evidence.cam, height, width),
        entry["id"],
        entry["name"],
        float(evidence.probabilities[evidence.index]),
        explainer.name,
    )


def heatmap_for_file(
    run_model: RunModel,
    path: Path,
    class_id: int | None = None,
    rendering: DecodeOptions = DecodeOptions(),
    method: str | None = None,
) -> Heatmap:
    """The heatmap of one image file for the class `class_id` (a project class id; None: the
    predicted class), the size of the decoded image as the viewer shows it (no draft decode),
    decoded with `rendering` (the run's `run_rendering`: the model explains the picture it
    was trained on). ImageError when the file cannot be read; ConfigError for a class the run
    does not know."""
    decoded = decode(Path(path), replace(rendering, draft_size=None))
    return heatmap_for_rgb(run_model, decoded.rgb, class_id, method)


_cache_lock = threading.Lock()
_cached: dict[tuple, RunModel] = {}


def cached_run_model(project: Project, run_id: int, device: str = "auto") -> RunModel:
    """The run's model, kept loaded for the next heatmap (one model at a time: clicking through
    images must not reload it each time). Keyed by the run's model folder, which never changes
    once written and is never reused by another run."""
    from app.core.training.runs import get_run

    key = (str(project.file.resolve()), run_id, get_run(project, run_id, report=False).model_dir, device)
    with _cache_lock:
        if key not in _cached:
            _cached.clear()
            _cached[key] = load_run_model(project, run_id, device)
        return _cached[key]


def forget_cached_models() -> None:
    with _cache_lock:
        _cached.clear()


def heatmap_for_image(
    project: Project, image_id: int, run_id: int | None = None, class_id: int | None = None, device: str = "auto"
) -> Heatmap:
    """The heatmap of one image of the project; `run_id` None -> the active run (LoupeError
    when there is none)."""
    from app.core.project.settings import active_run
    from app.core.training.runs import run_rendering

    if run_id is None:
        run_id = active_run(project)
        if run_id is None:
            raise LoupeError("no active run: train a model (or choose a run) first")
    row = project.conn.execute("SELECT path FROM images WHERE id = ?", (image_id,)).fetchone()
    if row is None:
        raise LoupeError(f"the project has no image {image_id}")
    return heatmap_for_file(
        cached_run_model(project, run_id, device),
        project.resolve_path(row[0]),
        class_id,
        run_rendering(project, run_id),
    )


# -- Colour --------------------------------------------------------------------------------------

#: Colour maps as anchor colours evenly spaced from 0 to 1, interpolated into 256-entry tables.
COLORMAP_ANCHORS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "jet": (
        (0, 0, 128),
        (0, 0, 255),
        (0, 128, 255),
        (0, 255, 255),
        (128, 255, 128),
        (255, 255, 0),
        (255, 128, 0),
        (255, 0, 0),
        (128, 0, 0),
    ),
    "inferno": (
        (0, 0, 4),
        (40, 11, 84),
        (101, 21, 110),
        (159, 42, 99),
        (212, 72, 66),
        (245, 125, 21),
        (250, 193, 39),
        (252, 255, 164),
    ),
}


def colormap(name: str = "jet") -> np.ndarray:
    """A 256 × 3 uint8 table for the named map."""
    anchors = COLORMAP_ANCHORS.get(name)
    if anchors is None:
        raise ConfigError(f"unknown colour map '{name}'; choose {', '.join(COLORMAP_ANCHORS)}")
    points = np.linspace(0.0, 1.0, len(anchors))
    levels = np.linspace(0.0, 1.0, 256)
    table = np.stack([np.interp(levels, points, [a[c] for a in anchors]) for c in range(3)], axis=1)
    return np.round(table).astype(np.uint8)


def overlay(rgb: np.ndarray, heat: np.ndarray, alpha: float = 0.45, cmap: str = "jet") -> np.ndarray:
    """`heat` (H × W in [0, 1]) coloured by `cmap` and blended over `rgb` (H × W × 3 uint8, or a
    PIL image): alpha 0 shows the image only, 1 the heatmap only. Returns H × W × 3 uint8."""
    image = np.asarray(rgb)
    if image.ndim == 2:
        image = np.repeat(image[..., None], 3, axis=2)
    image = image[..., :3]
    if image.shape[:2] != heat.shape:
        raise ValueError(f"the heatmap is {heat.shape[1]}×{heat.shape[0]}, the image {image.shape[1]}×{image.shape[0]}")
    levels = np.clip(np.nan_to_num(heat, nan=0.0) * 255.0 + 0.5, 0, 255).astype(np.uint8)
    coloured = colormap(cmap)[levels].astype(np.float32)
    a = float(np.clip(alpha, 0.0, 1.0))
    return np.round(image.astype(np.float32) * (1.0 - a) + coloured * a).astype(np.uint8)
