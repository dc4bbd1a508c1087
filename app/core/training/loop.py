"""The training loop shared by every method: AdamW, warm-up + cosine learning rate, gradient
clipping, label smoothing and class weights, mixed precision on GPUs, early stopping on the
validation loss, and the safety nets users need:

- `should_stop()` is checked before every step: cancel takes effect within one step;
- several non-finite losses in a row stop the run with a clear message;
- CUDA out-of-memory halves the batch size and repeats the epoch instead of failing.

It knows nothing of images or models: a method gives it a module, a forward function and the
data, so the linear probe (on cached embeddings) and the fine-tuning methods share one loop.

Validation runs with the module in eval mode under `torch.inference_mode()`: BatchNorm uses its
running statistics (it neither normalises a validation batch by its own statistics nor learns
them from validation images) and dropout is off, so a validation number does not depend on how
the validation images are ordered or batched. The evaluation of the best epoch is kept: the
run's report, its accuracy and the point drawn in its curves are that one evaluation.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from app.core.training import distributed
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.metrics import summary_scores

OutOfMemory = getattr(torch, "OutOfMemoryError", torch.cuda.OutOfMemoryError)


@dataclass
class LoopSettings:
    epochs: int
    lr: float
    weight_decay: float = 0.01
    warmup_fraction: float = 0.1
    grad_clip: float = 1.0
    label_smoothing: float = 0.0
    patience: int = 3
    max_nonfinite: int = 5
    device: torch.device = torch.device("cpu")
    autocast_dtype: torch.dtype | None = None
    class_weights: torch.Tensor | None = None
    num_classes: int = 2


@dataclass
class LoopCallbacks:
    on_progress: Callable[[object], None] = lambda event: None
    should_stop: Callable[[], bool] = lambda: False
    #: Called before each step with (step, batch size, module): a seam for fault injection.
    before_step: Callable[[int, int, nn.Module], None] | None = None


@dataclass
class LoopData:
    """Makes the batches: `train(batch_size, epoch)` and `val()` iterate (inputs, labels, image
    ids); the ids name each validation row in the report."""

    train: Callable[[int, int], Iterable]
    val: Callable[[], Iterable]
    train_size: int
    has_val: bool


@dataclass
class Evaluation:
    """One pass over the validation images, in eval mode."""

    loss: float
    accuracy: float
    macro_f1: float
    labels: np.ndarray
    predictions: np.ndarray
    probabilities: np.ndarray
    image_ids: list[int]

    def __len__(self) -> int:
        return len(self.labels)


@dataclass
class LoopResult:
    status: str  # done, cancelled, failed
    message: str = ""
    best_state: dict[str, torch.Tensor] | None = None
    best_epoch: float = 0
    #: The evaluation of the weights in `best_state` (None without validation images).
    best_evaluation: Evaluation | None = None
    steps: int = 0
    batch_size: int = 0
    #: What a method that fits without the loop chose (the linear probe's regularisation), for the report.
    details: dict | None = None


def lr_factor(progress: float, warmup: float) -> float:
    """Linear warm-up over the first `warmup` share of training, then cosine decay to zero."""
    if warmup > 0 and progress < warmup:
        return max(progress / warmup, 1e-3)
    span = max(1.0 - warmup, 1e-9)
    return 0.5 * (1 + math.cos(math.pi * min((progress - warmup) / span, 1.0)))


def _snapshot(module: nn.Module, keep: set[str]) -> dict[str, torch.Tensor]:
    return {k: v.detach().to("cpu", copy=True) for k, v in module.state_dict().items() if k in keep}


def evaluate(module: nn.Module, forward, batches: Iterable, device, autocast_dtype, num_classes: int) -> Evaluation:
    """Loss, accuracy, macro-F1 and every row's prediction over `batches`, with `module` in eval
    mode (it stays there: the loop puts it back in training mode before it trains again)."""
    module.eval()
    losses, labels, probabilities, ids = [], [], [], []
    with torch.inference_mode():
        for inputs, targets, image_ids in batches:
            if inputs is None:  # no readable image in this batch
                continue
            inputs, targets = inputs.to(device), targets.to(device)
            with _autocast(device, autocast_dtype):
                logits = forward(inputs).float()
            losses.append(nn.functional.cross_entropy(logits, targets, reduction="sum").item())
            labels.append(targets.cpu().numpy())
            probabilities.append(torch.softmax(logits, dim=1).cpu().numpy())
            ids.extend(int(i) for i in image_ids)
    if not labels:
        nan = float("nan")
        return Evaluation(
            nan, nan, nan, np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.zeros((0, num_classes)), []
        )
    labels_all = np.concatenate(labels)
    probs = np.concatenate(probabilities)
    preds = probs.argmax(axis=1)
    accuracy, macro = summary_scores(labels_all, preds)
    return Evaluation(sum(losses) / len(labels_all), accuracy, macro, labels_all, preds, probs, ids)


def _autocast(device: torch.device, dtype: torch.dtype | None):
    if dtype is None:
        return torch.autocast(device_type=device.type, enabled=False)
    return torch.autocast(device_type=device.type, dtype=dtype)


def run_loop(
    module: nn.Module,
    forward: Callable[[torch.Tensor], torch.Tensor],
    data: LoopData,
    settings: LoopSettings,
    callbacks: LoopCallbacks,
    batch_size: int,
    *,
    train_mode: Callable[[], None] | None = None,
    after_step: Callable[[int], None] | None = None,
    regularizer: Callable[[], torch.Tensor] | None = None,
) -> LoopResult:
    """Train `module` through `forward` on `data`. `train_mode` puts the module in training mode
    (default `module.train()`; parameter-efficient methods keep frozen BatchNorm statistics
    fixed); `after_step(step)` runs after each optimizer step, gradients still in place
    (AdaLoRA's rank budget); `regularizer()` is added to the loss (AdaLoRA's orthogonality)."""
    device = settings.device
    train_mode = train_mode or module.train
    trainable = [p for p in module.parameters() if p.requires_grad]
    keep = {name for name, p in module.named_parameters() if p.requires_grad} | {n for n, _ in module.named_buffers()}
    decay = [p for p in trainable if p.ndim > 1]
    no_decay = [p for p in trainable if p.ndim <= 1]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": settings.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
        lr=settings.lr,
    )
    scaler = (
        torch.amp.GradScaler("cuda") if device.type == "cuda" and settings.autocast_dtype == torch.float16 else None
    )
    weights = settings.class_weights.to(device) if settings.class_weights is not None else None
    loss_fn = nn.CrossEntropyLoss(weight=weights, label_smoothing=settings.label_smoothing)

    result = LoopResult(status="done", batch_size=batch_size)
    best_loss = math.inf
    stale_epochs = 0
    nonfinite = 0
    step = 0
    started = time.monotonic()
    images_seen = 0
    epoch = 0
    while epoch < settings.epochs:
        steps_per_epoch = max(1, math.ceil(data.train_size / batch_size))
        train_mode()
        restart_epoch = False
        for index, (inputs, targets, _) in enumerate(data.train(batch_size, epoch)):
            if distributed.any_rank(callbacks.should_stop()):
                return _finish_cancelled(
                    result, module, forward, data, settings, callbacks, keep, step, epoch + index / steps_per_epoch
                )
            if not distributed.all_ranks(inputs is not None):  # no readable image in a batch (of any process)
                continue
            progress = (epoch + index / steps_per_epoch) / settings.epochs
            lr = settings.lr * lr_factor(progress, settings.warmup_fraction)
            for group in optimizer.param_groups:
                group["lr"] = lr
            try:
                if callbacks.before_step is not None:
                    callbacks.before_step(step + 1, batch_size, module)
                inputs, targets = inputs.to(device, non_blocking=True), targets.to(device, non_blocking=True)
                with _autocast(device, settings.autocast_dtype):
                    loss = loss_fn(forward(inputs).float(), targets)
                    if regularizer is not None:
                        loss = loss + regularizer()
                finite = bool(torch.isfinite(loss).item())
                if distributed.all_ranks(finite):
                    optimizer.zero_grad(set_to_none=True)
                    if scaler is not None:
                        scaler.scale(loss).backward()
                        scaler.unscale_(optimizer)
                    else:
                        loss.backward()
                    if settings.grad_clip > 0:
                        torch.nn.utils.clip_grad_norm_(trainable, settings.grad_clip)
                    if scaler is not None:
                        scaler.step(optimizer)
                        scaler.update()
                    else:
                        optimizer.step()
                    if after_step is not None:
                        after_step(step + 1)
            except OutOfMemory:
                optimizer.zero_grad(set_to_none=True)
                if device.type == "cuda":
                    torch.cuda.empty_cache()
                if batch_size <= 1:
                    result.status, result.message = "failed", "out of memory even with a batch of one image"
                    return result
                batch_size = max(1, batch_size // 2)
                result.batch_size = batch_size
                callbacks.on_progress(
                    Notice(
                        f"Out of memory: the batch size is now {batch_size}; repeating epoch {epoch + 1}", lasting=True
                    )
                )
                restart_epoch = True
                break
            step += 1
            if not distributed.all_ranks(finite):
                nonfinite += 1
                if nonfinite >= settings.max_nonfinite:
                    result.status = "failed"
                    result.message = (
                        f"training diverged: the loss was not a finite number for {nonfinite} steps in a "
                        "row; try a lower learning rate"
                    )
                    result.steps = step
                    return result
                continue
            nonfinite = 0
            images_seen += len(targets)
            elapsed = max(time.monotonic() - started, 1e-9)
            total_steps = step + (steps_per_epoch - index - 1) + steps_per_epoch * (settings.epochs - epoch - 1)
            value = loss.item()
            callbacks.on_progress(
                StepProgress(
                    step,
                    total_steps,
                    epoch + (index + 1) / steps_per_epoch,
                    settings.epochs,
                    value,
                    lr,
                    images_seen / elapsed,
                    elapsed / step * (total_steps - step),
                )
            )
        if restart_epoch:
            continue
        epoch += 1
        result.steps = step
        evaluation = evaluate(module, forward, data.val(), device, settings.autocast_dtype, settings.num_classes)
        validated = data.has_val and len(evaluation) > 0
        if validated and not math.isfinite(evaluation.loss):
            result.status, result.steps = "failed", step
            result.message = "training diverged: the validation loss is not a finite number; try a lower learning rate"
            return result
        if data.has_val and not validated and epoch == 1:
            callbacks.on_progress(
                Notice(
                    "No validation image could be read: each epoch's model replaces the last, "
                    "and the run has no scores",
                    lasting=True,
                )
            )
        improved = not validated or evaluation.loss < best_loss
        callbacks.on_progress(
            EpochProgress(
                epoch, settings.epochs, step, evaluation.loss, evaluation.accuracy, evaluation.macro_f1, improved
            )
        )
        if improved:
            best_loss = evaluation.loss if validated else best_loss
            result.best_state = _snapshot(module, keep)
            result.best_epoch = epoch
            result.best_evaluation = evaluation if validated else None
            stale_epochs = 0
        else:
            stale_epochs += 1
            if settings.patience and stale_epochs >= settings.patience:
                result.message = (
                    f"stopped early after epoch {epoch}: no better validation loss for {stale_epochs} epochs"
                )
                callbacks.on_progress(Notice(result.message, lasting=True))
                break
    return result


def _finish_cancelled(
    result: LoopResult,
    module: nn.Module,
    forward,
    data: LoopData,
    settings: LoopSettings,
    callbacks: LoopCallbacks,
    keep: set[str],
    step: int,
    epoch: float,
) -> LoopResult:
    """Cancelled: keep the best checkpoint so far; if no epoch has ended yet, keep the current
    weights and validate them once (that evaluation is reported and drawn like an epoch's) —
    unless not one step was taken: then there is nothing to keep."""
    result.status = "cancelled"
    result.steps = step
    result.message = f"cancelled after {step} steps"
    if result.best_state is None and step > 0:
        result.best_state = _snapshot(module, keep)
        result.best_epoch = epoch
        evaluation = evaluate(
            module, forward, data.val(), settings.device, settings.autocast_dtype, settings.num_classes
        )
        if len(evaluation) and math.isfinite(evaluation.loss):
            result.best_evaluation = evaluation
            callbacks.on_progress(
                EpochProgress(
                    epoch, settings.epochs, step, evaluation.loss, evaluation.accuracy, evaluation.macro_f1, True
                )
            )
    return result
