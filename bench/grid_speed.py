"""Grid speed and GUI-thread handlers on a 100,000-image project (synthetic rows, tiny cached
thumbnails, 30,000 label actions in the log, 10 finished runs with 20,000 validation predictions
each).

    QT_QPA_PLATFORM=offscreen python bench/grid_speed.py [--images 100000] [--actions 30000]

Measures, in one run:
  first paint   — from constructing MainWindow to the first grid paint with rows in it, and to
                  the first paint with every visible thumbnail in it (goal: < 500 ms);
  scrolling     — at every step of a scroll from top to bottom, the scroll itself and the first
                  repaint after it, timed together (p50/p95/max; goal: p95 < 16 ms), and the SQL
                  statements the GUI thread ran meanwhile (paths must come from a job);
and the same scroll, timed the same way, on a bare QListView over a QStringListModel of the same
size in icon mode (no thumbnails, no delegate): the floor Qt itself sets on this machine.
GUI-thread handlers (goal: each < 16 ms), each beside a baseline measured in the same run:
  label key     — `LabellingController.apply` on the GUI thread (the write is handed to the write
                  lane), and until committed (tile and menu texts updated), against the old
                  per-label replay of the whole log for the menu texts, alone;
  undo, redo    — `LabellingController.undo`/`redo` until committed and the grid re-queried (wall
                  time: the write runs in the write lane), and the GUI thread's CPU time in all
                  that (every handler it ran: an upper bound of each), and the longest stall of
                  the GUI thread meanwhile (the largest gap of a 1 ms timer: the longest single
                  handler), also for a label, against the same replay;
  label commit  — `label_images` called on the GUI thread as it was before, with
                  `synchronous = FULL` (an fsync per label) against OFF;
  runs table    — `RunHistoryPanel.refresh` behind another tab (runs listed without reports)
                  against the old listing (every report parsed, every run's labels counted);
  run details   — the shown run's report card, config and curves filled on the GUI thread from
                  what a job read, against reading them on the GUI thread too (before).
  grid rows     — what the GUI thread does when a grid query returns (the same query with the
                  same rows: a model reset before issue 20, rows compared since; the kept image
                  selected) against a model reset and a selection on the bare QListView;
                  and when the same query returns one row fewer or one more (an undo in a
                  filtered grid): the call and the longest stall until the view has settled
                  (its re-layout included), wall and GUI-thread CPU time;
  filtered grid — a label key and an undo in grids filtered by labels (Unlabelled: the image
                  leaves and comes back; Labelled, 80,000 rows: the rows stay), each until
                  committed and re-queried: the longest GUI-thread stall, wall and CPU time.
The undo history's read at open (the one replay of the log, now a job) is printed too.
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
from PySide6.QtCore import QEvent, QEventLoop, QObject, QSettings, QSize, QStringListModel, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QListView  # noqa: E402

from app.core.labelling import labels as core_labels  # noqa: E402
from app.core.labelling.classes import add_class  # noqa: E402
from app.core.project.store import Project  # noqa: E402
from app.core.training.preload import preload_ml_libraries  # noqa: E402
from app.core.training.runs import list_runs  # noqa: E402
from app.gui.app_settings import AppSettings  # noqa: E402
from app.gui.image_list_model import ClassIdRole, HasThumbnailRole, RowIndex, query_rows  # noqa: E402
from app.gui.main_window import MainWindow  # noqa: E402
from app.gui.run_history import RunHistoryPanel, load_run_details  # noqa: E402
from tests.synthetic_runs import record_finished_run  # noqa: E402

RUNS = 10


def build_project(folder: Path, count: int, actions: int) -> Path:
    path = folder / "big.loupe"
    with Project.create(path) as project:
        classes = [add_class(project, name) for name in ("benign", "malignant", "unclear")]
        conn = project.conn
        shas = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(count)]
        conn.executemany(
            "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
            " VALUES (?, ?, 1000, 'jpeg', 64, 48, 8, 3, 'rgb')",
            [(f"slides/batch{i // 1000:03}/img{i:06}.jpg", sha) for i, sha in enumerate(shas)],
        )
        conn.executemany(
            "INSERT INTO labels (image_id, class_id, source) VALUES (?, ?, 'human')",
            [(i, classes[i % 3].id) for i in range(1, count + 1, 2)],
        )
        add_label_log(conn, [c.id for c in classes], actions, count)
        conn.commit()
        every_image = list(range(1, count + 1))
        for run in range(RUNS):
            record_finished_run(project, every_image, [{"id": c.id, "name": c.name} for c in classes], 0.8 + run / 100)
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


def add_label_log(conn, classes: list[int], actions: int, count: int) -> None:
    """`actions` past one-image labels of the even-numbered images, in the log and in `labels`,
    as if a person had pressed a class key that many times."""
    images = [2 * (k % (count // 2)) + 2 for k in range(actions)]
    conn.executemany(
        "INSERT INTO label_actions (id, kind, description) VALUES (?, 'do', ?)",
        [(k + 1, f"Label 1 image as 'class {classes[k % 3]}'") for k in range(actions)],
    )
    conn.executemany(
        "INSERT INTO label_history (action, image_id, old_class_id, new_class_id, source) VALUES (?, ?, NULL, ?, 'human')",
        [(k + 1, image, classes[k % 3]) for k, image in enumerate(images)],
    )
    conn.executemany(
        "INSERT INTO labels (image_id, class_id, source) VALUES (?, ?, 'human') ON CONFLICT (image_id) DO UPDATE"
        " SET class_id = excluded.class_id",
        [(image, classes[k % 3]) for k, image in enumerate(images)],
    )


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
        visible = [
            grid.model().index(r)
            for r in rows
            if grid.visualRect(grid.model().index(r)).intersects(grid.viewport().rect())
        ]
        return bool(visible) and all(index.data(HasThumbnailRole) for index in visible)


def scroll_timings(view, app, steps: int) -> list[float]:
    """The scroll and the first paint after it, timed together (that paint is the one that meets
    new rows: before, it ran outside the timer); loaded thumbnails arrive between steps."""
    bar = view.verticalScrollBar()
    timings = []
    for step in range(steps + 1):
        started = time.perf_counter()
        bar.setValue(bar.maximum() * step // steps)
        view.viewport().repaint()
        timings.append((time.perf_counter() - started) * 1000)
        app.processEvents()  # deliver loaded thumbnails and paths, as between frames
    return timings


def timed(fn, repeats: int, between=lambda: None, clock=time.perf_counter) -> list[float]:
    """Milliseconds of each of `repeats` calls of `fn`; `between` runs untimed after each.
    With clock=time.thread_time, the CPU time of the GUI thread alone (waits excluded)."""
    timings = []
    for _ in range(repeats):
        started = clock()
        fn()
        timings.append((clock() - started) * 1000)
        between()
    return timings


def longest_stall(fn, clock=time.perf_counter) -> float:
    """The longest the GUI thread went without turning its event loop while `fn` ran (it waits
    for what it started): the largest gap between ticks of a 1 ms timer, i.e. the longest handler.
    With clock=time.thread_time, the GUI thread's CPU time in that gap (other processes on a
    loaded machine excluded)."""
    gaps, last = [0.0], [clock()]

    def tick():
        now = clock()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(tick)
    timer.start()
    last[0] = clock()
    fn()
    timer.stop()
    return max(gaps) * 1000


def handler_timings(window, app, repeats: int) -> dict[str, list[float]]:
    """The labelling handlers, each beside its baseline (see the module docstring)."""
    project, labelling, grid = window.project, window.labelling, window.grid
    labelling.confirm = lambda question: True
    benign = window.session.classes[0].id
    settle = app.processEvents  # the jobs a label starts (counts, viewer) run between presses
    found = {}

    def until_committed():
        while not labelling.idle or window.jobs.busy("interactive"):  # and the grid re-queried
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        settle()

    grid.select_row(0)
    found["label key (GUI thread)"] = timed(lambda: labelling.apply(benign), repeats, until_committed)
    found["label key, until committed"] = timed(lambda: (labelling.apply(benign), until_committed()), repeats)
    found["old log replay per label"] = timed(lambda: core_labels.undo_redo_descriptions(project), repeats)
    found["undo, until committed"] = timed(lambda: (labelling.undo(), until_committed()), repeats)
    found["redo, until committed"] = timed(lambda: (labelling.redo(), until_committed()), repeats)
    found["undo, GUI-thread CPU in all"] = timed(
        lambda: (labelling.undo(), until_committed()), repeats, clock=time.thread_time
    )
    found["undo, longest GUI-thread stall"] = [
        longest_stall(lambda: (labelling.undo(), until_committed())) for _ in range(repeats)
    ]
    found["label key, longest GUI-thread stall"] = [
        longest_stall(lambda: (labelling.apply(benign), until_committed())) for _ in range(repeats)
    ]
    classes = [c.id for c in window.session.classes]
    current = "SELECT i.id, l.class_id FROM images i LEFT JOIN labels l ON l.image_id = i.id ORDER BY i.id DESC LIMIT ?"
    changes = iter(
        [
            (image, next(c for c in classes if c != label))
            for image, label in project.conn.execute(current, (2 * repeats,))
        ]
    )
    relabel = lambda: core_labels.label_images(project, *(lambda image, to: ([image], to))(*next(changes)))  # noqa: E731
    found["label commit, synchronous=FULL"] = timed(relabel, repeats)
    project.conn.execute("PRAGMA synchronous = OFF")
    found["label commit, synchronous=OFF"] = timed(relabel, repeats)
    project.conn.execute("PRAGMA synchronous = FULL")
    started = time.perf_counter()
    core_labels.UndoHistory.read(project.conn)
    found["undo history read (a job at open)"] = [(time.perf_counter() - started) * 1000]
    return found


def filtered_timings(window, app, repeats: int) -> dict[str, list[float]]:
    """A label key and an undo in grids filtered by labels, each until committed and the grid
    re-queried (an undo there always queries again): the longest GUI-thread stall, wall and CPU."""
    labelling, grid = window.labelling, window.grid
    classes = [c.id for c in window.session.classes]
    found = {}

    def until_committed():
        while not labelling.idle or window.jobs.busy("interactive"):
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        settle(app)

    def label_other():
        index = grid.currentIndex()
        current = index.data(ClassIdRole) if index.isValid() else None
        labelling.apply(next(c for c in classes if c != current))
        until_committed()

    def undo():
        labelling.undo()
        until_committed()

    def show_filter(show: str) -> None:
        window.filter_bar.show_filter(show)
        while window.model.query.show != show or window.jobs.busy("interactive"):
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        settle(app)

    for show, title in (("unlabelled", "Unlabelled"), ("labelled", "Labelled")):
        show_filter(show)
        rows = window.model.rowCount()
        for clock, unit in ((time.perf_counter, "wall"), (time.thread_time, "CPU")):
            labels, undos = [], []
            for _ in range(repeats):
                grid.clearSelection()
                grid.select_row(rows // 2)
                settle(app)
                labels.append(longest_stall(label_other, clock))
                undos.append(longest_stall(undo, clock))
            found[f"label in {title} ({rows}), stall {unit}"] = labels
            found[f"undo in {title} ({rows}), stall {unit}"] = undos
    show_filter("all")
    return found


def settle(app, ms: int = 150) -> None:
    """Turn the event loop for `ms` (a batched re-layout of the grid finishes meanwhile)."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)


