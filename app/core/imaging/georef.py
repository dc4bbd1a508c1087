"""Where a georeferenced scene lies on the Earth: its CRS and the affine map from pixels to it.

Read from a GeoTIFF's own tags (ModelPixelScale + ModelTiepoint, or ModelTransformation, and the
GeoKey directory's EPSG code), as tifffile parses them; no GDAL needed. A tile's map coordinates
follow from the scene's transform, so a prediction map can be written in the scene's CRS and an
exported tile keeps its place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GeoRef:
    """`transform` is GDAL's six numbers (x0, pixel width, row rotation, y0, column rotation,
    pixel height; pixel height is negative for north-up scenes): map x = x0 + col·a + row·b,
    map y = y0 + col·d + row·e, at level-0 pixel corners. `epsg` is None when the file names
    its CRS only in words (then `crs_name` says it)."""

    transform: tuple[float, float, float, float, float, float]
    epsg: int | None = None
    crs_name: str = ""

    def to_map(self, col: float, row: float) -> tuple[float, float]:
        x0, a, b, y0, d, e = self.transform
        return x0 + col * a + row * b, y0 + col * d + row * e

    @property
    def rotated(self) -> bool:
        """The pixel grid is not aligned with the map axes (GeoTIFF then needs a
        ModelTransformation rather than a pixel scale and a tie point)."""
        return self.transform[2] != 0 or self.transform[4] != 0

    def for_window(self, col: float, row: float, factor: float = 1.0) -> GeoRef:
        """The georeferencing of an image whose pixel (0, 0) is this scene's level-0 pixel
        (`col`, `row`) and whose pixels each span `factor` level-0 pixels (a pyramid level with
        downsample d: `factor` = d): the same CRS, the origin moved, the pixel size scaled."""
        x0, a, b, y0, d, e = self.transform
        x, y = self.to_map(col, row)
        return GeoRef((x, a * factor, b * factor, y, d * factor, e * factor), self.epsg, self.crs_name)

    def for_tile(self, region, pixels_across: int | None = None) -> GeoRef:
        """The georeferencing of a tile image of `region` (a part_paths.TileRegion: level-0
        position and extent), `pixels_across` pixels on its longer side: `region.size` by
        default, as `slides.region_pixels` reads it; a tile saved at its level's own resolution
        passes that level's width of the region."""
        across = pixels_across or region.size
        return self.for_window(region.x, region.y, max(region.width, region.height) / across)

    @property
    def crs(self) -> str:
        """The CRS as GeoJSON and QGIS name it ("EPSG:32633"), or the file's own words."""
        return f"EPSG:{self.epsg}" if self.epsg else self.crs_name

    def to_json(self) -> dict:
        return {"transform": list(self.transform), "epsg": self.epsg, "crs_name": self.crs_name}

    @classmethod
    def from_json(cls, data: dict | None) -> GeoRef | None:
        if not data:
            return None
        return cls(tuple(data["transform"]), data.get("epsg"), data.get("crs_name", ""))


def georef_of(page) -> GeoRef | None:
    """The georeferencing of a tifffile page, or None when it has none (or it cannot be used)."""
    if not getattr(page, "is_geotiff", False):
        return None
    try:
        tags = page.geotiff_tags or {}
    except Exception:  # a damaged GeoKey directory: the scene is still readable, unplaced
        return None
    transform = _transform(tags)
    if transform is None:
        return None
    epsg = tags.get("ProjectedCSTypeGeoKey") or tags.get("GeographicTypeGeoKey")
    epsg = int(getattr(epsg, "value", epsg)) if epsg is not None else None
    if epsg is not None and not 1024 <= epsg < 32767:  # 32767 = user-defined: no EPSG code
        epsg = None
    name = str(tags.get("GTCitationGeoKey") or tags.get("PCSCitationGeoKey") or "")
    return GeoRef(transform, epsg, name)


def _transform(tags: dict) -> tuple[float, float, float, float, float, float] | None:
    matrix = tags.get("ModelTransformation")
    if matrix is not None:
        # tifffile gives the 4×4 matrix as nested lists (rows); flattened row by row
        m = [float(v) for v in np.asarray(matrix, dtype=float).ravel()]
        if len(m) >= 8:
            return (m[3], m[0], m[1], m[7], m[4], m[5])
    scale, tiepoint = tags.get("ModelPixelScale"), tags.get("ModelTiepoint")
    if scale is None or tiepoint is None or len(scale) < 2 or len(tiepoint) < 6:
        return None
    i, j, _, x, y, _ = (float(v) for v in tiepoint[:6])
    sx, sy = float(scale[0]), float(scale[1])
    return (x - i * sx, sx, 0.0, y + j * sy, 0.0, -sy)
