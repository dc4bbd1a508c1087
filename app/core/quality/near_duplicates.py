"""Find the near-duplicates among every image of a project, on demand (Show ▸ Near-duplicates
in the window; a core call the command line can make):

    found = find_near_duplicates(project, on_progress=..., should_stop=...)   # computes, stores nothing
    store_groups(project, found.groups, found.key, found.scope)                 # the write, apart

The features are the Train form's backbone's (the frozen model a linear probe trains on), from
the project cache where known (`active.pool`: shared with suggestions and the linear probe), so a
search after a linear run, or a run after a search, computes no image twice. How a pair is judged
a near-duplicate: `training.near_duplicates`. Training looks again among its labelled images
before it splits them, with the backbone it trains.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.active.pool import EmbeddingProgress, EmbeddingSource, embed_images, load_pool
from app.core.errors import Cancelled
from app.core.project.store import Project
from app.core.training.near_duplicate_groups import store_groups
from app.core.training.near_duplicates import NearDuplicates, find_groups
from app.core.training.pixel_signatures import pixel_signatures


@dataclass(frozen=True)
class Search:
    groups: NearDuplicates
    key: str  # whose features (the embedding cache's key)
    scope: tuple[int, ...]  # the images looked at
    unreadable: int  # images that could not be read


def find_near_duplicates(
    project: Project,
    source: EmbeddingSource | None = None,
    on_progress: Callable[[EmbeddingProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str | None = None,
) -> Search:
    """Near-duplicate groups among every readable image, with `source`'s features (default: the
    Train form's backbone). Reads the project, writes only the cache; raises Cancelled."""
    if source is None:
        from app.core.training.config import remembered_config

        source = EmbeddingSource.from_model(remembered_config(project).model)
    key, unreadable = embed_images(project, source, on_progress, should_stop, device)
    pool = load_pool(project, key)
    if should_stop():
        raise Cancelled("stopped looking for near-duplicates")
    on_progress(EmbeddingProgress(len(pool), len(pool), f"Comparing {len(pool):,} images…"))
    sha = dict(project.conn.execute("SELECT id, sha256 FROM images").fetchall())
    order = sorted(range(len(pool)), key=lambda row: sha.get(int(pool.image_ids[row]), ""))  # content order
    ids = [int(pool.image_ids[row]) for row in order]
    pixels = pixel_signatures(
        project,
        ids,
        should_stop,
        lambda done, total: on_progress(
            EmbeddingProgress(done, total, f"Thumbnails to compare: {done:,} of {total:,}")
        ),
    )
    found = find_groups(ids, pool.embeddings[order], pixels, should_stop)
    return Search(found, key, tuple(ids), len(unreadable))


def store_search(project: Project, search: Search) -> None:
    """Store what a search found (replacing the groups among the images it looked at)."""
    store_groups(project, search.groups, search.key, search.scope)


def find_and_store(
    project: Project,
    source: EmbeddingSource | None = None,
    on_progress: Callable[[EmbeddingProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str | None = None,
) -> Search:
    """Both at once (for the command line and scripts)."""
    search = find_near_duplicates(project, source, on_progress, should_stop, device)
    store_search(project, search)
    return search
