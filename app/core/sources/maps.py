"""Maps of whole sources: what a run says about every kept tile of a slide or scene, written as
a CSV table or a GeoJSON FeatureCollection, chosen by the output's suffix (`MAP_FORMATS`).

    fmt = map_format(out)                             # ConfigError for a suffix no format writes
    out = check_output(out, fmt.output, project.paths)
    fmt.check(sources)                                # the sources fit in one file of this format
    write_map(tile_map, out)                          # whole or not at all

The model pass that fills a `TileMap` is `inference.tile_maps` (the sources layer knows no
model); this module only says where each tile is and writes it down.

GeoJSON is written for the two kinds of tools that read it. For a slide (or a scene with no
georeferencing), each tile is a Polygon in the source's level-0 pixel coordinates, x to the right
and y down, with the properties QuPath's importer reads (`objectType` "tile", `classification`
with the class's name and colour, numeric `measurements`): File ▸ Import objects shows the map on
the slide. For a georeferenced scene, each tile's corners go through the scene's transform into
its map coordinates and the file carries the CRS in the old `crs` member (RFC 7946 dropped it, but
QGIS and GDAL still read it, and without it a UTM map would be read as degrees), so QGIS puts the
map where the scene lies. Every ring is closed and counter-clockwise, as RFC 7946 asks.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.atomic_files import written_whole
from app.core.errors import ConfigError
from app.core.file_names import shown
from app.core.imaging.georef import GeoRef
from app.core.imaging.part_paths import TileRegion
from app.core.project.outputs import OutputKind

#: The colour of a class the project no longer has (a run can outlive a deleted class).
_NO_COLOUR = (153, 153, 153)


@dataclass(frozen=True)
class MapSource:
    """A source as a map places its tiles: the file, and the frame its coordinates are in."""

    path: str  # absolute
    kind: str  # "slide" or "scene"
    width: int
    height: int
    georef: GeoRef | None = None
    mpp: float | None = None

    @property
    def frame(self) -> str:
        """The coordinates its tiles are written in: "pixels", or the CRS of a placed scene."""
        return self.georef.crs if self.georef is not None and self.georef.crs else "pixels"

    def ring(self, region: TileRegion) -> list[list[float]]:
        """The tile's outline, closed and counter-clockwise: level-0 pixels, or map coordinates."""
        corners = [
            (region.x, region.y),
            (region.x + region.width, region.y),
            (region.x + region.width, region.y + region.height),
            (region.x, region.y + region.height),
        ]
        if self.georef is not None:
            points = [list(self.georef.to_map(col, row)) for col, row in corners]
        else:
            points = [[col, row] for col, row in corners]
        if _signed_area(points) < 0:  # north-up scenes flip y: keep the right-hand rule
            points.reverse()
        return points + [list(points[0])]


def _signed_area(points: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


@dataclass(frozen=True)
class TilePrediction:
    """What a run said about one tile (`class_id` None: the tile could not be read)."""

    source: int  # index into TileMap.sources
    region: TileRegion
    class_id: int | None
    label: str
    confidence: float
    top: tuple[tuple[int, str, float], ...] = ()  # (class id, name, probability), best first
    reason: str = ""


@dataclass
class TileMap:
    sources: list[MapSource]
    tiles: list[TilePrediction]
    #: Class id -> its colour as "#rrggbb" (the project's classes); others are grey.
    colours: dict[int, str] = field(default_factory=dict)
    top_k: int = 3

    def rgb(self, class_id: int | None) -> tuple[int, int, int]:
        colour = self.colours.get(class_id) if class_id is not None else None
        if not colour or len(colour) != 7 or not colour.startswith("#"):
            return _NO_COLOUR
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


# -- CSV --------------------------------------------------------------------------------------------


def csv_header(top_k: int) -> list[str]:
    header = ["source", "level", "x", "y", "width", "height", "class", "confidence"]
    for rank in range(2, top_k + 1):
        header += [f"top_{rank}_class", f"top_{rank}_probability"]
    return header + ["error"]


def write_map_csv(tile_map: TileMap, out: Path) -> None:
    """One row per tile: the source (absolute path), level, x, y, width, height (level-0 pixels),
    the class and its confidence, the next classes with their probabilities, and an error."""
    with written_whole(out) as f:
        writer = csv.writer(f)
        writer.writerow(csv_header(tile_map.top_k))
        for tile in tile_map.tiles:
            r = tile.region
            row = [shown(tile_map.sources[tile.source].path), r.level, r.x, r.y, r.width, r.height]
            row += [tile.label, f"{tile.confidence:.6f}" if tile.class_id is not None else ""]
            for rank in range(1, tile_map.top_k):
                row += [tile.top[rank][1], f"{tile.top[rank][2]:.6f}"] if rank < len(tile.top) else ["", ""]
            writer.writerow(row + [tile.reason])


# -- GeoJSON ----------------------------------------------------------------------------------------


def crs_member(frame: str) -> dict | None:
    """The `crs` member QGIS and GDAL read for a frame ("EPSG:32633"); None for pixels."""
    if frame == "pixels":
        return None
    if frame.upper().startswith("EPSG:"):
        return {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{frame.split(':', 1)[1]}"}}
    return {"type": "name", "properties": {"name": frame}}


def feature(tile_map: TileMap, tile: TilePrediction) -> dict:
    """A tile as QuPath imports it: a Polygon, objectType "tile", its classification (name and
    colour), numeric measurements; and the plain properties a GIS table shows."""
    source = tile_map.sources[tile.source]
    r = tile.region
    properties: dict = {
        "objectType": "tile",
        "source": shown(source.path),
        "level": r.level,
        "x": r.x,
        "y": r.y,
        "width": r.width,
        "height": r.height,
    }
    if tile.class_id is not None:
        properties["classification"] = {"name": tile.label, "color": list(tile_map.rgb(tile.class_id))}
        properties["class"] = tile.label
        properties["confidence"] = round(tile.confidence, 6)
        properties["top"] = [{"class": name, "probability": round(q, 6)} for _, name, q in tile.top]
        properties["measurements"] = {"Confidence": round(tile.confidence, 6)} | {
            f"Probability: {name}": round(q, 6) for _, name, q in tile.top
        }
    else:
        properties["error"] = tile.reason
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [source.ring(r)]},
        "properties": properties,
    }


