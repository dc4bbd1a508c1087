"""GeoTIFFs written with tifffile, placed where they belong: an exported tile of a scene opens in
QGIS or GDAL on top of the scene it was cut from.

A GeoTIFF says where it lies with three TIFF tags that GDAL reads (no GDAL needed to write them):
ModelPixelScale + ModelTiepoint for a north-up grid (or ModelTransformation, the full affine, for
a rotated one) and the GeoKey directory naming the CRS by EPSG code; GDAL's own two tags carry
the no-data value (GDAL_NODATA) and the band names (GDAL_METADATA descriptions). The file is
written whole: under a temporary name beside the target, then renamed.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np

from app.core.atomic_files import written_whole
from app.core.imaging.georef import GeoRef

#: TIFF tag numbers (GeoTIFF 1.1 and GDAL's private tags).
MODEL_PIXEL_SCALE = 33550
MODEL_TIEPOINT = 33922
MODEL_TRANSFORMATION = 34264
GEO_KEY_DIRECTORY = 34735
GEO_ASCII_PARAMS = 34737
GDAL_METADATA = 42112
GDAL_NODATA = 42113

#: GeoKeys (GeoTIFF 1.1, section 7).
GT_MODEL_TYPE = 1024  # 1 projected, 2 geographic
GT_RASTER_TYPE = 1025  # 1 PixelIsArea: the transform maps pixel corners, as GDAL's does
GT_CITATION = 1026
GEOGRAPHIC_TYPE = 2048
PROJECTED_CS_TYPE = 3072


def _is_geographic(epsg: int) -> bool:
    """EPSG's geographic 2D CRSs (WGS 84 is 4326, ETRS89 4258, NAD83 4269) sit in 4000–4999;
    the projected ones a scene uses (UTM zones 326xx/327xx, national grids) do not."""
    return 4000 <= epsg < 5000


def geo_tags(georef: GeoRef) -> list[tuple]:
    """tifffile `extratags` placing an image by `georef`."""
    x0, a, b, y0, d, e = georef.transform
    if georef.rotated:
        matrix = (a, b, 0.0, x0, d, e, 0.0, y0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0)
        placement = [(MODEL_TRANSFORMATION, "d", 16, matrix, True)]
    else:
        placement = [
            (MODEL_PIXEL_SCALE, "d", 3, (a, -e, 0.0), True),
            (MODEL_TIEPOINT, "d", 6, (0.0, 0.0, 0.0, x0, y0, 0.0), True),
        ]
    keys: list[tuple[int, int, int, int]] = [(GT_RASTER_TYPE, 0, 1, 1)]
    ascii_params = ""
    if georef.epsg:
        geographic = _is_geographic(georef.epsg)
        keys.append((GT_MODEL_TYPE, 0, 1, 2 if geographic else 1))
        keys.append((GEOGRAPHIC_TYPE if geographic else PROJECTED_CS_TYPE, 0, 1, georef.epsg))
    if georef.crs_name:
        ascii_params = georef.crs_name.replace("|", "/") + "|"
        keys.append((GT_CITATION, GEO_ASCII_PARAMS, len(ascii_params), 0))
    keys.sort()
    directory = [1, 1, 0, len(keys)] + [value for key in keys for value in key]
    tags = [*placement, (GEO_KEY_DIRECTORY, "H", len(directory), directory, True)]
    if ascii_params:
        tags.append((GEO_ASCII_PARAMS, "s", 0, ascii_params, True))
    return tags


def gdal_tags(band_names: tuple[str, ...] = (), nodata: float | None = None) -> list[tuple]:
    """tifffile `extratags` for GDAL's band descriptions and no-data value."""
    tags = []
    if any(band_names):
        items = "".join(
            f'<Item name="DESCRIPTION" sample="{band}" role="description">{escape(name)}</Item>'
            for band, name in enumerate(band_names)
        )
        tags.append((GDAL_METADATA, "s", 0, f"<GDALMetadata>{items}</GDALMetadata>", True))
    if nodata is not None:
        text = "nan" if np.isnan(nodata) else format(float(nodata), ".17g")
        tags.append((GDAL_NODATA, "s", 0, text, True))
    return tags


def write_georeferenced(
    samples: np.ndarray,
    georef: GeoRef | None,
    target: str | os.PathLike,
    band_names: tuple[str, ...] = (),
    nodata: float | None = None,
) -> Path:
    """Write `samples` (H×W or H×W×bands, any numeric type, kept as they are) to the GeoTIFF
    `target`, placed by `georef` (None: an unplaced TIFF that still carries band names and
    no-data), whole or not at all. Three 8-bit bands are written as RGB (what viewers expect of
    an RGB tile); any other layout band-interleaved by pixel, as GDAL writes by default."""
    import tifffile

    samples = np.asarray(samples)
    if samples.ndim not in (2, 3):
        raise ValueError(f"samples must be H×W or H×W×bands, not {samples.shape}")
    if band_names and len(band_names) != (1 if samples.ndim == 2 else samples.shape[2]):
        raise ValueError(f"{len(band_names)} band names for {1 if samples.ndim == 2 else samples.shape[2]} bands")
    rgb = samples.ndim == 3 and samples.shape[2] == 3 and samples.dtype == np.uint8
    extratags = (geo_tags(georef) if georef else []) + gdal_tags(tuple(band_names), nodata)
    out = Path(target)
    encoded = io.BytesIO()  # tifffile wants a named file or a stream it can seek; a tile is small
    tifffile.imwrite(
        encoded,
        samples,
        photometric="rgb" if rgb else "minisblack",
        planarconfig="contig" if samples.ndim == 3 else None,
        extratags=extratags,
        metadata=None,  # no tifffile JSON description: GDAL would show it as metadata
    )
    with written_whole(out, binary=True) as f:
        f.write(encoded.getvalue())
    return out
