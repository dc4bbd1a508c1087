"""Whole slides and scenes as sources of tiles: readers, levels, masks, the grid, the import."""

from __future__ import annotations

import itertools
import os
import tracemalloc

import numpy as np
import pytest

from app.core.errors import ImageError
from app.core.imaging import decode
from app.core.imaging.part_paths import TileRegion, file_of, split_part, tile_path
from app.core.imaging.slides import open_source
from app.core.importing.file_check import check_files
from app.core.project.store import Project
from app.core.sources.records import list_sources, source_groups, source_pictures
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions, plan_tiles
from tests.slides import (
    SCENE_EPSG,
    SCENE_ORIGIN,
    SCENE_PIXEL,
    generic_tiff_slide,
    georef_scene,
    pyramid_slide,
    scene_pixels,
    slide_pixels,
    sparse_slide,
)

#: Tissue at x 512..1280, y 256..768 of a 2048×1536 slide: whole 128-pixel tiles.
TISSUE = (512, 256, 768, 512)


@pytest.fixture(scope="module")
def pixels() -> np.ndarray:
    return slide_pixels(2048, 1536, [TISSUE])


@pytest.fixture(scope="module")
def slide(tmp_path_factory, pixels):
    return pyramid_slide(tmp_path_factory.mktemp("slides") / "biopsy.tif", pixels)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "p.loupe") as project:
        yield project


def test_part_paths_round_trip_and_leave_ordinary_names_alone():
    region = TileRegion(1, 4096, 8192, 896, 896, 224)
    path = tile_path("slides/a b.svs", region)
    assert path == "slides/a b.svs::tile(L1,4096,8192,896x896,224)"
    assert split_part(path).tile == region and file_of(path) == "slides/a b.svs"
    assert split_part("ct/series.dcm::frame(12)").frame == 12
    for name in ("scan::notes.png", "a.svs::tile(L1,2,3)", "x.tif::tile(L1,1,2,3x3,4).png"):
        assert not split_part(name).is_part and file_of(name) == name


def test_pyramid_levels_and_microns_per_pixel_are_read(slide):
    with open_source(slide) as source:
        assert source.reader == "tifffile" and source.kind == "slide"
        assert [(lv.width, lv.height, lv.downsample) for lv in source.levels] == [
            (2048, 1536, 1.0),
            (1024, 768, 2.0),
            (512, 384, 4.0),
        ]
        assert source.mpp == pytest.approx(0.25)


def test_tiles_at_full_resolution_are_the_whole_tiles_inside_the_tissue(slide):
    with open_source(slide) as source:
        plan = plan_tiles(source, TileOptions(size=128, level=0, min_tissue=0.5))
    x0, y0, w, h = TISSUE
    expected = {(x, y) for x in range(x0, x0 + w, 128) for y in range(y0, y0 + h, 128)}
    assert {(t.x, t.y) for t in plan.tiles} == expected
    assert all((t.level, t.width, t.height, t.size) == (0, 128, 128, 128) for t in plan.tiles)
    assert plan.skipped == 16 * 12 - len(expected)  # every other whole tile is glass


def test_tiles_by_microns_per_pixel_read_the_level_that_fits(slide):
    with open_source(slide) as source:
        plan = plan_tiles(source, TileOptions(size=128, mpp=0.5, min_tissue=0.5))
    assert plan.geometry.level == 1 and plan.geometry.region == 256 and plan.geometry.mpp == pytest.approx(0.5)
    assert {(t.x, t.y) for t in plan.tiles} == {(x, y) for x in (512, 768, 1024) for y in (256, 512)}


def test_min_tissue_zero_keeps_every_whole_tile(slide):
    with open_source(slide) as source:
        plan = plan_tiles(source, TileOptions(size=128, level=0, min_tissue=0))
    assert len(plan.tiles) == 16 * 12 and plan.skipped == 0


