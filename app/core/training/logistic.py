"""Multinomial logistic regression on frozen features, fitted to convergence: the linear probe
(`methods/linear.py`) and the active-learning loop's fast head (`active/learner.py`) both use it.

Why not the generic training loop: a linear head on fixed features is a convex problem. A few
epochs of AdamW on unstandardised features stop far from its optimum (the linear probe trailed
scikit-learn's `LogisticRegression` on the same features by 12–32 points); full-batch L-BFGS on
standardised features reaches it in a fraction of a second, and the regularisation strength is
then the only thing to choose, which cross-validation on the training labels does honestly.

Conventions follow scikit-learn's so the two can be compared number for number: the penalty is
`‖W‖² / 2` (the bias is not penalised) against `C ×` the (class-weighted) sum of the per-image
log-losses; here the loss is a mean, so the penalty per image is `l2 = 1 / (C × N)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from app.core.errors import Cancelled

#: Regularisation strengths tried by cross-validation (scikit-learn's C), half a decade apart.
C_GRID: tuple[float, ...] = tuple(float(10**e) for e in np.arange(-3, 3.01, 0.5))
#: Stop walking the grid after this many strengths without a better held-out loss.
PATIENCE = 3
#: Used when some class has too few training images for two folds.
DEFAULT_C = 1.0
MAX_FOLDS = 5
#: Above this many training images, 3 folds (enough images per fold; a third of the fits).
LARGE = 2000


@dataclass
class LinearHead:
    weight: np.ndarray  # C × D, on standardised features
    bias: np.ndarray  # C
    mean: np.ndarray  # D
    scale: np.ndarray  # D

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weight.T + self.bias

    def probabilities(self, x: np.ndarray, chunk: int = 65_536) -> np.ndarray:
        out = np.empty((len(x), len(self.bias)), dtype=np.float32)
        for start in range(0, len(x), chunk):
            out[start : start + chunk] = softmax(self.logits(x[start : start + chunk]))
        return out

    def folded(self) -> tuple[np.ndarray, np.ndarray]:
        """(weight, bias) acting on raw features: the standardisation folded in, so a plain
        `nn.Linear` (the saved model's head) gives the same logits."""
        weight = self.weight / self.scale
        return weight.astype(np.float32), (self.bias - weight @ self.mean).astype(np.float32)

    def mc_probabilities(self, x: np.ndarray, passes: int, rate: float, rng: np.random.Generator) -> np.ndarray:
        """T × N × C: `passes` forward passes with dropout of rate `rate` on the head's input
        (the Monte Carlo dropout of Gal & Ghahramani 2016, applied where this model has weights)."""
        z = (x - self.mean) / self.scale
        out = np.empty((passes, len(x), len(self.bias)), dtype=np.float32)
        for t in range(passes):
            keep = rng.random(z.shape, dtype=np.float32) >= rate
            out[t] = softmax((z * keep / (1 - rate)) @ self.weight.T + self.bias)
        return out


def softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted, dtype=np.float32)
    return e / e.sum(axis=1, keepdims=True)


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the features (constant features keep a scale of 1)."""
    mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)
    scale = x.std(axis=0, dtype=np.float64).astype(np.float32)
    return mean, np.where(scale > 1e-6, scale, 1.0).astype(np.float32)


def class_weights(y: np.ndarray, num_classes: int, balanced: bool) -> np.ndarray:
    """Inverse class frequency (scikit-learn's `class_weight="balanced"`), or ones."""
    if not balanced:
        return np.ones(num_classes, dtype=np.float32)
    counts = np.bincount(y, minlength=num_classes).astype(np.float32)
    return (len(y) / (num_classes * np.maximum(counts, 1))).astype(np.float32)


def fit_head(
    x: np.ndarray,
    y: np.ndarray,
    num_classes: int,
    *,
    mean: np.ndarray | None = None,
    scale: np.ndarray | None = None,
    l2: float = 1e-2,
    max_iter: int = 100,
    warm: LinearHead | None = None,
    balanced: bool = True,
    tolerance: float = 1e-5,
) -> LinearHead:
    """Fit a softmax head to features `x` (N × D) and class indices `y` by full-batch L-BFGS;
    `l2` is the weight penalty per image (see the module docstring); classes are weighted by
    inverse frequency when `balanced`, as the trainer's loss is."""
    if mean is None or scale is None:
        mean, scale = standardiser(x)
    z = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y.astype(np.int64))
    weights = torch.from_numpy(class_weights(y, num_classes, balanced))
    weight = torch.zeros((num_classes, z.shape[1]), requires_grad=True)
    bias = torch.zeros(num_classes, requires_grad=True)
    if warm is not None and warm.weight.shape == (num_classes, z.shape[1]):
        with torch.no_grad():
            weight.copy_(torch.from_numpy(warm.weight))
            bias.copy_(torch.from_numpy(warm.bias))
    optimiser = torch.optim.LBFGS(
        [weight, bias],
        lr=1,
        max_iter=max_iter,
        history_size=10,
        line_search_fn="strong_wolfe",
        tolerance_grad=tolerance,
        tolerance_change=tolerance * 1e-3,
    )
    total = weights[target].sum()

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        losses = torch.nn.functional.cross_entropy(z @ weight.T + bias, target, reduction="none")
        loss = (losses * weights[target]).sum() / total + l2 * (weight * weight).sum() / 2
        loss.backward()
        return loss

    with torch.enable_grad():
        optimiser.step(closure)
    return LinearHead(weight.detach().numpy().copy(), bias.detach().numpy().copy(), mean, scale)


