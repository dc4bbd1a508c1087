"""A training run on the tiles of whole slides: each slide trains or validates whole, and the
run says so; one slide alone still validates, with a lasting warning."""

from __future__ import annotations

import numpy as np

from app.core.labelling.classes import add_class
from app.core.labelling.labels import set_labels
from app.core.project.store import Project
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions
from app.core.training.config import TrainConfig
from app.core.training.runs import get_run
from app.core.training.trainer import train
from tests.slides import pyramid_slide, slide_pixels


def _two_class_slide(path, seed):
    """Pink tissue on the left half of the tissue, purple on the right: two classes per slide."""
    data = slide_pixels(1024, 512, [(128, 128, 768, 256)], seed=seed)
    rng = np.random.default_rng(seed)
    data[128:384, 512:896] = np.clip(rng.integers(-30, 30, (256, 384, 1)) + np.array([90, 60, 170]), 0, 255)
    return pyramid_slide(path, data)


def _labelled_tiles_project(tmp_path, slides: int):
    paths = [_two_class_slide(tmp_path / f"slide{k}.tif", seed=k) for k in range(slides)]
    project = Project.create(tmp_path / "p.loupe")
    pink, purple = add_class(project, "pink").id, add_class(project, "purple").id
    import_sources(project, paths, TileOptions(size=128, level=0))
    rows = project.conn.execute("SELECT id, tile_x FROM images").fetchall()
    set_labels(project, [(i, purple if x >= 512 else pink) for i, x in rows], "human", "by hand")
    return project


def test_each_slide_trains_or_validates_whole_and_the_run_says_so(tmp_path, tiny_vit):
    with _labelled_tiles_project(tmp_path, slides=4) as project:
        result = train(project, TrainConfig(model=str(tiny_vit), method="linear", val_fraction=0.25, device="cpu"))
        assert result.status == "done"
        sides = project.conn.execute(
            "SELECT i.source_id, group_concat(DISTINCT s.split) FROM images i JOIN splits s ON s.image_id = i.id"
            " GROUP BY i.source_id"
        ).fetchall()
        assert len(sides) == 4 and all("," not in side for _, side in sides)  # never both
        assert {side for _, side in sides} == {"train", "val"}
        run = get_run(project, result.run)
        assert run.report["near_duplicates"]["sources"] == 4
        assert run.report["near_duplicates"]["single_source"] is False
        assert not any("near-twin" in notice for notice in run.notices)  # a slide's tiles are not called twins


def test_one_slide_alone_validates_tile_by_tile_with_a_lasting_warning(tmp_path, tiny_vit):
    with _labelled_tiles_project(tmp_path, slides=1) as project:
        result = train(project, TrainConfig(model=str(tiny_vit), method="linear", val_fraction=0.25, device="cpu"))
        assert result.status == "done"
        run = get_run(project, result.run)
        assert run.report["near_duplicates"]["single_source"] is True
        assert any("Every labelled tile comes from one slide or scene (slide0.tif)" in n for n in run.notices)
        assert project.conn.execute("SELECT count(*) FROM splits WHERE split = 'val'").fetchone()[0] > 0
