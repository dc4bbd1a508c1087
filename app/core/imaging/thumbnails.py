"""The thumbnail cache: small JPEGs keyed by image content hash, in `NAME.loupe-cache/`.

It is rebuildable (delete the folder and the next import or view makes them again), so it is a
separate SQLite file from the project: losing or corrupting it loses nothing. Keyed by sha256, so
identical images share one thumbnail and a moved file keeps its thumbnail; a file from outside
the project (a classified batch's) is keyed by its path, size and time instead.

`cached_thumbnail` is the one cache-or-decode every caller uses (the grid, a batch's results).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from app.core.errors import ImageError
from app.core.imaging import THUMBNAIL_SIZE, DecodeOptions, decode, thumbnail_jpeg
from app.core.imaging.options import rendering_key

_SCHEMA = "CREATE TABLE IF NOT EXISTS thumbnails (sha256 TEXT PRIMARY KEY, jpeg BLOB NOT NULL)"


class ThumbnailCache:
    """One per project; safe to use from several threads (one connection per thread)."""

    def __init__(self, cache_dir: Path, read_only: bool = False):
        self.file = cache_dir / "thumbnails.sqlite"
        self.read_only = read_only
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def _conn(self) -> sqlite3.Connection | None:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self.read_only and not self.file.exists():
                return None
            if not self.read_only:
                self.file.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.file, timeout=10, check_same_thread=False)
            if not self.read_only:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = NORMAL")  # rebuildable: speed over durability
                conn.execute(_SCHEMA)
                conn.commit()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def put_many(self, items: Iterable[tuple[str, bytes]]) -> None:
        if self.read_only:
            return
        conn = self._conn()
        with conn:
            conn.executemany("INSERT OR REPLACE INTO thumbnails (sha256, jpeg) VALUES (?, ?)", items)

    def get(self, sha256: str) -> bytes | None:
        conn = self._conn()
        if conn is None:
            return None
        try:
            row = conn.execute("SELECT jpeg FROM thumbnails WHERE sha256 = ?", (sha256,)).fetchone()
        except sqlite3.Error:  # missing table or damaged cache: treat as a miss, it is rebuildable
            return None
        return row[0] if row else None

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for conn in connections:
            conn.close()


def thumbnail_key(sha256: str, band_count: int, rendering: DecodeOptions) -> str:
    """The cache key of an image's thumbnail. A multi-band image looks different with each band
    choice or composite (`rendering`), so its thumbnail for a chosen one is kept under its own key
    (the default view, made at import, stays under the content hash): a changed choice never
    serves the thumbnail of another."""
    if band_count <= 3:
        return sha256
    return sha256 + rendering_key(rendering)


def file_thumbnail_key(path: str | os.PathLike, rendering: DecodeOptions) -> str:
    """The cache key of a file's thumbnail by its path, size, time and `rendering` (a file from
    outside the project has no stored hash); ImageError when the file cannot be read."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        raise ImageError(f"cannot read the file ({exc.strerror or exc})") from exc
    # A composite is added after the bands as the keys spelled them before composites existed:
    # the thumbnails cached then stay valid.
    look = "" if rendering.bands else rendering_key(rendering)
    facts = f"|{stat.st_size}|{stat.st_mtime_ns}|{rendering.bands}{look}".encode()
    return "file:" + hashlib.sha256(os.fsencode(path) + facts).hexdigest()  # the name's bytes: any name


def cached_thumbnail(cache: ThumbnailCache, key: str, path: str | os.PathLike, rendering: DecodeOptions) -> bytes:
    """The thumbnail JPEG under `key`, else decoded from `path` with `rendering` (the band
    choice or composite of multi-band images) and kept in the cache; ImageError says why the
    file cannot be read."""
    data = cache.get(key)
    if data is None:
        decoded = decode(path, replace(rendering, draft_size=THUMBNAIL_SIZE))
        data = thumbnail_jpeg(decoded.rgb)
        cache.put_many([(key, data)])
    return data
