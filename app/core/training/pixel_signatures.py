"""Pixel signatures for the near-duplicate search (`near_duplicates.py`): each image's greyscale
thumbnails (block means) on a coarse and a fine grid, cached by content in the project cache
(rebuildable, like the embeddings beside it), so a second search decodes nothing again."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np

from app.core.errors import Cancelled
from app.core.project.store import Project

#: The pixel signature: greyscale thumbnails (block means) of PIXEL_GRID² and FINE_GRID², each
#: compared on its inner window at shifts of up to PIXEL_SHIFT / FINE_SHIFT blocks (a tenth of
#: the image, about); Its key and file in the project cache.
PIXEL_GRID, PIXEL_SHIFT = 10, 1
FINE_GRID, FINE_SHIFT = 24, 2
FINE_MIN = 0.96
SIGNATURE = PIXEL_GRID**2 + FINE_GRID**2
PIXEL_KEY = f"pixels-{PIXEL_GRID}-{FINE_GRID}-v1"
PIXEL_FILE = "pixels.sqlite"


def pixel_signature(image) -> np.ndarray:
    """A PIL image as its greyscale block means on a PIXEL_GRID² and a FINE_GRID² grid, flattened
    one after the other: what `pixel_correlation` compares."""
    from PIL import Image

    grey = image.convert("L")
    return np.concatenate(
        [
            np.asarray(grey.resize((grid, grid), Image.Resampling.BOX), dtype=np.float32).ravel()
            for grid in (PIXEL_GRID, FINE_GRID)
        ]
    )


def pixel_signatures(
    project: Project,
    image_ids: list[int],
    should_stop: Callable[[], bool] = lambda: False,
    on_progress: Callable[[int, int], None] = lambda done, total: None,
) -> np.ndarray:
    """The pixel signatures of these images, one row each in their order (NaN where an image
    could not be read), decoded as the project shows them (`image_choice`) and cached in the
    project cache by content and that choice like embeddings; `on_progress(done, total)` as the
    missing ones are computed."""
    from dataclasses import replace

    from app.core.imaging import decode
    from app.core.imaging.options import rendering_key
    from app.core.project.settings import image_choice
    from app.core.training.embeddings import EmbeddingCache  # imports torch: only when a search runs

    rows = dict(
        (image_id, (path, sha))
        for image_id, path, sha in project.conn.execute(
            "SELECT id, path, sha256 FROM images WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps([int(i) for i in image_ids]),),
        )
    )
    if not image_ids:
        return np.zeros((0, SIGNATURE), dtype=np.float32)
    cache = EmbeddingCache(project.paths.cache_dir, PIXEL_FILE)  # beside the features' file
    try:
        rendering = image_choice(project)
        key = PIXEL_KEY + rendering_key(rendering)  # another band choice: other pixels
        known = cache.get_many(key, sorted({sha for _, sha in rows.values()}))
        options = replace(rendering, draft_size=4 * FINE_GRID)
        new: dict[str, np.ndarray] = {}
        todo = {sha: path for path, sha in rows.values() if sha not in known}
        for done, (sha, path) in enumerate(todo.items()):
            if done % 100 == 0:
                on_progress(done, len(todo))
            if should_stop():
                raise Cancelled("stopped looking for near-duplicates")
            try:
                new[sha] = pixel_signature(decode(project.resolve_path(path), options).rgb)
            except Exception:  # noqa: BLE001 - an unreadable file is grouped with nothing
                continue
            if len(new) >= 500:  # a cancelled search keeps what it computed
                cache.put_many(key, new)
                known.update(new)
                new = {}
        if new:
            cache.put_many(key, new)
        known.update(new)
    finally:
        cache.close()
    missing = np.full(SIGNATURE, np.nan, dtype=np.float32)
    return np.stack([known.get(rows[i][1], missing) if i in rows else missing for i in image_ids])
