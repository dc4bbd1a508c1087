"""A source is a group: the labelled tiles of one whole slide or scene never straddle the
train/validation split (merged with the near-duplicate groups), the run's notices say what was
kept and moved, and a project whose labelled tiles all come from one slide is split tile by tile
with a lasting notice that validation needs a second source."""

from __future__ import annotations

from collections import defaultdict

import pytest

from app.core.labelling.classes import add_class
from app.core.labelling.labels import set_labels
from app.core.sources.records import source_groups
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions
from app.core.training.near_duplicate_groups import split_sentences, store_groups
from app.core.training.near_duplicates import NearDuplicates
from app.core.training.splits import assign_splits, merged_groups, plan_split, store_plan
from tests.slides import pyramid_slide, slide_pixels

#: Every slide: 512×256 of tissue on glass, cut into 64-pixel tiles at level 0: 32 tiles kept.
TILES = TileOptions(size=64, level=0, min_tissue=0.5)


def _add_sources(project, folder, count: int, seed: int = 0) -> list[int]:
    """`count` slides imported as sources; their ids in order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = [
        pyramid_slide(folder / f"slide-{seed + k}.tif", slide_pixels(640, 384, [(0, 0, 512, 256)], seed=seed + k))
        for k in range(count)
    ]
    report = import_sources(project, paths, TILES)
    assert [s.tiles_added for s in report.sources] == [32] * count
    return [s.source_id for s in report.sources]


def _label_tiles(project, source_ids: list[int], classes: list[int], per_source: int = 20) -> None:
    """`per_source` tiles of each source labelled, the classes in turn (each source has them all)."""
    for source_id in source_ids:
        ids = [
            i for (i,) in project.conn.execute("SELECT id FROM images WHERE source_id = ? ORDER BY id", (source_id,))
        ]
        set_labels(project, [(image_id, classes[k % len(classes)]) for k, image_id in enumerate(ids[:per_source])])


def _sides_by_source(project, splits: dict[int, str]) -> dict[int, set[str]]:
    sides = defaultdict(set)
    for image_id, source_id in source_groups(project).items():
        if image_id in splits:
            sides[source_id].add(splits[image_id])
    return sides


@pytest.mark.parametrize("count", [2, 3])
def test_a_sources_tiles_stay_on_one_side_and_the_run_says_so(project, tmp_path, count):
    classes = [add_class(project, name).id for name in ("tumour", "stroma")]
    sources = _add_sources(project, tmp_path / "slides", count)
    _label_tiles(project, sources, classes)

    plan = plan_split(project, 0.2, seed=0)

    sides = _sides_by_source(project, plan.splits)
    assert set(sides) == set(sources)
    assert all(len(found) == 1 for found in sides.values())  # no source straddles the split
    assert {"val"} in sides.values() and {"train"} in sides.values()  # one validates, the rest train
    assert plan.sources == count and plan.single_source is None and plan.moved == []
    said = split_sentences(project, plan)
    assert said == [
        (
            f"Tiles of {count} sources kept on one side of the split (each slide or scene trains or validates whole)",
            False,
        )
    ]


def test_near_duplicates_across_sources_join_them_into_one_group(project, tmp_path):
    classes = [add_class(project, name).id for name in ("tumour", "stroma")]
    first, second, third = _add_sources(project, tmp_path / "slides", 3)
    _label_tiles(project, [first, second, third], classes)
    one = project.conn.execute("SELECT min(id) FROM images WHERE source_id = ?", (first,)).fetchone()[0]
    two = project.conn.execute("SELECT min(id) FROM images WHERE source_id = ?", (second,)).fetchone()[0]
    store_groups(project, NearDuplicates([[one, two]]), "test", scope=[one, two])  # a re-scan of the same tissue

    plan = plan_split(project, 0.2, seed=0)

    by_source = {s: found for s, found in _sides_by_source(project, plan.splits).items()}
    assert by_source[first] == by_source[second] and len(by_source[first]) == 1  # one unit: both train or both validate
    assert all(len(found) == 1 for found in by_source.values())


def test_merged_groups_are_the_union_of_both_relations():
    near = {1: 100, 5: 100, 9: 200, 10: 200}
    source_of = {1: 7, 2: 7, 3: 8, 4: 8, 5: 8}  # 1 joins source 7 to source 8 through 5
    groups = sorted(sorted(members) for members in merged_groups(near, source_of).values())
    assert groups == [[1, 2, 3, 4, 5], [9, 10]]
    assert merged_groups({}, {}) == {}


def test_one_source_is_split_tile_by_tile_with_a_lasting_notice_until_a_second_is_labelled(project, tmp_path):
    classes = [add_class(project, name).id for name in ("tumour", "stroma")]
    (first,) = _add_sources(project, tmp_path / "slides", 1)
    _label_tiles(project, [first], classes)

    plan = plan_split(project, 0.2, seed=0)
    store_plan(project, plan)

    assert plan.single_source == first and plan.sources == 0
    assert sorted(plan.splits.values()).count("val") == 4  # 20 tiles, 2 of each class: validation is not empty
    ((sentence, lasting),) = split_sentences(project, plan)
    assert lasting and "one slide or scene (slide-0.tif)" in sentence and "second source" in sentence

    # A second slide is labelled: the first, split tile by tile, straddles and trains whole; the new one validates
    (second,) = _add_sources(project, tmp_path / "more", 1, seed=1)
    _label_tiles(project, [second], classes)
    plan = plan_split(project, 0.2, seed=0)
    store_plan(project, plan)

    sides = _sides_by_source(project, plan.splits)
    assert sides == {first: {"train"}, second: {"val"}}
    assert len(plan.moved) == 4 and plan.moved_with_source == plan.moved and plan.single_source is None
    said = dict(split_sentences(project, plan))
    assert (
        said[
            "4 validation tiles shared a slide or scene with training tiles; moved to training "
            "(a source's tiles stay on one side of the split)"
        ]
        is True
    )
    assert assign_splits(project, 0.2, seed=0) == plan.splits  # stored: nothing moves again
    assert plan_split(project, 0.2, seed=0).moved == []


def test_plain_images_beside_one_source_keep_the_source_whole(project, tmp_path):
    """Labelled images that are not tiles are other origins: the one source is a group."""
    from app.core.importing.importer import ImportOptions, import_paths
    from tests.tiny_models import write_colour_images

    classes = [add_class(project, name).id for name in ("red", "green")]
    (first,) = _add_sources(project, tmp_path / "slides", 1)
    _label_tiles(project, [first], classes)
    write_colour_images(tmp_path / "images", per_class=10, classes=("red", "green"))
    import_paths(project, [tmp_path / "images"], ImportOptions(labels_from_folders=True))

    plan = plan_split(project, 0.2, seed=0)

    assert plan.single_source is None and plan.sources == 1
    assert _sides_by_source(project, plan.splits) == {first: {"train"}}  # 20 tiles: more than a class's share
    assert list(plan.splits.values()).count("val") == 8  # the plain images fill validation
