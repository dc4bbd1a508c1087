"""A run's model ready for prediction, how a batch job spreads over the machine, and the
class probabilities of a batch: what prediction, the engines, heatmaps and active learning share.

`predict` drives batch jobs with these; `engines` swaps the forward pass for onnxruntime.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.errors import one_line
from app.core.inference.decode_queue import cores
from app.core.project.store import Project
from app.core.training.backbones import image_settings

log = logging.getLogger(__name__)


@dataclass
class RunModel:
    """A run's model ready for inference (torch loads only when a model does)."""

    model: object  # torch.nn.Module
    transform: object
    classes: list[dict]  # label index -> {id, name}
    device: object  # torch.device
    size: int
    autocast_dtype: object = None  # torch.dtype of mixed precision on a GPU (bf16 where supported); None on the CPU
    settings: object = None  # ImageSettings (size, mean, std) as training used them
    engine: object = None  # what runs the forward passes instead of `model` (an OnnxEngine); None: the torch model


def load_run_model(project: Project, run_id: int, device: str = "auto") -> RunModel:
    """Run `run_id`'s classifier (through the one run loader), on `device`, in eval mode."""
    from app.core.training.data import build_transforms
    from app.core.training.device import choose_device
    from app.core.training.saved_models import load_run

    model, processor, run = load_run(project, run_id)
    chosen = choose_device(device)
    settings = image_settings(processor, model.config, None)
    _, transform = build_transforms(settings, augment=False, grey=False)
    return RunModel(
        model.to(chosen.device).eval(),
        transform,
        run.classes,
        chosen.device,
        settings.size,
        chosen.autocast_dtype,
        settings,
    )


@dataclass(frozen=True)
class BatchPlan:
    """How a batch job spreads over the machine."""

    batch_size: int = field(metadata={"help": "Images per forward pass."})
    decode_workers: int = field(metadata={"help": "Threads decoding files (Pillow and torchvision release the GIL)."})
    model_workers: int = field(metadata={"help": "Forward passes at once, each on its own batch."})
    threads_per_model: int = field(metadata={"help": "torch threads of each forward pass (CPU); 0 = torch's default."})
    engine: str = field(default="torch", metadata={"help": "What runs the forward passes, a name in ENGINES."})


def _cpu_plan(cores: int) -> BatchPlan:
    """On the CPU, forward passes side by side, each on its own batch and its own core or two,
    beat one pass spread over every core: small convolutions do not split well (measured on 2
    cores, ResNet-18 at 224 px: two single-thread passes of 8 images 95 images/s, one two-thread
    pass of 16 60, of 32 55; ViT-S/16 the same either way). Small batches stay in cache."""
    workers = cores if cores <= 4 else cores // 2
    return BatchPlan(
        batch_size=8,
        decode_workers=cores,
        model_workers=workers,
        threads_per_model=cores // workers,
        engine="onnxruntime",
    )


def _gpu_plan(cores: int) -> BatchPlan:
    """On a GPU one stream of large batches; every core decodes."""
    return BatchPlan(batch_size=64, decode_workers=cores, model_workers=1, threads_per_model=0)


#: The plan for each kind of device, by torch device type.
BATCH_PLANS: dict[str, Callable[[int], BatchPlan]] = {"cpu": _cpu_plan, "cuda": _gpu_plan, "mps": _gpu_plan}


def batch_plan(device) -> BatchPlan:
    return BATCH_PLANS.get(getattr(device, "type", str(device)), _gpu_plan)(cores())


def ready_for_batches(run_model: RunModel) -> None:
    """Channels-last weights: convolutions run faster on CPUs (oneDNN) and GPU tensor cores; the
    same numbers, another memory layout."""
    import torch

    run_model.model.to(memory_format=torch.channels_last)


