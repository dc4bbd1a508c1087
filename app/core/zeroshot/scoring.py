"""Zero-shot scores: every image compared with every class's prompts.

    probabilities = softmax(logit_scale.exp() * cos(image, class))     CLIP (one class of many)

For SigLIP, trained with a sigmoid per image-text pair, `sigmoid(scale * cos + bias)` is each
class's own probability (they need not sum to 1: an image may look like none of the classes);
for a choice among the project's classes Loupe divides them by their sum. The class chosen is the
same either way (the highest logit); the confidence shown is that share.

Image embeddings are computed once per (model, image content) and cached in the project cache
under `zeroshot:<model key>` (the embedding cache of the linear probe and active learning), in
batches as they go: a cancelled run keeps what it computed and the next one starts there. Text
embeddings are a few prompts per class, computed each run (a changed template or description
takes effect at once).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np

from app.core.errors import Cancelled, ConfigError
from app.core.project.store import Project
from app.core.zeroshot.agreement import Agreement, agreement_with_labels
from app.core.zeroshot.loaded import SIGMOID, ZeroShotModel
from app.core.zeroshot.prompts import class_prompts

BATCH = 32
STOPPED = "stopped the zero-shot labels"


@dataclass(frozen=True)
class ZeroShotProgress:
    done: int
    total: int
    text: str = ""


@dataclass(frozen=True)
class ZeroShotPrediction:
    """An unlabelled image's zero-shot class and its confidence (0..1)."""

    image_id: int
    class_id: int
    class_name: str
    confidence: float


@dataclass
class ZeroShotResult:
    model_key: str
    class_ids: list[int]
    class_names: list[str]
    #: Every unlabelled image that could be read, most confident first.
    predictions: list[ZeroShotPrediction]
    agreement: Agreement
    #: Image id -> why it could not be read.
    unreadable: dict[int, str] = field(default_factory=dict)

    def by_image(self) -> dict[int, ZeroShotPrediction]:
        return {p.image_id: p for p in self.predictions}

    def above(self, threshold: float) -> list[ZeroShotPrediction]:
        return [p for p in self.predictions if p.confidence >= threshold]


def text_embeddings(model: ZeroShotModel, classes: list[tuple[str, str]], templates: list[str]) -> np.ndarray:
    """One row per (name, description): the mean of its prompts' normalised embeddings,
    renormalised."""
    prompts = [class_prompts(name, description, templates) for name, description in classes]
    flat = [prompt for group in prompts for prompt in group]
    vectors = np.asarray(model.encode_texts(flat), dtype=np.float32).reshape(len(classes), len(templates), -1)
    mean = vectors.mean(axis=1)
    return mean / np.linalg.norm(mean, axis=1, keepdims=True)


