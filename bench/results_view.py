"""Sorting and filtering a batch of 100,000 results in the Results tab: a QSortFilterProxyModel
over the table model against the model's own list operations (what the tab does).

    QT_QPA_PLATFORM=offscreen python bench/results_view.py [--rows 100000]

Both sides work on the same synthetic results (seeded confidences, three classes) and are timed
the same way (best of 3, each call on its own, no view attached; each sort the other way round
from the one before, both sides sorted by confidence while the filter is timed): "proxy" is a
QSortFilterProxyModel with `setSortRole` on a role that returns the column's sort value, and a
`filterAcceptsRow` override for the filter; "model" is `BatchResultsModel.sort` / `set_filter`.
Printed: milliseconds per operation for each side and their ratio. Then keeping a selection of
every result across a sort (what the tab does after an accept, a filter or a sort): the Qt idiom
(`selectedRows()`, one selection range per row) against the tab's (`selected_ids`/`select_ids`:
the selection's ranges, one range per run of rows).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSortFilterProxyModel, Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from app.core.inference.batches import BatchInfo, BatchResult  # noqa: E402
from app.gui.batch_results import COLUMNS, BatchResultsModel, select_ids, selected_ids  # noqa: E402

SORT_ROLE = Qt.ItemDataRole.UserRole + 50


class SortableModel(BatchResultsModel):
    """The table model, answering a sort role too (for the proxy)."""

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == SORT_ROLE and index.isValid():
            return COLUMNS[index.column()].sort(self.result(index.row()))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    app = QApplication.instance() or QApplication([])  # noqa: F841 - models need one
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
    start = time.perf_counter()
    per_row()
    a = (time.perf_counter() - start) * 1000  # once: it takes tens of seconds
    table.selectAll()
    b = best_of(by_ranges)
    print(f"{'select all, sort, select again':32} {a:10.1f} {b:10.1f} {a / b:7.0f}×  (Qt idiom once)")


if __name__ == "__main__":
    main()