@dataclass
class LogisticFit:
    head: LinearHead
    c: float
    folds: int  # 0: too few images per class to cross-validate; DEFAULT_C was used
    cv_losses: dict[float, float]  # C -> mean held-out log-loss


def fit_logistic(
    x: np.ndarray,
    y: np.ndarray,
    num_classes: int,
    *,
    balanced: bool = True,
    seed: int = 0,
    on_step: Callable[[int, int, float], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> LogisticFit:
    """The regularisation chosen by stratified k-fold cross-validation on (x, y) — the C of
    `C_GRID` with the lowest mean held-out log-loss (class-weighted like the fit) —, then the
    head refitted on all of (x, y) with it.

    The grid is walked from the strongest penalty to the weakest, each fold's fit warm-started
    from its previous one (a regularisation path: later fits converge in a few steps), and the
    walk stops once the held-out loss has risen for `PATIENCE` strengths in a row past its best
    (it is close to unimodal in C). `on_step(done, total, loss)` reports progress (the held-out loss of
    each cross-validation fit, then the refitted head's training loss); `should_stop()`
    cancels between fits (Cancelled)."""
    should_stop = should_stop or (lambda: False)
    mean, scale = standardiser(x)
    counts = np.bincount(y, minlength=num_classes)
    folds = int(min(MAX_FOLDS if len(y) <= LARGE else 3, counts[counts > 0].min())) if len(y) else 0
    total = (folds * len(C_GRID) if folds >= 2 else 0) + 1
    mean_losses: dict[float, float] = {}
    chosen = DEFAULT_C
    if folds >= 2:
        from sklearn.model_selection import StratifiedKFold

        splits = list(StratifiedKFold(folds, shuffle=True, random_state=seed).split(x, y))
        warm: list[LinearHead | None] = [None] * folds
        for step, c in enumerate(C_GRID):
            losses = []
            for fold, (train, held) in enumerate(splits):
                if should_stop():
                    raise Cancelled("cancelled while choosing the regularisation")
                warm[fold] = fit_head(
                    x[train],
                    y[train],
                    num_classes,
                    mean=mean,
                    scale=scale,
                    l2=1 / (c * len(train)),
                    max_iter=200,
                    warm=warm[fold],
                    balanced=balanced,
                )
                weights = class_weights(y[train], num_classes, balanced)[y[held]]
                p = warm[fold].probabilities(x[held])[np.arange(len(held)), y[held]]
                losses.append(float((weights * -np.log(np.maximum(p, 1e-12))).sum() / weights.sum()))
                if on_step:
                    on_step(step * folds + fold + 1, total, losses[-1])
            mean_losses[c] = float(np.mean(losses))
            best = min(mean_losses, key=mean_losses.get)
            if C_GRID.index(c) - C_GRID.index(best) >= PATIENCE:
                break
        chosen = min(mean_losses, key=mean_losses.get)
    else:
        folds = 0
    head = fit_head(
        x,
        y,
        num_classes,
        mean=mean,
        scale=scale,
        l2=1 / (chosen * max(len(y), 1)),
        max_iter=1000,
        balanced=balanced,
        tolerance=1e-7,
    )
    if on_step:
        p = head.probabilities(x)[np.arange(len(y)), y]
        weights = class_weights(y, num_classes, balanced)[y]
        on_step(total, total, float((weights * -np.log(np.maximum(p, 1e-12))).sum() / max(weights.sum(), 1e-12)))
    return LogisticFit(head, chosen, folds, mean_losses)
