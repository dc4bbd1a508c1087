"""Import whole slides and scenes as sources whose tiles become the project's images.

    report = import_sources(project, ["slides/"], TileOptions(size=224, mpp=0.5))

Each file is opened by a region reader (`imaging.slides`), never decoded whole: an overview and a
tissue or valid-data mask are made from its smallest fitting level, the tile grid is planned
(`tiling.plan_tiles`), and each kept tile becomes an image row whose path names the tile
(`part_paths`: no pixels are copied). Tile thumbnails are read in a pool of threads (each with its
own open file); rows are written in short transactions from the calling thread, so a crash loses
at most the batch in flight and importing the same source again adds only the tiles not yet
there. Memory stays bounded by the tiles in flight, whatever the source's size.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from PIL import Image

from app.core.errors import ImageError
from app.core.file_names import shown
from app.core.imaging import THUMBNAIL_SIZE, DecodeOptions, decode, thumbnail_jpeg
from app.core.imaging.part_paths import TileRegion, tile_path
from app.core.imaging.slides import SlideSource, open_source, source_rgb
from app.core.imaging.thumbnails import ThumbnailCache
from app.core.importing.file_check import fingerprint
from app.core.importing.folder_walk import check_roots, is_hidden
from app.core.project.store import Project
from app.core.sources.tiling import TileOptions, TilePlan, plan_tiles

#: File name endings of whole slides and scenes, looked for in folders.
#: Vendor slide formats (OpenSlide's), always whole slides.
SLIDE_SUFFIXES = (".svs", ".ndpi", ".mrxs", ".scn", ".vms", ".vmu", ".bif", ".svslide")
SOURCE_SUFFIXES = (*SLIDE_SUFFIXES, ".tif", ".tiff")
#: Rows written per transaction (at most this is redone after a crash).
BATCH = 256


@dataclass(frozen=True)
class TileProgress:
    """One progress event: tiles of the current source done of its total."""

    source: str
    done: int
    total: int
    added: int
    sources_done: int
    sources_total: int


@dataclass
class SourceImport:
    """What became of one source."""

    path: str
    source_id: int
    kind: str
    format: str
    reader: str
    width: int
    height: int
    mpp: float | None
    level: int
    tile_size: int
    tile_region: int  # a tile's side in level-0 pixels
    tile_mpp: float | None
    crs: str | None
    tiles_added: int = 0
    tiles_unchanged: int = 0  # already in the project (a second import, or one resumed)
    skipped_background: int = 0
    #: Tiles that could not be read (a damaged part of the file): left out, the rest imported.
    unreadable: int = 0
    unreadable_reason: str = ""  # the first one's
    #: The path the project knew this slide under, when it was found moved here (its tiles and
    #: their labels now point here).
    moved_from: str | None = None
    seconds: float = 0.0

    @property
    def tiles_per_second(self) -> float:
        return self.tiles_added / self.seconds if self.seconds > 0 else 0.0


@dataclass
class TileImportReport:
    sources: list[SourceImport] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)  # {path, reason}
    cancelled: bool = False

    @property
    def tiles_added(self) -> int:
        return sum(s.tiles_added for s in self.sources)

    @property
    def skipped_background(self) -> int:
        return sum(s.skipped_background for s in self.sources)

    def to_json(self) -> dict:
        return {
            "sources": [asdict(s) | {"tiles_per_second": round(s.tiles_per_second, 1)} for s in self.sources],
            "tiles_added": self.tiles_added,
            "added": self.tiles_added,  # the key every import reports (DESIGN's contract)
            "skipped_background": self.skipped_background,
            "rejected": self.rejected,
            "cancelled": self.cancelled,
        }


def tile_sha(source_fingerprint: str, region: TileRegion) -> str:
    """A tile's content key (thumbnails, feature caches): the source's fingerprint and the region."""
    return hashlib.sha256(f"{source_fingerprint}{region.suffix()}".encode()).hexdigest()


def source_files(paths: Iterable[str | os.PathLike]) -> tuple[list[Path], list[dict]]:
    """The files to import: files as given, folders searched for slide and scene files (hidden
    ones left out); ImportInputError when a path does not exist."""
    files: list[Path] = []
    for path in check_roots(paths):
        if path.is_dir():
            files += sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in SOURCE_SUFFIXES
                and not any(is_hidden(part) for part in p.relative_to(path).parts)
                and p.is_file()
            )
        else:
            files.append(path)
    return files, []


def overview_jpeg(source: SlideSource, plan: TilePlan) -> bytes:
    image = Image.fromarray(source_rgb(source, plan.overview.samples), "RGB")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _thumbnail(file: str, region: TileRegion, size: int) -> tuple[bytes, tuple[int, int, int, int, str]]:
    """A tile's thumbnail and its facts (width, height, bit depth, bands, mode); a worker thread."""
    decoded = decode(tile_path(file, region), DecodeOptions())
    info = decoded.info
    return thumbnail_jpeg(decoded.rgb, size), (info.width, info.height, info.bit_depth, info.bands, info.mode)


