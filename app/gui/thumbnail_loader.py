"""Loads thumbnails for the grid in the window's `thumbnails` lane, newest request first.

The grid asks only for the tiles it paints, so only visible rows are loaded. Requests are served
last-in-first-out: while the user scrolls, what is on screen now comes before what scrolled past.
A thumbnail missing from the cache (the cache folder was deleted) is made again from the image.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from app.core.errors import ImageError
from app.core.imaging.options import DecodeOptions
from app.core.imaging.thumbnails import ThumbnailCache
from app.core.labelling.browse import image_thumbnail
from app.core.project.store import Project
from app.gui.jobs import Job, JobRunner, Lane

#: Requests beyond this many are dropped, oldest first (they scrolled out of view long ago).
MAX_PENDING = 512


class ThumbnailLoader(QObject):
    """One long job in the `thumbnails` lane serves the requests; `stop` ends it (the window's
    lanes then wait for its thread)."""

    loaded = Signal(int, QImage)  # image id, thumbnail
    failed = Signal(int, str)  # image id, reason

    def __init__(self, project: Project, jobs: JobRunner, parent=None, rendering: DecodeOptions = DecodeOptions()):
        super().__init__(parent)
        #: The project's `image_choice` (band choice or named composite): multi-band thumbnails
        #: show what the viewer shows. Replaced whole (never changed in place): the lane's thread
        #: reads it while the GUI thread sets it.
        self.rendering = rendering
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
        """A new band choice: thumbnails requested from now on show it (bands win over a
        composite)."""
        with self._condition:
            self.rendering = replace(self.rendering, bands=bands)

    def set_composite(self, name: str | None) -> None:
        """A new named composite (None: the true colour, or bands chosen next): thumbnails
        requested from now on show it. A composite replaces the band choice, as the project's
        setting does (`settings.set_composite_choice`)."""
        with self._condition:
            self.rendering = replace(self.rendering, composite=name, bands=None if name else self.rendering.bands)

    def pending(self) -> int:
        with self._condition:
            return len(self._pending)

    def start(self) -> None:
        self._job = self._jobs.start_job(self._serve, lane=Lane.THUMBNAILS)

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

    def _load(self, cache: ThumbnailCache, request: int) -> None:
        try:
            data = self.thumbnail(cache, request)
        except ImageError as exc:
            self.failed.emit(request, str(exc))
            return
        if data is None:
            return
        # The format named: unnamed, Qt probes every image plugin, and the SVG one connects a
        # signal, which waits for a Qt lock while this thread holds the GIL; a GUI thread
        # disconnecting at that moment waits for the GIL: a deadlock (seen once in a test run).
        image = QImage.fromData(data, "JPEG")
        if image.isNull():
            self.failed.emit(request, self.tr("the cached thumbnail is damaged"))
            return
        self.loaded.emit(request, image)

    def thumbnail(self, cache: ThumbnailCache, image_id: int) -> bytes | None:
        """A request's JPEG (None: nothing to show); ImageError says why it cannot be made."""
        return image_thumbnail(self._project, cache, image_id, self.rendering)
