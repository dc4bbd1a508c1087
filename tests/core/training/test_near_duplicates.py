"""Near-duplicate groups: found from embeddings, stored, kept on one side of the split, counted
in a run's report, and by `loupe info`."""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

from app.core.project.store import Project
from app.core.project.summary import summarize
from app.core.training.near_duplicate_groups import old_run_sentence, read_groups, store_groups, validation_twins
from app.core.training.near_duplicates import NearDuplicates, find_groups
from app.core.training.pixel_signatures import pixel_signature
from app.core.training.splits import assign_splits, plan_split


def planted(seed: int = 0, distinct: int = 300, dims: int = 64, copies: int = 20):
    """Distinct vectors (correlated, as real features are: a shared component plus each its own)
    and 2-3 slightly perturbed copies of `copies` of them; (ids, vectors, true groups)."""
    rng = np.random.default_rng(seed)
    common = rng.normal(0, 1, dims) * 3
    base = common + rng.normal(0, 1, (distinct, dims))
    vectors, groups = [base], []
    next_id = distinct
    for original in rng.choice(distinct, copies, replace=False):
        n = int(rng.integers(2, 4))
        vectors.append(base[original] + rng.normal(0, 0.05, (n, dims)))
        groups.append(sorted([int(original), *range(next_id, next_id + n)]))
        next_id += n
    x = np.concatenate(vectors).astype(np.float32)
    return list(range(len(x))), x, sorted(groups)


def test_planted_copies_are_grouped_and_distinct_vectors_are_not():
    ids, x, truth = planted()
    found = find_groups(ids, x)
    assert found.groups == truth
    assert set(found.similarity) == {i for group in truth for i in group}
    assert all(0.9 < s <= 1.0 for s in found.similarity.values())


def test_a_set_of_nearly_equal_embeddings_is_judged_against_its_own_spread():
    """A tiny random model embeds every image nearly alike: raw cosines are all above 0.999. The
    relative rule (and the centring) still separates the planted copies from the rest."""
    ids, x, truth = planted(seed=1)
    squashed = 100.0 + x * 1e-3  # every raw cosine > 0.9999
    raw = squashed / np.linalg.norm(squashed, axis=1, keepdims=True)
    assert (raw @ raw.T).min() > 0.9999
    assert find_groups(ids, squashed).groups == truth


def test_no_groups_among_distinct_vectors_and_few_images():
    rng = np.random.default_rng(2)
    assert find_groups(range(500), rng.normal(0, 1, (500, 32))).groups == []
    assert find_groups([1, 2], np.ones((2, 4))).groups == []
    assert find_groups([], np.zeros((0, 4))).groups == []


def test_a_group_larger_than_the_neighbours_looked_at_is_found_whole():
    ids, x, _ = planted(seed=3, copies=0)
    rng = np.random.default_rng(3)
    x = np.concatenate([x, x[0] + rng.normal(0, 0.02, (30, x.shape[1]))]).astype(np.float32)
    found = find_groups(range(len(x)), x, k=4)
    assert found.groups == [[0, *range(300, 330)]]


def test_blocks_give_the_same_groups(monkeypatch):
    from app.core.training import near_duplicates

    ids, x, truth = planted(seed=4, distinct=700)
    monkeypatch.setattr(near_duplicates, "BLOCK", 64)
    assert find_groups(ids, x).groups == truth


# -- Real images through a tiny model -----------------------------------------------------------


