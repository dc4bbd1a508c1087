"""GeoTIFFs written by Loupe keep their place: transform, EPSG, no-data and band names read back
as GDAL would read them (from the tags, through tifffile and the app's own readers)."""

from __future__ import annotations

import numpy as np
import pytest
import tifffile

from app.core.imaging.band_tags import band_tags_of
from app.core.imaging.georef import GeoRef, georef_of
from app.core.imaging.geotiff_writer import write_georeferenced
from app.core.imaging.part_paths import TileRegion
from app.core.imaging.slides import open_source, region_pixels
from tests.satellite import S2_L2A_NAMES, cover_map, sentinel2_dn, write_scene

UTM = GeoRef((500000.0, 10.0, 0.0, 4600000.0, 0.0, -10.0), 32633)


def read_back(path):
    with tifffile.TiffFile(path) as tif:
        page = tif.pages.first
        return page.asarray(), georef_of(page), band_tags_of(page), tif.pages.first.tags


def test_a_tile_written_reads_back_with_its_place_bands_and_nodata(tmp_path):
    samples = np.random.default_rng(0).integers(0, 10000, (32, 48, 4)).astype(np.uint16)
    path = write_georeferenced(samples, UTM, tmp_path / "tile.tif", ("B2", "B3", "B4", "B8"), nodata=0)
    data, georef, tags, page_tags = read_back(path)
    assert np.array_equal(data, samples) and data.dtype == np.uint16
    assert georef == UTM and georef.crs == "EPSG:32633"
    assert tags.names == ("B2", "B3", "B4", "B8") and tags.nodata == 0
    assert page_tags["ModelPixelScaleTag"].value == (10.0, 10.0, 0.0)
    assert page_tags["ModelTiepointTag"].value == (0.0, 0.0, 0.0, 500000.0, 4600000.0, 0.0)
    assert not list(tmp_path.glob("*.partial"))


@pytest.mark.parametrize(
    ("georef", "samples"),
    [
        (GeoRef((300000.0, 20.0, 1.5, 5000000.0, -1.5, -20.0), 32632), np.arange(30, dtype=np.float32).reshape(5, 6)),
        (GeoRef((5.0, 0.001, 0.0, 52.0, 0.0, -0.001), 4326), np.arange(90, dtype=np.uint8).reshape(5, 6, 3)),
        (GeoRef((1.0, 2.0, 0.0, 3.0, 0.0, -2.0), None, "Local mine grid"), np.ones((4, 4), np.int16)),
    ],
)
def test_rotated_geographic_and_unnamed_crs_round_trip(tmp_path, georef, samples):
    data, read, _, page_tags = read_back(write_georeferenced(samples, georef, tmp_path / "out.tif"))
    assert np.array_equal(data, samples) and read == georef
    assert ("ModelTransformationTag" in page_tags) == georef.rotated


def test_a_tile_at_a_reduced_level_gets_its_own_transform():
    region = TileRegion(level=1, x=256, y=512, width=512, height=512, size=256)  # downsample 2
    tile = UTM.for_tile(region)
    assert tile.transform == (500000.0 + 2560, 20.0, 0.0, 4600000.0 - 5120, 0.0, -20.0)
    assert tile.epsg == 32633
    for col, row in ((0, 0), (10, 3), (255, 255)):  # tile pixel -> the scene's level-0 pixel
        assert tile.to_map(col, row) == pytest.approx(UTM.to_map(256 + 2 * col, 512 + 2 * row))
    assert UTM.for_window(256, 512, 2.0) == tile
    assert UTM.for_tile(region, pixels_across=512).transform[1] == 10.0


def test_a_rotated_scenes_tile_stays_on_the_scene():
    scene = GeoRef((1000.0, 10.0, 2.0, 2000.0, 1.0, -10.0), 32633)
    tile = scene.for_window(100, 50, 4.0)
    assert tile.to_map(3, 7) == pytest.approx(scene.to_map(100 + 12, 50 + 28))


def test_a_scene_tile_exported_lies_where_it_was_cut_from(tmp_path):
    """The export's round trip: a tile of a scene, read as the app reads tiles, written with
    the tile's georeferencing, reads back with the scene's map coordinates and the same samples."""
    scene = write_scene(
        tmp_path / "scene.tif", sentinel2_dn(cover_map(64, 64), ("1", "2", "3", "4")), S2_L2A_NAMES[:4], nodata=0
    )
    region = TileRegion(0, 16, 32, 32, 32, 32)
    with open_source(scene) as source:
        samples = region_pixels(source, region)
        georef = source.georef.for_tile(region)
        path = write_georeferenced(samples, georef, tmp_path / "tile.tif", source.band_names, source.nodata)
        scene_georef = source.georef
    with open_source(path) as tile:
        assert np.array_equal(tile.read_region(0, 0, 0, 32, 32), samples)
        assert tile.georef.to_map(0, 0) == scene_georef.to_map(16, 32) and tile.georef.epsg == 32633
        assert tile.band_names == S2_L2A_NAMES[:4] and tile.nodata == 0


def test_bad_shapes_and_band_names_are_refused_before_writing(tmp_path):
    with pytest.raises(ValueError):
        write_georeferenced(np.zeros((2, 2, 2, 2)), UTM, tmp_path / "x.tif")
    with pytest.raises(ValueError):
        write_georeferenced(np.zeros((2, 2, 3)), UTM, tmp_path / "x.tif", ("a", "b"))
    assert not list(tmp_path.iterdir())
