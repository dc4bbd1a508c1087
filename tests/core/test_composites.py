"""Named band composites of Sentinel-2 and Landsat scenes: which bands each picks, reflectance
scaling, fixed stretches, NDVI colours and no-data, through the decoder as the app reads them."""

from __future__ import annotations

import numpy as np
import pytest

from app.core.imaging import DecodeOptions, decode, default_bands
from app.core.imaging.band_tags import BandTags, band_tags_of_file, parse_gdal_metadata
from app.core.imaging.composites import (
    NEUTRAL,
    available,
    band_id,
    index_colours,
    recognise,
    reflectance_scaling,
    render,
)
from app.core.imaging.part_paths import TileRegion, tile_path
from tests.satellite import (
    LANDSAT_SR_NAMES,
    S2_L1C_NAMES,
    S2_L2A_NAMES,
    SPECTRA,
    cover_map,
    landsat_dn,
    reflectance,
    sentinel2_dn,
    write_scene,
)

L1C_IDS = tuple(band_id(n)[1] for n in S2_L1C_NAMES)
L2A_IDS = tuple(band_id(n)[1] for n in S2_L2A_NAMES)
ALL = ("true_colour", "false_colour_nir", "swir", "ndvi")


def stretched(value: float, low: float, high: float) -> int:
    return int(np.clip((value - low) / (high - low) * 255, 0, 255))


def expected_ndvi_colour(nir: float, red: float) -> np.ndarray:
    return index_colours(np.array([(nir - red) / (nir + red)], np.float32), -1.0, 1.0)[0].astype(int)


# -- recognising a file's bands -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "count", "sensor", "picks"),
    [
        # 13-band L1C: B4 B3 B2 | B8 B4 B3 | B12 B8A B4 | B8, B4
        (
            S2_L1C_NAMES,
            13,
            "sentinel-2",
            {"true_colour": (3, 2, 1), "false_colour_nir": (7, 3, 2), "swir": (12, 8, 3), "ndvi": (7, 3)},
        ),
        # 12-band L2A (no B10): B11, B12 move down one
        (
            S2_L2A_NAMES,
            12,
            "sentinel-2",
            {"true_colour": (3, 2, 1), "false_colour_nir": (7, 3, 2), "swir": (11, 8, 3), "ndvi": (7, 3)},
        ),
        # unnamed, by band count
        ((), 13, "sentinel-2", {"swir": (12, 8, 3), "ndvi": (7, 3)}),
        ((), 12, "sentinel-2", {"swir": (11, 8, 3)}),
        # Landsat C2 L2: 4-3-2, 5-4-3, 7-5-4
        (
            LANDSAT_SR_NAMES,
            7,
            "landsat-8-9",
            {"true_colour": (3, 2, 1), "false_colour_nir": (4, 3, 2), "swir": (6, 4, 3), "ndvi": (4, 3)},
        ),
        (tuple(f"B{b}" for b in range(1, 8)), 7, "landsat-8-9", {"swir": (6, 4, 3)}),
        (tuple(f"B{b}" for b in range(1, 12)), 11, "landsat-8-9", {"false_colour_nir": (4, 3, 2)}),
        ((), 7, "landsat-8-9", {"swir": (6, 4, 3)}),
        # Sentinel-2's 10 m bands, in any order: by name
        (
            ("B8", "B4", "B3", "B2"),
            4,
            "sentinel-2",
            {"true_colour": (1, 2, 3), "false_colour_nir": (0, 1, 2), "ndvi": (0, 1)},
        ),
        # four unnamed bands: blue, green, red, NIR
        ((), 4, "blue-green-red-nir", {"true_colour": (2, 1, 0), "false_colour_nir": (3, 2, 1), "ndvi": (3, 2)}),
        # bands named for what they are
        (
            ("NIR", "Red", "Green", "Blue", "SWIR 1", "SWIR 2"),
            6,
            "bands",
            {"true_colour": (1, 2, 3), "swir": (5, 0, 1)},
        ),
    ],
)
def test_each_composite_picks_the_sensors_bands(names, count, sensor, picks):
    layout = recognise(count, BandTags(names=names))
    assert layout is not None and layout.sensor.name == sensor
    for name, bands in picks.items():
        rendered = render(np.ones((2, 2, count), np.uint16) * 500, layout, name)
        assert rendered.bands == bands, name