def rows_diff_timings(window, app, repeats: int) -> dict[str, list[float]]:
    """The same query answered with one row fewer, then with it again (what an undo in a
    filtered grid brings): `set_rows` and the kept image selected, timed alone, then the longest
    GUI-thread stall until the view has settled (its re-layout included), wall and CPU."""
    query = window.model.query
    full = query_rows(window.project, query)
    middle = len(full[0]) // 2
    keep = full[0].image_ids[middle + 10]

    def answer(without: int | None):
        rows, index = query_rows(window.project, query)
        if without is not None:
            gone = rows.image_ids[without]
            for column in (rows.image_ids, rows.paths, rows.class_ids, rows.reasons):
                del column[without]
            index = RowIndex(rows.image_ids)
            assert index.get(gone) is None
        return rows, index

    answers = [answer(middle if k % 2 == 0 else None) for k in range(4 * repeats)]

    def apply():
        rows, index = answers.pop(0)
        window.model.set_rows(rows, query, index)
        window.grid.select_image(keep)

    found = {"grid rows, one row fewer/more: set_rows + select": timed(apply, repeats, lambda: settle(app))}
    for clock, unit in ((time.perf_counter, "wall"), (time.thread_time, "CPU")):
        found[f"grid rows, one row fewer/more: stall {unit}"] = [
            longest_stall(lambda: (apply(), settle(app)), clock) for _ in range(repeats)
        ]
    rows, index = query_rows(window.project, query)
    window.model.set_rows(rows, query, index)
    settle(app)
    return found