def test_a_tile_has_the_pixels_of_the_full_resolution_array(slide, pixels):
    x, y = 640, 384
    tile = decode(tile_path(str(slide), TileRegion(0, x, y, 128, 128, 128)))
    assert np.array_equal(np.asarray(tile.rgb), pixels[y : y + 128, x : x + 128])
    coarse = decode(tile_path(str(slide), TileRegion(1, x, y, 256, 256, 128)))  # level 1, no resizing
    assert np.array_equal(np.asarray(coarse.rgb), pixels[::2, ::2][y // 2 : y // 2 + 128, x // 2 : x // 2 + 128])
    shrunk = decode(tile_path(str(slide), TileRegion(0, x, y, 256, 256, 64)))
    assert shrunk.rgb.size == (64, 64)


def test_openslide_reads_a_generic_tiff_with_the_same_pixels(tmp_path, pixels):
    path = generic_tiff_slide(tmp_path / "generic.tif", pixels)
    with open_source(path, reader="openslide") as by_openslide, open_source(path, reader="tifffile") as by_tifffile:
        assert by_openslide.format == "generic-tiff" and len(by_openslide.levels) == 3
        assert by_openslide.mpp == pytest.approx(0.25)
        for level, (x, y) in [(0, (640, 384)), (1, (512, 256)), (2, (0, 0))]:
            a = by_openslide.read_region(level, x, y, 100, 80)
            b = by_tifffile.read_region(level, x, y, 100, 80)
            assert a.shape == (80, 100, 3) and np.array_equal(a, b)


def test_a_region_past_the_edge_is_filled_with_glass(slide, pixels):
    with open_source(slide) as source:
        region = source.read_region(0, 2000, 1500, 100, 100)
    assert np.array_equal(region[:36, :48], pixels[1500:, 2000:])
    assert (region[36:] == 255).all() and (region[:, 48:] == 255).all()


def test_a_scene_is_georeferenced_and_its_nodata_border_is_skipped(tmp_path):
    path = georef_scene(tmp_path / "scene.tif", scene_pixels(640, 512, border=64))
    with open_source(path) as source:
        assert source.kind == "scene" and source.bands == 4 and source.nodata == 0
        assert source.georef.epsg == SCENE_EPSG and source.georef.crs == "EPSG:32633"
        x0, y0 = SCENE_ORIGIN
        assert source.georef.transform == (x0, SCENE_PIXEL, 0.0, y0, 0.0, -SCENE_PIXEL)
        assert source.georef.to_map(64, 128) == (x0 + 640, y0 - 1280)
        plan = plan_tiles(source, TileOptions(size=64, level=0, min_tissue=0.5))
    assert {(t.x, t.y) for t in plan.tiles} == {(x, y) for x in range(64, 576, 64) for y in range(64, 448, 64)}
    assert plan.skipped == 10 * 8 - 8 * 6


def test_a_scene_tile_keeps_its_bands_for_composites(tmp_path):
    data = scene_pixels(640, 512, border=64)
    path = georef_scene(tmp_path / "scene.tif", data)
    tile = decode(tile_path(str(path), TileRegion(0, 320, 128, 64, 64, 64)))
    assert tile.samples.shape == (64, 64, 4)
    assert np.array_equal(tile.samples, data[128:192, 320:384].astype(tile.samples.dtype))


def test_resolution_problems_are_one_clear_sentence(tmp_path, pixels):
    no_mpp = pyramid_slide(tmp_path / "no-mpp.tif", pixels, mpp=None)
    with open_source(no_mpp) as source:
        with pytest.raises(ImageError, match="does not say its pixel size.*--level"):
            plan_tiles(source, TileOptions(size=128, mpp=0.5))
        with pytest.raises(ImageError, match="has 3 levels .0 to 2.; there is no level 5"):
            plan_tiles(source, TileOptions(size=128, level=5))
        with pytest.raises(ImageError, match="smaller than one tile"):
            plan_tiles(source, TileOptions(size=4096, level=0))
    with pytest.raises(ValueError, match="not both"):
        TileOptions(size=128, mpp=0.5, level=1).check()


def test_import_makes_each_kept_tile_an_image_and_a_second_import_adds_none(project, slide):
    report = import_sources(project, [slide], TileOptions(size=128, level=0))
    assert report.tiles_added == 24 and report.skipped_background == 168 and not report.rejected
    rows = project.conn.execute(
        "SELECT path, width, height, source_id, tile_level, tile_x, tile_y, tile_w, tile_h FROM images ORDER BY id"
    ).fetchall()
    assert len(rows) == 24 and len({sha for (sha,) in project.conn.execute("SELECT sha256 FROM images")}) == 24
    path, width, height, source_id, level, x, y, w, h = rows[0]
    assert path == tile_path(project.stored_path(slide), TileRegion(0, x, y, 128, 128, 128))
    assert (width, height, level, w, h) == (128, 128, 0, 128, 128)
    [source] = list_sources(project)
    assert (source.id, source.kind, source.tiles, source.skipped, source.tile_region) == (
        source_id,
        "slide",
        24,
        168,
        128,
    )
    overview, mask = source_pictures(project, source.id)
    assert overview.startswith(b"\xff\xd8") and mask.startswith(b"\x89PNG")
    assert set(source_groups(project).values()) == {source.id}

    again = import_sources(project, [slide], TileOptions(size=128, level=0))
    assert again.tiles_added == 0 and again.sources[0].tiles_unchanged == 24


def test_an_import_stopped_half_way_goes_on_where_it_stopped(project, slide):
    asked = itertools.count()
    stopped = import_sources(project, [slide], TileOptions(size=128, level=0), should_stop=lambda: next(asked) > 20)
    assert stopped.cancelled and 0 < stopped.tiles_added < 24
    rest = import_sources(project, [slide], TileOptions(size=128, level=0))
    assert stopped.tiles_added + rest.tiles_added == 24
    assert project.conn.execute("SELECT tiles FROM sources").fetchone()[0] == 24


def test_a_changed_slide_is_refused_and_a_gone_one_marks_its_tiles_missing(project, slide, tmp_path, pixels):
    copy = tmp_path / "copy.tif"
    copy.write_bytes(slide.read_bytes())
    import_sources(project, [copy], TileOptions(size=128, level=0))
    pyramid_slide(copy, slide_pixels(2048, 1536, [(0, 0, 512, 512)], seed=1))
    report = import_sources(project, [copy], TileOptions(size=128, level=0))
    assert report.tiles_added == 0 and "changed since its tiles were imported" in report.rejected[0]["reason"]
    changed = check_files(project).changed  # its labels were made on other pixels: flagged
    assert len(changed) == 24 and not check_files(project).missing

    os.rename(copy, tmp_path / "away.tif")
    check = check_files(project)
    assert len(check.missing) == 24
    assert project.conn.execute("SELECT COUNT(*) FROM images WHERE status = 'missing'").fetchone()[0] == 24
    os.rename(tmp_path / "away.tif", copy)
    assert check_files(project).found_again == 24


def test_memory_stays_bounded_on_a_large_sparse_slide(project, tmp_path):
    """32,768² pixels (3.2 GB as RGB at level 0): the import holds an overview and a few tiles."""
    path = sparse_slide(tmp_path / "large.tif", 32768, (10_000, 12_000, 1_500, 1_000))
    tracemalloc.start()
    try:
        report = import_sources(project, [path], TileOptions(size=224))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert 20 <= report.tiles_added <= 40  # about the tissue's area in tiles (1,500×1,000 / 224²: 30)
    assert report.skipped_background > 20_000
    assert peak < 200e6, f"peak {peak / 1e6:.0f} MB"


def test_the_grid_can_show_one_sources_tiles_row_by_row(project, slide, tmp_path, pixels):
    from app.core.labelling.browse import ImageQuery, query_images, source_entries

    other = pyramid_slide(tmp_path / "other.tif", slide_pixels(1024, 768, [(0, 0, 256, 256)]))
    import_sources(project, [slide, other], TileOptions(size=128, level=0))
    entries = dict((text, source_id) for source_id, text in source_entries(project))
    assert set(entries) == {"Slide: biopsy.tif", "Slide: other.tif"}
    rows = query_images(project, ImageQuery(show="source", source_id=entries["Slide: biopsy.tif"]))
    positions = [
        project.conn.execute("SELECT tile_y, tile_x FROM images WHERE id = ?", (i,)).fetchone() for i in rows.image_ids
    ]
    assert len(positions) == 24 and positions == sorted(positions)  # row by row, left to right
    assert all("biopsy.tif::tile(" in path for path in rows.paths)
    assert len(query_images(project, ImageQuery(show="source", source_id=entries["Slide: other.tif"]))) == 4


def test_a_tiles_neighbourhood_holds_the_tile_pixel_for_pixel(slide, pixels):
    from app.core.sources.context import tile_context

    x, y = 640, 384
    around = tile_context(tile_path(str(slide), TileRegion(0, x, y, 128, 128, 128)))
    assert around.image.size == (256, 256) and (around.tile_left, around.tile_top) == (64, 64)
    assert np.array_equal(np.asarray(around.image), pixels[y - 64 : y + 192, x - 64 : x + 192])
    corner = tile_context(tile_path(str(slide), TileRegion(1, 0, 0, 256, 256, 64)))  # at the slide's corner
    assert corner.image.size == (128, 128) and (corner.tile_left, corner.tile_width) == (32, 64)
    assert (np.asarray(corner.image)[:32] == 255).all()  # beyond the edge: glass
    assert tile_context(str(slide)) is None  # a whole file has no neighbourhood


def test_a_faint_stain_is_found_with_a_lower_tissue_threshold(tmp_path):
    data = np.full((512, 768, 3), 245, np.uint8)
    data[128:384, 256:512] = (238, 226, 234)  # saturation 0.05: below the floor Otsu's threshold keeps
    path = pyramid_slide(tmp_path / "faint.tif", data, levels=2)
    with open_source(path) as source:
        assert plan_tiles(source, TileOptions(size=128, level=0)).tiles == []
        plan = plan_tiles(source, TileOptions(size=128, level=0, tissue_threshold=0.02))
    assert {(t.x, t.y) for t in plan.tiles} == {(256, 128), (384, 128), (256, 256), (384, 256)}
    assert plan.mask.threshold == 0.02
    with pytest.raises(ValueError, match="saturation from 0 to 1"):
        TileOptions(tissue_threshold=1.5).check()


def test_a_damaged_tile_is_left_out_and_a_truncated_slide_rejected_while_the_rest_imports(project, tmp_path):
    import tifffile

    # 4096 × 3072: the overview comes from level 1, and the damage is in one level-0 tile.
    damaged = pyramid_slide(tmp_path / "damaged.tif", slide_pixels(4096, 3072, [(1024, 512, 1536, 1024)]))
    with tifffile.TiffFile(damaged) as tif:  # the level-0 tile at (1280, 768), inside the tissue
        index = (768 // 128) * (4096 // 128) + 1280 // 128
        offset = tif.pages[0].dataoffsets[index]
    with open(damaged, "r+b") as f:
        f.seek(offset + 4)
        f.write(bytes(64))
    truncated = pyramid_slide(tmp_path / "truncated.tif", slide_pixels(2048, 1536, [TISSUE], seed=5))
    os.truncate(truncated, truncated.stat().st_size // 3)

    report = import_sources(project, [damaged, truncated], TileOptions(size=128, level=0))
    [source] = report.sources
    assert source.tiles_added == 12 * 8 - 1 and source.unreadable == 1
    assert "tile(L0,1280,768,128x128,128)" in source.unreadable_reason and "damaged" in source.unreadable_reason
    [rejected] = report.rejected
    assert rejected["path"].endswith("truncated.tif") and "may be damaged" in rejected["reason"]
    assert project.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 1  # no empty row for it


def test_a_moved_slide_imported_again_takes_its_tiles_and_labels_along(project, slide, tmp_path):
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels

    copy = tmp_path / "scans" / "biopsy.tif"
    copy.parent.mkdir()
    copy.write_bytes(slide.read_bytes())
    import_sources(project, [copy], TileOptions(size=128, level=0))
    tumour = add_class(project, "tumour").id
    ids = [i for (i,) in project.conn.execute("SELECT id FROM images ORDER BY id LIMIT 5")]
    set_labels(project, [(i, tumour) for i in ids], "human", "by hand")

    moved = tmp_path / "archive" / "biopsy.tif"
    moved.parent.mkdir()
    os.rename(copy, moved)
    report = import_sources(project, [moved], TileOptions(size=128, level=0))
    [source] = report.sources
    assert source.moved_from == project.stored_path(copy) and source.tiles_added == 0 and source.tiles_unchanged == 24
    assert project.conn.execute("SELECT count(*) FROM images").fetchone()[0] == 24
    paths = dict(project.conn.execute("SELECT id, path FROM images WHERE id IN (SELECT image_id FROM labels)"))
    assert set(paths) == set(ids) and all(p.startswith(project.stored_path(moved) + "::tile(") for p in paths.values())
    assert not check_files(project).missing

    again = tmp_path / "copy-of-biopsy.tif"
    again.write_bytes(moved.read_bytes())  # a copy while the slide is there: its tiles are the same tiles
    refused = import_sources(project, [again], TileOptions(size=128, level=0))
    assert "the same slide as archive/biopsy.tif" in refused.rejected[0]["reason"] and not refused.sources


def test_a_second_cut_of_a_slide_is_refused(project, slide):
    import_sources(project, [slide], TileOptions(size=128, level=0))
    report = import_sources(project, [slide], TileOptions(size=64, level=0))
    assert "already cut into 24 tiles of 128 px" in report.rejected[0]["reason"]
    assert project.conn.execute("SELECT count(*) FROM images").fetchone()[0] == 24


def test_greyscale_and_16_bit_slides_find_their_tissue_and_keep_glass_white(tmp_path, pixels):
    grey = pixels.mean(axis=2).astype(np.uint8)  # tissue darker than glass, no colour
    grey_path = pyramid_slide(tmp_path / "grey.tif", grey, mpp=0.25)
    deep = pixels.astype(np.uint16) * 257  # the same slide scanned at 16 bits
    deep_path = pyramid_slide(tmp_path / "deep.tif", deep)
    x0, y0, w, h = TISSUE
    expected = {(x, y) for x in range(x0, x0 + w, 128) for y in range(y0, y0 + h, 128)}
    for path in (grey_path, deep_path):
        with open_source(path) as source:
            assert source.kind == "slide"
            plan = plan_tiles(source, TileOptions(size=128, level=0))
        assert {(t.x, t.y) for t in plan.tiles} == expected, path.name
    glass = decode(tile_path(str(deep_path), TileRegion(0, 0, 0, 128, 128, 128))).rgb
    assert np.asarray(glass).min() >= 240  # not stretched to mid-grey tile by tile
    tissue = decode(tile_path(str(deep_path), TileRegion(0, 640, 384, 128, 128, 128))).rgb
    assert np.array_equal(np.asarray(tissue), pixels[384:512, 640:768])


def test_the_grid_of_millions_of_small_tiles_is_arrays_not_objects():
    """32-pixel tiles of a 100,000² slide are 9.8 million: planned as arrays, a region object
    made only for a kept one (was: one object per tile, gigabytes)."""
    from app.core.imaging.slides import Level, SlideSource
    from app.core.sources.masks import Mask
    from app.core.sources.tiling import TileGeometry, grid, kept_tiles

    source = SlideSource("x", "tifffile", "tiff", (Level(100_000, 100_000, 1.0),), 3, "uint8")
    tracemalloc.start()
    try:
        corners = grid(source, TileGeometry(0, 32, 32, None))
        mask = Mask(np.zeros((2048, 2048), bool), 100_000 / 2048, 0.1)
        mask.keep[1000:1100, 1000:1100] = True
        keep = kept_tiles(mask, corners, 32, 0.5)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(corners) == 3125**2 and 20_000 < keep.sum() < 30_000
    assert peak < 600e6, f"peak {peak / 1e6:.0f} MB"
