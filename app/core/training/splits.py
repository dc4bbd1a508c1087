"""The train/validation split, stored in the project and stable as labels are added.

An image keeps its split forever once assigned (a model's validation score stays comparable
across runs). Newly labelled images are assigned per class, in an order fixed by their content
hash and the seed, so that each class's validation share stays near the target: stratified,
deterministic, and independent of when the labels were made.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from app.core.project import Project


def _order_key(sha256: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}:{sha256}".encode()).hexdigest()


def assign_splits(project: Project, val_fraction: float, seed: int = 0) -> dict[int, str]:
    """Give every labelled image without a split one, and store it; returns image id -> split
    for all labelled images. Classes with a single image keep it for training."""
    splits, new = plan_splits(project, val_fraction, seed)
    if new and not project.read_only:
        with project.conn as conn:
            conn.executemany("INSERT OR IGNORE INTO splits (image_id, split) VALUES (?, ?)", new)
    return splits


def plan_splits(project: Project, val_fraction: float, seed: int = 0) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """(the split of every labelled image, the new assignments among them), storing nothing."""
    conn = project.conn
    rows = conn.execute(
        "SELECT i.id, i.sha256, l.class_id, s.split FROM labels l JOIN images i ON i.id = l.image_id"
        " LEFT JOIN splits s ON s.image_id = i.id"
    ).fetchall()
    by_class: dict[int, list[tuple[int, str, str | None]]] = defaultdict(list)
    for image_id, sha, class_id, split in rows:
        by_class[class_id].append((image_id, sha, split))
    new: list[tuple[int, str]] = []
    for members in by_class.values():
        target_val = round(len(members) * val_fraction) if len(members) > 1 else 0
        if len(members) > 1 and val_fraction > 0:
            target_val = max(1, min(target_val, len(members) - 1))
        have_val = sum(1 for _, _, split in members if split == "val")
        unassigned = sorted((m for m in members if m[2] is None), key=lambda m: _order_key(m[1], seed))
        need = max(0, min(target_val - have_val, len(unassigned)))
        new += [(image_id, "val") for image_id, _, _ in unassigned[:need]]
        new += [(image_id, "train") for image_id, _, _ in unassigned[need:]]
    splits = {image_id: split for image_id, _, _, split in rows if split is not None}
    splits.update(dict(new))
    return splits, new