def test_bands_named_otherwise_are_left_out_of_a_recognised_stack():
    landsat = recognise(8, BandTags(names=(*LANDSAT_SR_NAMES, "QA_PIXEL")))
    assert landsat.sensor.name == "landsat-8-9" and available(landsat) == ALL
    sentinel = recognise(5, BandTags(names=("B2", "B3", "B4", "B8", "SCL")))
    assert sentinel.sensor.name == "sentinel-2" and sentinel.roles["nir"] == 3
    assert recognise(3, BandTags(names=("B4", "mask", "cloud"))) is None  # one id: not enough to say


def test_only_the_composites_a_files_bands_allow_are_offered():
    assert available(recognise(13)) == ALL
    assert available(recognise(4, BandTags(names=("B2", "B3", "B4", "B8")))) == (
        "true_colour",
        "false_colour_nir",
        "ndvi",
    )
    assert available(recognise(3, BandTags(names=("Red", "Green", "Blue")))) == ("true_colour",)
    assert recognise(5) is None and recognise(3) is None
    assert recognise(5, BandTags(names=("elevation", "slope", "aspect", "a", "b"))) is None


def test_band_ids_are_read_however_the_file_spells_them():
    assert band_id("B04") == ("", "4") and band_id("b4") == ("", "4") and band_id("SR_B4") == ("SR_", "4")
    assert band_id("B8A") == ("", "8A") and band_id("B08A") == ("", "8A") and band_id("B12") == ("", "12")
    assert band_id("B4, central wavelength 665 nm") == ("", "4") and band_id("Band 4") == ("", "4")
    assert band_id("Blue") is None and band_id("B4X") is None


def test_default_bands_are_a_recognised_sensors_true_colour():
    assert default_bands(13) == (3, 2, 1) and default_bands(12) == (3, 2, 1)
    assert default_bands(7, LANDSAT_SR_NAMES) == (3, 2, 1)
    assert default_bands(4) == (2, 1, 0) and default_bands(5) == (0, 1, 2)


# -- reflectance ------------------------------------------------------------------------------------


def test_sentinel2_digital_numbers_are_reflectance_times_10000():
    layout = recognise(13)
    assert reflectance_scaling(layout, BandTags(), 3, True).apply(np.array([1234])) == pytest.approx(0.1234)


def test_sentinel2_boa_add_offset_is_subtracted_when_the_file_says_so():
    tags = parse_gdal_metadata(
        '<GDALMetadata><Item name="BOA_ADD_OFFSET">-1000</Item>'
        '<Item name="PROCESSING_BASELINE">05.09</Item></GDALMetadata>'
    )
    scaling = reflectance_scaling(recognise(12), tags, 3, True)
    assert scaling.apply(np.array([2234])) == pytest.approx(0.1234)
    assert scaling.apply(np.array([1000])) == pytest.approx(0.0, abs=1e-6)


def test_landsat_collection2_surface_reflectance_scaling():
    scaling = reflectance_scaling(recognise(7, BandTags(names=LANDSAT_SR_NAMES)), BandTags(), 3, True)
    assert scaling.apply(np.array([7273, 10000, 43636])) == pytest.approx([0.0, 0.075, 1.0], abs=1e-4)


