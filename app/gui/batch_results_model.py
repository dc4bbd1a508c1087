"""The Review workspace's results as data: a batch read as columns and prepared for the table
(`prepare_batch`: arrays of its columns and every column's sort order, both ways, so sorting and
filtering are array operations), the table model over it (`BatchResultsModel`), its columns and
the thumbnails of the batch's files (`ResultThumbnailLoader`, in the `results` lane). The panel
that shows them is `batch_results`."""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from operator import not_

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap

from app.core.errors import LoupeError
from app.core.file_names import real_name
from app.core.imaging.options import DecodeOptions
from app.core.imaging.thumbnails import ThumbnailCache, cached_thumbnail, file_thumbnail_key
from app.core.inference.batches import BatchColumns, BatchInfo, BatchResult, batch_result_columns
from app.core.project.settings import DEFAULT_REVIEW_BELOW
from app.gui.jobs import Lane
from app.gui.thumbnail_loader import ThumbnailLoader

ResultRole = Qt.ItemDataRole.UserRole + 1  # the row's BatchResult
THUMB = 40  # px: the table's icon size (the bottom dock is short at 1280×800)
_REVIEW_COLOUR = QColor("#c9302c")


class ResultThumbnailLoader(ThumbnailLoader):
    """The grid's loader, for files that need not be in the project: requests are result ids,
    their files are decoded in the `results` lane (newest request first), and the thumbnails go
    into the project's thumbnail cache under a key of the file's path, size and time."""

    def __init__(self, project, jobs, parent=None, rendering: DecodeOptions = DecodeOptions()):
        super().__init__(project, jobs, parent, rendering)
        #: result id -> absolute path; replaced as a whole when another batch is shown.
        self.paths: dict[int, str] = {}

    def start(self) -> None:
        self._job = self._jobs.start_job(self._serve, lane=Lane.RESULTS)

    def thumbnail(self, cache: ThumbnailCache, result_id: int) -> bytes | None:
        path = self.paths.get(result_id)
        if path is None:
            return None
        rendering = self.rendering  # one read: the GUI thread may replace it meanwhile
        return cached_thumbnail(cache, file_thumbnail_key(path, rendering), path, rendering)


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[BatchResult, BatchResultsModel], str]
    #: Every result's sort key at once, from the batch's columns (made in the job that reads it).
    keys: Callable[[BatchColumns], list]
    tip: str = ""


def _percent(p: float) -> str:
    return f"{p:.0%}" if p < 0.995 else f"{p:.1%}"


def _top(result: BatchResult, model: BatchResultsModel) -> str:
    return " · ".join(f"{name} {_percent(p)}" for _, name, p in result.top[:3])


def _state(result: BatchResult, model: BatchResultsModel) -> str:
    """What became of the file: accepted, labelled otherwise since, or why it could not be read."""
    if result.reason:  # the core's words, in English
        return QCoreApplication.translate("BatchResultsModel", "Not read: {reason}").format(reason=result.reason)
    if result.accepted:
        return QCoreApplication.translate("BatchResultsModel", "✓ Accepted as {name}").format(
            name=model.class_name(result.label_class_id)
        )
    if result.label_class_id is not None:
        return QCoreApplication.translate("BatchResultsModel", "Labelled {name}").format(
            name=model.class_name(result.label_class_id)
        )
    return ""


#: The table's columns, in order (each says how it shows and how it sorts).
def _second_best(top: str) -> float:
    """The second likeliest class's probability, from a result's stored `top`."""
    top = json.loads(top)
    return top[1][2] if len(top) > 1 else 0.0


#: Label before Top 3: at 1280×800 beside the viewer, whether a result was accepted stays in view.
#: Titles and tips are translated where the header shows them (`BatchResultsModel.headerData`).
COLUMNS: tuple[Column, ...] = (
    Column(
        QT_TRANSLATE_NOOP("BatchResultsModel", "Image"),
        lambda r, m: os.path.basename(r.path),
        lambda c: [os.path.basename(p).lower() for p in c.paths],
    ),
    Column(
        QT_TRANSLATE_NOOP("BatchResultsModel", "Class"),
        lambda r, m: r.label if r.class_id is not None else "—",
        lambda c: [x.lower() for x in c.labels],
    ),
    Column(
        QT_TRANSLATE_NOOP("BatchResultsModel", "Confidence"),
        lambda r, m: _percent(r.confidence) if r.class_id is not None else "—",
        lambda c: c.confidences,
        QT_TRANSLATE_NOOP("BatchResultsModel", "The model's probability for its class"),
    ),
    Column(
        QT_TRANSLATE_NOOP("BatchResultsModel", "Label"),
        _state,
        lambda c: list(zip(map(not_, c.accepted()), (x is None for x in c.label_class_ids), c.reasons, strict=True)),
        QT_TRANSLATE_NOOP("BatchResultsModel", "Whether the prediction became the image's label"),
    ),
    Column(
        QT_TRANSLATE_NOOP("BatchResultsModel", "Top 3"),
        _top,
        lambda c: list(map(_second_best, c.tops)),
        QT_TRANSLATE_NOOP("BatchResultsModel", "The three likeliest classes"),
    ),
)