def fold_batch_norms(run_model: RunModel) -> int:
    """Fold each BatchNorm that directly follows a convolution into it (CNNs: ResNet, RegNet,
    EfficientNet, MobileViT): one pass over memory instead of two (ResNet-18 on one CPU core:
    7-12 % less time in the model). Only for a model this job owns: its modules change. Pairs are taken in the
    order modules are registered (conv then norm), which is how these models write them; a
    forward pass before and after checks it, and any difference puts every pair back. Returns
    the number of pairs folded."""
    import torch
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    model = run_model.model
    pairs = []
    for module in model.modules():
        names = list(module._modules)
        for a, b in zip(names, names[1:]):
            conv, norm = module._modules[a], module._modules[b]
            if (
                type(conv) is torch.nn.Conv2d
                and type(norm) is torch.nn.BatchNorm2d
                and norm.track_running_stats
                and conv.out_channels == norm.num_features
            ):
                pairs.append((module, a, conv, b, norm))
    if not pairs or model.training:
        return 0
    probe = torch.randn(2, 3, run_model.size, run_model.size, generator=torch.Generator().manual_seed(0))
    # no_grad, not inference_mode: the folded weights are kept, and inference tensors would fail
    # later outside inference mode (the channels-last copy, a heatmap's backward pass).
    with torch.no_grad():
        probe = probe.to(run_model.device).contiguous(memory_format=torch.channels_last)
        before = model(pixel_values=probe).logits.float()
        for module, a, conv, b, norm in pairs:
            module._modules[a], module._modules[b] = fuse_conv_bn_eval(conv, norm), torch.nn.Identity()
        after = model(pixel_values=probe).logits.float()
    if torch.allclose(before, after, rtol=1e-3, atol=1e-4 * (1 + before.abs().max().item())):
        return len(pairs)
    for module, a, conv, b, norm in pairs:  # a pair that was not conv-then-norm in the forward pass
        module._modules[a], module._modules[b] = conv, norm
    return 0


def probabilities(run_model: RunModel, pixels, tta: bool = False):
    """Class probabilities (N × classes, float32, on the CPU) of a batch of transformed images,
    under mixed precision where the run model has it; with `tta`, the mean of each image's and
    its horizontal mirror's (one forward pass of both). Through the run model's `engine` when
    it has one; should the engine fail, the torch model takes over for good (a log line)."""
    import torch

    engine = run_model.engine
    if engine is not None:
        try:
            with torch.inference_mode():
                x = torch.cat([pixels, pixels.flip(-1)]) if tta else pixels
                return _mean_of_mirrors(torch.softmax(engine.logits(x).float(), dim=1), len(pixels), tta)
        except Exception as exc:  # noqa: BLE001 - any failure of the engine: torch gives the same numbers
            log.warning("%s failed (%s); predicting with PyTorch", engine.name, one_line(exc))
            run_model.engine = None
    dtype = run_model.autocast_dtype
    device = run_model.device
    with torch.inference_mode(), torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
        x = pixels.to(device, non_blocking=True).contiguous(memory_format=torch.channels_last)
        if tta:
            x = torch.cat([x, x.flip(-1)])
        p = torch.softmax(run_model.model(pixel_values=x).logits.float(), dim=1)
        return _mean_of_mirrors(p, len(pixels), tta).cpu()


def _mean_of_mirrors(p, n: int, tta: bool):
    """With `tta`, rows [0, n) are the images and [n, 2n) their mirrors: the mean of each pair."""
    return (p[:n] + p[n:]) / 2 if tta else p


def best_classes(run_model: RunModel, probabilities, top_k: int) -> list[tuple[tuple[int, str, float], ...]]:
    """Per image, the `top_k` most probable classes as (class id, class name, probability), best first."""
    import torch

    k = max(1, min(top_k, probabilities.shape[1]))
    values, indexes = torch.topk(probabilities, k, dim=1)
    classes = run_model.classes
    return [
        tuple((classes[i]["id"], classes[i]["name"], p) for i, p in zip(row_i, row_p))
        for row_i, row_p in zip(indexes.tolist(), values.tolist())
    ]
