"""The train/validation split, stored in the project and stable as labels are added.

An image keeps its split once assigned (a model's validation score stays comparable across
runs). Newly labelled images are assigned per class, in an order fixed by their content hash and
the seed, so that each class's validation share stays near the target: stratified,
deterministic, and independent of when the labels were made.

Near-duplicates (`near_duplicates.py`: a rescan, a recompressed copy, overlapping tiles) stay on
one side, so that no validation image is scored against its own twin in training:
- an unassigned image whose group already has a split takes that split;
- a group whose images are all unassigned is assigned as one unit, in the order of its first
  member; it goes to validation only where it fits in what each of its images' classes still
  needs there (the single images fill the rest, so each class's share stays exact where there
  are enough of them; a group that does not fit trains);
- a group that a stored split straddles (assigned before the group was known) is moved to
  training whole: its validation images were never a fair test (their twin was trained on), and
  moving them to training, not their twins to validation, never makes a validation image of one
  that an earlier run — perhaps the one a new run starts from — trained on. The class's
  validation share is made up again by the next images labelled. These are the only stored splits
  that ever change.

A source (`sources`: the tiles of one whole slide or scene) is a group too, merged with the
near-duplicate groups (the union of both relations: a tile's group holds its source's tiles and
their near-twins, and so on), since neighbouring tiles of one slide look alike and share a
patient: a validation score on tiles whose slide was trained on says little about a new slide.
When every labelled image is a tile of one source, that rule would leave validation empty; the
tiles are then split one by one (near-duplicates still kept together) and the plan says so
(`single_source`), for a lasting notice that the score is optimistic until a second source is
labelled. When one is, the first source straddles the stored split and is moved to training
whole, by the rule above, and the new one can validate.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from app.core.project.store import Project
from app.core.sources.records import source_groups
from app.core.training.near_duplicate_groups import read_groups


def _order_key(sha256: str, seed: int) -> str:
    return hashlib.sha256(f"{seed}:{sha256}".encode()).hexdigest()


@dataclass
class SplitPlan:
    splits: dict[int, str] = field(default_factory=dict)  # image id -> split, every labelled image
    new: list[tuple[int, str]] = field(default_factory=list)  # assignments of unassigned images
    #: Validation images moved to training because their near-duplicate group straddled the split.
    moved: list[int] = field(default_factory=list)
    #: Classes with two or more images and none in validation (all in groups, or moved): the run
    #: says so, since its validation score then knows nothing of them.
    without_validation: list[int] = field(default_factory=list)
    #: Of `moved`, those moved because their source's tiles straddled the split.
    moved_with_source: list[int] = field(default_factory=list)
    #: Sources whose labelled tiles were kept on one side.
    sources: int = 0
    #: The source every labelled image is a tile of (then split tile by tile), else None.
    single_source: int | None = None


def assign_splits(project: Project, val_fraction: float, seed: int = 0) -> dict[int, str]:
    """Give every labelled image without a split one, and store it; returns image id -> split
    for all labelled images. Classes with a single image keep it for training."""
    plan = plan_split(project, val_fraction, seed)
    store_plan(project, plan)
    return plan.splits


def store_plan(project: Project, plan: SplitPlan) -> None:
    if (plan.new or plan.moved) and not project.read_only:
        with project.conn as conn:
            conn.executemany("INSERT OR IGNORE INTO splits (image_id, split) VALUES (?, ?)", plan.new)
            conn.executemany("UPDATE splits SET split = 'train' WHERE image_id = ?", [(i,) for i in plan.moved])


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
    plan = plan_split(project, val_fraction, seed)
    return plan.splits, plan.new


def plan_split(project: Project, val_fraction: float, seed: int = 0) -> SplitPlan:
    """The split of every labelled image, what is new and what moved; storing nothing."""
    rows = project.conn.execute(
        "SELECT i.id, i.sha256, l.class_id, s.split FROM labels l JOIN images i ON i.id = l.image_id"
        " LEFT JOIN splits s ON s.image_id = i.id"
    ).fetchall()
    sha = {image_id: digest for image_id, digest, _, _ in rows}
    class_of = {image_id: class_id for image_id, _, class_id, _ in rows}
    split = {image_id: s for image_id, _, _, s in rows if s is not None}
    plan = SplitPlan()
    source_of = {i: s for i, s in source_groups(project).items() if i in sha}
    origins = set(source_of.values())
    if len(origins) == 1 and len(source_of) == len(sha):
        plan.single_source = origins.pop()
        source_of = {}
    plan.sources = len(set(source_of.values()))
    groups = merged_groups({i: g for i, g in read_groups(project).items() if i in sha}, source_of)
    units: list[list[int]] = []
    grouped: set[int] = set()
    trains = Counter(class_of[m] for m, side in split.items() if side == "train")
    for members in groups.values():
        grouped.update(members)
        sides = {split[m] for m in members if m in split}
        # A new image would join a validation group although its class has nothing in training
        # (a new class whose one image is a twin of another class's validation image): the
        # group trains instead, as a straddling one does.
        starved = sides == {"val"} and any(m not in split and not trains[class_of[m]] for m in members)
        moved = sorted(m for m in members if split.get(m) == "val") if sides == {"train", "val"} or starved else []
        plan.moved += moved
        if moved and _source_straddles(members, source_of, split):
            plan.moved_with_source += moved
        if sides:
            side = "train" if moved else sides.pop()
            for m in members:
                if m not in split:
                    plan.new.append((m, side))
                split[m] = side
                trains[class_of[m]] += side == "train"
        else:
            units.append(sorted(members))
    units += [[image_id] for image_id in sha if image_id not in split and image_id not in grouped]
    class_size = Counter(class_of.values())
    have_val = Counter(class_of[m] for m, side in split.items() if side == "val")
    unassigned = Counter(class_of[m] for m in class_of if m not in split)
    need = {c: _new_val_count(n, have_val[c], unassigned[c], val_fraction) for c, n in class_size.items()}
    added: Counter = Counter()
    sides: dict[int, str] = {}  # unit index -> side
    ordered = sorted(units, key=lambda u: min(_order_key(sha[m], seed) for m in u))
    for k, unit in enumerate(ordered):
        counts = Counter(class_of[m] for m in unit)
        # Never past a class's share: the single images fill it exactly.
        to_val = all(added[c] + n <= need[c] for c, n in counts.items())
        if to_val:
            added.update(counts)
        sides[k] = "val" if to_val else "train"
    _validate_every_class(ordered, sides, class_of, class_size, have_val, added, need)
    for k, unit in enumerate(ordered):
        for m in unit:
            split[m] = sides[k]
            plan.new.append((m, sides[k]))
    plan.splits = split
    plan.without_validation = sorted(
        c
        for c, n in class_size.items()
        if n > 1 and val_fraction > 0 and not any(side == "val" and class_of[m] == c for m, side in split.items())
    )
    return plan


def merged_groups(near_duplicates: dict[int, int], source_of: dict[int, int]) -> dict[int, list[int]]:
    """The groups the split keeps whole: images joined when they are near-duplicates or tiles of
    one source, and joined again through any image they share (union-find over both relations).
    Group key -> members; images in neither relation are in no group."""
    parent: dict[object, object] = {}

    def root(node):
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for relation, tag in ((near_duplicates, "near"), (source_of, "source")):
        for image_id, group in relation.items():
            parent[root(("image", image_id))] = root((tag, group))
    groups: dict[int, list[int]] = defaultdict(list)
    keys: dict[object, int] = {}
    for image_id in sorted(set(near_duplicates) | set(source_of)):
        top = root(("image", image_id))
        groups[keys.setdefault(top, len(keys))].append(image_id)
    return groups


def _source_straddles(members: list[int], source_of: dict[int, int], split: dict[int, str]) -> bool:
    """Whether the stored splits of one source's tiles among `members` are on both sides."""
    sides: dict[int, set[str]] = defaultdict(set)
    for m in members:
        if m in source_of and m in split:
            sides[source_of[m]].add(split[m])
    return any(len(found) > 1 for found in sides.values())


def _validate_every_class(units, sides, class_of, class_size, have_val, added, need) -> None:
    """A class whose new images all sit in groups larger than its validation share would get no
    validation image at all: its smallest new group goes to validation anyway (past the share),
    as long as the class keeps a training image."""
    for c, wanted in need.items():
        if wanted <= 0 or have_val[c] or added[c]:
            continue
        candidates = [k for k, unit in enumerate(units) if sides[k] == "train" and any(class_of[m] == c for m in unit)]
        for k in sorted(candidates, key=lambda k: len(units[k])):
            counts = Counter(class_of[m] for m in units[k])
            if all(counts[cc] < class_size[cc] for cc in counts):  # each class keeps a training image
                sides[k] = "val"
                added.update(counts)
                break