#: Entries of the class filter besides the classes.
ALL_CLASSES, UNREADABLE = "all", "unreadable"


def review_threshold_for(project, run_id: int, target: float):
    """The "needs review" threshold of run `run_id` for `target` (a job: reads the run's report)."""
    from app.core.training.calibration import review_threshold
    from app.core.training.runs import get_run

    report = get_run(project, run_id).report or {}
    if not report.get("val_predictions"):
        raise LoupeError(
            QCoreApplication.translate(
                "BatchResultsModel", "run {run} has no validation results to choose a threshold on"
            ).format(run=run_id)
        )
    return review_threshold(report["val_predictions"], target)


#: Keys converted at a time: each conversion is one call that holds Python's lock, which the GUI
#: thread waits for (100,000 strings at once: 15 ms).
_SLICE = 10_000


def _in_slices(convert, keys) -> np.ndarray:
    """`convert` applied to `keys` a slice at a time, the results joined."""
    parts = [convert(keys[start : start + _SLICE]) for start in range(0, len(keys), _SLICE)]
    return np.concatenate(parts) if parts else convert(keys)


def _ranks(keys) -> np.ndarray:
    """Each key's rank among the distinct keys (equal keys, equal ranks), as Python orders them:
    numbers and strings by numpy (a tenth of the time), other keys (tuples) through a dict."""
    for kind, dtype in ((float, np.float64), (str, str)):
        if all(type(k) is kind for k in keys):
            values = _in_slices(lambda part, dtype=dtype: np.array(part, dtype=dtype), keys)
            return np.unique(values, return_inverse=True)[1].astype(np.int64)
    distinct: set = set()
    for start in range(0, len(keys), _SLICE):
        distinct.update(keys[start : start + _SLICE])
    rank_of = {k: rank for rank, k in enumerate(sorted(distinct))}
    return _in_slices(lambda part: np.fromiter(map(rank_of.__getitem__, part), np.int64, count=len(part)), keys)


def _orders(keys: list) -> tuple[np.ndarray, np.ndarray]:
    """The rows in the order of their `keys`, ascending and descending, each stable as Python's
    `sort` (equal keys keep the input order, also descending): keys ranked once, then sorted as
    ints."""
    ranks = _ranks(keys)
    return np.argsort(ranks, kind="stable"), np.argsort(-ranks, kind="stable")


class ResultRows(Sequence):
    """A prepared batch's results as a sequence of BatchResult, each made when asked for (the
    table asks for those on screen) from the batch's columns; the last few hundred are kept."""

    KEPT = 512

    def __init__(self, columns: BatchColumns):
        self.columns = columns
        self._made: OrderedDict[int, BatchResult] = OrderedDict()

    def __len__(self) -> int:
        return len(self.columns)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = int(i)
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        made = self._made.get(i)
        if made is None:
            made = self._made[i] = self.columns.result(i)
            if len(self._made) > self.KEPT:
                self._made.popitem(last=False)
        return made


@dataclass
class PreparedBatch:
    """A batch's results made ready for the table off the GUI thread (`prepare_batch`, in the job
    that reads them): its columns as arrays and every column's order, so that sorting, filtering
    and finding rows by result id cost the GUI thread array operations, not a loop per result."""

    batch: BatchInfo | None
    columns: BatchColumns  # the results, in input order
    ids: np.ndarray  # result id of each row
    class_ids: np.ndarray  # predicted class of each row, -1 where the file could not be read
    confidence: np.ndarray
    #: (column, descending) -> the rows in that column's order (stable, as Python's sort).
    orders: dict[tuple[int, bool], np.ndarray] = field(default_factory=dict)
    #: Row numbers by ascending result id, and those ids (to find the rows of many ids at once).
    id_order: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    sorted_ids: np.ndarray = field(default_factory=lambda: np.empty(0, np.int64))
    #: The readable results' confidences, ascending (how many are under a threshold).
    sorted_confidence: np.ndarray = field(default_factory=lambda: np.empty(0))
    accepted_count: int = 0
    image_ids: frozenset[int] = frozenset()
    #: result id -> the file system's name of its file (for the thumbnail loader).
    paths: dict[int, str] = field(default_factory=dict)

    def __post_init__(self):
        self.rows = ResultRows(self.columns)

    def rows_of(self, result_ids) -> np.ndarray:
        """The row numbers of these result ids (those of this batch), in no particular order."""
        ids = result_ids if isinstance(result_ids, np.ndarray) else np.fromiter(result_ids, dtype=np.int64)
        if not len(ids) or not len(self.sorted_ids):
            return np.empty(0, np.int64)
        at = np.minimum(np.searchsorted(self.sorted_ids, ids), len(self.sorted_ids) - 1)
        return self.id_order[at[self.sorted_ids[at] == ids]]


