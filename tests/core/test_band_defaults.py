"""Multi-band images open as a true-colour composite when the file says where red, green and blue are."""

import numpy as np

from app.core.imaging import decode, default_bands
from tests import synthetic

GDAL_NAMES = (
    '<GDALMetadata><Item name="DESCRIPTION" sample="0" role="description">NIR</Item>'
    '<Item name="DESCRIPTION" sample="1" role="description">Red</Item>'
    '<Item name="DESCRIPTION" sample="2" role="description">Green</Item>'
    '<Item name="DESCRIPTION" sample="3" role="description">Blue</Item>'
    '<Item name="DESCRIPTION" sample="4" role="description">SWIR 1</Item></GDALMetadata>'
)


def distinct_bands(bands: int) -> np.ndarray:
    """Each band a different pattern (a ramp at its own angle), so a channel of the composite
    shows which band it came from."""
    y, x = np.mgrid[0:24, 0:32].astype(float)
    return (
        np.dstack([(1000 + 900 * np.cos(b) * x + 900 * np.sin(b) * y) for b in range(bands)]).clip(0).astype(np.uint16)
    )


def channel_source(decoded, data) -> list[int]:
    """For each of R, G, B: the band its pixels follow."""
    rgb = np.asarray(decoded.rgb).astype(float)
    return [
        int(np.argmax([np.corrcoef(rgb[:, :, c].ravel(), data[:, :, b].ravel())[0, 1] for b in range(data.shape[2])]))
        for c in range(3)
    ]


def test_four_unnamed_bands_are_read_as_blue_green_red_nir(tmp_path):
    data = distinct_bands(4)
    path = synthetic.write_tiff(tmp_path / "bgrn.tif", data, photometric="minisblack", planarconfig="contig")
    decoded = decode(path)
    assert decoded.bands_shown == (2, 1, 0)
    assert channel_source(decoded, data) == [2, 1, 0]  # band 1 (blue) is shown as blue


def test_band_names_in_a_geotiff_choose_the_true_colour_bands(tmp_path):
    data = distinct_bands(5)
    path = synthetic.write_tiff(
        tmp_path / "named.tif",
        data,
        photometric="minisblack",
        planarconfig="contig",
        extratags=[(42112, "s", 0, GDAL_NAMES, True)],
    )
    decoded = decode(path)
    assert decoded.bands_shown == (1, 2, 3)
    assert channel_source(decoded, data) == [1, 2, 3]


def test_other_band_counts_keep_the_first_three():
    assert default_bands(5) == (0, 1, 2) and default_bands(3) == (0, 1, 2) and default_bands(2) == (0, 0, 0)
    assert default_bands(6, ("coastal", "blue", "green", "red", "nir", "swir")) == (3, 2, 1)
