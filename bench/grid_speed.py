"""Grid speed on a 100,000-image project (synthetic rows, tiny cached thumbnails).

    QT_QPA_PLATFORM=offscreen python bench/grid_speed.py [--images 100000]

Measures, in one run:
  first paint   — from constructing MainWindow to the first grid paint with rows in it, and to
                  the first paint with every visible thumbnail in it (goal: < 500 ms);
  scrolling     — the grid's repaint time at every step of a scroll from top to bottom
                  (p50/p95/max; goal: p95 < 16 ms);
and the same scroll on a bare QListView over a QStringListModel of the same size in icon mode
(no thumbnails, no delegate): the floor Qt itself sets on this machine, printed as a ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync  # noqa: E402
from PIL import Image  # noqa: E402
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QSize, QStringListModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QListView  # noqa: E402

from app.core.classes import add_class  # noqa: E402
from app.core.project import Project  # noqa: E402
from app.core.training.preload import preload_ml_libraries  # noqa: E402
from app.gui.app_settings import AppSettings  # noqa: E402
from app.gui.image_list_model import HasThumbnailRole  # noqa: E402
from app.gui.main_window import MainWindow  # noqa: E402


def build_project(folder: Path, count: int) -> Path:
    path = folder / "big.loupe"
    with Project.create(path) as project:
        classes = [add_class(project, name).id for name in ("benign", "malignant", "unclear")]
        conn = project.conn
        shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(count)]
        conn.executemany(
            "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
            " VALUES (?, ?, 1000, 'jpeg', 64, 48, 8, 3, 'rgb')",
            [(f"slides/batch{i // 1000:03}/img{i:06}.jpg", sha) for i, sha in enumerate(shas)],
        )
        conn.executemany(
            "INSERT INTO labels (image_id, class_id, source) VALUES (?, ?, 'human')",
            [(i, classes[i % 3]) for i in range(1, count + 1, 2)],
        )
        conn.commit()
    tiles = []
    for shade in range(64):
        buffer = io.BytesIO()
        Image.new("RGB", (48, 36), (shade * 4, 120, 255 - shade * 4)).save(buffer, "JPEG", quality=80)
        tiles.append(buffer.getvalue())
    cache = folder / "big.loupe-cache"
    cache.mkdir()
    with sqlite3.connect(cache / "thumbnails.sqlite") as db:
        db.execute("CREATE TABLE thumbnails (sha256 TEXT PRIMARY KEY, jpeg BLOB NOT NULL)")
        db.executemany("INSERT INTO thumbnails VALUES (?, ?)", [(sha, tiles[i % 64]) for i, sha in enumerate(shas)])
    return path


class PaintClock(QObject):
    """Records when the grid's viewport is painted with rows (and with all visible thumbnails)."""

    def __init__(self, window):
        super().__init__()
        self.window = window
        self.first_rows = None
        self.first_thumbnails = None

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and self.window.model.rowCount():
            now = time.perf_counter()
            self.first_rows = self.first_rows or now
            if self.first_thumbnails is None and self._all_visible_have_thumbnails():
                self.first_thumbnails = now
        return False

    def _all_visible_have_thumbnails(self) -> bool:
        grid = self.window.grid
        first = grid.indexAt(grid.viewport().rect().topLeft() + grid.rect().topLeft())
        rows = range(max(first.row(), 0), min(self.window.model.rowCount(), max(first.row(), 0) + 200))
        visible = [grid.model().index(r) for r in rows if grid.visualRect(grid.model().index(r)).intersects(grid.viewport().rect())]
        return bool(visible) and all(index.data(HasThumbnailRole) for index in visible)


def scroll_timings(view, app, steps: int) -> list[float]:
    bar = view.verticalScrollBar()
    timings = []
    for step in range(steps + 1):
        bar.setValue(bar.maximum() * step // steps)
        app.processEvents()  # deliver loaded thumbnails, as between frames
        started = time.perf_counter()
        view.viewport().repaint()
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{name:<34} p50 {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   max {ordered[-1]:6.2f} ms")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=400)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    preload_seconds = preload_ml_libraries()  # as the app does behind its splash screen
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"building a {args.images}-image project ...", flush=True)
        path = build_project(folder, args.images)
        settings = AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat))

        started = time.perf_counter()
        window = MainWindow(path, settings)
        clock = PaintClock(window)
        window.grid.viewport().installEventFilter(clock)
        window.resize(1280, 800)
        window.show()
        deadline = started + 30
        while clock.first_thumbnails is None and time.perf_counter() < deadline:
            # Sleep until something happens, as the real event loop does (a busy loop here
            # would starve the worker threads of the GIL and measure the benchmark itself).
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        first_rows = (clock.first_rows - started) * 1000
        first_thumbs = (clock.first_thumbnails - started) * 1000 if clock.first_thumbnails else float("nan")

        loupe = scroll_timings(window.grid, app, args.steps)
        window.close()

        bare = QListView()
        bare.setViewMode(QListView.ViewMode.IconMode)
        bare.setUniformItemSizes(True)
        bare.setLayoutMode(QListView.LayoutMode.Batched)
        bare.setGridSize(QSize(132, 150))
        bare.setModel(QStringListModel([f"img{i:06}.jpg" for i in range(args.images)]))
        bare.resize(600, 700)
        bare.show()
        for _ in range(20):
            app.processEvents()
        baseline = scroll_timings(bare, app, args.steps)
        bare.close()

    print(f"images: {args.images}, cores: {os.cpu_count()}, Qt platform: {app.platformName()}")
    print(f"start-up: loading torch/transformers behind the splash screen took {preload_seconds:.1f} s")
    print(f"first paint with rows             {first_rows:7.1f} ms")
    print(f"first paint with thumbnails       {first_thumbs:7.1f} ms   (goal < 500 ms)")
    p95 = summary("Loupe grid repaint while scrolling", loupe)
    base = summary("bare QListView repaint (baseline)", baseline)
    print(f"ratio p95 (Loupe / bare)          {p95 / base:7.2f}x   (goal: Loupe p95 < 16 ms)")


if __name__ == "__main__":
    main()
