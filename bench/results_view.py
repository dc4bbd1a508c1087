"""Sorting and filtering a batch of 100,000 results in the Results tab: a QSortFilterProxyModel
over the table model against the model's own list operations (what the tab does).

    QT_QPA_PLATFORM=offscreen python bench/results_view.py [--rows 100000] [--no-idiom] [--panel-only]

Both sides work on the same synthetic results (seeded confidences, three classes) and are timed
the same way (best of 3, each call on its own, no view attached; each sort the other way round
from the one before, both sides sorted by confidence while the filter is timed): "proxy" is a
QSortFilterProxyModel with `setSortRole` on a role that returns the column's sort value, and a
`filterAcceptsRow` override for the filter; "model" is `BatchResultsModel.sort` / `set_filter`.
Printed: milliseconds per operation for each side and their ratio. Then keeping a selection of
every result across a sort (what the tab does after an accept, a filter or a sort): the Qt idiom
(`selectedRows()`, one selection range per row) against the tab's (`selected_ids`/`select_ids`:
the selection's ranges, one range per run of rows; `--no-idiom` skips the idiom: minutes).

Then the Results panel itself on a project holding a batch of that many results (goal: every
GUI-thread stall < 16 ms; `--panel-only`: this part alone), each timed as the longest gap between
ticks of a 1 ms timer while it runs until the panel has settled, in wall time and in the GUI
thread's CPU time (the latter leaves out other processes on a loaded machine, but also the time
the GUI thread waits for Python's lock while a job holds it); best and median of 5. Garbage is
collected as in the app: on the GUI thread, by a timer (`gui_garbage`):
  load a batch  — `show_batch` until the table shows it (the read runs in a job);
  sort, all selected — every result selected, then a click on the Confidence header (each the
                  other way round from the one before); says whether the selection was kept.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import qasync  # noqa: E402
from PySide6.QtCore import (  # noqa: E402
    QEventLoop,
    QItemSelection,
    QItemSelectionModel,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from app.core.inference.batches import BatchInfo, BatchResult, store_batch  # noqa: E402
from app.core.inference.predict import Prediction  # noqa: E402
from app.core.labelling.classes import add_class  # noqa: E402
from app.core.project.store import Project  # noqa: E402
from app.gui.batch_results import BatchResultsPanel, select_ids, selected_ids  # noqa: E402
from app.gui.batch_results_model import COLUMNS, BatchResultsModel  # noqa: E402
from app.gui.gui_garbage import collect_on_gui_thread  # noqa: E402
from app.gui.jobs import JobRunner  # noqa: E402

SORT_ROLE = Qt.ItemDataRole.UserRole + 50


class SortableModel(BatchResultsModel):
    """The table model, answering a sort role too (for the proxy): each column's sort keys made
    once, as the tab makes them."""

    _keys: dict[int, list] = {}

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == SORT_ROLE and index.isValid():
            column = index.column()
            if column not in self._keys:
                self._keys[column] = COLUMNS[column].keys(self.prepared.columns)
            return self._keys[column][self.visible[index.row()]]
        return super().data(index, role)


class ReviewProxy(QSortFilterProxyModel):
    def __init__(self, threshold: float):
        super().__init__()
        self.threshold = threshold
        self.review_only = False
        self.setSortRole(SORT_ROLE)

    def filterAcceptsRow(self, source_row, source_parent) -> bool:
        return not self.review_only or self.sourceModel().rows[source_row].confidence < self.threshold


def best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def longest_stall(app, fn, until, clock) -> float:
    """Milliseconds of the longest gap between ticks of a 1 ms timer while `fn` runs and the
    event loop turns until `until()` and 100 ms more (the view's own work included)."""
    gaps, last = [0.0], [clock()]

    def tick():
        now = clock()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer(interval=1)
    timer.timeout.connect(tick)
    timer.start()
    last[0] = clock()
    fn()
    deadline = time.perf_counter() + 60
    while not until() and time.perf_counter() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    end = time.perf_counter() + 0.1
    while time.perf_counter() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
    timer.stop()
    return max(gaps) * 1000


def panel_timings(app, count: int, repeats: int = 5) -> None:
    """The Results panel on a project holding a batch of `count` results (module docstring)."""
    loop = qasync.QEventLoop(app, already_running=True)
    asyncio.set_event_loop(loop)
    collect_on_gui_thread()  # as MainWindow does
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        project = Project.create(Path(tmp) / "results.loupe")
        classes = [add_class(project, name) for name in ("a", "b", "c")]
        predictions = []
        for i in range(count):
            c = classes[i % 3]
            p = rng.random()
            top = ((c.id, c.name, p), (classes[(i + 1) % 3].id, classes[(i + 1) % 3].name, (1 - p) / 2))
            predictions.append(Prediction(None, f"/data/scan-{i:06}.png", c.id, c.name, p, "", top))
        batch_id = store_batch(project, None, [Path("/data")], predictions)
        jobs = JobRunner()
        panel = BatchResultsPanel(project, jobs, classes)
        panel.loader.stop()  # no thumbnails: the files do not exist
        panel.resize(1200, 400)
        panel.show()
        panel.refresh()
        while panel.loads < 1:
            app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 5)
        found: dict[str, list[float]] = {}
        for clock, unit in ((time.perf_counter, "wall"), (time.thread_time, "CPU")):
            loads = []
            for _ in range(repeats):
                before = panel.loads
                loads.append(
                    longest_stall(app, lambda: panel.show_batch(batch_id), lambda b=before: panel.loads > b, clock)
                )
            found[f"load a batch: stall {unit}"] = loads
        order = [Qt.SortOrder.AscendingOrder]
        kept = []
        for clock, unit in ((time.perf_counter, "wall"), (time.thread_time, "CPU")):
            sorts = []
            for _ in range(repeats):
                panel.table.selectAll()
                order[0] = (
                    Qt.SortOrder.DescendingOrder
                    if order[0] == Qt.SortOrder.AscendingOrder
                    else Qt.SortOrder.AscendingOrder
                )
                sorts.append(longest_stall(app, lambda: panel.table.sortByColumn(2, order[0]), lambda: True, clock))
                kept.append(len(panel.selected_result_ids()) == count)
            found[f"sort, all selected: stall {unit}"] = sorts
        print(f"Results panel, {count} results; longest GUI-thread stall, milliseconds (goal < 16)")
        for name, timings in found.items():
            print(f"{name:32} best {min(timings):8.1f}   median {statistics.median(timings):8.1f}")
        print(f"selection kept across the sort: {sum(kept)} of {len(kept)} times")
        panel.shut_down()
        jobs.shutdown()
        panel.close()
        project.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-idiom", action="store_true", help="skip the Qt idiom's selection timing (minutes)")
    parser.add_argument("--panel-only", action="store_true", help="time the Results panel only")
    args = parser.parse_args()
    rows = args.rows
    app = QApplication.instance() or QApplication([])  # models need one
    if args.panel_only:
        panel_timings(app, rows)
        return
    rng = random.Random(0)
    results = [
        BatchResult(
            i,
            i,
            f"/data/scan-{i:06}.png",
            i % 3,
            "abc"[i % 3],
            rng.random(),
            ((i % 3, "abc"[i % 3], 0.5), (1, "b", 0.3), (2, "c", 0.2)),
            "",
            None,
        )
        for i in range(rows)
    ]
    batch = BatchInfo(1, 1, "2026-11-29T15:00", ("/data",), "finished", 3, False, rows, rows, 0)

    source = SortableModel()
    source.set_rows(batch, results)
    proxy = ReviewProxy(source.review_below)
    proxy.setSourceModel(source)
    model = BatchResultsModel()
    model.set_rows(batch, results)

    def proxy_filter() -> None:
        proxy.review_only = not proxy.review_only
        proxy.beginFilterChange()
        proxy.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def model_filter() -> None:
        model.set_filter("all", not model.review_only)

    orders = {"proxy": Qt.SortOrder.AscendingOrder, "model": Qt.SortOrder.AscendingOrder}

    def flipped(side: str):
        """Each call sorts the other way round (sorting again the same way is free for the proxy)."""
        up, down = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
        orders[side] = down if orders[side] == up else up
        return orders[side]

    cases = [
        ("sort by confidence", lambda: proxy.sort(2, flipped("proxy")), lambda: model.sort(2, flipped("model"))),
        ("filter: needs review on/off", proxy_filter, model_filter),
    ]
    print(f"{rows} results; best of 3, milliseconds")
    print(f"{'operation':32} {'proxy':>10} {'model':>10} {'ratio':>8}")
    for name, with_proxy, with_model in cases:
        a, b = best_of(with_proxy), best_of(with_model)
        print(f"{name:32} {a:10.1f} {b:10.1f} {a / b:7.0f}×")

    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)

    def per_row() -> None:
        ids = [model.result(index.row()).id for index in table.selectionModel().selectedRows()]
        model.sort(2, flipped("model"))
        selection = QItemSelection()
        for row in sorted(model.row_of(i) for i in ids):
            selection.select(model.index(row, 0), model.index(row, len(COLUMNS) - 1))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        table.selectionModel().select(selection, flags)

    def by_ranges() -> None:
        ids = selected_ids(table, model)
        model.sort(2, flipped("model"))
        select_ids(table, model, ids)

    table.selectAll()
    a = float("nan")
    if not args.no_idiom:
        start = time.perf_counter()
        per_row()
        a = (time.perf_counter() - start) * 1000  # once: it takes minutes
    table.selectAll()
    b = best_of(by_ranges)
    print(f"{'select all, sort, select again':32} {a:10.1f} {b:10.1f} {a / b:7.0f}×  (Qt idiom once)")
    table.close()
    panel_timings(app, rows)


if __name__ == "__main__":
    main()
