"""Synthetic Sentinel-2 and Landsat scenes, written by the tests with tifffile.

A scene is a map of land covers (vegetation, water, bare soil) and a no-data border; each cover
has a known reflectance per band, so a test knows what every pixel of a composite must be.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
import tifffile

S2_L1C_NAMES = ("B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B8A", "B9", "B10", "B11", "B12")
#: L2A as GDAL's SENTINEL2 driver describes its bands ("B4, central wavelength 665 nm" style
#: is trimmed to the id by band_id); zero-padded ids as SAFE file names write them.
S2_L2A_NAMES = ("B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B8A", "B09", "B11", "B12")
LANDSAT_SR_NAMES = ("SR_B1", "SR_B2", "SR_B3", "SR_B4", "SR_B5", "SR_B6", "SR_B7")

#: Reflectance by band id, per land cover (typical spectra, rounded).
SPECTRA = {
    "vegetation": {
        "1": 0.03,
        "2": 0.03,
        "3": 0.06,
        "4": 0.04,
        "5": 0.10,
        "6": 0.30,
        "7": 0.38,
        "8": 0.40,
        "8A": 0.42,
        "9": 0.40,
        "10": 0.01,
        "11": 0.20,
        "12": 0.10,
    },
    "water": {
        "1": 0.07,
        "2": 0.06,
        "3": 0.05,
        "4": 0.03,
        "5": 0.02,
        "6": 0.015,
        "7": 0.012,
        "8": 0.01,
        "8A": 0.01,
        "9": 0.005,
        "10": 0.001,
        "11": 0.005,
        "12": 0.003,
    },
    "soil": {
        "1": 0.08,
        "2": 0.09,
        "3": 0.12,
        "4": 0.16,
        "5": 0.18,
        "6": 0.20,
        "7": 0.21,
        "8": 0.22,
        "8A": 0.23,
        "9": 0.23,
        "10": 0.02,
        "11": 0.30,
        "12": 0.25,
    },
}
#: Landsat OLI band id -> the Sentinel-2 band of the same colour (for SPECTRA).
LANDSAT_AS_S2 = {"1": "1", "2": "2", "3": "3", "4": "4", "5": "8A", "6": "11", "7": "12"}


def cover_map(height: int = 40, width: int = 60, border: int = 4) -> np.ndarray:
    """Vegetation on the left third, soil in the middle, water on the right; "" in a no-data
    border `border` pixels wide."""
    covers = np.empty((height, width), dtype=object)
    covers[:, : width // 3] = "vegetation"
    covers[:, width // 3 : 2 * width // 3] = "soil"
    covers[:, 2 * width // 3 :] = "water"
    if border:
        covers[:border, :] = covers[-border:, :] = covers[:, :border] = covers[:, -border:] = ""
    return covers


def reflectance(covers: np.ndarray, band_ids: tuple[str, ...]) -> np.ndarray:
    """H×W×bands float reflectance (NaN in the no-data border)."""
    out = np.full((*covers.shape, len(band_ids)), np.nan, np.float64)
    for cover, spectrum in SPECTRA.items():
        out[covers == cover] = [spectrum[band] for band in band_ids]
    return out


def sentinel2_dn(covers: np.ndarray, band_ids: tuple[str, ...], add_offset: int = 0) -> np.ndarray:
    """Sentinel-2 digital numbers: reflectance × 10000 − BOA_ADD_OFFSET (0 in the border)."""
    refl = reflectance(covers, band_ids)
    dn = np.rint(refl * 10000 - add_offset)
    return np.nan_to_num(dn, nan=0).astype(np.uint16)


def landsat_dn(covers: np.ndarray, nodata: int = 0) -> np.ndarray:
    """Landsat Collection 2 L2 surface reflectance DNs: (reflectance + 0.2) / 0.0000275."""
    refl = reflectance(covers, tuple(LANDSAT_AS_S2[str(b)] for b in range(1, 8)))
    dn = np.rint((refl + 0.2) / 0.0000275)
    return np.nan_to_num(dn, nan=nodata).astype(np.uint16)


def gdal_metadata(names: tuple[str, ...] = (), items: dict[str, str] | None = None, scales=(), offsets=()) -> str:
    parts = [f'<Item name="{escape(k)}">{escape(v)}</Item>' for k, v in (items or {}).items()]
    parts += [
        f'<Item name="DESCRIPTION" sample="{i}" role="description">{escape(n)}</Item>' for i, n in enumerate(names)
    ]
    parts += [f'<Item name="SCALE" sample="{i}" role="scale">{s}</Item>' for i, s in enumerate(scales)]
    parts += [f'<Item name="OFFSET" sample="{i}" role="offset">{o}</Item>' for i, o in enumerate(offsets)]
    return f"<GDALMetadata>{''.join(parts)}</GDALMetadata>"


def write_scene(
    path: Path,
    samples: np.ndarray,
    names: tuple[str, ...] = (),
    *,
    nodata: float | None = None,
    items: dict[str, str] | None = None,
    transform: tuple[float, ...] | None = (500000.0, 10.0, 0.0, 4600000.0, 0.0, -10.0),
    epsg: int = 32633,
    tile: tuple[int, int] | None = None,
) -> Path:
    """A GeoTIFF as GDAL writes one: band descriptions and metadata items, GDAL_NODATA, a pixel
    scale and tie point with a UTM EPSG code (`transform` None: not georeferenced)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tags = []
    if names or items:
        tags.append((42112, "s", 0, gdal_metadata(names, items), True))
    if nodata is not None:
        tags.append((42113, "s", 0, f"{nodata:g}", True))
    if transform is not None:
        x0, a, _, y0, _, e = transform
        tags += [
            (33550, "d", 3, (a, -e, 0.0), True),
            (33922, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), True),
            (34735, "H", 12, (1, 1, 0, 2, 1024, 0, 1, 1, 3072, 0, 1, epsg), True),
        ]
    tifffile.imwrite(path, samples, photometric="minisblack", planarconfig="contig", extratags=tags, tile=tile)
    return path
