"""The pool active learning chooses from: every readable image of the project, as the embedding
the classifier head receives, cached in the project cache (shared with the linear probe, so a
linear run and suggestions compute each image's features once).

    source = EmbeddingSource.from_model("dinov2-small")   # or EmbeddingSource.from_run(3)
    embed_images(project, source, on_progress=..., should_stop=...)   # the missing ones, in batches
    pool = load_pool(project, source)                                  # ids × features, from the cache

Embedding writes each batch to the cache as it goes: a cancelled or crashed job keeps what it
computed, and the next one starts where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from app.core.errors import Cancelled, LoupeError
from app.core.project.settings import image_choice
from app.core.project.store import Project

BATCH = 32


@dataclass(frozen=True)
class EmbeddingProgress:
    done: int
    total: int
    text: str = ""


@dataclass(frozen=True)
class EmbeddingSource:
    """Whose features: a backbone (a preset, hub id or folder: the frozen model a linear probe
    trains on) or a trained run's model (after a LoRA or full fine-tune its features know the
    task)."""

    model_ref: str | None = None
    run_id: int | None = None

    @classmethod
    def from_model(cls, model_ref: str) -> EmbeddingSource:
        return cls(model_ref=model_ref)

    @classmethod
    def from_run(cls, run_id: int) -> EmbeddingSource:
        return cls(run_id=run_id)

    def describe(self) -> str:
        return f"run {self.run_id}" if self.run_id is not None else f"{self.model_ref}"


@dataclass
class FeatureModel:
    model: object  # torch.nn.Module, eval mode, on `device`
    transform: object
    size: int
    device: object
    key: str  # the embedding cache's key for these features


def load_feature_model(project: Project, source: EmbeddingSource, device: str = "auto") -> FeatureModel:
    """The model whose head input is the embedding, with its evaluation transform."""
    from app.core.training import preload

    preload.before_use()  # a window may be loading torch in the background right now
    from app.core.inference.run_model import load_run_model
    from app.core.training.backbones import backbone_key, image_settings
    from app.core.training.data import build_transforms
    from app.core.training.device import choose_device
    from app.core.training.runs import get_run
    from app.core.training.saved_models import starting_point

    if source.run_id is not None:
        run_model = load_run_model(project, source.run_id, device)
        run = get_run(project, source.run_id, report=False)
        return FeatureModel(
            run_model.model, run_model.transform, run_model.size, run_model.device, f"run:{run.model_dir}"
        )
    if not source.model_ref:
        raise LoupeError("choose a model to compute image features with")
    start = starting_point(project, source.model_ref, None, [(0, "a"), (1, "b")])
    settings = image_settings(start.processor, start.model.config, start.preset)
    _, transform = build_transforms(settings, augment=False, grey=False)
    chosen = choose_device(device).device
    return FeatureModel(
        start.model.to(chosen).eval(), transform, settings.size, chosen, backbone_key(start.source, start.model.config)
    )


def pool_rows(project: Project) -> list[tuple[int, str, str]]:
    """(image id, stored path, sha256) of every image whose file was found at the last check."""
    return project.conn.execute("SELECT id, path, sha256 FROM images WHERE status != 'missing' ORDER BY id").fetchall()


def embed_images(
    project: Project,
    source: EmbeddingSource,
    on_progress: Callable[[EmbeddingProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str | None = None,
    feature_model: FeatureModel | None = None,
) -> tuple[str, dict[int, str]]:
    """Compute and cache the embeddings of every image of the pool that has none yet, on
    `device` (None: the Train form's), decoded as the project shows them (`image_choice`).
    Returns the cache key (the features' own, plus the band choice or composite: another
    rendering has other features) and the images that could not be read (image id -> reason).
    Raises Cancelled when stopped (what was computed stays cached)."""
    from app.core.imaging.options import rendering_key
    from app.core.inference.decode_queue import decoded_batches
    from app.core.training.config import remembered_config
    from app.core.training.embeddings import EmbeddingCache, FeatureExtractor

    rows = pool_rows(project)
    if should_stop():  # asked before the model loads (seconds for a large one) and after
        raise Cancelled("stopped computing image features")
    fm = feature_model or load_feature_model(project, source, device or remembered_config(project).device)
    if should_stop():
        raise Cancelled("stopped computing image features")
    rendering = image_choice(project)
    key = fm.key + rendering_key(rendering)  # the trainer's linear probe keys them alike
    cache = EmbeddingCache(project.paths.cache_dir)
    failed: dict[int, str] = {}
    try:
        known = cache.get_many(key, sorted({sha for _, _, sha in rows}))
        todo = [row for row in rows if row[2] not in known]
        seen = set()
        todo = [row for row in todo if not (row[2] in seen or seen.add(row[2]))]  # one per content
        on_progress(EmbeddingProgress(0, len(todo), f"Image features: 0 of {len(todo)}"))
        options = replace(rendering, draft_size=fm.size * 2)
        paths = [project.resolve_path(path) for _, path, _ in todo]
        with FeatureExtractor(fm.model) as features:
            for batch in decoded_batches(
                paths, fm.transform, options, BATCH, should_stop, "stopped computing image features"
            ):
                failed.update({todo[row][0]: reason for row, reason in batch.failed.items()})
                if batch.pixels is not None:
                    vectors = features(batch.pixels.to(fm.device)).cpu().numpy()
                    cache.put_many(key, dict(zip((todo[row][2] for row in batch.rows), vectors)))
                on_progress(
                    EmbeddingProgress(batch.done, len(todo), f"Image features: {batch.done:,} of {len(todo):,}")
                )
    finally:
        cache.close()
    return key, failed


@dataclass
class Pool:
    image_ids: np.ndarray  # N, int64
    embeddings: np.ndarray  # N × D, float32
    key: str
    not_embedded: int  # images of the project without an embedding yet
    #: Every other image of the project: its file is missing, could not be read, or its features
    #: are not computed yet (a refresh says how many unlabelled ones it could not look at).
    left_out: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __len__(self) -> int:
        return len(self.image_ids)


def load_pool(project: Project, key: str) -> Pool:
    """Every image of the pool that has an embedding under `key`, read from the cache."""
    from app.core.training.embeddings import EmbeddingCache

    rows = pool_rows(project)
    cache = EmbeddingCache(project.paths.cache_dir)
    try:
        known = cache.get_many(key, sorted({sha for _, _, sha in rows}))
    finally:
        cache.close()
    kept = [(image_id, known[sha]) for image_id, _, sha in rows if sha in known]
    kept_ids = {image_id for image_id, _ in kept}
    left_out = np.array(
        [i for (i,) in project.conn.execute("SELECT id FROM images ORDER BY id") if i not in kept_ids], dtype=np.int64
    )
    if not kept:
        return Pool(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32), key, len(rows), left_out)
    ids = np.array([image_id for image_id, _ in kept], dtype=np.int64)
    vectors = np.stack([vector for _, vector in kept]).astype(np.float32)
    return Pool(ids, vectors, key, len(rows) - len(kept), left_out)