def pattern(seed: int, size: int = 48) -> Image.Image:
    """A distinct synthetic image: a smooth random colour pattern (a 6 × 6 grid, upsampled)."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (6, 6, 3), dtype=np.uint8)).resize(
        (size, size), Image.Resampling.BICUBIC
    )


def _copies(image: Image.Image) -> list[Image.Image]:
    w, h = image.size
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=50)
    rewindowed = np.clip((np.asarray(image, dtype=np.float32) - 20) * 1.2, 0, 255).astype(np.uint8)
    return [
        image.resize((w * 3 // 4, h * 3 // 4), Image.Resampling.BICUBIC),
        Image.open(io.BytesIO(buffer.getvalue())).convert("RGB"),
        image.crop((1, 1, w - 1, h - 1)),  # 5 % of each side
        Image.fromarray(rewindowed),
    ]


def test_copies_of_real_images_are_found_with_a_tiny_models_features(tiny_vit):
    """Resized, recompressed, cropped and re-windowed copies of distinct synthetic images,
    embedded by a tiny random ViT (whose features of all images are alike): each copy lands in
    its original's group and no two originals share one."""
    import torch

    from app.core.training.backbones import image_settings, load_classifier, load_image_processor
    from app.core.training.data import build_transforms
    from app.core.training.embeddings import FeatureExtractor

    images, origin = [], []
    for i in range(60):
        image = pattern(5000 + i)
        images.append(image)
        origin.append(i)
        if i % 6 == 0:
            images += _copies(image)
            origin += [i] * 4
    model = load_classifier(str(tiny_vit), ["a", "b"]).eval()
    settings = image_settings(load_image_processor(str(tiny_vit)), model.config, None)
    _, transform = build_transforms(settings, False, False)
    with FeatureExtractor(model) as extract:
        x = extract(torch.stack([transform(image) for image in images])).numpy()
    pixels = np.stack([pixel_signature(image) for image in images])
    found = find_groups(range(len(images)), x, pixels)
    assert sorted(sorted({origin[i] for i in group}) for group in found.groups) == [[i] for i in range(0, 60, 6)]
    assert found.images == 50  # every original with its four copies
    # Features alone (the strict rule) merge nothing either.
    assert all(len({origin[i] for i in group}) == 1 for group in find_groups(range(len(images)), x).groups)


# -- Storage ------------------------------------------------------------------------------------


def test_a_search_replaces_the_groups_it_touches(colour_project):
    with Project.open(colour_project) as project:
        store_groups(project, NearDuplicates([[1, 2], [5, 6, 7]], {1: 0.99}), "a", scope=range(1, 61))
        assert read_groups(project) == {1: 1, 2: 1, 5: 5, 6: 5, 7: 5}
        assert summarize(project).near_duplicates == {"groups": 2, "images": 5}
        # A search of images 5..10 finds 9 ~ 10: the group {5, 6, 7} it touched goes, {1, 2} stays.
        store_groups(project, NearDuplicates([[9, 10]]), "b", scope=range(5, 11))
        assert read_groups(project) == {1: 1, 2: 1, 9: 9, 10: 9}
        features = dict(project.conn.execute("SELECT image_id, features FROM near_duplicates").fetchall())
        assert features == {1: "a", 2: "a", 9: "b", 10: "b"}


# -- The split ----------------------------------------------------------------------------------


def _classes(project) -> dict[int, int]:
    return dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())


def _groups_by_class(project, size: int) -> list[list[int]]:
    """Groups of `size` images of one class each, a few per class."""
    by_class: dict[int, list[int]] = {}
    for image_id, class_id in sorted(_classes(project).items()):
        by_class.setdefault(class_id, []).append(image_id)
    return [members[start : start + size] for members in by_class.values() for start in (0, 5, 10)]


def test_new_splits_keep_every_group_on_one_side_and_stay_stratified(colour_project):
    with Project.open(colour_project) as project:
        groups = _groups_by_class(project, 3)
        store_groups(project, NearDuplicates(groups), "test", scope=_classes(project))
        splits = assign_splits(project, 0.2, seed=0)
        assert all(len({splits[m] for m in group}) == 1 for group in groups)
        classes = _classes(project)
        per_class = Counter((classes[i], s) for i, s in splits.items())
        for class_id in set(classes.values()):  # 20 each: target 4 validation images, to within a group
            assert 2 <= per_class[(class_id, "val")] <= 6
        # An unlabelled image of a group that already has its split takes it when labelled.
        project.conn.execute("DELETE FROM splits WHERE image_id = ?", (groups[0][1],))
        project.conn.commit()
        again = assign_splits(project, 0.2, seed=0)
        assert again[groups[0][1]] == splits[groups[0][0]]
        assert again == splits