def _in_order(
    file: str, tiles: list[TileRegion], workers: int, should_stop: Callable[[], bool]
) -> Iterator[tuple[TileRegion, Future]]:
    """Thumbnails of `tiles`, read in a pool, yielded in order with a bounded number in flight."""
    pending = iter(tiles)
    in_flight: deque[tuple[TileRegion, Future]] = deque()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="loupe-tiles") as pool:
        try:
            for region in pending:
                in_flight.append((region, pool.submit(_thumbnail, file, region, THUMBNAIL_SIZE)))
                if len(in_flight) >= workers * 8:
                    break
            while in_flight:
                item = in_flight.popleft()
                if not should_stop():
                    region = next(pending, None)
                    if region is not None:
                        in_flight.append((region, pool.submit(_thumbnail, file, region, THUMBNAIL_SIZE)))
                yield item
        finally:
            for _, future in in_flight:
                future.cancel()


def _store_source(
    project: Project, stored: str, file: Path, digest: str, source: SlideSource, plan: TilePlan, options
) -> int:
    """Insert or update the source's row (the latest cut, overview and mask); its id."""
    stat = file.stat()
    geometry = plan.geometry
    values = {
        "path": stored,
        "fingerprint": digest,
        "size_bytes": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "reader": source.reader,
        "format": source.format,
        "kind": source.kind,
        "width": source.width,
        "height": source.height,
        "facts": json.dumps(source.facts()),
        "tile_size": geometry.size,
        "tile_level": geometry.level,
        "tile_region": geometry.region,
        "tile_mpp": geometry.mpp,
        "min_tissue": options.min_tissue,
        "overview": overview_jpeg(source, plan),
        "overview_downsample": plan.overview.downsample,
        "mask": plan.mask.png(),
        "mask_threshold": plan.mask.threshold,
    }
    columns = ", ".join(values)
    updates = ", ".join(f"{name} = excluded.{name}" for name in values if name != "path")
    with project.conn:
        project.conn.execute(
            f"INSERT INTO sources ({columns}) VALUES ({', '.join('?' * len(values))})"
            f" ON CONFLICT (path) DO UPDATE SET {updates}",
            tuple(values.values()),
        )
    return project.conn.execute("SELECT id FROM sources WHERE path = ?", (stored,)).fetchone()[0]


def _check_unchanged(project: Project, stored: str, digest: str) -> None:
    row = project.conn.execute("SELECT fingerprint FROM sources WHERE path = ?", (stored,)).fetchone()
    if row is not None and row[0] != digest:
        raise ImageError(
            "this file changed since its tiles were imported (they would no longer show what was "
            "labelled); import it under another name to cut it as a new slide"
        )


def _check_same_cut(project: Project, stored: str, plan: TilePlan) -> None:
    """A slide is cut one way: a second cut would lay overlapping tiles over the first."""
    row = project.conn.execute(
        "SELECT tile_size, tile_region, tile_level, tiles FROM sources WHERE path = ?", (stored,)
    ).fetchone()
    geometry = plan.geometry
    if row is not None and row[3] and tuple(row[:3]) != (geometry.size, geometry.region, geometry.level):
        raise ImageError(
            f"this slide is already cut into {row[3]} tiles of {row[0]} px ({row[1]} pixels of level 0, read "
            f"from level {row[2]}); import it again with the same tile size and resolution, or under "
            "another name for a second cut"
        )


def _find_moved(project: Project, stored: str, digest: str) -> str | None:
    """The path the project knows this very file under, when that is not `stored`: a slide moved
    (its old file gone) returns that path; a copy of a slide still there is refused (its tiles
    are the same tiles)."""
    row = project.conn.execute(
        "SELECT path FROM sources WHERE fingerprint = ? AND path != ? ORDER BY id LIMIT 1", (digest, stored)
    ).fetchone()
    if row is None or project.conn.execute("SELECT 1 FROM sources WHERE path = ?", (stored,)).fetchone():
        return None
    if project.resolve_path(row[0]).is_file():
        raise ImageError(f"this is the same slide as {row[0]}, already in the project with its tiles")
    return row[0]


def move_source(project: Project, old: str, new: str) -> int:
    """Point a moved slide's row and its tiles' paths at `new`, in one transaction: the tiles keep
    their ids, labels, splits and history. Returns how many tiles moved."""
    with project.conn:
        project.conn.execute("UPDATE sources SET path = ? WHERE path = ?", (new, old))
        return project.conn.execute(
            "UPDATE images SET path = ? || substr(path, ?), status = 'ok'"
            " WHERE source_id = (SELECT id FROM sources WHERE path = ?)",
            (new, len(old) + 1, new),
        ).rowcount


