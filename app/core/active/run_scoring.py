"""Score image files with a trained run's model: what every acquisition strategy may look at.

    scores = score_files(load_run_model(project, run_id, "cpu"), paths, mc_passes=10)
    scores.probabilities   # N × C, softmax of the logits
    scores.features        # N × D, what the head receives (the diversity strategies' embeddings)
    scores.mc_probabilities  # T × N × C with dropout on (BALD), or None

Probabilities and features come from ONE forward pass per batch (a pre-hook on the head's Linear
captures its input while the model computes its logits), so the strategies that need both
(BADGE, near-duplicate filtering) cost no second pass. The Monte Carlo passes reuse the decoded
batch. Torch loads only when this is called: the command line starts without it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from app.core.imaging import DecodeOptions

BATCH = 32
#: Stochastic passes for BALD unless told otherwise (Gal et al. 2017 use 10–20; each costs one
#: forward pass over the pool).
MC_PASSES = 10


def _dropout_types() -> tuple[type, ...]:
    from torch import nn

    return (nn.Dropout, nn.Dropout1d, nn.Dropout2d, nn.Dropout3d, nn.AlphaDropout, nn.FeatureAlphaDropout)


def active_dropout(model) -> list:
    """The model's dropout modules that actually drop something (p > 0). Attention dropout that a
    model applies functionally (`F.dropout(..., training=self.training)` in its attention
    module, as transformers' ViT does) is not among them and stays off during MC passes: only
    real dropout modules are switched on, so nothing else changes behaviour."""
    return [m for m in model.modules() if isinstance(m, _dropout_types()) and float(getattr(m, "p", 0.0)) > 0.0]


@contextmanager
def mc_dropout(model) -> Iterator[int]:
    """The model in eval mode with ONLY its dropout modules in training mode: Monte Carlo dropout
    (Gal & Ghahramani 2016). BatchNorm and everything else stay in eval mode, so the passes
    neither use batch statistics nor update the running ones (a BatchNorm in training mode would
    make each pass depend on the other images of its batch and drift the stored statistics).
    Yields the number of active dropout modules (0: the passes will all agree). Every module's
    mode is restored on leaving."""
    modes = {module: module.training for module in model.modules()}
    model.eval()
    dropouts = active_dropout(model)
    for module in dropouts:
        module.train()
    try:
        yield len(dropouts)
    finally:
        for module, mode in modes.items():
            module.train(mode)


@dataclass
class Scores:
    """What the model says about the files that could be read (`rows` index the input list)."""

    rows: np.ndarray  # int64, into the paths given
    probabilities: np.ndarray  # len(rows) × C
    features: np.ndarray  # len(rows) × D
    mc_probabilities: np.ndarray | None = None  # T × len(rows) × C
    failed: dict[int, str] = field(default_factory=dict)  # input index -> reason
    notices: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ScoringProgress:
    done: int
    total: int


def score_files(
    run_model,
    paths: list[Path],
    mc_passes: int = 0,
    rendering: DecodeOptions = DecodeOptions(),
    seed: int = 0,
    batch_size: int = BATCH,
    on_progress: Callable[[ScoringProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Scores:
    """Probabilities and head-input features of each file (and `mc_passes` stochastic passes with
    dropout on, seeded by `seed` without touching torch's global generator), decoded with
    `rendering` (the project's `image_choice`: as the model was trained). `run_model` is a
    `predict.RunModel` or anything with `model`, `transform`, `device` and `size`. A model without
    active dropout gets no extra passes: its MC probabilities are the deterministic ones repeated
    (BALD is then exactly zero), and a notice says so."""
    import torch

    from app.core.inference.decode_queue import decoded_batches
    from app.core.training.embeddings import FeatureExtractor

    model, device = run_model.model, run_model.device
    options = replace(rendering, draft_size=run_model.size * 2)
    notices: list[str] = []
    passes = max(0, int(mc_passes))
    if passes and not active_dropout(model):
        notices.append(
            f"{type(model).__name__} has no dropout: its passes all agree, so BALD scores are zero "
            "(it then picks like random)"
        )
    stochastic = passes > 0 and bool(active_dropout(model))
    rows, failed = [], {}
    probabilities, features, mc = [], [], []
    devices = [device.index or 0] if getattr(device, "type", "cpu") == "cuda" else []
    with FeatureExtractor(model) as extractor, torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        for batch in decoded_batches(
            paths, run_model.transform, options, batch_size, should_stop, "stopped scoring images"
        ):
            failed.update(batch.failed)
            if batch.pixels is not None:
                x = batch.pixels.to(device)
                vectors, logits = extractor.features_and_logits(x)
                p = torch.softmax(logits, dim=1).cpu().numpy()
                probabilities.append(p)
                features.append(vectors.cpu().numpy())
                if stochastic:
                    with mc_dropout(model):
                        mc.append(
                            np.stack(
                                [
                                    torch.softmax(extractor.features_and_logits(x, eval_mode=False)[1], dim=1)
                                    .cpu()
                                    .numpy()
                                    for _ in range(passes)
                                ]
                            )
                        )
                elif passes:
                    mc.append(np.repeat(p[None], passes, axis=0))
                rows += batch.rows
            on_progress(ScoringProgress(batch.done, len(paths)))
    model.eval()
    classes = len(getattr(run_model, "classes", []) or []) or (probabilities[0].shape[1] if probabilities else 0)
    return Scores(
        rows=np.array(rows, dtype=np.int64),
        probabilities=np.concatenate(probabilities) if probabilities else np.zeros((0, classes), np.float32),
        features=np.concatenate(features) if features else np.zeros((0, 0), np.float32),
        mc_probabilities=(np.concatenate(mc, axis=1) if mc else np.zeros((passes, 0, classes), np.float32))
        if passes
        else None,
        failed=failed,
        notices=notices,
    )