def test_a_stored_split_that_straddles_a_group_is_fixed_by_moving_the_group_to_training(colour_project):
    with Project.open(colour_project) as project:
        before = assign_splits(project, 0.2, seed=0)  # made before any group was known
        classes = _classes(project)
        val = sorted(i for i, s in before.items() if s == "val")
        train = sorted(i for i, s in before.items() if s == "train")
        straddling = [val[0], train[0], train[1]]
        whole_val = [i for i in val if classes[i] == classes[val[1]] and i != val[0]][:2]
        store_groups(project, NearDuplicates([sorted(straddling), sorted(whole_val)]), "test", scope=before)
        plan = plan_split(project, 0.2, seed=0)
        assert plan.moved == [val[0]] and plan.new == []
        after = assign_splits(project, 0.2, seed=0)
        assert after[val[0]] == "train"
        assert {i: s for i, s in after.items() if i != val[0]} == {i: s for i, s in before.items() if i != val[0]}
        assert all(after[i] == "val" for i in whole_val)  # a group on one side already stays
        assert plan_split(project, 0.2, seed=0).moved == []  # fixed once, stored


def test_a_class_made_of_groups_larger_than_its_share_still_gets_validation_images(colour_project):
    """Two groups of 10 (overlapping tiles of two slides, say): neither fits a share of 4, yet the
    class must not be left without validation; the smaller group goes there whole."""
    with Project.open(colour_project) as project:
        classes = _classes(project)
        first = sorted(i for i, c in classes.items() if c == min(classes.values()))
        groups = [first[:8], first[8:]]  # 8 and 12 images
        store_groups(project, NearDuplicates(groups), "test", scope=classes)
        plan = plan_split(project, 0.2, seed=0)
        assert {plan.splits[i] for i in first[:8]} == {"val"} and {plan.splits[i] for i in first[8:]} == {"train"}
        assert plan.without_validation == []
        per_class = Counter((classes[i], s) for i, s in plan.splits.items())
        assert all(per_class[(c, "val")] == 4 for c in set(classes.values()) if c != classes[first[0]])


def test_a_new_class_never_lands_whole_in_validation_through_a_twin(colour_project):
    """A new class whose one image is the twin of another class's validation image: that group
    trains (its stored validation image is moved), so the new class has a training image."""
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels

    with Project.open(colour_project) as project:
        before = assign_splits(project, 0.2, seed=0)
        twin_in_val = min(i for i, s in before.items() if s == "val")
        loner = max(before)
        new_class = add_class(project, "odd one").id
        set_labels(project, [(loner, new_class)])
        project.conn.execute("DELETE FROM splits WHERE image_id = ?", (loner,))
        project.conn.commit()
        store_groups(project, NearDuplicates([[twin_in_val, loner]]), "test", scope=before)
        plan = plan_split(project, 0.2, seed=0)
        assert plan.splits[loner] == "train" and plan.splits[twin_in_val] == "train"
        assert plan.moved == [twin_in_val]


# -- A run's report, old and new ------------------------------------------------------------------


def pattern_project(folder: Path, per_class: int = 12, copied: int = 4) -> tuple[Path, dict[int, int]]:
    """A project of distinct pattern images in three classes, and a resized copy of `copied` of
    each class's images labelled as its original; (project, copy id -> original id)."""
    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class

    images = folder / "images"
    for c, name in enumerate(("a", "b", "c")):
        (images / name).mkdir(parents=True)
        for i in range(per_class):
            original = pattern(100 * c + i)
            original.save(images / name / f"{i:02}.png")
            if i < copied:
                original.resize((36, 36), Image.Resampling.BICUBIC).save(images / name / f"copy-{i:02}.png")
    path = folder / "patterns.loupe"
    with Project.create(path) as project:
        for name in ("a", "b", "c"):
            add_class(project, name)
        import_paths(project, [images], ImportOptions(labels_from_folders=True))
        ids = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
    return path, {i: ids[p.replace("copy-", "")] for p, i in ids.items() if "copy-" in p}