def prepare_batch(batch: BatchInfo | None, columns: BatchColumns) -> PreparedBatch:
    """Everything the table needs of a batch's results (see PreparedBatch); run it in the job
    that reads them."""
    ids = np.array(columns.ids, dtype=np.int64)
    class_ids = np.array([-1 if c is None else c for c in columns.class_ids], dtype=np.int64)
    confidence = np.array(columns.confidences, dtype=np.float64)
    orders = {}
    for column, spec in enumerate(COLUMNS):
        orders[column, False], orders[column, True] = _orders(spec.keys(columns))
    id_order = np.argsort(ids, kind="stable")
    return PreparedBatch(
        batch,
        columns,
        ids,
        class_ids,
        confidence,
        orders,
        id_order,
        ids[id_order],
        np.sort(confidence[class_ids >= 0]),
        sum(columns.accepted()),
        frozenset(i for i in columns.image_ids if i is not None),
        {i: real_name(path) for i, path in zip(columns.ids, columns.paths, strict=True)},  # the file system's names
    )


def release_batch(prepared: PreparedBatch, paths: dict) -> None:
    """Let go of a batch the table no longer shows, in a job and a slice at a time: freeing
    100,000 results' strings at once held the GUI thread for milliseconds, and a worker that
    frees them in one go holds the interpreter as long (the GUI thread's next Python call waits
    for it). Its columns are emptied: nothing else refers to a replaced batch."""
    empty = BatchColumns()
    for name in [f.name for f in fields(empty)]:  # a column at a time: each a few milliseconds
        setattr(prepared.columns, name, getattr(empty, name))
    paths.clear()


def load_batch(project, batch: BatchInfo) -> PreparedBatch:
    """A batch's results, read and prepared for the table (a job)."""
    return prepare_batch(batch, batch_result_columns(project, batch.id))