def write_map_geojson(tile_map: TileMap, out: Path) -> None:
    """A FeatureCollection, one feature per tile, written a feature at a time (a 100,000-tile
    map is never one string in memory)."""
    frames = {s.frame for s in tile_map.sources}
    check_one_frame(tile_map.sources)
    head: dict = {"type": "FeatureCollection"}
    crs = crs_member(frames.pop()) if frames else None
    if crs:
        head["crs"] = crs
    with written_whole(out) as f:
        f.write(json.dumps(head)[:-1] + ', "features": [\n')
        for index, tile in enumerate(tile_map.tiles):
            f.write((",\n" if index else "") + json.dumps(feature(tile_map, tile), ensure_ascii=False))
        f.write("\n]}\n")


def check_one_frame(sources: list[MapSource]) -> None:
    """One GeoJSON file has one coordinate frame: slides (pixels) or scenes of one CRS, not a mix."""
    frames = sorted({s.frame for s in sources})
    if len(frames) > 1:
        listed = ", ".join("slide pixels" if f == "pixels" else f for f in frames)
        raise ConfigError(
            f"these sources are in different coordinates ({listed}); one GeoJSON map holds one frame: "
            "write one map per source, or a CSV"
        )


# -- The formats, by suffix -------------------------------------------------------------------------


@dataclass(frozen=True)
class MapFormat:
    name: str
    output: OutputKind  # what `check_output` lets it replace
    write: Callable[[TileMap, Path], None]
    #: Refuses sources this format cannot hold in one file, before any tile is classified.
    check: Callable[[list[MapSource]], None] = lambda sources: None


_GEOJSON = MapFormat(
    "GeoJSON", OutputKind("a GeoJSON file", suffixes=(".geojson", ".json")), write_map_geojson, check_one_frame
)
MAP_FORMATS: dict[str, MapFormat] = {
    ".csv": MapFormat("CSV", OutputKind("a CSV file", suffixes=(".csv",)), write_map_csv),
    ".geojson": _GEOJSON,
    ".json": _GEOJSON,
}


def map_format(out: str | os.PathLike) -> MapFormat:
    """The format an output's suffix asks for; ConfigError naming the ones there are."""
    suffix = Path(out).suffix.lower()
    if suffix not in MAP_FORMATS:
        known = ", ".join(sorted(MAP_FORMATS))
        raise ConfigError(f"a map is written as {known} (by the --out file's suffix); {Path(out).name} is none of them")
    return MAP_FORMATS[suffix]


def write_map(tile_map: TileMap, out: str | os.PathLike) -> Path:
    """Write the map in the format its suffix names, whole or not at all; the absolute path."""
    out = Path(os.path.abspath(out))
    map_format(out).write(tile_map, out)
    return out


def class_counts(tile_map: TileMap) -> dict[str, int]:
    """Class name -> tiles predicted as it, most first (unreadable tiles left out)."""
    counts: dict[str, int] = {}
    for tile in tile_map.tiles:
        if tile.class_id is not None:
            counts[tile.label] = counts.get(tile.label, 0) + 1
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
