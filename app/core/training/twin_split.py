"""The training run's step between loading the model and training: group the labelled images'
near-duplicates with the backbone's features, store the groups, then store the split, which keeps
each group, and each slide's or scene's tiles, on one side (`splits.py`).

The features are those the linear probe fits (`cached_features`: the head's input, cached by
backbone and content), so a linear run computes them once; another method computes them once per
backbone and image, and later runs read them from the cache.
"""

from __future__ import annotations

import numpy as np

from app.core.errors import plural
from app.core.project.store import Project
from app.core.training.data import TrainingSet
from app.core.training.events import Notice
from app.core.training.methods.base import MethodContext, cached_features
from app.core.training.near_duplicate_groups import moved_sentence, split_sentences, store_groups
from app.core.training.near_duplicates import find_groups
from app.core.training.pixel_signatures import pixel_signatures
from app.core.training.runs import record_splits
from app.core.training.splits import plan_split, store_plan


def group_and_split(project: Project, ctx: MethodContext, run_id: int) -> tuple[TrainingSet, dict]:
    """(the run's images with their stored splits, what the report records about near-duplicates).
    Raises Cancelled when stopped."""
    items = ctx.training_set.items
    ctx.on_progress(Notice(f"Looking for near-duplicates among {len(items)} labelled images…"))
    model = ctx.model.to(ctx.device)
    features = cached_features(ctx, model, items)
    sha = {item.image_id: item.sha256 for item in items}
    ids = sorted(features, key=sha.__getitem__)  # in content order: the same groups whatever the import order
    vectors = np.stack([features[i] for i in ids]) if ids else np.zeros((0, 1), dtype=np.float32)
    ctx.on_progress(Notice(f"Comparing {len(ids)} labelled images…"))
    pixels = pixel_signatures(
        project, ids, ctx.should_stop, lambda done, total: ctx.on_progress(Notice(f"Pixels: {done} of {total} images"))
    )
    found = find_groups(ids, vectors, pixels, ctx.should_stop)
    store_groups(project, found, ctx.features_key, ids)
    plan = plan_split(project, ctx.config.val_fraction, ctx.config.seed)
    store_plan(project, plan)
    record_splits(project, run_id, plan.splits)
    if found.groups:
        ctx.on_progress(
            Notice(
                f"{plural(len(found.groups), 'group')} of near-duplicates ({found.images} images) "
                "kept on one side of the split"
            )
        )
    twins_moved = len(plan.moved) - len(plan.moved_with_source)  # a source's tiles are said apart
    if twins_moved > 0:
        ctx.on_progress(Notice(moved_sentence(twins_moved), lasting=True))
    for text, lasting in split_sentences(project, plan):
        ctx.on_progress(Notice(text, lasting=lasting))
    if plan.without_validation and found.groups:
        names = dict(project.conn.execute("SELECT id, name FROM classes").fetchall())
        listed = ", ".join(f"'{names.get(c, c)}'" for c in plan.without_validation)
        ctx.on_progress(
            Notice(
                f"No validation image for {listed}: its images are near-duplicates of each other, so the "
                "validation score says nothing about it",
                lasting=True,
            )
        )
    summary = {
        "groups": len(found.groups),
        "images": found.images,
        "moved_to_training": len(plan.moved),
        "features": ctx.features_key,
        "sources": plan.sources,  # slides and scenes whose labelled tiles trained or validated whole
        "single_source": plan.single_source is not None,
    }
    return ctx.training_set.with_splits(plan.splits), summary