def probabilities(
    images: np.ndarray, texts: np.ndarray, scale: float, bias: float | None = None, kind: str = "softmax"
) -> np.ndarray:
    """N × C class probabilities from normalised image (N × D) and text (C × D) embeddings."""
    logits = scale * (images.astype(np.float64) @ texts.astype(np.float64).T)
    if kind == SIGMOID:
        own = 1.0 / (1.0 + np.exp(-(logits + (bias or 0.0))))
        return own / own.sum(axis=1, keepdims=True)
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def embed_images(
    project: Project,
    model: ZeroShotModel,
    rows: list[tuple[int, str, str]],
    on_progress: Callable[[ZeroShotProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> tuple[dict[str, np.ndarray], dict[int, str]]:
    """The embeddings of these (image id, stored path, sha256) rows by content, the missing ones
    computed and cached as they go; and the images that could not be read (id -> reason).
    Raises Cancelled when stopped (what was computed stays cached)."""
    from app.core.imaging.options import rendering_key
    from app.core.inference.decode_queue import decoded_batches
    from app.core.project.settings import image_choice
    from app.core.training.backbones import ImageSettings
    from app.core.training.data import build_transforms
    from app.core.training.embeddings import EmbeddingCache

    rendering = image_choice(project)
    key = f"zeroshot:{model.key}" + rendering_key(rendering)  # another band choice: other embeddings
    cache = EmbeddingCache(project.paths.cache_dir)
    failed: dict[int, str] = {}
    try:
        known = cache.get_many(key, sorted({sha for _, _, sha in rows}))
        seen: set[str] = set()
        todo = [row for row in rows if row[2] not in known and not (row[2] in seen or seen.add(row[2]))]
        on_progress(ZeroShotProgress(0, len(todo), f"Zero-shot: 0 of {len(todo):,} images"))
        _, transform = build_transforms(
            ImageSettings(model.size, model.mean, model.std, "bicubic"), augment=False, grey=False
        )
        options = replace(rendering, draft_size=model.size * 2)
        paths = [project.resolve_path(path) for _, path, _ in todo]
        for batch in decoded_batches(paths, transform, options, BATCH, should_stop, STOPPED):
            failed.update({todo[row][0]: reason for row, reason in batch.failed.items()})
            if batch.pixels is not None:
                vectors = np.asarray(model.encode_images(batch.pixels), dtype=np.float32)
                fresh = dict(zip((todo[row][2] for row in batch.rows), vectors))
                cache.put_many(key, fresh)
                known.update(fresh)
            on_progress(ZeroShotProgress(batch.done, len(todo), f"Zero-shot: {batch.done:,} of {len(todo):,} images"))
    finally:
        cache.close()
    return known, failed


def zero_shot(
    project: Project,
    model: ZeroShotModel,
    templates: list[str],
    on_progress: Callable[[ZeroShotProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ZeroShotResult:
    """Every image of the project scored against every class: a zero-shot class and confidence
    for each unlabelled image, and how the zero-shot classes agree with the labels already made."""
    from app.core.active.pool import pool_rows
    from app.core.labelling.classes import list_classes

    classes = list_classes(project)
    if len(classes) < 2:
        raise ConfigError("zero-shot labels need at least two classes: add the classes first")
    if should_stop():
        raise Cancelled(STOPPED)
    texts = text_embeddings(model, [(c.name, c.description) for c in classes], templates)
    rows = pool_rows(project)
    vectors, failed = embed_images(project, model, rows, on_progress, should_stop)
    scored = [(image_id, sha) for image_id, _, sha in rows if sha in vectors]
    labels = dict(project.conn.execute("SELECT image_id, class_id FROM labels"))
    class_ids = [c.id for c in classes]
    names = [c.name for c in classes]
    if scored:
        probs = probabilities(
            np.stack([vectors[sha] for _, sha in scored]), texts, model.logit_scale, model.logit_bias, model.kind
        )
    else:
        probs = np.zeros((0, len(classes)))
    chosen = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=int)
    predictions = [
        ZeroShotPrediction(image_id, class_ids[best], names[best], float(probs[row, best]))
        for row, ((image_id, _), best) in enumerate(zip(scored, chosen))
        if image_id not in labels
    ]
    predictions.sort(key=lambda p: (-p.confidence, p.image_id))
    given = [(labels[image_id], class_ids[best]) for (image_id, _), best in zip(scored, chosen) if image_id in labels]
    return ZeroShotResult(model.key, class_ids, names, predictions, agreement_with_labels(given, classes), failed)


def run_zero_shot(
    project: Project,
    ref: str,
    templates: list[str] | None = None,
    device: str = "cpu",
    on_progress: Callable[[ZeroShotProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ZeroShotResult:
    """Load the model `ref` names (already on this machine) and score the project with the
    project's templates (or `templates`)."""
    from app.core.zeroshot.models import load_zeroshot_model
    from app.core.zeroshot.prompts import templates_for

    if should_stop():  # asked before the model loads (seconds for a large one) and after
        raise Cancelled(STOPPED)
    on_progress(ZeroShotProgress(0, 0, "Loading the zero-shot model"))
    model = load_zeroshot_model(ref, device)
    return zero_shot(project, model, templates or templates_for(project), on_progress, should_stop)
