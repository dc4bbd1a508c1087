"""Linear probe: the backbone is frozen; each image's features (what the head receives) are
computed once, cached by backbone and image content, and a multinomial logistic regression is
fitted on them to convergence, its regularisation chosen by cross-validation on the training
images (`training/logistic.py`). Seconds, even on a CPU; saved as the whole model with the
fitted head in place (the standardisation folded into its weights), so the run reloads in plain
transformers. The epochs, learning rate and batch size of the form do not apply to it."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from app.core.errors import Cancelled
from app.core.training.backbones import load_saved_classifier
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.heads import head_linear
from app.core.training.logistic import fit_logistic
from app.core.training.loop import LoopCallbacks, LoopData, LoopResult, evaluate
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod, cached_features, seeded


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


def _fit(
    head: nn.Linear,
    data: LoopData,
    x: np.ndarray,
    y: np.ndarray,
    num_classes: int,
    balanced: bool,
    seed: int,
    device: torch.device,
    callbacks: LoopCallbacks,
) -> LoopResult:
    """Fit `head` by cross-validated logistic regression and evaluate it once on the validation
    images, reporting progress as the loop would (one step per fit, one epoch in all)."""
    started = time.monotonic()

    def on_step(done: int, total: int, loss: float) -> None:
        elapsed = time.monotonic() - started
        callbacks.on_progress(
            StepProgress(
                done,
                total,
                done / total,
                1,
                loss,
                0.0,
                len(y) * done / max(elapsed, 1e-9),
                elapsed / done * (total - done),
            )
        )

    try:
        fitted = fit_logistic(
            x, y, num_classes, balanced=balanced, seed=seed, on_step=on_step, should_stop=callbacks.should_stop
        )
    except Cancelled as exc:
        return LoopResult(status="cancelled", message=str(exc))
    weight, bias = fitted.head.folded()
    with torch.no_grad():
        head.weight.copy_(torch.from_numpy(weight).to(head.weight))
        head.bias.copy_(torch.from_numpy(bias).to(head.bias))
    how = (
        f"by {fitted.folds}-fold cross-validation on the training images"
        if fitted.folds
        else "by default (too few training images of some class to cross-validate)"
    )
    callbacks.on_progress(
        Notice(f"Logistic regression fitted; regularisation C = {fitted.c:g}, chosen {how}", lasting=True)
    )
    evaluation = evaluate(head, head, data.val(), device, None, num_classes) if data.has_val else None
    validated = evaluation is not None and len(evaluation) > 0
    if validated:
        callbacks.on_progress(EpochProgress(1, 1, 1, evaluation.loss, evaluation.accuracy, evaluation.macro_f1, True))
    state = {name: value.detach().to("cpu", copy=True) for name, value in head.state_dict().items()}
    return LoopResult(
        status="done",
        best_state=state,
        best_epoch=1,
        best_evaluation=evaluation if validated else None,
        steps=1,
        batch_size=len(y),
        details={
            "method": "logistic regression",
            "C": fitted.c,
            "folds": fitted.folds,
            "cv_log_loss": {f"{c:g}": loss for c, loss in fitted.cv_losses.items()},
        },
    )


class LinearProbe(TrainingMethod):
    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device).eval()
        for parameter in model.parameters():
            parameter.requires_grad_(False)
        features = cached_features(ctx, model, ctx.training_set.items)
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
        labels = len(ctx.training_set.classes)
        balanced = ctx.config.class_weights

        def fit(callbacks: LoopCallbacks) -> LoopResult:
            return _fit(head, data, x_train.numpy(), y_train.numpy(), labels, balanced, seed, ctx.device, callbacks)

        return Prepared(head, head, data, model, fit=fit)

    def trained_model(self, prepared: Prepared) -> nn.Module:
        target = head_linear(prepared.model)
        with torch.no_grad():
            target.weight.copy_(prepared.module.weight.to(target.weight.device))
            target.bias.copy_(prepared.module.bias.to(target.bias.device))
        return prepared.model.eval()

    def save(self, prepared: Prepared, folder: Path) -> None:
        # The trainer took `trained_model` before saving (and may have folded its temperature
        # into that head): save the model as it is, without copying the fitted head in again.
        prepared.model.save_pretrained(folder, safe_serialization=True)

    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        return load_saved_classifier(folder)
