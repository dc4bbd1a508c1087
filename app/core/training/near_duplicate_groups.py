"""The stored near-duplicate groups (the project's `near_duplicates` table): a search's result
replacing the groups it touched, the groups as the split reads them, their counts for `loupe
info`, and what a run's report says about validation images with a twin in training."""

from __future__ import annotations

from collections.abc import Iterable

from app.core.errors import plural
from app.core.project.store import Project
from app.core.training.near_duplicates import NearDuplicates


def store_groups(project: Project, found: NearDuplicates, features: str, scope: Iterable[int]) -> None:
    """Replace every stored group that has a member in `scope` (the images searched) by the
    groups found (see the module docstring)."""
    project.require_writable()
    scope_json = _json_ids(scope)
    with project.conn as conn:
        conn.execute(
            "DELETE FROM near_duplicates WHERE group_id IN (SELECT group_id FROM near_duplicates"
            " WHERE image_id IN (SELECT value FROM json_each(?)))",
            (scope_json,),
        )
        conn.executemany(
            "INSERT OR REPLACE INTO near_duplicates (image_id, group_id, similarity, features) VALUES (?, ?, ?, ?)",
            [
                (image_id, group[0], found.similarity.get(image_id, 1.0), features)
                for group in found.groups
                for image_id in group
            ],
        )


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def read_groups(project: Project) -> dict[int, int]:
    """Image id -> group id of every stored near-duplicate."""
    return dict(project.conn.execute("SELECT image_id, group_id FROM near_duplicates").fetchall())


def group_counts(project: Project) -> tuple[int, int]:
    """(groups, images) stored: one indexed query, no model."""
    groups, images = project.conn.execute("SELECT count(DISTINCT group_id), count(*) FROM near_duplicates").fetchone()
    return groups or 0, images or 0


def validation_twins(project: Project, run_id: int) -> int:
    """How many of a run's validation images have a near-twin (by the groups stored now) among
    that run's training images."""
    (count,) = project.conn.execute(
        "SELECT count(*) FROM run_labels v JOIN near_duplicates nv ON nv.image_id = v.image_id"
        " WHERE v.run_id = ? AND v.split = 'val' AND EXISTS (SELECT 1 FROM near_duplicates nt"
        " JOIN run_labels t ON t.image_id = nt.image_id AND t.run_id = v.run_id AND t.split = 'train'"
        " WHERE nt.group_id = nv.group_id)",
        (run_id,),
    ).fetchone()
    return count


def moved_sentence(moved: int) -> str:
    """What a run says (a lasting notice, on its report card) about the validation images it moved."""
    return (
        f"{plural(moved, 'validation image')} had a near-twin in training; moved to training "
        "(near-duplicates stay on one side of the split)"
    )


def old_run_sentence(project: Project, run_id: int, report: dict | None) -> str:
    """The report card's line for a run made before near-duplicates were kept on one side: how
    many of its validation images have a near-twin among its training images, by the groups
    stored now. '' for a run made with the rule (its notices say what it moved), one without a
    report, or when no group is stored."""
    if not report or "near_duplicates" in report or not group_counts(project)[0]:
        return ""
    twins = validation_twins(project, run_id)
    if not twins:
        return "Near-duplicates: none of this run's validation images has a near-twin among its training images"
    return (
        f"Near-duplicates: {plural(twins, 'validation image')} of this run {'has' if twins == 1 else 'have'} a "
        "near-twin among its training images (it was made before near-duplicates were kept on one side of the "
        "split): its validation score may be too high"
    )


def split_sentences(project: Project, plan) -> list[tuple[str, bool]]:
    """What a run says about the sources its split kept whole (a `splits.SplitPlan`), as
    (sentence, lasting) in the order to show them; [] for a project without tiles."""
    said: list[tuple[str, bool]] = []
    if plan.single_source is not None:
        row = project.conn.execute("SELECT path FROM sources WHERE id = ?", (plan.single_source,)).fetchone()
        name = row[0].rsplit("/", 1)[-1] if row else "one source"
        said.append(
            (
                f"Every labelled tile comes from one slide or scene ({name}), so validation tiles are "
                "neighbours of training tiles and the validation score is optimistic; label tiles of a "
                "second source and it validates on a source training never saw",
                True,
            )
        )
    elif plan.sources:
        said.append(
            (
                f"Tiles of {plural(plan.sources, 'source')} kept on one side of the split "
                "(each slide or scene trains or validates whole)",
                False,
            )
        )
    if plan.moved_with_source:
        said.append(
            (
                f"{plural(len(plan.moved_with_source), 'validation tile')} shared a slide or scene with training "
                "tiles; moved to training (a source's tiles stay on one side of the split)",
                True,
            )
        )
    if plan.without_validation and plan.sources:
        names = dict(project.conn.execute("SELECT id, name FROM classes").fetchall())
        listed = ", ".join(f"'{names.get(c, c)}'" for c in plan.without_validation)
        said.append(
            (
                f"No validation image for {listed}: its labelled tiles come from sources training needs; "
                "label it on another slide or scene for a validation score that covers it",
                True,
            )
        )
    return said