def test_the_files_own_scale_and_float_reflectance_win_over_the_sensors_rule():
    layout = recognise(13)
    tags = BandTags(scales=(None,) * 3 + (0.0001,), offsets=(None,) * 3 + (-0.1,))
    assert reflectance_scaling(layout, tags, 3, True).apply(np.array([2000])) == pytest.approx(0.1)
    assert reflectance_scaling(layout, BandTags(), 3, False).apply(np.array([0.25])) == pytest.approx(0.25)
    assert reflectance_scaling(recognise(4), BandTags(), 2, True) is None  # unknown product: per-image stretch


# -- rendering ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def covers():
    return cover_map(40, 60, border=4)


@pytest.fixture
def s2_scene(tmp_path, covers):
    return write_scene(tmp_path / "s2.tif", sentinel2_dn(covers, L1C_IDS), S2_L1C_NAMES)


def test_true_colour_shows_reflectance_on_a_fixed_range(s2_scene, covers):
    rgb = np.asarray(decode(s2_scene).rgb).astype(int)
    for cover, (row, col) in {"vegetation": (20, 10), "soil": (20, 30), "water": (20, 50)}.items():
        red, green, blue = (SPECTRA[cover][b] for b in ("4", "3", "2"))
        expected = [stretched(red, 0, 0.3), stretched(green, 0, 0.3), stretched(blue, 0, 0.3)]
        assert np.abs(rgb[row, col] - expected).max() <= 1, cover


def test_tiles_of_one_scene_look_alike(tmp_path, covers):
    """A fixed stretch: a pixel has one colour whichever tile shows it (a per-image percentile
    stretch would show the soil tile's soil brighter than the whole scene's)."""
    path = write_scene(tmp_path / "s2.tif", sentinel2_dn(covers, L1C_IDS), S2_L1C_NAMES, nodata=0, tile=(16, 16))
    whole = np.asarray(decode(path).rgb).astype(int)
    soil_only = np.asarray(decode(tile_path(str(path), TileRegion(0, 24, 8, 16, 16, 16))).rgb).astype(int)
    assert np.abs(soil_only - whole[8:24, 24:40]).max() <= 1


def test_false_colour_and_swir_composites(s2_scene):
    veg = SPECTRA["vegetation"]
    false = np.asarray(decode(s2_scene, DecodeOptions(composite="false_colour_nir")).rgb).astype(int)[20, 10]
    assert np.abs(false - [stretched(veg[b], 0, 0.5) for b in ("8", "4", "3")]).max() <= 1
    assert false[0] > 3 * false[1]  # vegetation is red in false colour
    swir = np.asarray(decode(s2_scene, DecodeOptions(composite="swir")).rgb).astype(int)[20, 10]
    assert np.abs(swir - [stretched(veg[b], 0, 0.5) for b in ("12", "8A", "4")]).max() <= 1


def test_ndvi_is_a_colour_map_red_for_water_green_for_vegetation(s2_scene):
    decoded = decode(s2_scene, DecodeOptions(composite="ndvi"))
    rgb = np.asarray(decoded.rgb).astype(int)
    veg, water = SPECTRA["vegetation"], SPECTRA["water"]
    assert np.abs(rgb[20, 10] - expected_ndvi_colour(veg["8"], veg["4"])).max() <= 2
    assert np.abs(rgb[20, 50] - expected_ndvi_colour(water["8"], water["4"])).max() <= 2
    assert rgb[20, 10][1] > rgb[20, 10][0] + 80  # NDVI 0.82: green
    assert rgb[20, 50][0] > rgb[20, 50][1] + 80  # NDVI -0.5: red-orange
    assert decoded.bands_shown == (7, 3, 3)  # NIR, red


def test_a_chosen_composite_the_file_cannot_show_falls_back_to_true_colour(tmp_path, covers):
    data = sentinel2_dn(covers, ("2", "3", "4", "8"))
    path = write_scene(tmp_path / "s2_10m.tif", data, ("B2", "B3", "B4", "B8"))
    assert decode(path, DecodeOptions(composite="swir")).bands_shown == (2, 1, 0)


def test_manual_bands_still_win(s2_scene):
    decoded = decode(s2_scene, DecodeOptions(bands=(10, 9, 8), composite="ndvi"))
    assert decoded.bands_shown == (10, 9, 8)


