"""The grid's rows: a list model over the core's `GridRows` columns.

Thumbnails are requested from the loader the first time a row is painted and kept in a bounded
cache; class names and colours come from the session's class list. Paths arrive the same way:
the grid query fills those of the first screen, and a paint that meets a row without its path
asks for its window of rows (`pathsWanted`, answered with `set_paths`) — `data()` never runs
SQL, so a paint costs the same at 100,000 images as at 100.

The row count is answered in C++: the model is a QStringListModel whose strings are all empty
(only their number is used; `data()` answers from the columns). The view asks for an index of
every row at each layout (after any row comes or goes), and each `index()` asks `rowCount()`: a
Python `rowCount` made that 100,000 calls into Python (25 ms in icon mode); with the C++ count the
grid lays 100,000 rows out in the 10-11 ms a bare QListView takes (on the 2-core machine). The
Python columns follow each change of the count in the model's first receiver of `rowsInserted`/
`rowsRemoved`, so every view and the selection hear of a change after the columns have it.

A query answered again with the same filter (an undo in an "Unlabelled" view, a label change)
is applied as the rows that left and came (`rowsRemoved`/`rowsInserted`), not as a reset: the
selection, the current image and the scroll position stay.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable
from itertools import compress, count
from operator import not_

from PySide6.QtCore import QCoreApplication, QModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPixmap

from app.core.imaging.part_paths import short_name
from app.core.labelling.browse import REJECTED, GridRows, ImageQuery, fill_paths, matches, query_images
from app.core.labelling.classes import ClassInfo
from app.core.project.store import Project

ImageIdRole = Qt.ItemDataRole.UserRole + 1
ClassIdRole = Qt.ItemDataRole.UserRole + 2
ReasonRole = Qt.ItemDataRole.UserRole + 3
PathRole = Qt.ItemDataRole.UserRole + 4
ClassColourRole = Qt.ItemDataRole.UserRole + 5
ClassNameRole = Qt.ItemDataRole.UserRole + 6
HasThumbnailRole = Qt.ItemDataRole.UserRole + 7
PredictedNameRole = Qt.ItemDataRole.UserRole + 8
PredictedColourRole = Qt.ItemDataRole.UserRole + 9
ConfidenceRole = Qt.ItemDataRole.UserRole + 10
#: Why an image is suggested ("healthy 48% · irregular 41%"), on the tiles of the Suggested queue.
SuggestionRole = Qt.ItemDataRole.UserRole + 11
#: An unlabelled image's zero-shot class (app.core.zeroshot), where no run predicts for it: its
#: name, colour and confidence, painted as a suggestion that Enter accepts.
ZeroShotNameRole = Qt.ItemDataRole.UserRole + 40
ZeroShotColourRole = Qt.ItemDataRole.UserRole + 41
ZeroShotConfidenceRole = Qt.ItemDataRole.UserRole + 42
#: The row's note from the query (Show ▸ Near-duplicates: "near-duplicate group 3: 3 images; …").
NoteRole = Qt.ItemDataRole.UserRole + 43

#: The core's note on a row of Show ▸ Near-duplicates (app.core.labelling.browse writes it in
#: English), read back to be said in the interface's language: group, size, likeness.
_GROUP_NOTE = re.compile(r"near-duplicate group (\d+): (\d+) images; (\S+) alike to its closest")


def near_duplicate_group(note: str | None) -> str | None:
    """The group number a row's note names ("3"), None for a row in no group."""
    found = _GROUP_NOTE.fullmatch(note) if note else None
    return found.group(1) if found else None


def note_text(note: str) -> str:
    """A row's note as the tooltip says it (translated where the note is a near-duplicate's)."""
    found = _GROUP_NOTE.fullmatch(note)
    if found is None:
        return note
    group, size, alike = found.groups()
    return QCoreApplication.translate(
        "ImageListModel", "near-duplicate group {group}: {count} images; {similarity} alike to its closest"
    ).format(group=group, count=size, similarity=alike)