def runs_table_timings(project, repeats: int) -> dict[str, list[float]]:
    """RunHistoryPanel.refresh behind another tab (the listing alone) against the old listing,
    which parsed every run's report and counted every run's labels; the shown run's details
    filled on the GUI thread once a job has read them, against reading them there too (before)."""
    panel = RunHistoryPanel(project)
    panel.resize(1200, 500)
    active = max(run.id for run in list_runs(project, reports=False))
    panel.refresh(active)  # a run's labels are counted once, when the tab is built
    found = {"runs table refresh (listing)": timed(lambda: panel.refresh(active), repeats)}

    def old_listing():
        list_runs(project)
        project.conn.execute("SELECT run_id, count(*) FROM run_labels GROUP BY run_id").fetchall()

    found["old runs listing (every report)"] = timed(old_listing, repeats)
    panel.show()
    details = load_run_details(project, active)
    found["run details shown (read in a job)"] = timed(lambda: panel._show_details(details), repeats)
    found["old run details (read and shown)"] = timed(
        lambda: panel._show_details(load_run_details(project, active)), repeats
    )
    panel.close()
    return found


def rows_applied_timings(window, app, repeats: int) -> list[float]:
    """What the GUI thread does when a grid query (after a filter change or an undo) returns:
    `set_rows` (the same query and rows: a reset before issue 20, a comparison of the rows since)
    and the selection of the kept image in the middle of the rows."""
    answers = [query_rows(window.project, window.model.query) for _ in range(repeats)]  # as the job returns them
    keep = answers[0][0].image_ids[len(answers[0][0]) // 2]

    def apply():
        rows, index = answers.pop()
        window.model.set_rows(rows, window.model.query, index)
        window.grid.select_image(keep)

    return timed(apply, repeats, app.processEvents)


def bare_reset_timings(bare, app, repeats: int) -> list[float]:
    """The same on the bare QListView: a model reset and a current row in the middle."""
    model = bare.model()
    names = model.stringList()

    def apply():
        model.setStringList(names)
        bare.setCurrentIndex(model.index(len(names) // 2))
        bare.scrollTo(model.index(len(names) // 2))

    return timed(apply, repeats, app.processEvents)


class GuiStatements:
    """Counts the SQL statements run on the GUI thread's connection."""

    def __init__(self, conn):
        self.conn, self.count = conn, 0

    def __enter__(self):
        self.conn.set_trace_callback(self._seen)
        return self

    def _seen(self, statement: str) -> None:
        self.count += 1
        if os.environ.get("SHOW_SQL"):
            print("GUI SQL:", statement[:150], flush=True)

    def __exit__(self, *exc):
        self.conn.set_trace_callback(None)


def summary(name: str, timings: list[float]) -> float:
    ordered = sorted(timings)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    print(f"{name:<40} p50 {statistics.median(ordered):6.2f} ms   p95 {p95:6.2f} ms   max {ordered[-1]:6.2f} ms")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100_000)
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--actions", type=int, default=30_000, help="label actions in the log")
    parser.add_argument("--repeats", type=int, default=40, help="calls of each handler timed")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    preload_seconds = (
        preload_ml_libraries()
    )  # the app loads them in the background after its first paint; here, before timing
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(
            f"building a {args.images}-image project with {args.actions} label actions and {RUNS} runs ...", flush=True
        )
        path = build_project(folder, args.images, args.actions)
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
        while window.training.panel is None and time.perf_counter() < deadline:  # built after the grid
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        first_rows = (clock.first_rows - started) * 1000
        first_thumbs = (clock.first_thumbnails - started) * 1000 if clock.first_thumbnails else float("nan")

        with GuiStatements(window.project.conn) as statements:
            loupe = scroll_timings(window.grid, app, args.steps)
        handlers = handler_timings(window, app, args.repeats)
        handlers.update(runs_table_timings(window.project, max(3, args.repeats // 8)))
        handlers["grid rows applied (set_rows + select)"] = rows_applied_timings(window, app, max(3, args.repeats // 8))
        handlers.update(rows_diff_timings(window, app, max(3, args.repeats // 4)))
        handlers.update(filtered_timings(window, app, max(3, args.repeats // 4)))
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
        handlers["bare QListView model reset + select"] = bare_reset_timings(bare, app, max(3, args.repeats // 8))
        bare.close()

    print(f"images: {args.images}, cores: {os.cpu_count()}, Qt platform: {app.platformName()}")
    print(
        f"start-up: loading torch/transformers (in the app: in the background after the first paint) took {preload_seconds:.1f} s"
    )
    print(f"first paint with rows             {first_rows:7.1f} ms")
    print(f"first paint with thumbnails       {first_thumbs:7.1f} ms   (goal < 500 ms)")
    p95 = summary("Loupe grid repaint while scrolling", loupe)
    base = summary("bare QListView repaint (baseline)", baseline)
    print(f"ratio p95 (Loupe / bare)          {p95 / base:7.2f}x   (goal: Loupe p95 < 16 ms)")
    print(f"SQL statements on the GUI thread while scrolling: {statements.count}   (goal: 0; paths come from a job)")
    print(f"GUI-thread handlers with {args.actions} label actions in the log (goal: each < 16 ms):")
    for name, timings in handlers.items():
        summary(name, timings)
    p50 = {name: statistics.median(timings) for name, timings in handlers.items()}
    for name, baseline in (
        ("label key (GUI thread)", "old log replay per label"),
        ("undo, GUI-thread CPU in all", "old log replay per label"),
        ("undo, longest GUI-thread stall", "old log replay per label"),
        ("label key, longest GUI-thread stall", "old log replay per label"),
        ("label commit, synchronous=FULL", "label commit, synchronous=OFF"),
        ("runs table refresh (listing)", "old runs listing (every report)"),
        ("run details shown (read in a job)", "old run details (read and shown)"),
        ("grid rows applied (set_rows + select)", "bare QListView model reset + select"),
    ):
        print(f"ratio p50 {name} / {baseline}: {p50[name] / p50[baseline]:.2f}x")


if __name__ == "__main__":
    main()
