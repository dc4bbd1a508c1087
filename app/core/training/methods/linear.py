"""Linear probe: the backbone is frozen; each image's features (what the head receives) are
computed once, cached by backbone and image content, and only a linear head is trained on them.
Seconds, even on a CPU; saved as the whole model with the trained head in place."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from app.core.errors import Cancelled
from app.core.training.backbones import load_saved_classifier
from app.core.training.data import ImageDataset, build_transforms
from app.core.training.embeddings import EmbeddingCache, compute_embeddings
from app.core.training.events import Notice
from app.core.training.heads import head_linear
from app.core.training.loop import LoopData
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod, loader, seeded


def _rows(features: dict[int, np.ndarray], items) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(features, labels, image ids) of the items that have features, in the items' order."""
    kept = [item for item in items if item.image_id in features]
    if not kept:
        return torch.zeros((0, 0)), torch.zeros(0, dtype=torch.long), torch.zeros(0, dtype=torch.long)
    return (
        torch.from_numpy(np.stack([features[item.image_id] for item in kept])),
        torch.tensor([item.label for item in kept]),
        torch.tensor([item.image_id for item in kept]),
    )


class LinearProbe(TrainingMethod):
    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device).eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        features = self._features(ctx, model)
        x_train, y_train, id_train = _rows(features, ctx.training_set.split("train"))
        x_val, y_val, id_val = _rows(features, ctx.training_set.split("val"))
        # The head starts as the model's own: freshly initialised when the model was loaded (before
        # any feature was computed, so a cold and a warm cache start alike), or an earlier run's
        # trained rows with --init-from.
        head = copy.deepcopy(head_linear(model)).to(ctx.device)
        head.requires_grad_(True)
        seed = ctx.config.seed
        data = LoopData(
            train=lambda batch_size, epoch: DataLoader(
                TensorDataset(x_train, y_train, id_train),
                batch_size=batch_size,
                shuffle=True,
                generator=seeded(seed + epoch),
            ),
            val=lambda: DataLoader(TensorDataset(x_val, y_val, id_val), batch_size=1024, generator=seeded(seed)),
            train_size=len(y_train),
            has_val=len(y_val) > 0,
        )
        return Prepared(head, head, data, model)

    def _features(self, ctx: MethodContext, model: nn.Module) -> dict[int, np.ndarray]:
        """Image id -> features, from the cache where known, computed (and cached) otherwise."""
        items = ctx.training_set.items
        cache = EmbeddingCache(ctx.cache_dir)
        try:
            known = cache.get_many(ctx.backbone_key, [item.sha256 for item in items])
            missing = [item for item in items if item.sha256 not in known]
            if missing:
                ctx.on_progress(Notice(f"Computing features for {len(missing)} images (cached for next time)"))
                _, eval_tf = build_transforms(ctx.image_settings, False, ctx.training_set.grey)
                dataset = ImageDataset(missing, eval_tf, ctx.image_settings.size, ctx.bands)
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
                cache.put_many(ctx.backbone_key, new)
                known.update(new)
        finally:
            cache.close()
        return {item.image_id: known[item.sha256] for item in items if item.sha256 in known}

    def trained_model(self, prepared: Prepared) -> nn.Module:
        target = head_linear(prepared.model)
        with torch.no_grad():
            target.weight.copy_(prepared.module.weight.to(target.weight.device))
            target.bias.copy_(prepared.module.bias.to(target.bias.device))
        return prepared.model.eval()

    def save(self, prepared: Prepared, folder: Path) -> None:
        self.trained_model(prepared).save_pretrained(folder, safe_serialization=True)

    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        return load_saved_classifier(folder)
