"""The train/validation split, stored in the project and stable as labels are added.

An image keeps its split forever once assigned (a model's validation score stays comparable
across runs). Newly labelled images are assigned per class, in an order fixed by their content
hash and the seed, so that each class's validation share stays near the target: stratified,
deterministic, and independent of when the labels were made.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

from app.core.project.store import Project


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


def _new_val_count(members: int, have_val: int, unassigned: int, val_fraction: float) -> int:
    """How many of a class's unassigned images go to validation: enough to bring the class to
    its share (at least one, never all of it)."""
    target_val = round(members * val_fraction) if members > 1 else 0
    if members > 1 and val_fraction > 0:
        target_val = max(1, min(target_val, members - 1))
    return max(0, min(target_val - have_val, unassigned))


def planned_validation_size(project: Project, val_fraction: float) -> int:
    """How many labelled images training would validate on, from counts alone (cheap enough
    to ask on the GUI thread before training; `plan_splits` hashes every image)."""
    rows = project.conn.execute(
        "SELECT count(*), sum(s.split = 'val'), sum(s.split IS NULL) FROM labels l"
        " LEFT JOIN splits s ON s.image_id = l.image_id GROUP BY l.class_id"
    ).fetchall()
    return sum(
        (have or 0) + _new_val_count(n, have or 0, unassigned or 0, val_fraction) for n, have, unassigned in rows
    )


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
        have_val = sum(1 for _, _, split in members if split == "val")
        unassigned = sorted((m for m in members if m[2] is None), key=lambda m: _order_key(m[1], seed))
        need = _new_val_count(len(members), have_val, len(unassigned), val_fraction)
        new += [(image_id, "val") for image_id, _, _ in unassigned[:need]]
        new += [(image_id, "train") for image_id, _, _ in unassigned[need:]]
    splits = {image_id: split for image_id, _, _, split in rows if split is not None}
    splits.update(dict(new))
    return splits, new
