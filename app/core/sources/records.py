"""The project's sources (whole slides and scenes) as stored: read by the window, the split, the
map writers and `loupe info`."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.core.imaging.georef import GeoRef
from app.core.project.store import Project

_COLUMNS = (
    "id, path, fingerprint, reader, format, kind, width, height, facts, tile_size, tile_level,"
    " tile_region, tile_mpp, min_tissue, overview_downsample, mask_threshold, tiles, skipped"
)


@dataclass(frozen=True)
class SourceRecord:
    id: int
    path: str  # as stored (relative to the project folder, else absolute)
    fingerprint: str
    reader: str
    format: str
    kind: str  # "slide" or "scene"
    width: int
    height: int
    facts: dict  # levels, mpp, bands, dtype, band_names, georef, nodata
    tile_size: int
    tile_level: int
    tile_region: int
    tile_mpp: float | None
    min_tissue: float
    overview_downsample: float | None
    mask_threshold: float | None
    tiles: int
    skipped: int

    @property
    def mpp(self) -> float | None:
        return self.facts.get("mpp")

    @property
    def georef(self) -> GeoRef | None:
        return GeoRef.from_json(self.facts.get("georef"))

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "path": self.path,
            "kind": self.kind,
            "format": self.format,
            "reader": self.reader,
            "width": self.width,
            "height": self.height,
            "mpp": self.mpp,
            "levels": len(self.facts.get("levels", [])),
            "bands": self.facts.get("bands"),
            "crs": self.georef.crs if self.georef else None,
            "tile_size": self.tile_size,
            "tile_level": self.tile_level,
            "tile_mpp": self.tile_mpp,
            "tiles": self.tiles,
            "skipped": self.skipped,
        }


def _record(row) -> SourceRecord:
    values = list(row)
    values[8] = json.loads(values[8])
    return SourceRecord(*values)


def list_sources(project: Project) -> list[SourceRecord]:
    return [_record(row) for row in project.conn.execute(f"SELECT {_COLUMNS} FROM sources ORDER BY path")]


def source_record(project: Project, source_id: int) -> SourceRecord | None:
    row = project.conn.execute(f"SELECT {_COLUMNS} FROM sources WHERE id = ?", (source_id,)).fetchone()
    return _record(row) if row else None


def source_pictures(project: Project, source_id: int) -> tuple[bytes | None, bytes | None]:
    """The stored overview (JPEG) and mask (PNG) of a source."""
    row = project.conn.execute("SELECT overview, mask FROM sources WHERE id = ?", (source_id,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


def source_groups(project: Project) -> dict[int, int]:
    """image id -> source id of every tile: tiles of one source are one group for the split (a
    slide's neighbouring tiles look alike and share a patient)."""
    return dict(project.conn.execute("SELECT id, source_id FROM images WHERE source_id IS NOT NULL"))