#: Thumbnails kept decoded in memory (about 200 KB each): several screens' worth.
PIXMAP_CACHE_SIZE = 800
#: Paths are fetched for this many rows around the first one asked for (a screenful and more).
PATH_WINDOW = 256
#: A query answered again with more runs of rows gone or come than this is shown by a reset:
#: each run is a signal to every view (and its re-layout is the same either way).
MAX_DIFF_RUNS = 200
#: ... or with more rows come than this: Qt's string list inserts them one at a time, each
#: moving the rows after it (about 0.1 ms a row at 100,000 rows).
MAX_DIFF_INSERTED = 32
_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemNeverHasChildren


def path_window(row: int, count: int) -> range:
    """The rows whose paths are fetched together with `row`'s: a screenful and more around it."""
    lo = max(0, row - PATH_WINDOW // 2)
    return range(lo, min(count, lo + PATH_WINDOW))


class RowIndex:
    """Image id -> row: built with the query, off the GUI thread, and kept right as rows leave
    (a labelled image leaving an 'unlabelled' view) without a rebuild — building it for 100,000
    rows took 25-40 ms on the GUI thread, at every query and every label in such a view."""

    def __init__(self, image_ids: list[int | None], filled: range | None = None):
        self._first: dict[int, int] = {i: row for row, i in enumerate(image_ids) if i is not None}
        self._gone: list[int] = []  # rows (numbered as built) removed since, sorted
        #: The rows the query came with paths for (None: any of them).
        self.filled = filled
        #: The image ids as an array (None where some row has none: rejected files): two answers
        #: of a query are compared as arrays, at memory speed (as lists: 4 ms at 100,000 rows).
        self.ids = id_array(image_ids)

    def get(self, image_id: int | None) -> int | None:
        row = self._first.get(image_id)
        return None if row is None else row - bisect_left(self._gone, row)

    def remove(self, image_id: int) -> None:
        row = self._first.pop(image_id, None)
        if row is not None:
            insort(self._gone, row)


def id_array(image_ids) -> array | None:
    """`image_ids` as an array of 64-bit ints; None when one is None."""
    try:
        return array("q", image_ids)
    except TypeError:
        return None


def query_rows(project: Project, query: ImageQuery, near: int | None = None) -> tuple[GridRows, RowIndex]:
    """The grid query, run off the GUI thread: rows without paths (building 100,000 path strings
    is most of a query's cost), except those around image `near` (else the top) — the first
    screen is painted with its names — and their index by image id."""
    rows = query_images(project, query, with_paths=False)
    index = RowIndex(rows.image_ids)
    index.filled = window = path_window(index.get(near) or 0, len(rows))
    return fill_paths(project, rows, window.start, window.stop), index


def _common_prefix(a: list, b: list) -> int:
    """How many leading items `a` and `b` share, found by comparing halves (in C): about two
    passes over the lists instead of a Python loop over every row."""
    lo, hi = 0, min(len(a), len(b))  # a[:lo] == b[:lo]; they differ at hi or earlier
    if len(a) == len(b) and a == b:  # the usual case of a column that did not change: one pass
        return hi
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[lo:mid] == b[lo:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: list, b: list, limit: int) -> int:
    """How many trailing items `a` and `b` share, at most `limit`."""
    lo, hi, na, nb = 0, min(limit, len(a), len(b)), len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[na - mid : na - lo] == b[nb - mid : nb - lo]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _differing(a: list, b: list) -> range:
    """The rows from the first to the last where `a` and `b` (as long) differ: empty if none."""
    if a == b:
        return range(0)
    start = _common_prefix(a, b)
    return range(start, len(a) - _common_suffix(a, b, len(a) - start))


def _runs(rows) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and row == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def row_changes(old, new) -> tuple[list[tuple[int, int]], list[tuple[int, int]]] | None:
    """What turns the image ids `old` into `new` (the same query answered again; two lists or two
    `id_array`s): the runs of rows of `old` that leave, and then the runs of rows of `new` that
    come, as (first, last) — or None when `new` is not `old` less some and plus others in the
    same order (or the ids repeat). The shared start and end are found by comparing halves, so a
    change of a row or two costs a fraction of a millisecond at 100,000 rows (as arrays)."""
    start = _common_prefix(old, new)
    end = _common_suffix(old, new, min(len(old), len(new)) - start)
    old_mid, new_mid = old[start : len(old) - end], new[start : len(new) - end]
    old_set, new_set = set(old_mid), set(new_mid)
    if len(old_set) != len(old_mid) or len(new_set) != len(new_mid) or None in old_set or None in new_set:
        return None
    leaving = list(compress(count(start), map(not_, map(new_set.__contains__, old_mid))))
    coming = list(compress(count(start), map(not_, map(old_set.__contains__, new_mid))))
    staying_old = list(compress(old_mid, map(new_set.__contains__, old_mid)))
    staying_new = list(compress(new_mid, map(old_set.__contains__, new_mid)))
    if staying_old != staying_new:  # the order changed: not a matter of rows leaving and coming
        return None
    return _runs(leaving), _runs(coming)


class ImageListModel(QStringListModel):
    thumbnailWanted = Signal(int)  # image id
    pathsWanted = Signal(list)  # image ids a paint met without their paths; answer with set_paths

    def __init__(self, fetch_paths: Callable[[list[int]], dict[int, str]] | None = None, parent=None):
        super().__init__(parent)
        # The first receivers (connected before any view's): the Python columns change with the
        # C++ row count, before anything else hears of it.
        self.rowsInserted.connect(self._on_rows_inserted)
        self.rowsRemoved.connect(self._on_rows_removed)
        self._incoming: list[list] | None = None  # the columns of the rows being inserted
        self._ids: array | None = None  # the rows' image ids as an array (row_changes), if known
        self._replaced: list[GridRows] = []  # rows just replaced, freed at the next turn of the loop
        #: Fetches paths at once, for `path()` only (callers that must have the path now).
        self._fetch_paths = fetch_paths
        self._paths_requested: set[int] = set()
        self.rows = GridRows()
        self.query = ImageQuery()
        self._row_of = RowIndex([])
        self._classes: dict[int, ClassInfo] = {}
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self._failed: dict[int, str] = {}
        self._requested: set[int] = set()
        self._stale: set[int] = set()  # shown, but made before the band choice changed
        self._suggestions: dict[int, str] = {}  # image id -> why it is suggested
        self._zero_shot: dict[int, tuple[int, float]] = {}  # image id -> (class id, confidence)

    # -- content --------------------------------------------------------------------------------

    def set_rows(self, rows: GridRows, query: ImageQuery, index: RowIndex | None = None) -> None:
        """Show new rows; pass the `index` query_rows built (else it is built here). The same
        query answered again (after an undo, a label) changes only the rows that left or came,
        keeping the selection, the current image and the scroll position; another query, or
        changes in too many places, resets the model."""
        index = index if index is not None else RowIndex(rows.image_ids)
        same = query == self.query and query.show != REJECTED and self.rows and rows
        if same and self._apply_changes(rows, index):
            return
        self.beginResetModel()
        self._let_go(self.rows)
        self.rows = rows
        self.query = query
        self._row_of = index
        self._ids = index.ids
        self._requested.clear()
        self._paths_requested.clear()
        self._set_count(len(rows))
        self.endResetModel()

    def _let_go(self, rows: GridRows) -> None:
        """Keep replaced rows until the event loop turns: freeing 100,000 of them takes a
        millisecond or two, better spent after the view has been told."""
        self._replaced.append(rows)
        if len(self._replaced) == 1:
            QTimer.singleShot(0, self._replaced.clear)

    def _set_count(self, rows: int) -> None:
        """The C++ row count, inside a reset (its own row signals are not sent). Rows are added
        at the top, where Qt's list grows without moving the others: fast at any count."""
        blocked = self.blockSignals(True)
        try:
            now = QStringListModel.rowCount(self)
            if rows > now:
                self.insertRows(0, rows - now)
            elif rows < now:
                self.removeRows(0, now - rows)
        finally:
            self.blockSignals(blocked)

    def _apply_changes(self, new: GridRows, index: RowIndex) -> bool:
        """`new` (the same query's rows) shown by removing and inserting the rows that changed;
        False (nothing done) when it is not a matter of a few runs of rows."""
        arrays = self._ids is not None and index.ids is not None
        changes = row_changes(self._ids, index.ids) if arrays else row_changes(self.rows.image_ids, new.image_ids)
        if changes is None:
            return False
        leaving, coming = changes
        if len(leaving) + len(coming) > MAX_DIFF_RUNS or sum(b - a + 1 for a, b in coming) > MAX_DIFF_INSERTED:
            return False
        self._row_of = _Moving(self)  # right at every step (a slot may ask), as the rows move
        for first, last in reversed(leaving):
            self.removeRows(first, last - first + 1)
        for first, last in coming:
            self._incoming = [column[first : last + 1] for column in _columns(new)]
            self.insertRows(first, last - first + 1)
        # The rows are `new`'s now: take its columns whole (labels, paths and predictions may
        # have changed on rows that stayed; paths it lacks are asked for again when painted)
        # and repaint what changed: not every row (the icon view would visit all 100,000).
        old, self.rows, self._row_of, self._ids = self.rows, new, index, index.ids
        self._let_go(old)
        self._paths_requested.clear()
        every = range(len(new))
        for rows in (_differing(old.class_ids, new.class_ids), _differing(old.reasons, new.reasons)):
            if rows:
                self.dataChanged.emit(self.index(rows.start), self.index(rows.stop - 1))
        filled = every if index.filled is None else range(index.filled.start, min(index.filled.stop, len(new)))
        if filled:
            self.dataChanged.emit(self.index(filled.start), self.index(filled.stop - 1))
        return True

    def _on_rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        incoming, self._incoming = self._incoming, None
        if incoming is None:  # not ours (nothing else inserts): empty rows
            incoming = [[None] * (last - first + 1) for _ in _columns(self.rows)]
        for column, values in zip(_columns(self.rows), incoming):
            column[first:first] = values
        if self._ids is not None:
            coming = id_array(incoming[0])
            if coming is None:
                self._ids = None
            else:
                self._ids[first:first] = coming

    def _on_rows_removed(self, parent: QModelIndex, first: int, last: int) -> None:
        for column in _columns(self.rows):
            del column[first : last + 1]
        if self._ids is not None:
            del self._ids[first : last + 1]

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        """Selectable, never editable (as a QAbstractListModel's rows)."""
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        return False

    def set_classes(self, classes: list[ClassInfo]) -> None:
        self._classes = {c.id: c for c in classes}
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def set_suggestions(self, reasons: dict[int, str]) -> None:
        """Why each suggested image is suggested: on its tile in the queue and in its tooltip."""
        self._suggestions = dict(reasons)
        if self.rows and self.query.show == "suggested":
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def suggestion(self, image_id: int | None) -> str | None:
        return self._suggestions.get(image_id) or None

    def set_zero_shot(self, classes: dict[int, tuple[int, float]]) -> None:
        """Zero-shot classes (image id -> (class id, confidence)), shown on unlabelled tiles."""
        self._zero_shot = dict(classes)
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def zero_shot(self, image_id: int | None) -> tuple[int, float] | None:
        """The zero-shot (class id, confidence) shown on this image's tile: only while it has no
        label, and no run predicts for it (a trained model's prediction is the better guess)."""
        found = self._zero_shot.get(image_id) if image_id is not None else None
        if found is None or image_id in self.rows.predictions or found[0] not in self._classes:
            return None
        row = self.row_of(image_id)
        return found if row is not None and self.rows.class_ids[row] is None else None

    def _zero_shot_data(self, image_id: int | None, role):
        found = self.zero_shot(image_id)
        if found is None:
            return None
        class_id, confidence = found
        if role == ZeroShotConfidenceRole:
            return confidence
        info = self._classes[class_id]
        return info.name if role == ZeroShotNameRole else QColor(info.colour)

    def row_of(self, image_id: int) -> int | None:
        return self._row_of.get(image_id)

    def _find(self, image_id: int | None) -> int | None:
        """The row of `image_id` by looking (in C), while rows move."""
        try:
            return self.rows.image_ids.index(image_id)
        except ValueError:
            return None

    def image_id(self, row: int) -> int | None:
        return self.rows.image_ids[row] if 0 <= row < len(self.rows) else None

    def path(self, row: int) -> str:
        """The stored path of a row, fetched at once (with its window) when not known yet. Runs
        SQL on the calling thread: not for painting (`data()` uses `_shown_path`)."""
        path = self.rows.paths[row]
        if path is None and self._fetch_paths is not None:
            ids, paths = self.rows.image_ids, self.rows.paths
            window = path_window(row, len(self.rows))
            self.set_paths(self._fetch_paths([ids[r] for r in window if paths[r] is None and ids[r] is not None]))
            path = self.rows.paths[row]
        return path or ""

    def _shown_path(self, row: int) -> str:
        """The path of a row if known; else "" for now, and its window is asked for (once)."""
        path = self.rows.paths[row]
        if path is not None:
            return path
        image_id = self.rows.image_ids[row]
        if image_id is not None and image_id not in self._paths_requested:
            wanted = self._missing_paths(path_window(row, len(self.rows)))
            self._paths_requested.update(wanted)
            self.pathsWanted.emit(wanted)
        return ""

    def _missing_paths(self, window: range) -> list[int]:
        """Image ids in `window` with no path yet and not already asked for."""
        ids, paths = self.rows.image_ids, self.rows.paths
        return [
            ids[r] for r in window if paths[r] is None and ids[r] is not None and ids[r] not in self._paths_requested
        ]

    def set_paths(self, found: dict[int, str]) -> None:
        """Paths fetched for `pathsWanted` (or by `path()`): shown on the rows still here."""
        changed = []
        for image_id, path in found.items():
            self._paths_requested.discard(image_id)
            row = self._row_of.get(image_id)
            if row is not None and self.rows.paths[row] is None:
                self.rows.paths[row] = path
                changed.append(row)
        if changed:
            self.dataChanged.emit(self.index(min(changed)), self.index(max(changed)), [Qt.ItemDataRole.DisplayRole])

    def apply_labels(self, changes: dict[int, int | None]) -> None:
        """Show new labels; rows that no longer match the filter leave the grid."""
        leaving = []
        for image_id, class_id in changes.items():
            row = self._row_of.get(image_id)
            if row is None:
                continue
            self.rows.class_ids[row] = class_id
            predicted = self.rows.predictions.get(image_id, (None, 0.0))[0]
            if matches(self.query, class_id, predicted):
                index = self.index(row)
                self.dataChanged.emit(index, index)
            else:
                leaving.append(row)
        for first, last in reversed(_runs(sorted(leaving))):
            for row in range(first, last + 1):
                self._row_of.remove(self.rows.image_ids[row])
            self.removeRows(first, last - first + 1)

    # -- thumbnails -----------------------------------------------------------------------------

    def reload_thumbnails(self) -> None:
        """Ask again for every thumbnail as it is painted (a new band choice changes how
        multi-band images look); the old one stays on screen until the new one arrives."""
        self._stale = set(self._pixmaps)
        self._requested.clear()
        self._failed.clear()
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1), [Qt.ItemDataRole.DecorationRole])

    def on_loader_loaded(self, image_id: int, image: QImage) -> None:
        self._requested.discard(image_id)
        self._stale.discard(image_id)
        self._pixmaps[image_id] = QPixmap.fromImage(image)
        while len(self._pixmaps) > PIXMAP_CACHE_SIZE:
            evicted, _ = self._pixmaps.popitem(last=False)
            self._requested.discard(evicted)
        self._row_changed(image_id, Qt.ItemDataRole.DecorationRole)

    def on_loader_failed(self, image_id: int, reason: str) -> None:
        self._requested.discard(image_id)
        self._failed[image_id] = reason
        self._row_changed(image_id, Qt.ItemDataRole.DecorationRole)

    def _row_changed(self, image_id: int, role) -> None:
        row = self._row_of.get(image_id)
        if row is not None:
            index = self.index(row)
            self.dataChanged.emit(index, index, [role])

    def _thumbnail(self, image_id: int) -> QPixmap | None:
        pixmap = self._pixmaps.get(image_id)
        if pixmap is not None:
            self._pixmaps.move_to_end(image_id)
            if image_id in self._stale and image_id not in self._requested:
                self._requested.add(image_id)
                self.thumbnailWanted.emit(image_id)
            return pixmap
        if image_id not in self._requested and image_id not in self._failed:
            self._requested.add(image_id)
            self.thumbnailWanted.emit(image_id)
        return None

    def waiting_for_thumbnails(self) -> int:
        return len(self._requested)

    def _prediction(self, image_id: int | None, role):
        predicted = self.rows.predictions.get(image_id) if image_id is not None else None
        if predicted is None:
            return None
        class_id, confidence = predicted
        if role == ConfidenceRole:
            return confidence
        info = self._classes.get(class_id)
        if info is None:
            return None
        return info.name if role == PredictedNameRole else QColor(info.colour)

    # -- the model --------------------------------------------------------------------------------
    # rowCount and index are QStringListModel's, in C++ (see the module docstring).

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        image_id = self.rows.image_ids[row]
        class_id = self.rows.class_ids[row]
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return short_name(self._shown_path(row))
            case Qt.ItemDataRole.DecorationRole:
                return self._thumbnail(image_id) if image_id is not None else None
            case Qt.ItemDataRole.ToolTipRole:
                reason = self.rows.reasons[row] or self._failed.get(image_id)
                path = self._shown_path(row)
                tip = f"{path}\n{reason}" if reason else path
                predicted = self._prediction(image_id, PredictedNameRole)
                if predicted is not None:
                    confidence = f"{self._prediction(image_id, ConfidenceRole):.0%}"
                    tip += "\n" + self.tr("predicted: {name} ({confidence})").format(
                        name=predicted, confidence=confidence
                    )
                why = self.suggestion(image_id)
                if why:
                    tip += "\n" + self.tr("suggested: {why}").format(why=why)
                zero_shot = self._zero_shot_data(image_id, ZeroShotNameRole)
                if zero_shot is not None:
                    shown = self._zero_shot_data(image_id, ZeroShotConfidenceRole)
                    tip += "\n" + self.tr(
                        "zero-shot suggestion: {name} ({confidence}), from the class names; Enter accepts it"
                    ).format(name=zero_shot, confidence=f"{shown:.0%}")
                note = self.rows.notes.get(image_id)
                if note:
                    tip += "\n" + note_text(note)
                return tip
            case _ if role == NoteRole:
                return self.rows.notes.get(image_id)
            case _ if role == ImageIdRole:
                return image_id
            case _ if role == ClassIdRole:
                return class_id
            case _ if role == ReasonRole:
                return self.rows.reasons[row] or self._failed.get(image_id)
            case _ if role == PathRole:
                return self._shown_path(row)
            case _ if role == ClassColourRole:
                info = self._classes.get(class_id)
                return QColor(info.colour) if info else None
            case _ if role == ClassNameRole:
                info = self._classes.get(class_id)
                return info.name if info else None
            case _ if role == HasThumbnailRole:
                return image_id in self._pixmaps
            case _ if role in (PredictedNameRole, PredictedColourRole, ConfidenceRole):
                return self._prediction(image_id, role)
            case _ if role in (ZeroShotNameRole, ZeroShotColourRole, ZeroShotConfidenceRole):
                return self._zero_shot_data(image_id, role)
            case _ if role == SuggestionRole:
                return self.suggestion(image_id) if self.query.show == "suggested" else None
        return None


def _columns(rows: GridRows) -> tuple[list, list, list, list]:
    """The per-row columns of `rows` (the predictions are by image id, not by row)."""
    return rows.image_ids, rows.paths, rows.class_ids, rows.reasons


class _Moving:
    """The row index while `set_rows` removes and inserts rows: looks rows up (in C) instead,
    for a slot that asks meanwhile (the current image moving, say)."""

    def __init__(self, model: ImageListModel):
        self.model = model

    def get(self, image_id: int | None) -> int | None:
        return self.model._find(image_id)

    def remove(self, image_id: int) -> None:
        pass
