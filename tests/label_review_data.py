"""A project for the label-error review without a model: small distinct images whose features
are well-separated Gaussian blobs written straight into the embedding cache under a key, with a
few labels planted wrong (seeded)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from app.core.importing.importer import import_paths
from app.core.labelling.classes import add_class
from app.core.labelling.labels import set_labels
from app.core.project.store import Project
from app.core.training.embeddings import EmbeddingCache

KEY = "test:blobs"
CLASSES = ("cat", "dog", "fox")


@dataclass
class BlobsProject:
    path: Path
    planted: set[int]  # image ids whose label was planted wrong
    truth: dict[int, int]  # image id -> its true class id
    key: str = KEY


def make_blobs_project(
    folder: Path, per_class: int = 40, planted: int = 8, dims: int = 16, seed: int = 0, unembedded: int = 0
) -> BlobsProject:
    """`per_class` images of each of CLASSES, all labelled, `planted` of them with another
    class; the last `unembedded` images get no features (as if their file could not be read)."""
    rng = np.random.default_rng(seed)
    images = folder / "images"
    images.mkdir(parents=True)
    count = per_class * len(CLASSES)
    for i in range(count):
        Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8), "RGB").save(images / f"img{i:04}.png")
    path = folder / "blobs.loupe"
    with Project.create(path) as project:
        class_ids = [add_class(project, name).id for name in CLASSES]
        import_paths(project, [images])
        rows = project.conn.execute("SELECT id, sha256 FROM images ORDER BY path").fetchall()
        true_class = np.repeat(np.arange(len(CLASSES)), per_class)
        centres = rng.normal(0, 3, (len(CLASSES), dims))
        vectors = (centres[true_class] + rng.normal(0, 1, (count, dims))).astype(np.float32)
        given = true_class.copy()
        wrong = rng.choice(count, planted, replace=False)
        given[wrong] = (true_class[wrong] + rng.integers(1, len(CLASSES), planted)) % len(CLASSES)
        set_labels(project, [(image_id, class_ids[given[k]]) for k, (image_id, _) in enumerate(rows)], "imported")
        cache = EmbeddingCache(project.paths.cache_dir)
        try:
            embedded = rows[: count - unembedded]
            cache.put_many(KEY, {sha: vectors[k] for k, (_, sha) in enumerate(embedded)})
        finally:
            cache.close()
        return BlobsProject(
            path,
            {rows[k][0] for k in wrong},
            {image_id: class_ids[true_class[k]] for k, (image_id, _) in enumerate(rows)},
        )
