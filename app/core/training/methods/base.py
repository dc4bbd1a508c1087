"""The protocol every training method follows, and the pieces the methods share.

A method turns a freshly loaded classifier into what the loop trains (`prepare`), writes what it
trained to a folder (`save`), and turns that folder back into a classifier (`load`). It holds no
state between runs: everything a run needs travels in its `Prepared`. Nothing outside the
methods tests a method's name or looks for its files.
"""

from __future__ import annotations

import multiprocessing
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler

from app.core.errors import Cancelled
from app.core.imaging.options import DecodeOptions
from app.core.training.config import TrainConfig
from app.core.training.data import ImageDataset, SkippedImages, TrainingSet, build_transforms, collate_readable
from app.core.training.distributed import DistributedContext
from app.core.training.embeddings import EmbeddingCache, compute_embeddings
from app.core.training.events import Notice
from app.core.training.heads import freeze_norm_statistics
from app.core.training.loop import LoopCallbacks, LoopData, LoopResult
from app.core.training.methods import MethodInfo


@dataclass
class MethodContext:
    model: nn.Module  # a transformers image classifier with a head for the run's classes
    training_set: TrainingSet
    image_settings: object
    config: TrainConfig
    device: torch.device
    cache_dir: Path
    #: The embedding cache's key for the features of these images: the backbone's weights
    #: (`backbones.backbone_key`) and `rendering` (other bands or composite, other features).
    features_key: str
    #: How multi-band images become RGB: the project's `image_choice`, as the user sees them.
    rendering: DecodeOptions
    dist: DistributedContext
    on_progress: Callable[[object], None]
    should_stop: Callable[[], bool]
    skipped: SkippedImages
    lr: float = 0.0
    epochs: int = 1  # planned passes (`config.training_budget`)


@dataclass
class Prepared:
    """What one run of a method trains, and how."""

    module: nn.Module  # what the loop trains: its parameters that require gradients
    forward: Callable[[torch.Tensor], torch.Tensor]  # inputs -> logits
    data: LoopData
    model: nn.Module  # the whole classifier the run produces (saved, measured, used)
    train_mode: Callable[[], None] | None = None  # default: module.train()
    after_step: Callable[[int], None] | None = None
    regularizer: Callable[[], torch.Tensor] | None = None
    extra: dict = field(default_factory=dict)  # what a method's own save needs
    #: Fits `module` without the gradient loop (a convex problem solved to convergence: the
    #: linear probe); given the loop's callbacks, returns what the loop would.
    fit: Callable[[LoopCallbacks], LoopResult] | None = None


class TrainingMethod(ABC):
    """One way of training; `METHODS` in the package lists them by name."""

    def __init__(self, info: MethodInfo):
        self.info = info

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def default_lr(self) -> float:
        return self.info.default_lr

    @property
    def description(self) -> str:
        return self.info.summary

    @property
    def cost(self) -> str:
        return self.info.cost

    @abstractmethod
    def prepare(self, ctx: MethodContext) -> Prepared:
        """Make `ctx.model` ready for the loop: choose what trains, build the batches."""

    def trained_model(self, prepared: Prepared) -> nn.Module:
        """The whole classifier with the trained weights in place, in eval mode."""
        return prepared.model.eval()

    @abstractmethod
    def save(self, prepared: Prepared, folder: Path) -> None:
        """Write what the run trained to `folder`, in a format plain transformers/peft load."""

    @abstractmethod
    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        """The classifier saved in `folder`. `starting_model()` gives the model the run started
        from (the backbone, or an earlier run's model) with a head for the run's classes, for
        methods that saved only what they changed."""


def seeded(seed: int) -> torch.Generator:
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator


def worker_context(workers: int):
    """How DataLoader worker processes start. `fork` copies only the forking thread: safe from a
    process's only thread (`loupe train`), not from the window's training thread, beside Qt's and
    the job threads, whose locks the child would inherit held (workers died, or the window
    crashed, in our trials). There they start from a forkserver: a clean process started once,
    with the training modules already imported, that forks each worker."""
    if workers == 0 or threading.current_thread() is threading.main_thread():
        return None
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")  # Windows (macOS spawns by default already)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["app.core.training.data"])
    return context


