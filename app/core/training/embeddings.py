"""Frozen-backbone features, computed once per (backbone, image content) and cached in the
project cache, so a linear probe retrains in well under a second as labels arrive."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import torch
from torch import nn

from app.core.training.heads import head_linear

_SCHEMA = """CREATE TABLE IF NOT EXISTS embeddings (
    backbone TEXT NOT NULL, sha256 TEXT NOT NULL, vector BLOB NOT NULL,
    PRIMARY KEY (backbone, sha256))"""


class EmbeddingCache:
    """Vectors by (whose, content hash) in a file of the project cache: image features, and in a
    file of their own the near-duplicate search's pixel signatures (`pixel_signatures.py`)."""

    def __init__(self, cache_dir: Path, file_name: str = "embeddings.sqlite"):
        cache_dir.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(cache_dir / file_name, timeout=10)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute(_SCHEMA)

    def get_many(self, backbone: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found = {}
        for start in range(0, len(hashes), 900):
            chunk = hashes[start : start + 900]
            rows = self.conn.execute(
                f"SELECT sha256, vector FROM embeddings WHERE backbone = ? AND sha256 IN ({','.join('?' * len(chunk))})",
                [backbone, *chunk],
            )
            found.update({sha: np.frombuffer(blob, dtype=np.float32) for sha, blob in rows})
        return found

    def put_many(self, backbone: str, vectors: dict[str, np.ndarray]) -> None:
        with self.conn:
            self.conn.executemany(
                "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
                [(backbone, sha, v.astype(np.float32).tobytes()) for sha, v in vectors.items()],
            )

    def close(self) -> None:
        self.conn.close()


class FeatureExtractor:
    """Features = what the classifier head receives, captured with a forward pre-hook: the same
    pooling the architecture itself uses (CLS token, mean of patches, global average pool…).

        with FeatureExtractor(model) as features:
            vectors = features(pixel_values)

    The hook is removed on leaving, so the model (which may be saved afterwards) keeps none.
    """

    def __init__(self, model: nn.Module):
        self.model = model
        self._captured: torch.Tensor | None = None
        self._hook = None

    def __enter__(self) -> FeatureExtractor:
        self._hook = head_linear(self.model).register_forward_pre_hook(self._capture)
        return self

    def __exit__(self, *exc) -> None:
        self._hook.remove()
        self._hook = None

    def _capture(self, module, inputs) -> None:
        self._captured = inputs[0].detach()

    def __call__(self, pixel_values: torch.Tensor) -> torch.Tensor:
        return self.features_and_logits(pixel_values)[0]

    def features_and_logits(
        self, pixel_values: torch.Tensor, eval_mode: bool = True
    ) -> tuple[torch.Tensor, torch.Tensor]:
        """The head's input features and the model's logits from ONE forward pass (active
        learning scores the pool with both: probabilities for uncertainty, features for
        diversity). `eval_mode=False` leaves the modules' modes as the caller set them (MC
        dropout sets dropout alone to training mode)."""
        if eval_mode:
            self.model.eval()
        with torch.inference_mode():
            logits = self.model(pixel_values=pixel_values).logits
        return self._captured.float().reshape(len(pixel_values), -1), logits.float()


def compute_embeddings(
    model: nn.Module,
    batches: Iterable[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
    device: torch.device,
    on_batch: Callable[[int], None] = lambda done: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> dict[int, np.ndarray] | None:
    """Image id -> feature vector for every image in `batches` of (inputs, labels, image ids),
    with the model in eval mode; None if stopped."""
    out: dict[int, np.ndarray] = {}
    with FeatureExtractor(model) as features:
        for inputs, _, image_ids in batches:
            if should_stop():
                return None
            if inputs is None:  # no readable image in this batch
                continue
            out.update(zip(image_ids.tolist(), features(inputs.to(device)).cpu().numpy()))
            on_batch(len(out))
    return out