def test_boa_add_offset_in_the_file_reaches_the_picture(tmp_path, covers):
    data = sentinel2_dn(covers, L2A_IDS, add_offset=-1000)
    path = write_scene(tmp_path / "l2a.tif", data, S2_L2A_NAMES, items={"BOA_ADD_OFFSET": "-1000"})
    rgb = np.asarray(decode(path).rgb).astype(int)
    assert abs(rgb[20, 30][0] - stretched(SPECTRA["soil"]["4"], 0, 0.3)) <= 1


def test_landsat_scene_through_the_decoder(tmp_path, covers):
    path = write_scene(tmp_path / "lc09.tif", landsat_dn(covers), LANDSAT_SR_NAMES, nodata=0)
    decoded = decode(path)
    rgb = np.asarray(decoded.rgb).astype(int)
    soil = SPECTRA["soil"]
    assert decoded.bands_shown == (3, 2, 1)
    assert np.abs(rgb[20, 30] - [stretched(soil[b], 0, 0.3) for b in ("4", "3", "2")]).max() <= 1
    assert tuple(rgb[0, 0]) == NEUTRAL  # GDAL_NODATA


# -- no data --------------------------------------------------------------------------------------


def test_all_zero_sentinel2_pixels_are_transparent(covers):
    data = sentinel2_dn(covers, L1C_IDS)
    rendered = render(data, recognise(13), "true_colour")
    assert not rendered.alpha[:4].any() and not rendered.alpha[:, :4].any()
    assert rendered.alpha[4:-4, 4:-4].all()
    assert (rendered.rgb[~rendered.alpha] == NEUTRAL).all()
    assert (rendered.rgba()[..., 3] == np.where(rendered.alpha, 255, 0)).all()


def test_the_files_nodata_value_and_nan_are_transparent(covers):
    layout = recognise(7, BandTags(names=LANDSAT_SR_NAMES))
    data = landsat_dn(covers, nodata=65535)
    rendered = render(data, layout, "ndvi", BandTags(names=LANDSAT_SR_NAMES, nodata=65535))
    assert (rendered.alpha == (covers != "")).all()
    float_refl = reflectance(covers, L1C_IDS).astype(np.float32)  # NaN border, reflectance already
    rendered = render(float_refl, recognise(13), "true_colour")
    assert (rendered.alpha == (covers != "")).all()
    assert abs(int(rendered.rgb[20, 10][0]) - stretched(SPECTRA["vegetation"]["4"], 0, 0.3)) <= 1


def test_a_zero_pixel_of_an_unknown_four_band_product_is_just_dark():
    data = np.full((4, 4, 4), 500, np.uint16)
    data[0, 0] = 0
    assert render(data, recognise(4), "true_colour").alpha.all()


def test_scene_tiles_show_nodata_as_the_neutral_colour(tmp_path, covers):
    path = write_scene(tmp_path / "s2.tif", sentinel2_dn(covers, L1C_IDS), S2_L1C_NAMES, nodata=0, tile=(16, 16))
    corner = np.asarray(decode(tile_path(str(path), TileRegion(0, 0, 0, 16, 16, 16))).rgb)
    assert tuple(corner[0, 0]) == NEUTRAL and tuple(corner[8, 8]) != NEUTRAL


def test_band_tags_are_read_from_the_file(tmp_path, covers):
    path = write_scene(
        tmp_path / "l2a.tif", sentinel2_dn(covers, L2A_IDS), S2_L2A_NAMES, nodata=0, items={"BOA_ADD_OFFSET": "-1000"}
    )
    tags = band_tags_of_file(tile_path(str(path), TileRegion(0, 0, 0, 8, 8, 8)))
    assert tags.names == S2_L2A_NAMES and tags.nodata == 0 and tags.item("BOA_ADD_OFFSET", 3) == "-1000"