def loader(
    dataset,
    batch_size: int,
    shuffle: bool,
    seed: int,
    workers: int,
    dist: DistributedContext,
    epoch: int = 0,
    collate=collate_readable,
) -> DataLoader:
    """Batches in a fixed order per (seed, epoch). A generator is always given, so making the
    loader never draws from the global random stream (that would change the next run's start)."""
    sampler = None
    if dist.enabled and shuffle:
        sampler = DistributedSampler(dataset, num_replicas=dist.world_size, rank=dist.rank, shuffle=True, seed=seed)
        sampler.set_epoch(epoch)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle and sampler is None,
        sampler=sampler,
        generator=seeded(seed + epoch),
        num_workers=workers,
        persistent_workers=False,
        pin_memory=False,
        collate_fn=collate,
        multiprocessing_context=worker_context(workers),
    )


def cached_features(ctx: MethodContext, model: nn.Module, items: list) -> dict[int, np.ndarray]:
    """Image id -> the features `model`'s head receives (eval transform, eval mode), from the
    project cache where known, computed (and cached, by `ctx.features_key` and content)
    otherwise. The linear probe fits on them; the trainer groups near-duplicates with them before
    splitting, so a linear run computes them once. Unreadable images are left out (and named)."""
    cache = EmbeddingCache(ctx.cache_dir)
    try:
        known = cache.get_many(ctx.features_key, [item.sha256 for item in items])
        # In content order: the batches, hence the features to the last bit, do not depend on import order.
        missing = sorted((item for item in items if item.sha256 not in known), key=lambda item: item.sha256)
        if missing:
            ctx.on_progress(Notice(f"Computing features for {len(missing)} images (cached for next time)"))
            _, eval_tf = build_transforms(ctx.image_settings, False, ctx.training_set.grey)
            dataset = ImageDataset(missing, eval_tf, ctx.image_settings.size, ctx.rendering)
            batches = ctx.skipped.batches(
                loader(dataset, ctx.config.batch_size, False, ctx.config.seed, ctx.config.workers, ctx.dist)
            )
            vectors = compute_embeddings(
                model,
                batches,
                ctx.device,
                lambda done: ctx.on_progress(Notice(f"Features: {done} of {len(missing)} images")),
                ctx.should_stop,
            )
            if vectors is None:
                raise Cancelled("cancelled while computing features")
            sha = {item.image_id: item.sha256 for item in missing}
            new = {sha[image_id]: vector for image_id, vector in vectors.items()}
            cache.put_many(ctx.features_key, new)
            known.update(new)
    finally:
        cache.close()
    return {item.image_id: known[item.sha256] for item in items if item.sha256 in known}


def image_data(ctx: MethodContext) -> LoopData:
    """Decoded, transformed images of the run's training and validation splits."""
    train_items, val_items = ctx.training_set.split("train"), ctx.training_set.split("val")
    train_tf, eval_tf = build_transforms(ctx.image_settings, ctx.config.augment, ctx.training_set.grey)
    size = ctx.image_settings.size
    train_set = ImageDataset(train_items, train_tf, size, ctx.rendering)
    val_set = ImageDataset(val_items, eval_tf, size, ctx.rendering)
    workers, seed, skipped = ctx.config.workers, ctx.config.seed, ctx.skipped
    return LoopData(
        train=lambda batch_size, epoch: skipped.batches(
            loader(train_set, batch_size, True, seed, workers, ctx.dist, epoch)
        ),
        val=lambda: skipped.batches(loader(val_set, ctx.config.batch_size, False, seed, workers, ctx.dist)),
        train_size=len(train_items) // max(ctx.dist.world_size, 1),
        has_val=bool(val_items),
    )


def wrap_distributed(module: nn.Module, ctx: MethodContext) -> nn.Module:
    if not ctx.dist.enabled:
        return module
    ids = [ctx.dist.local_rank] if ctx.device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(module, device_ids=ids)


def fine_tuning(ctx: MethodContext, model: nn.Module, keep_norm_statistics: bool) -> Prepared:
    """A `Prepared` that trains `model`'s trainable parameters on decoded images.
    `keep_norm_statistics`: BatchNorm layers keep the statistics they were loaded with (for
    methods that save only what they trained)."""
    wrapped = wrap_distributed(model, ctx)

    def train_mode() -> None:
        wrapped.train()
        if keep_norm_statistics:
            freeze_norm_statistics(wrapped)

    return Prepared(wrapped, lambda x: wrapped(pixel_values=x).logits, image_data(ctx), model, train_mode=train_mode)


def trainable_parameters(module: nn.Module) -> dict[str, torch.Tensor]:
    return {name: p for name, p in module.named_parameters() if p.requires_grad}
