"""What the window's source overview reads (app.core.sources.tile_states): a source's tiles with
their labels and predictions, the region in view from the pyramid, the import preview's count."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.imaging.slides import open_source
from app.core.project.store import Project
from app.core.sources.records import list_sources
from app.core.sources.tile_import import import_sources
from app.core.sources.tile_states import NONE, is_source_file, tile_preview, tile_states, view_region
from app.core.sources.tiling import TileOptions, plan_tiles
from tests import synthetic
from tests.slide_data import slide_pixels, slide_project, write_slide


@pytest.fixture(scope="module")
def project_and_slide(tmp_path_factory):
    return slide_project(tmp_path_factory.mktemp("slides"), labelled=6)


def test_tile_states_hold_each_tile_with_its_label_and_prediction(project_and_slide):
    path, _ = project_and_slide
    with Project.open(path) as project:
        source = list_sources(project)[0]
        rows = project.conn.execute(
            "SELECT id, tile_x, tile_y FROM images WHERE source_id = ? ORDER BY tile_y, tile_x", (source.id,)
        ).fetchall()
        classes = [row[0] for row in project.conn.execute("SELECT id FROM classes ORDER BY id")]
        with project.conn:
            run = project.conn.execute(
                "INSERT INTO runs (status, model_ref, method, seed, config, classes) VALUES ('done', 'm', 'linear', 0, '{}', '[]')"
            ).lastrowid
            project.conn.execute(
                "INSERT INTO predictions (run_id, image_id, class_id, confidence) VALUES (?, ?, ?, 0.75)",
                (run, rows[10][0], classes[1]),
            )
        states = tile_states(project, source.id, run)
        without = tile_states(project, source.id, None)
    assert len(states) == source.tiles == len(rows)
    assert states.image_ids.tolist() == [r[0] for r in rows]
    assert (states.x.tolist(), states.y.tolist()) == ([r[1] for r in rows], [r[2] for r in rows])
    assert set(states.width.tolist()) == {128}
    assert states.labels[:6].tolist() == [classes[0], classes[1]] * 3 and (states.labels[6:] == NONE).all()
    assert states.counts("labels") == {classes[0]: 3, classes[1]: 3}
    assert states.predicted[10] == classes[1] and states.confidence[10] == pytest.approx(0.75)
    assert (np.delete(states.predicted, 10) == NONE).all() and (without.predicted == NONE).all()
    # A point inside a tile finds it; glass between tiles finds none.
    assert states.at(rows[10][1] + 5, rows[10][2] + 120) == 10
    assert states.at(0, 0) is None
    assert states.index_of(rows[3][0]) == 3 and states.index_of(-5) is None
    # Labels committed later change only the tiles they name.
    assert states.set_labels({rows[7][0]: classes[1], rows[0][0]: None}) is True
    assert states.labels[7] == classes[1] and states.labels[0] == NONE
    assert states.set_labels({999_999: classes[0]}) is False


def test_view_region_reads_the_level_the_screen_needs(project_and_slide):
    _, slide = project_and_slide
    full = slide_pixels(2048, 1536)
    pixels, level = view_region(slide, 1.0, 512, 256, 300, 200)  # one level-0 pixel per screen pixel
    assert level == 0 and pixels.shape == (200, 300, 3) and pixels.dtype == np.uint8
    assert np.abs(pixels.astype(int) - full[256:456, 512:812].astype(int)).mean() < 6  # JPEG tiles
    coarse, level = view_region(slide, 3.0, 0, 0, 2048, 1536)  # three level-0 pixels per screen pixel
    assert level == 1 and coarse.shape == (768, 1024, 3)


def test_the_preview_counts_the_tiles_an_import_keeps(project_and_slide):
    _, slide = project_and_slide
    preview = tile_preview(slide)
    assert preview.kind == "slide" and preview.mpp == pytest.approx(0.25)
    counts = []
    for share in (0.0, 0.3, 0.5, 0.9):
        options = TileOptions(size=128, level=0, min_tissue=share)
        boxes, keep, geometry = preview.kept(options)
        with open_source(slide) as source:
            plan = plan_tiles(source, options)
        assert int(keep.sum()) == len(plan.tiles) and len(boxes) - int(keep.sum()) == plan.skipped
        assert [tuple(b) for b in boxes[keep]] == [(t.x, t.y, t.width) for t in plan.tiles]
        counts.append(int(keep.sum()))
    assert counts[0] == 16 * 12 and counts[0] > counts[1] > counts[2] > counts[3] > 0
    boxes, keep, geometry = preview.kept(TileOptions(size=224, mpp=0.5, min_tissue=0.5))
    assert geometry.region == 448 and geometry.level == 1 and len(boxes) == 4 * 3


def test_slides_and_pyramids_are_told_from_images(tmp_path):
    slide = write_slide(tmp_path / "pyramid.tif", 512, 512)
    flat = synthetic.save(synthetic.random_rgb(64, 48), tmp_path / "flat.tif")
    (tmp_path / "scan.svs").write_bytes(b"not really")
    assert is_source_file(slide) and is_source_file(tmp_path / "scan.svs")
    assert not is_source_file(flat) and not is_source_file(tmp_path / "missing.tif")
    assert not is_source_file(synthetic.save(synthetic.random_rgb(8, 8), tmp_path / "a.png"))


def test_a_source_imported_twice_keeps_one_row_per_tile(tmp_path):
    slide = write_slide(tmp_path / "s.tif", 512, 512)
    with Project.create(tmp_path / "p.loupe") as project:
        for _ in range(2):
            import_sources(project, [slide], TileOptions(size=128, level=0, min_tissue=0.0), workers=1)
        source = list_sources(project)[0]
        assert len(tile_states(project, source.id)) == 16


def test_a_view_of_a_file_without_a_pyramid_is_read_a_block_at_a_time(tmp_path):
    """A flat 8,192² slide zoomed out past MAX_VIEW_SIDE: no coarser level exists, so the view is
    read in blocks and subsampled, never the whole region at level 0."""
    import tracemalloc

    import numpy as np
    import tifffile

    from app.core.sources import tile_states
    from app.core.sources.tile_states import view_region

    data = np.full((8192, 8192, 3), 240, np.uint8)
    data[4096:, :4096] = (200, 90, 150)
    tifffile.imwrite(tmp_path / "flat.tif", data, tile=(512, 512), photometric="rgb", compression="zlib")
    del data
    tracemalloc.start()
    try:
        pixels, level = view_region(tmp_path / "flat.tif", 1.0, 0, 0, 8192, 8192)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert level == 0 and pixels.shape == (4096, 4096, 3)  # MAX_VIEW_SIDE, every other pixel
    assert tile_states.MAX_VIEW_SIDE == 4096
    assert tuple(pixels[3000, 1000]) == (200, 90, 150) and tuple(pixels[1000, 3000]) == (240, 240, 240)
    assert peak < 120e6, f"peak {peak / 1e6:.0f} MB (the whole region is 201 MB)"
