"""Full fine-tuning: every weight trains (BatchNorm statistics too). Best with many labels and a
GPU; saved as the whole model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from torch import nn

from app.core.training.backbones import load_saved_classifier
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod, fine_tuning


class FullFineTune(TrainingMethod):
    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device)
        for parameter in model.parameters():
            parameter.requires_grad_(True)
        return fine_tuning(ctx, model, keep_norm_statistics=False)

    def save(self, prepared: Prepared, folder: Path) -> None:
        prepared.model.save_pretrained(folder, safe_serialization=True)

    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        return load_saved_classifier(folder)