def test_a_run_groups_its_images_keeps_them_apart_and_reports_the_fix(tmp_path, tiny_vit):
    """A run made before the rule (a stored split with copies on both sides), then a new run:
    the new run groups the copies with the backbone's features, moves the validation twins to
    training, says so in its report; the old run's count is computed from the groups now."""
    from app.core.training.config import TrainConfig
    from app.core.training.runs import get_run
    from app.core.training.trainer import train

    path, original = pattern_project(tmp_path)
    copies = sorted(original)
    with Project.open(path) as project:
        # The old rule: every image split alone, stored; an old run recorded with it.
        stored = assign_splits(project, 0.5, seed=0)
        straddling = [i for i in copies if stored[i] != stored[original[i]]]
        assert straddling  # with a validation share of one half, some pairs straddle
        project.conn.execute(
            "INSERT INTO runs (id, status, model_ref, method, seed, config, classes, device, report)"
            " VALUES (99, 'done', 'old', 'linear', 0, '{}', '[]', 'cpu', '{\"accuracy\": 1.0}')"
        )
        project.conn.executemany(
            "INSERT INTO run_labels (run_id, image_id, class_id, split) SELECT 99, image_id, class_id, ? FROM labels"
            " WHERE image_id = ?",
            [(s, i) for i, s in stored.items()],
        )
        project.conn.commit()
        assert validation_twins(project, 99) == 0  # no groups known yet

        config = TrainConfig(model=str(tiny_vit), method="linear", val_fraction=0.5, device="cpu")
        result = train(project, config)
        assert result.status == "done"
        groups = read_groups(project)
        assert all(groups.get(i) is not None and groups[i] == groups[original[i]] for i in copies)
        assert len(set(groups.values())) == len(copies)  # one group per copied image, nothing else

        run = get_run(project, result.run)
        moved = sum(1 for i in straddling if stored[i] == "val") + sum(
            1 for i in straddling if stored[original[i]] == "val"
        )
        assert run.report["near_duplicates"]["moved_to_training"] == moved
        assert run.report["near_duplicates"]["groups"] == len(copies)
        assert any("had a near-twin in training; moved to training" in n for n in run.notices)
        split_now = dict(project.conn.execute("SELECT image_id, split FROM splits").fetchall())
        recorded = dict(
            project.conn.execute("SELECT image_id, split FROM run_labels WHERE run_id = ?", (result.run,)).fetchall()
        )
        assert recorded == {i: split_now[i] for i in recorded}
        assert all(split_now[i] == split_now[original[i]] for i in copies)
        assert validation_twins(project, result.run) == 0
        # The old run: each straddling pair has one validation image with its twin in training.
        assert validation_twins(project, 99) == len(straddling) == moved
        line = old_run_sentence(project, 99, get_run(project, 99).report)
        assert f"Near-duplicates: {moved} validation images of this run have a near-twin" in line
        assert old_run_sentence(project, result.run, run.report) == ""  # a new run's notices say it


def test_info_counts_the_stored_groups(colour_project):
    import subprocess
    import sys

    with Project.open(colour_project) as project:
        store_groups(project, NearDuplicates([[1, 2], [3, 4, 5]]), "test", scope=[1, 2, 3, 4, 5])
    out = subprocess.run(
        [sys.executable, "-m", "app", "info", str(colour_project), "--json"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["near_duplicates"] == {"groups": 2, "images": 5}
    text = subprocess.run([sys.executable, "-m", "app", "info", str(colour_project)], capture_output=True, text=True)
    assert "Near-duplicates: 5 images in 2 groups" in text.stdout