class BatchResultsModel(QAbstractTableModel):
    """The results of one batch, in the order and under the filter the user chose.

    Sorting and filtering are array operations on the prepared batch (`PreparedBatch`), not a
    QSortFilterProxyModel: the proxy asks the Python model for a row's data through one virtual
    call per row and per comparison: 4.4 s to sort 100,000 results by confidence, against a
    millisecond or two here (`bench/results_view.py`). Each arrangement is a reset between
    `aboutToBeArranged` and `arranged`, which the panel uses to keep the selection."""

    thumbnailWanted = Signal(int)  # result id
    aboutToBeArranged = Signal()  # the rows are about to be arranged anew (a reset): read the selection now
    arranged = Signal()  # they have been: put the selection back

    def __init__(self, parent=None):
        super().__init__(parent)
        self.prepared = prepare_batch(None, BatchColumns())
        self.visible = np.empty(0, np.int64)  # row numbers of `rows` shown, in the order shown
        self.review_below = DEFAULT_REVIEW_BELOW
        self.class_key: object = ALL_CLASSES
        self.review_only = False
        self.sort_column = -1  # input order
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._names: dict[int, str] = {}
        self._thumbnails: dict[int, QPixmap] = {}
        self._asked: set[int] = set()
        self._shown_at: np.ndarray | None = None  # row shown of each result (-1: hidden); made when asked

    @property
    def rows(self) -> ResultRows:
        """Every result of the batch, in input order."""
        return self.prepared.rows

    @property
    def batch(self) -> BatchInfo | None:
        return self.prepared.batch

    @property
    def accepted_count(self) -> int:
        return self.prepared.accepted_count

    @property
    def image_ids(self) -> frozenset[int]:
        return self.prepared.image_ids

    def set_rows(self, batch: BatchInfo | None, rows: list[BatchResult]) -> None:
        """Show these results (prepared here, on the calling thread; the panel prepares them in
        the job that reads them and calls `set_prepared`)."""
        self.set_prepared(prepare_batch(batch, BatchColumns.of(rows)))

    def set_prepared(self, prepared: PreparedBatch) -> None:
        same_batch = self.batch is not None and prepared.batch is not None and self.batch.id == prepared.batch.id
        if not same_batch:
            self._thumbnails.clear()
            self._asked.clear()
        self._arrange(prepared)

    def _shown(self, prepared: PreparedBatch) -> np.ndarray:
        """The rows shown under the filter, in the order chosen (row numbers of `rows`)."""
        mask = None
        if self.class_key == UNREADABLE:
            mask = prepared.class_ids < 0
        elif self.class_key != ALL_CLASSES:
            mask = prepared.class_ids == self.class_key
        if self.review_only:
            review = (prepared.class_ids >= 0) & (prepared.confidence < self.review_below)
            mask = review if mask is None else mask & review
        if 0 <= self.sort_column < len(COLUMNS):
            order = prepared.orders[self.sort_column, self.sort_order == Qt.SortOrder.DescendingOrder]
            return order if mask is None else order[mask[order]]
        return np.arange(len(prepared.rows)) if mask is None else np.flatnonzero(mask)

    def _arrange(self, prepared: PreparedBatch | None = None) -> None:
        """Filter and sort again (a reset: the view keeps no stale rows), between `aboutToBeArranged`
        and `arranged`."""
        prepared = prepared if prepared is not None else self.prepared
        visible = self._shown(prepared)
        self.aboutToBeArranged.emit()
        self.beginResetModel()
        self.prepared, self.visible, self._shown_at = prepared, visible, None
        self.endResetModel()
        self.arranged.emit()

    def set_filter(self, class_key: object, review_only: bool) -> None:
        self.class_key, self.review_only = class_key, review_only
        self._arrange()

    def set_review_below(self, threshold: float) -> None:
        self.review_below = threshold
        if self.review_only:
            self._arrange()
        elif len(self.visible):
            self.dataChanged.emit(
                self.index(0, 2), self.index(len(self.visible) - 1, 2), [Qt.ItemDataRole.ForegroundRole]
            )

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """A header click (the view asks): by that column's own value; -1 is the input order."""
        self.sort_column, self.sort_order = column, order
        self._arrange()

    def review_count(self) -> int:
        return int(np.searchsorted(self.prepared.sorted_confidence, self.review_below, side="left"))

    def result(self, row: int) -> BatchResult:
        return self.rows[self.visible[row]]

    def shown_at(self) -> np.ndarray:
        """The row each result (by row number of `rows`) is shown at, -1 where it is hidden;
        made when first asked after a sort or filter (only reselection and thumbnails ask)."""
        if self._shown_at is None:
            shown_at = np.full(len(self.rows), -1, np.int64)
            shown_at[self.visible] = np.arange(len(self.visible))
            self._shown_at = shown_at
        return self._shown_at

    def row_of(self, result_id: int) -> int | None:
        found = self.prepared.rows_of((result_id,))
        row = int(self.shown_at()[found[0]]) if len(found) else -1
        return row if row >= 0 else None

    def set_class_names(self, names: dict[int, str]) -> None:
        self._names = dict(names)

    def class_name(self, class_id: int | None) -> str:
        name = self._names.get(class_id)
        return name if name is not None else self.tr("class {id}").format(id=class_id)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.visible)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.tr(COLUMNS[section].title)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr(COLUMNS[section].tip) if COLUMNS[section].tip else None
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        result = self.rows[self.visible[index.row()]]
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(result, self)
        if role == ResultRole:
            return result
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            pixmap = self._thumbnails.get(result.id)
            if pixmap is None and result.id not in self._asked:
                self._asked.add(result.id)
                self.thumbnailWanted.emit(result.id)
            return pixmap
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2 and self.needs_review(result):
            return _REVIEW_COLOUR
        if role == Qt.ItemDataRole.ToolTipRole:
            return result.path if index.column() == 0 else (_state(result, self) or None)
        return None

    def needs_review(self, result: BatchResult) -> bool:
        return result.class_id is not None and result.confidence < self.review_below

    def on_loader_loaded(self, result_id: int, image: QImage) -> None:
        self._thumbnails[result_id] = QPixmap.fromImage(
            image.scaled(THUMB, THUMB, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        )
        row = self.row_of(result_id)
        if row is not None:
            index = self.index(row, 0)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DecorationRole])

    def thumbnails_loaded(self) -> int:
        return len(self._thumbnails)
