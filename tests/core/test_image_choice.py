"""The project's image choice (bands or a named composite) reaches every reader of pixels: with
NDVI chosen, thumbnails, training, cached features and pixel signatures, predictions and
heatmaps all see the NDVI picture of a Sentinel-2 scene, not its true colour; and each cache
keyed by content is keyed by the choice too, so a changed choice never serves stale pixels."""

from __future__ import annotations

import io
import sqlite3
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from app.core.imaging import DecodeOptions, decode
from app.core.imaging.options import rendering_key
from app.core.imaging.thumbnails import ThumbnailCache, file_thumbnail_key, thumbnail_key
from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.browse import image_thumbnail
from app.core.labelling.classes import add_class
from app.core.project.settings import BANDS, image_choice, set_composite_choice, set_setting
from app.core.project.store import Project
from app.core.training.runs import run_rendering
from tests.satellite import S2_L1C_NAMES, cover_map, sentinel2_dn, write_scene

S2_IDS = tuple(name[1:] for name in S2_L1C_NAMES)
NDVI = DecodeOptions(composite="ndvi")


def scene_covers(seed: int, mostly: str, size: int = 32) -> np.ndarray:
    """A scene of 4×4 blocks of land cover, `mostly` one of them (the class), at random."""
    rng = np.random.default_rng(seed)
    others = [cover for cover in ("vegetation", "soil", "water") if cover != mostly]
    blocks = rng.choice([mostly, *others], size=(4, 4), p=[0.7, 0.15, 0.15])
    return np.repeat(np.repeat(blocks, size // 4, axis=0), size // 4, axis=1).astype(object)


@pytest.fixture
def scenes(tmp_path):
    """A project of 12 small Sentinel-2 L1C scenes labelled by folder (mostly vegetation or
    mostly bare soil), and one scene with a vegetation left third for looking at pixels."""
    folder = tmp_path / "scenes"
    for k in range(6):
        for label, cover in (("vegetated", "vegetation"), ("bare", "soil")):
            seed = k * 2 + (label == "bare")
            write_scene(folder / label / f"{seed}.tif", sentinel2_dn(scene_covers(seed, cover), S2_IDS), S2_L1C_NAMES)
    view = write_scene(tmp_path / "view" / "s2.tif", sentinel2_dn(cover_map(60, 90, border=6), S2_IDS), S2_L1C_NAMES)
    path = tmp_path / "p.loupe"
    with Project.create(path) as project:
        for name in ("vegetated", "bare"):
            add_class(project, name)
        import_paths(project, [folder], ImportOptions(labels_from_folders=True))
        import_paths(project, [view.parent])
    return path, view


def thumbnail_rgb(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)


def test_the_choice_is_the_band_choice_else_the_composite(project):
    assert image_choice(project) == DecodeOptions()
    set_composite_choice(project, "ndvi")
    assert image_choice(project) == NDVI
    set_setting(project, BANDS, [7, 3, 2])  # bands chosen by hand win over the composite
    assert image_choice(project) == DecodeOptions(bands=(7, 3, 2), composite="ndvi")
    assert rendering_key(image_choice(project)) == ":bands=7,3,2"
    set_composite_choice(project, "swir")
    assert image_choice(project) == DecodeOptions(composite="swir")


def test_a_cache_key_names_the_choice_and_is_unchanged_without_one(tmp_path):
    sha = "ab" * 32
    assert rendering_key(DecodeOptions()) == rendering_key(DecodeOptions(composite="true_colour")) == ""
    assert thumbnail_key(sha, 13, DecodeOptions()) == sha  # the thumbnail made at import
    assert thumbnail_key(sha, 13, DecodeOptions(bands=(3, 2, 1))) == f"{sha}:bands=3,2,1"  # as before
    assert thumbnail_key(sha, 13, NDVI) == f"{sha}:composite=ndvi"
    assert thumbnail_key(sha, 3, NDVI) == sha  # an RGB image looks the same whatever is chosen
    (tmp_path / "f.png").write_bytes(b"x")
    keys = {file_thumbnail_key(tmp_path / "f.png", options) for options in (DecodeOptions(), NDVI)}
    assert len(keys) == 2


def test_the_thumbnail_shows_the_composite_and_follows_it_back(scenes):
    path, view = scenes
    with Project.open(path) as project:
        image_id, sha = project.conn.execute("SELECT id, sha256 FROM images WHERE path LIKE '%view%'").fetchone()
        cache = ThumbnailCache(project.paths.cache_dir)
        try:
            true_colour = image_thumbnail(project, cache, image_id, image_choice(project))
            assert true_colour == cache.get(sha)  # the one made at import
            set_composite_choice(project, "ndvi")
            ndvi = image_thumbnail(project, cache, image_id, image_choice(project))
            set_composite_choice(project, None)
            back = image_thumbnail(project, cache, image_id, image_choice(project))
        finally:
            cache.close()
    assert back == true_colour
    before, after = thumbnail_rgb(true_colour), thumbnail_rgb(ndvi)
    height, width, _ = after.shape
    red, green, _ = after[height // 2, width // 6]  # vegetation: green in NDVI's colours
    assert green > red + 80
    red, green, _ = before[height // 2, width // 6]  # and dark in true colour
    assert green < red + 40 and green < 100
    expected = decode(view, DecodeOptions(composite="ndvi", draft_size=256)).rgb
    assert np.abs(after.astype(int) - np.asarray(expected).astype(int)).mean() < 6  # the NDVI picture, as a JPEG


def test_training_predictions_and_heatmaps_see_the_chosen_composite(scenes, tiny_vit, monkeypatch):
    """A real linear run on the scenes with NDVI chosen: what its data loader decodes is the
    NDVI picture, its features and pixel signatures are cached under NDVI's keys (a later true
    colour run would not reuse them), suggestions find those features, and predicting and
    explaining decode with NDVI too."""
    from app.core.active import pool
    from app.core.inference import decode_queue, heatmaps
    from app.core.inference.heatmaps import forget_cached_models, heatmap_for_image
    from app.core.inference.predict import predict_project
    from app.core.training import TrainConfig, data, train
    from app.core.training.pixel_signatures import PIXEL_FILE, PIXEL_KEY

    path, view = scenes
    seen: dict[str, list] = {"training": [], "prediction": [], "heatmap": []}

    def recording(where: str, real):
        def decode_and_record(source, options=DecodeOptions()):
            decoded = real(source, options)
            seen[where].append((source, options, decoded.rgb))
            return decoded

        return decode_and_record

    monkeypatch.setattr(data, "decode", recording("training", data.decode))
    monkeypatch.setattr(decode_queue, "decode", recording("prediction", decode_queue.decode))
    monkeypatch.setattr(heatmaps, "decode", recording("heatmap", heatmaps.decode))
    with Project.open(path) as project:
        set_composite_choice(project, "ndvi")
        config = TrainConfig(model=str(tiny_vit), method="linear", batch_size=8, workers=0, device="cpu")
        result = train(project, config)
        assert result.status == "done", result

        assert seen["training"]
        for source, options, rgb in seen["training"]:
            assert options == replace(NDVI, draft_size=options.draft_size) and options.draft_size
            assert np.array_equal(np.asarray(rgb), np.asarray(decode(source, options).rgb))
        source, options, rgb = seen["training"][0]
        true_colour = decode(source, replace(options, composite=None)).rgb
        assert not np.array_equal(np.asarray(rgb), np.asarray(true_colour))

        cache_dir = project.paths.cache_dir
        with sqlite3.connect(cache_dir / "embeddings.sqlite") as conn:
            keys = {key for (key,) in conn.execute("SELECT DISTINCT backbone FROM embeddings")}
        assert len(keys) == 1 and next(iter(keys)).endswith(":composite=ndvi")
        with sqlite3.connect(cache_dir / PIXEL_FILE) as conn:
            pixel_keys = {key for (key,) in conn.execute("SELECT DISTINCT backbone FROM embeddings")}
        assert pixel_keys == {PIXEL_KEY + ":composite=ndvi"}

        progress = []
        key, _ = pool.embed_images(project, pool.EmbeddingSource.from_model(str(tiny_vit)), progress.append)
        assert key in keys  # the linear run's features, found: only the unlabelled scene is computed
        assert progress[0].total == 1

        seen["prediction"].clear()
        predict_project(project, result.run)
        assert seen["prediction"] and {replace(options, draft_size=None) for _, options, _ in seen["prediction"]} == {
            NDVI
        }
        view_id = project.conn.execute("SELECT id FROM images WHERE path LIKE '%view%'").fetchone()[0]
        try:
            heatmap_for_image(project, view_id, result.run, device="cpu")
        finally:
            forget_cached_models()
        assert [(source, options) for source, options, _ in seen["heatmap"]] == [(view, NDVI)]
        # The user now looks at the scenes in true colour: the run still sees what it learnt on.
        set_composite_choice(project, None)
        assert run_rendering(project, result.run) == NDVI
        seen["prediction"].clear()
        predict_project(project, result.run)
        assert {replace(options, draft_size=None) for _, options, _ in seen["prediction"]} == {NDVI}
        seen["heatmap"].clear()
        try:
            heatmap_for_image(project, view_id, result.run, device="cpu")
        finally:
            forget_cached_models()
        assert [(source, options) for source, options, _ in seen["heatmap"]] == [(view, NDVI)]


def test_a_run_from_before_the_rendering_was_recorded_sees_the_projects_choice(project):
    from tests.synthetic_runs import record_finished_run

    run = record_finished_run(project, [], [{"id": 1, "name": "a"}])
    set_composite_choice(project, "swir")
    assert run_rendering(project, run) == image_choice(project)
