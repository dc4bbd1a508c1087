"""Loads thumbnails for the grid in the window's `thumbnails` lane, newest request first.

The grid asks only for the tiles it paints, so only visible rows are loaded. Requests are served
last-in-first-out: while the user scrolls, what is on screen now comes before what scrolled past.
A thumbnail missing from the cache (the cache folder was deleted) is made again from the image.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from app.core.errors import ImageError
from app.core.imaging import DecodeOptions, THUMBNAIL_SIZE, decode, thumbnail_jpeg
from app.core.project.store import Project
from app.core.imaging.thumbnails import ThumbnailCache, thumbnail_key
from app.gui.jobs import Job, JobRunner

#: Requests beyond this many are dropped, oldest first (they scrolled out of view long ago).
MAX_PENDING = 512


class ThumbnailLoader(QObject):
    """One long job in the `thumbnails` lane serves the requests; `stop` ends it (the window's
    lanes then wait for its thread)."""

    loaded = Signal(int, QImage)  # image id, thumbnail
    failed = Signal(int, str)  # image id, reason

    def __init__(self, project: Project, jobs: JobRunner, parent=None, bands: tuple[int, int, int] | None = None):
        super().__init__(parent)
        #: The project's band choice: multi-band thumbnails show the composite the viewer shows.
        self.bands = bands
        self._project = project
        self._jobs = jobs
        self._job: Job | None = None
        self._pending: list[int] = []
        self._queued: set[int] = set()
        self._condition = threading.Condition()
        self._stopping = False

    def request(self, image_id: int) -> None:
        with self._condition:
            if image_id in self._queued:
                self._pending.remove(image_id)  # move to the front
            self._pending.append(image_id)
            self._queued.add(image_id)
            if len(self._pending) > MAX_PENDING:
                dropped = self._pending.pop(0)
                self._queued.discard(dropped)
            self._condition.notify()

    def set_bands(self, bands: tuple[int, int, int] | None) -> None:
        """A new band choice: thumbnails requested from now on show it."""
        with self._condition:
            self.bands = bands

    def pending(self) -> int:
        with self._condition:
            return len(self._pending)

    def start(self) -> None:
        self._job = self._jobs.start_job(self._serve, lane="thumbnails")

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify()

    def _serve(self, on_progress, should_stop) -> None:
        cache = ThumbnailCache(self._project.paths.cache_dir, read_only=self._project.read_only)
        try:
            while True:
                with self._condition:
                    while not self._pending and not self._stopping and not should_stop():
                        self._condition.wait()
                    if self._stopping or should_stop():
                        return
                    image_id = self._pending.pop()
                    self._queued.discard(image_id)
                self._load(cache, image_id)
        finally:
            cache.close()

    def _load(self, cache: ThumbnailCache, image_id: int) -> None:
        row = self._project.conn.execute("SELECT sha256, path, bands FROM images WHERE id = ?", (image_id,)).fetchone()
        if row is None:
            return
        sha256, stored, band_count = row
        bands = self.bands if band_count and band_count > 3 else None
        key = thumbnail_key(sha256, band_count or 0, bands)
        data = cache.get(key)
        if data is None:
            try:
                decoded = decode(self._project.resolve_path(stored), DecodeOptions(draft_size=THUMBNAIL_SIZE, bands=bands))
            except ImageError as exc:
                self.failed.emit(image_id, str(exc))
                return
            data = thumbnail_jpeg(decoded.rgb)
            cache.put_many([(key, data)])
        image = QImage.fromData(data)
        if image.isNull():
            self.failed.emit(image_id, "the cached thumbnail is damaged")
            return
        self.loaded.emit(image_id, image)
