"""Maps of whole sources (`loupe predict --tiles` in the core): the tiles planned as import plans
them, classified by the run through the one batch loop, written as CSV (one row per kept tile at
its level-0 place) and GeoJSON (closed polygons where the tiles are, in slide pixels for QuPath,
in the scene's map coordinates with its CRS for QGIS), and kept for the window when the tiles
are the project's own."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from app.core.errors import ConfigError, ImageError
from app.core.imaging.part_paths import tile_path
from app.core.imaging.slides import open_source
from app.core.inference.predict import classify_files
from app.core.inference.tile_maps import classify_sources, plan_sources, store_tile_predictions
from app.core.project.store import Project
from app.core.sources.maps import MAP_FORMATS, map_format, write_map
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions, plan_tiles
from tests.predict_runs import project_copy, trained_project
from tests.slides import (
    SCENE_EPSG,
    SCENE_ORIGIN,
    SCENE_PIXEL,
    georef_scene,
    pyramid_slide,
    scene_pixels,
)
from tests.tiny_models import COLOURS

TILE = 128


def colour_slide_pixels(seed: int = 0) -> np.ndarray:
    """768×512 of glass with a band of red, green and blue tissue (256 px each) across the
    middle: 2×2 tiles of 128 of each colour, the top and bottom rows glass."""
    rng = np.random.default_rng(seed)
    data = np.full((512, 768, 3), 245, np.uint8)
    for k, colour in enumerate(COLOURS.values()):
        noise = rng.normal(0, 30, (256, 256, 3))
        data[128:384, k * 256 : (k + 1) * 256] = np.clip(np.array(colour) + noise, 0, 255).astype(np.uint8)
    return data


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """(template project with an active linear run, the colour slide, the georeferenced scene)."""
    folder = tmp_path_factory.mktemp("maps")
    path, _ = trained_project(folder / "project")
    slide = pyramid_slide(folder / "slide.tif", colour_slide_pixels())
    scene = georef_scene(folder / "scene.tif", scene_pixels(512, 384, border=64))
    return path, slide, scene


def _classified(path: Path, sources: list[Path], options: TileOptions = TileOptions(size=TILE, level=0)):
    with Project.open(path, read_only=True) as project:
        planned = plan_sources(sources, options)
        return classify_sources(project, planned, device="cpu")


def test_the_csv_has_one_row_per_kept_tile_at_its_level0_place(trained, tmp_path):
    path, slide, _ = trained
    result = _classified(path, [slide])
    with open_source(slide) as source:
        expected = plan_tiles(source, TileOptions(size=TILE, level=0)).tiles  # what import keeps
    assert len(expected) == 12  # 6×4 tiles, the 12 of the middle rows tissue

    out = write_map(result.tile_map, tmp_path / "map.csv")

    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(int(r["x"]), int(r["y"]), int(r["width"]), int(r["height"])) for r in rows] == [
        (t.x, t.y, t.width, t.height) for t in expected
    ]
    assert {r["source"] for r in rows} == {str(slide)} and {r["level"] for r in rows} == {"0"}
    assert list(rows[0])[-1] == "error" and "top_3_class" in rows[0]
    colour_at = {0: "red", 256: "green", 512: "blue"}  # the tissue's colour by the tile's x
    right = sum(r["class"] == colour_at[int(r["x"]) // 256 * 256] for r in rows)
    assert right >= 10  # the run learnt the colours: the map shows where each is
    assert all(0 < float(r["confidence"]) <= 1 and r["error"] == "" for r in rows)
    assert result.tiles_per_second > 0 and result.failed == 0


def _ring_corners(ring: list[list[float]]) -> set[tuple[float, float]]:
    return {tuple(point) for point in ring[:-1]}


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring[:-1], ring[1:])) / 2


def test_geojson_of_a_slide_is_tile_polygons_in_pixels_as_qupath_imports(trained, tmp_path):
    path, slide, _ = trained
    result = _classified(path, [slide])

    document = json.loads(write_map(result.tile_map, tmp_path / "map.geojson").read_text())

    assert document["type"] == "FeatureCollection" and "crs" not in document  # pixels: no CRS
    features = document["features"]
    assert len(features) == len(result.tile_map.tiles) == 12
    with Project.open(path, read_only=True) as project:
        colours = dict(project.conn.execute("SELECT name, colour FROM classes").fetchall())
    for feature, tile in zip(features, result.tile_map.tiles):
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Polygon"
        (ring,) = feature["geometry"]["coordinates"]
        assert len(ring) == 5 and ring[0] == ring[-1]  # closed
        r = tile.region
        assert _ring_corners(ring) == {
            (r.x, r.y),
            (r.x + r.width, r.y),
            (r.x + r.width, r.y + r.height),
            (r.x, r.y + r.height),
        }
        assert _signed_area(ring) > 0
        properties = feature["properties"]
        assert properties["objectType"] == "tile"
        name = properties["classification"]["name"]
        assert name == tile.label == properties["class"]
        hex_colour = colours[name]
        assert properties["classification"]["color"] == [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
        assert properties["confidence"] == pytest.approx(tile.confidence, abs=1e-6)
        assert [t["class"] for t in properties["top"]] == [t[1] for t in tile.top]
        measurements = properties["measurements"]
        assert measurements["Confidence"] == pytest.approx(tile.confidence, abs=1e-6)
        assert all(isinstance(v, float) for v in measurements.values())
        assert (properties["x"], properties["y"], properties["source"]) == (r.x, r.y, str(slide))


def test_geojson_of_a_georeferenced_scene_is_in_its_map_coordinates_with_its_crs(trained, tmp_path):
    path, _, scene = trained
    result = _classified(path, [scene])
    # 4×3 tiles of 128; the 64-pixel nodata border leaves the corners a quarter data: skipped
    assert len(result.tile_map.tiles) == 8 and result.planned[0].skipped == 4

    document = json.loads(write_map(result.tile_map, tmp_path / "scene.geojson").read_text())

    assert document["crs"] == {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{SCENE_EPSG}"}}
    by_place = {(f["properties"]["x"], f["properties"]["y"]): f for f in document["features"]}
    assert (0, 0) not in by_place and (128, 0) in by_place
    # By hand from the transform: x = 500000 + 10·col, y = 4000000 − 10·row (north up)
    (ring,) = by_place[(128, 0)]["geometry"]["coordinates"]
    x0, y0 = SCENE_ORIGIN
    assert _ring_corners(ring) == {
        (x0 + 128 * SCENE_PIXEL, y0),
        (x0 + 256 * SCENE_PIXEL, y0),
        (x0 + 256 * SCENE_PIXEL, y0 - 128 * SCENE_PIXEL),
        (x0 + 128 * SCENE_PIXEL, y0 - 128 * SCENE_PIXEL),
    }
    assert (501_280.0, 3_998_720.0) in _ring_corners(ring)
    assert ring[0] == ring[-1] and _signed_area(ring) > 0  # counter-clockwise on the map (RFC 7946)
    assert all(f["properties"]["classification"]["name"] in COLOURS for f in document["features"])


def test_one_geojson_holds_one_frame_and_the_suffix_chooses_the_format(trained, tmp_path):
    path, slide, scene = trained
    with Project.open(path, read_only=True) as project:
        planned = plan_sources([slide, scene], TileOptions(size=TILE, level=0))
        result = classify_sources(project, planned, device="cpu")
    with pytest.raises(ConfigError, match="different coordinates"):
        map_format("both.geojson").check([item.source for item in planned])
    with pytest.raises(ConfigError, match="different coordinates"):
        write_map(result.tile_map, tmp_path / "both.geojson")
    assert not (tmp_path / "both.geojson").exists()  # whole or not at all
    with (write_map(result.tile_map, tmp_path / "both.csv")).open(newline="") as f:
        assert len(list(csv.DictReader(f))) == 12 + 8  # a CSV holds any mix
    assert set(MAP_FORMATS) >= {".csv", ".geojson"}
    with pytest.raises(ConfigError, match="suffix"):
        map_format("map.txt")


def test_options_a_file_cannot_meet_and_unreadable_files_fail_before_any_model_loads(tmp_path):
    no_mpp = pyramid_slide(tmp_path / "no-mpp.tif", colour_slide_pixels(), mpp=None)
    with pytest.raises(ConfigError, match="no-mpp.tif.*µm per pixel"):
        plan_sources([no_mpp], TileOptions(size=TILE, mpp=0.5))
    with pytest.raises(ConfigError, match="no level 7"):
        plan_sources([no_mpp], TileOptions(size=TILE, level=7))
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"II*\x00" + b"\x00" * 64)
    with pytest.raises(ImageError, match="cannot read .*broken.tif"):
        plan_sources([broken], TileOptions(size=TILE))


def test_predictions_of_the_projects_own_tiles_are_kept_for_the_window(trained, tmp_path):
    template, slide, _ = trained
    path = project_copy(template, tmp_path / "copy")
    options = TileOptions(size=TILE, level=0)
    with Project.open(path) as project:
        import_sources(project, [slide], options)
        result = classify_sources(project, plan_sources([slide], options), device="cpu")
        stored = store_tile_predictions(project, result)
        assert stored.stored == 12 and not stored.read_only
        rows = project.conn.execute(
            "SELECT i.tile_x, i.tile_y, p.class_id, p.confidence FROM predictions p JOIN images i ON i.id = p.image_id"
            " WHERE p.run_id = ? AND i.source_id IS NOT NULL ORDER BY i.tile_y, i.tile_x",
            (result.run_id,),
        ).fetchall()
        assert [(x, y, c) for x, y, c, _ in rows] == [
            (t.region.x, t.region.y, t.class_id)
            for t in sorted(result.tile_map.tiles, key=lambda t: (t.region.y, t.region.x))
        ]
        # Other tiles (another size) are not the project's: nothing is stored for them
        other = classify_sources(project, plan_sources([slide], TileOptions(size=64, level=0)), device="cpu")
        assert store_tile_predictions(project, other).stored == 0
    with Project.open(path, read_only=True) as project:  # the window holds the lock: not kept, and said so
        outcome = store_tile_predictions(project, result)
        assert outcome.stored == 0 and outcome.read_only and "read-only" in outcome.not_stored


def test_a_tile_path_is_classified_like_a_file(trained):
    path, slide, _ = trained
    with open_source(slide) as source:
        region = plan_tiles(source, TileOptions(size=TILE, level=0)).tiles[0]
    with Project.open(path, read_only=True) as project:
        result = classify_files(project, [Path(tile_path(str(slide), region))], device="cpu")
    (prediction,) = result.predictions
    assert prediction.reason == "" and prediction.label == "red"  # the first tile is the red tissue


def test_a_stop_keeps_the_tiles_classified_so_far(trained):
    path, slide, _ = trained
    asked = []

    def stop() -> bool:  # asked before each batch: the second time says stop
        asked.append(1)
        return len(asked) > 1

    with Project.open(path, read_only=True) as project:
        planned = plan_sources([slide], TileOptions(size=32, level=0))  # 4 × 8 × 24 = many batches
        result = classify_sources(project, planned, device="cpu", should_stop=stop)
    assert result.cancelled and 0 < len(result.tile_map.tiles) < len(planned[0].tiles)


def test_a_tile_that_could_not_be_read_keeps_its_place_and_reason(tmp_path):
    from app.core.imaging.part_paths import TileRegion
    from app.core.sources.maps import MapSource, TileMap, TilePrediction

    source = MapSource("/slides/a.svs", "slide", 1000, 800)
    good = TilePrediction(
        0, TileRegion(1, 0, 0, 448, 448, 224), 7, "tumour", 0.9, ((7, "tumour", 0.9), (8, "stroma", 0.1))
    )
    bad = TilePrediction(0, TileRegion(1, 448, 0, 448, 448, 224), None, "", 0.0, reason="the tile is corrupt")
    tile_map = TileMap([source], [good, bad], {7: "#d55e00"}, top_k=2)

    with write_map(tile_map, tmp_path / "m.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    kept = [rows[1][key] for key in ("x", "y", "width", "level", "class", "confidence", "top_2_class")]
    assert kept == ["448", "0", "448", "1", "", "", ""]
    assert rows[1]["error"] == "the tile is corrupt" and rows[0]["top_2_class"] == "stroma"
    features = json.loads(write_map(tile_map, tmp_path / "m.geojson").read_text())["features"]
    assert features[0]["properties"]["classification"] == {"name": "tumour", "color": [213, 94, 0]}
    assert "classification" not in features[1]["properties"]
    assert features[1]["properties"]["error"] == "the tile is corrupt"
    assert features[1]["geometry"]["coordinates"][0][0] == [448, 0]