def import_source(
    project: Project,
    file: Path,
    options: TileOptions,
    on_progress: Callable[[int, int, int], None] = lambda done, total, added: None,
    should_stop: Callable[[], bool] = lambda: False,
    workers: int | None = None,
) -> SourceImport:
    """Import one slide or scene; see the module docstring."""
    started = time.monotonic()
    stored = project.stored_path(file)
    digest = fingerprint(file)
    moved_from = _find_moved(project, stored, digest)
    if moved_from is None:
        _check_unchanged(project, stored, digest)
    with open_source(file) as source:
        plan = plan_tiles(source, options)
        _check_same_cut(project, moved_from or stored, plan)
        if moved_from is not None:
            move_source(project, moved_from, stored)
        source_id = _store_source(project, stored, file, digest, source, plan, options)
    known = {row[0] for row in project.conn.execute("SELECT path FROM images WHERE source_id = ?", (source_id,))}
    todo = [t for t in plan.tiles if tile_path(stored, t) not in known]
    result = SourceImport(
        path=stored,
        source_id=source_id,
        kind=source.kind,
        format=source.format,
        reader=source.reader,
        width=source.width,
        height=source.height,
        mpp=source.mpp,
        level=plan.geometry.level,
        tile_size=plan.geometry.size,
        tile_region=plan.geometry.region,
        tile_mpp=plan.geometry.mpp,
        crs=source.georef.crs if source.georef else None,
        tiles_unchanged=len(plan.tiles) - len(todo),
        skipped_background=plan.skipped,
        moved_from=moved_from,
    )
    thumbnails = ThumbnailCache(project.paths.cache_dir)
    mtime = file.stat().st_mtime_ns
    rows: list[tuple] = []
    pictures: list[tuple[str, bytes]] = []

    def flush() -> None:
        if pictures:
            thumbnails.put_many(pictures)  # the cache may run ahead of the rows, never behind
        with project.conn:
            cursor = project.conn.executemany(
                "INSERT OR IGNORE INTO images (path, sha256, size_bytes, mtime_ns, format, width, height,"
                " bit_depth, bands, mode, source_id, tile_level, tile_x, tile_y, tile_w, tile_h)"
                " VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        result.tiles_added += cursor.rowcount  # what was written, not what was asked
        rows.clear()
        pictures.clear()

    try:
        absolute = os.path.abspath(file)
        for done, (region, future) in enumerate(
            _in_order(absolute, todo, workers or os.cpu_count() or 1, should_stop), start=1
        ):
            try:
                jpeg, (width, height, bit_depth, bands, mode) = future.result()
            except ImageError as exc:  # a damaged part of the file: that tile is left out
                result.unreadable += 1
                result.unreadable_reason = result.unreadable_reason or f"{region.suffix()}: {exc}"
                on_progress(done, len(todo), result.tiles_added + len(rows))
                continue
            sha = tile_sha(digest, region)
            pictures.append((sha, jpeg))
            rows.append(
                (
                    tile_path(stored, region),
                    sha,
                    mtime,
                    source.format,
                    width,
                    height,
                    bit_depth,
                    bands,
                    mode,
                    source_id,
                    region.level,
                    region.x,
                    region.y,
                    region.width,
                    region.height,
                )
            )
            if len(rows) >= BATCH:
                flush()
            on_progress(done, len(todo), result.tiles_added + len(rows))
            if should_stop() and done < len(todo):
                break
        flush()
    finally:
        thumbnails.close()
        with project.conn:
            project.conn.execute(
                "UPDATE sources SET tiles = (SELECT COUNT(*) FROM images WHERE source_id = ?), skipped = ?"
                " WHERE id = ?",
                (source_id, plan.skipped, source_id),
            )
        result.seconds = time.monotonic() - started
    return result


def import_sources(
    project: Project,
    paths: Iterable[str | os.PathLike],
    options: TileOptions = TileOptions(),
    on_progress: Callable[[TileProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    workers: int | None = None,
) -> TileImportReport:
    """Import each slide or scene in `paths` (files, or folders searched for them)."""
    project.require_writable()
    options.check()
    should_stop = should_stop or (lambda: False)
    emit = on_progress or (lambda event: None)
    files, rejected = source_files(paths)
    report = TileImportReport(rejected=rejected)
    last = [0.0]
    for index, file in enumerate(files):
        if should_stop():
            report.cancelled = True
            break
        name = shown(file.name)

        def progress(done: int, total: int, added: int, index=index, name=name) -> None:
            now = time.monotonic()
            if now - last[0] >= 0.05 or done == total:
                last[0] = now
                emit(TileProgress(name, done, total, added, index, len(files)))

        try:
            result = import_source(project, file, options, progress, should_stop, workers)
        except ImageError as exc:
            report.rejected.append({"path": shown(os.path.abspath(file)), "reason": str(exc)})
            continue
        report.sources.append(result)
        if should_stop():
            report.cancelled = True
            break
    return report
