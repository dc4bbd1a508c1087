"""The fast loop's model: a linear head (multinomial logistic regression) on frozen, cached
embeddings, refitted on every label in a fraction of a second and used to rescore the pool.

Full-batch L-BFGS on standardised features, warm-started from the previous head: the same
answer as the linear probe's epochs of AdamW up to regularisation, in far fewer passes (the
pool changes by a few labels between refreshes, so a warm start converges in a few steps).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


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
            out[start : start + chunk] = _softmax(self.logits(x[start : start + chunk]))
        return out

    def mc_probabilities(self, x: np.ndarray, passes: int, rate: float, rng: np.random.Generator) -> np.ndarray:
        """T × N × C: `passes` forward passes with dropout of rate `rate` on the head's input
        (the Monte Carlo dropout of Gal & Ghahramani 2016, applied where this model has weights)."""
        z = (x - self.mean) / self.scale
        out = np.empty((passes, len(x), len(self.bias)), dtype=np.float32)
        for t in range(passes):
            keep = rng.random(z.shape, dtype=np.float32) >= rate
            out[t] = _softmax((z * keep / (1 - rate)) @ self.weight.T + self.bias)
        return out


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted, dtype=np.float32)
    return e / e.sum(axis=1, keepdims=True)


def standardiser(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and scale of the features (of the whole pool: labelled and not)."""
    mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)
    scale = x.std(axis=0, dtype=np.float64).astype(np.float32)
    return mean, np.where(scale > 1e-6, scale, 1.0).astype(np.float32)


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
) -> LinearHead:
    """Fit a softmax head to features `x` (N × D) and class indices `y`; `l2` is the weight
    penalty per image (scaled by the mean, so its strength does not grow with the labels);
    classes are weighted by inverse frequency when `balanced` (as the trainer does)."""
    if mean is None or scale is None:
        mean, scale = standardiser(x)
    z = torch.from_numpy(((x - mean) / scale).astype(np.float32))
    target = torch.from_numpy(y.astype(np.int64))
    counts = torch.bincount(target, minlength=num_classes).float()
    weights = (counts.sum() / (num_classes * counts.clamp(min=1))) if balanced else torch.ones(num_classes)
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
        tolerance_grad=1e-5,
        tolerance_change=1e-7,
    )

    def closure() -> torch.Tensor:
        optimiser.zero_grad()
        loss = torch.nn.functional.cross_entropy(z @ weight.T + bias, target, weight=weights)
        loss = loss + l2 * (weight * weight).sum() / 2
        loss.backward()
        return loss

    with torch.enable_grad():
        optimiser.step(closure)
    return LinearHead(weight.detach().numpy().copy(), bias.detach().numpy().copy(), mean, scale)
