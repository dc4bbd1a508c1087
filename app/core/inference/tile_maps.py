"""Classify every kept tile of whole slides and scenes into a map (`loupe predict --tiles`).

    planned = plan_sources(["a.svs", "scenes/"], TileOptions(size=224, mpp=0.5))
    result = classify_sources(project, planned, on_progress=..., should_stop=...)
    write_map(result.tile_map, "a.geojson")          # sources.maps: CSV or GeoJSON by suffix
    store_tile_predictions(project, result)           # for tiles that are the project's images

Tiles are planned exactly as import plans them (`sources.tiling.plan_tiles`: the same mask, grid
and level for the same options), so a map of an imported source with the same options has the
project's own tiles. Each tile is named by its path (`part_paths.tile_path`) and goes through
the one batch loop of every prediction (`predict.predicted_batches`: decoding on every core,
`decode` reading just that tile from the pyramid, the model on the batch before), so memory is a
few batches of tiles whatever the source's size. The sources need not be in the project.

Sources are planned before the model loads: a file that cannot be read, or options it cannot
meet (--mpp on a file that does not say its pixel size), fails before minutes of classifying.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import Cancelled, ConfigError, ImageError
from app.core.file_names import shown
from app.core.imaging.part_paths import TileRegion, tile_path
from app.core.imaging.slides import open_source
from app.core.importing.file_check import fingerprint
from app.core.inference.predict import PredictionProgress, loaded_run_model, predicted_batches, run_to_use
from app.core.project.store import Project
from app.core.sources.maps import MapSource, TileMap, TilePrediction
from app.core.sources.tile_import import source_files
from app.core.sources.tiling import TileGeometry, TileOptions, plan_tiles, tile_geometry
from app.core.training.runs import run_rendering

#: Predictions written per transaction (a label made in the window meanwhile waits milliseconds).
_CHUNK = 2000


@dataclass(frozen=True)
class PlannedSource:
    """A source and its kept tiles, as import would cut it with the same options."""

    source: MapSource
    geometry: TileGeometry
    tiles: list[TileRegion]
    skipped: int  # tiles left out as background or no data


def plan_source(file: str | os.PathLike, options: TileOptions) -> PlannedSource:
    """One source's tiles. ImageError (exit 1) when the file cannot be read as a slide or scene;
    ConfigError (exit 2) when the options do not fit it (--mpp without a pixel size, no such
    level), each naming the file."""
    path = os.path.abspath(file)
    name = shown(path)
    try:
        source = open_source(path)
    except ImageError as exc:
        raise ImageError(f"cannot read {name}: {exc}") from None
    with source:
        try:
            tile_geometry(source, options)
        except ImageError as exc:  # the file is fine; what was asked of it is not
            raise ConfigError(f"{name}: {exc}") from None
        try:
            plan = plan_tiles(source, options)
        except ImageError as exc:
            raise ImageError(f"{name}: {exc}") from None
        placed = MapSource(path, source.kind, source.width, source.height, source.georef, source.mpp)
    return PlannedSource(placed, plan.geometry, plan.tiles, plan.skipped)


def plan_sources(
    inputs: Iterable[str | os.PathLike],
    options: TileOptions,
    on_planning: Callable[[str], None] = lambda name: None,
) -> list[PlannedSource]:
    """Every source the inputs name (files, or folders searched for slides and scenes as import
    searches them), planned in order; `on_planning(name)` before each (a mask takes seconds)."""
    options.check()
    files, missing = source_files(inputs)
    if missing:
        raise ConfigError(f"no such file or folder: {', '.join(m['path'] for m in missing)}")
    if not files:
        raise ConfigError("no slide or scene found in the folders given (.svs, .ndpi, .mrxs, .tif, …)")
    planned = []
    for file in files:
        on_planning(shown(file.name))
        planned.append(plan_source(file, options))
    return planned


@dataclass
class SourceMapResult:
    run_id: int
    tile_map: TileMap
    planned: list[PlannedSource]
    cancelled: bool = False
    seconds: float = 0.0  # classifying (reading the tiles and the model), planning left out

    @property
    def tiles_per_second(self) -> float:
        return len(self.tile_map.tiles) / self.seconds if self.seconds > 0 else 0.0

    @property
    def failed(self) -> int:
        return sum(tile.class_id is None for tile in self.tile_map.tiles)


def classify_sources(
    project: Project,
    planned: list[PlannedSource],
    run_id: int | None = None,
    device: str = "auto",
    top_k: int = 3,
    tta: bool = False,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> SourceMapResult:
    """Classify the planned tiles with `run_id` (None: the active run). A tile that cannot be
    read keeps its reason and the rest goes on; a stop keeps the tiles classified so far
    (`cancelled`). Nothing is stored (`store_tile_predictions` does that)."""
    run_id = run_to_use(project, run_id)
    where = [(k, region) for k, item in enumerate(planned) for region in item.tiles]
    paths = [Path(tile_path(planned[k].source.path, region)) for k, region in where]
    colours = dict(project.conn.execute("SELECT id, colour FROM classes").fetchall())
    tile_map = TileMap([item.source for item in planned], [], colours, top_k)
    result = SourceMapResult(run_id, tile_map, planned)
    run_model = loaded_run_model(project, run_id, device, len(paths), should_stop)
    started = time.monotonic()
    try:
        for done, made in predicted_batches(run_model, paths, run_rendering(project, run_id), top_k, tta, should_stop):
            for row, p in made:
                k, region = where[row]
                tile_map.tiles.append(TilePrediction(k, region, p.class_id, p.label, p.confidence, p.top, p.reason))
            on_progress(PredictionProgress(done, len(paths)))
    except Cancelled:
        result.cancelled = True
    result.seconds = time.monotonic() - started
    return result


@dataclass
class StoredTiles:
    """What `store_tile_predictions` wrote: predictions of the project's own tiles, and why the
    rest were not (a source not imported, imported with other tiles, or changed since)."""

    stored: int = 0
    not_stored: str = ""
    read_only: bool = False  # the project's own tiles were there, but the project could not be written
    sources: list[str] = field(default_factory=list)  # the project's sources the stored tiles belong to


def store_tile_predictions(project: Project, result: SourceMapResult) -> StoredTiles:
    """Keep the predictions of tiles that are images of the project in its `predictions` table
    (run, image, class, confidence: what the grid colours a tile by and the overview's map
    overlay joins to `images.source_id` and the tile columns), replacing that run's earlier
    prediction of the same tiles and leaving its others. A tile is the project's when the
    source is imported (same file, unchanged) and the tile's region is one import made."""
    outcome = StoredTiles()
    rows: list[tuple] = []
    for k, item in enumerate(result.planned):
        stored = project.stored_path(item.source.path)
        row = project.conn.execute("SELECT id, fingerprint FROM sources WHERE path = ?", (stored,)).fetchone()
        if row is None or row[1] != fingerprint(item.source.path):
            continue
        by_path = {
            tile_path(stored, tile.region): tile
            for tile in result.tile_map.tiles
            if tile.source == k and tile.class_id is not None
        }
        ids = project.conn.execute(
            "SELECT id, path FROM images WHERE source_id = ? AND path IN (SELECT value FROM json_each(?))",
            (row[0], json.dumps(list(by_path))),
        ).fetchall()
        rows += [(result.run_id, image_id, by_path[path].class_id, by_path[path].confidence) for image_id, path in ids]
        if ids:
            outcome.sources.append(stored)
    if not rows:
        outcome.not_stored = "no tile of the map is an image of the project (import the source with the same tiles)"
        return outcome
    if project.read_only:
        outcome.not_stored = f"the project is read-only here ({project.read_only_reason})"
        outcome.read_only = True
        outcome.sources = []
        return outcome
    for start in range(0, len(rows), _CHUNK):
        with project.conn as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO predictions (run_id, image_id, class_id, confidence) VALUES (?, ?, ?, ?)",
                rows[start : start + _CHUNK],
            )
    outcome.stored = len(rows)
    return outcome
