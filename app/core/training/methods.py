"""Training methods by name: what is trained, on what data, and how the result is saved.

- `linear`: the backbone is frozen; features are computed once (and cached) and only a linear
  head is trained, on the features. Seconds, even on a CPU.
- `lora`: low-rank adapters (peft) on the backbone's linear layers, plus the head; only those
  are saved. Minutes; most of full fine-tuning's quality at a fraction of its memory.
- `full`: every weight. Best with many labels and a GPU.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from app.core.errors import Cancelled
from app.core.training.backbones import LORA_TARGETS
from app.core.training.config import TrainConfig
from app.core.training.data import ImageDataset, TrainingSet, build_transforms
from app.core.training.distributed import DistributedContext
from app.core.training.embeddings import EmbeddingCache, FeatureExtractor, classifier_linear, compute_embeddings
from app.core.training.events import Notice
from app.core.training.loop import LoopData


@dataclass
class MethodContext:
    model: nn.Module  # a transformers image classifier with a fresh head for the run's classes
    training_set: TrainingSet
    image_settings: object
    config: TrainConfig
    device: torch.device
    cache_dir: Path
    backbone_key: str
    bands: tuple[int, int, int] | None
    dist: DistributedContext
    on_progress: Callable[[object], None]
    should_stop: Callable[[], bool]


@dataclass
class Prepared:
    module: nn.Module  # what the loop trains
    forward: Callable[[torch.Tensor], torch.Tensor]  # inputs -> logits
    data: LoopData
    val_image_ids: list[int]


def _seeded(seed: int) -> torch.Generator:
    generator = torch.Generator()
    generator.manual_seed(seed)
    return generator


def _loader(dataset, batch_size: int, shuffle: bool, seed: int, workers: int, dist: DistributedContext, epoch: int = 0):
    sampler = None
    if dist.enabled and shuffle:
        sampler = DistributedSampler(dataset, num_replicas=dist.world_size, rank=dist.rank, shuffle=True, seed=seed)
        sampler.set_epoch(epoch)
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle and sampler is None,
        sampler=sampler,
        generator=_seeded(seed + epoch) if shuffle and sampler is None else None,
        num_workers=workers,
        persistent_workers=False,
        pin_memory=False,
    )


def _image_data(ctx: MethodContext) -> tuple[LoopData, list[int]]:
    train_items, val_items = ctx.training_set.split("train"), ctx.training_set.split("val")
    train_tf, eval_tf = build_transforms(ctx.image_settings, ctx.config.augment, ctx.training_set.grey)
    size = ctx.image_settings.size
    train_set = ImageDataset(train_items, train_tf, size, ctx.bands)
    val_set = ImageDataset(val_items, eval_tf, size, ctx.bands)
    workers, seed = ctx.config.workers, ctx.config.seed
    data = LoopData(
        train=lambda batch_size, epoch: _loader(train_set, batch_size, True, seed, workers, ctx.dist, epoch),
        val=lambda: _loader(val_set, ctx.config.batch_size, False, seed, workers, ctx.dist),
        train_size=len(train_items) // max(ctx.dist.world_size, 1),
        has_val=bool(val_items),
    )
    return data, [item.image_id for item in val_items]


def _wrap_distributed(module: nn.Module, ctx: MethodContext) -> nn.Module:
    if not ctx.dist.enabled:
        return module
    ids = [ctx.dist.local_rank] if ctx.device.type == "cuda" else None
    return nn.parallel.DistributedDataParallel(module, device_ids=ids)


class LinearProbe:
    name = "linear"
    default_lr = 1e-3

    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device).eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        items = ctx.training_set.items
        features = self._features(ctx, model)
        train_rows = [i for i, item in enumerate(items) if item.split == "train"]
        val_rows = [i for i, item in enumerate(items) if item.split == "val"]
        labels = torch.tensor([item.label for item in items])
        x_train, y_train = features[train_rows], labels[train_rows]
        x_val, y_val = features[val_rows], labels[val_rows]
        linear = classifier_linear(model)
        head = nn.Linear(linear.in_features, linear.out_features).to(ctx.device)
        seed = ctx.config.seed
        data = LoopData(
            train=lambda batch_size, epoch: DataLoader(
                TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True, generator=_seeded(seed + epoch)
            ),
            val=lambda: DataLoader(TensorDataset(x_val, y_val), batch_size=1024),
            train_size=len(train_rows),
            has_val=bool(val_rows),
        )
        self.head = head
        return Prepared(head, head, data, [items[i].image_id for i in val_rows])

    def _features(self, ctx: MethodContext, model: nn.Module) -> torch.Tensor:
        items = ctx.training_set.items
        cache = EmbeddingCache(ctx.cache_dir)
        try:
            known = cache.get_many(ctx.backbone_key, [item.sha256 for item in items])
            missing = [item for item in items if item.sha256 not in known]
            if missing:
                ctx.on_progress(Notice(f"Computing features for {len(missing)} images (cached for next time)"))
                _, eval_tf = build_transforms(ctx.image_settings, False, ctx.training_set.grey)
                dataset = ImageDataset(missing, eval_tf, ctx.image_settings.size, ctx.bands)
                loader = DataLoader(dataset, batch_size=ctx.config.batch_size, num_workers=ctx.config.workers)
                vectors = compute_embeddings(
                    FeatureExtractor(model), loader, ctx.device,
                    lambda done: ctx.on_progress(Notice(f"Features: {done} of {len(missing)} images")),
                    ctx.should_stop,
                )  # fmt: skip
                if vectors is None:
                    raise Cancelled("cancelled while computing features")
                new = {item.sha256: vector for item, vector in zip(missing, vectors)}
                cache.put_many(ctx.backbone_key, new)
                known.update(new)
        finally:
            cache.close()
        return torch.from_numpy(np.stack([known[item.sha256] for item in items]))

    def save(self, ctx: MethodContext, prepared: Prepared, folder: Path) -> None:
        target = classifier_linear(ctx.model)
        with torch.no_grad():
            target.weight.copy_(prepared.module.weight.to(target.weight.device))
            target.bias.copy_(prepared.module.bias.to(target.bias.device))
        ctx.model.save_pretrained(folder, safe_serialization=True)


class FullFineTune:
    name = "full"
    default_lr = 5e-5

    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device)
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        return self._prepared(ctx, model)

    def _prepared(self, ctx: MethodContext, model: nn.Module) -> Prepared:
        wrapped = _wrap_distributed(model, ctx)
        data, val_ids = _image_data(ctx)
        return Prepared(wrapped, lambda x: wrapped(pixel_values=x).logits, data, val_ids)

    def save(self, ctx: MethodContext, prepared: Prepared, folder: Path) -> None:
        ctx.model.save_pretrained(folder, safe_serialization=True)


class LoRA(FullFineTune):
    name = "lora"
    default_lr = 5e-4

    def prepare(self, ctx: MethodContext) -> Prepared:
        from peft import LoraConfig, get_peft_model

        rank = ctx.config.lora_rank
        targets = LORA_TARGETS.get(ctx.model.config.model_type, "all-linear")
        config = LoraConfig(
            r=rank, lora_alpha=2 * rank, lora_dropout=0.1, target_modules=targets, modules_to_save=["classifier"]
        )
        with warnings.catch_warnings():  # peft calls a transformers API deprecated for v6
            warnings.simplefilter("ignore", FutureWarning)
            self.peft_model = get_peft_model(ctx.model, config).to(ctx.device)
        return self._prepared(ctx, self.peft_model)

    def save(self, ctx: MethodContext, prepared: Prepared, folder: Path) -> None:
        self.peft_model.save_pretrained(folder, safe_serialization=True)  # the adapter and the head only
        self.peft_model.base_model.model.config.save_pretrained(folder)  # labels, for loaders


METHODS: dict[str, type] = {method.name: method for method in (LinearProbe, LoRA, FullFineTune)}
