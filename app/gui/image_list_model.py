"""The grid's rows: a QAbstractListModel over the core's `GridRows` columns.

Thumbnails are requested from the loader the first time a row is painted and kept in a bounded
cache; class names and colours come from the session's class list. Paths arrive the same way:
the grid query fills those of the first screen, and a paint that meets a row without its path
asks for its window of rows (`pathsWanted`, answered with `set_paths`) — `data()` never runs
SQL, so a paint costs the same at 100,000 images as at 100.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import OrderedDict
from collections.abc import Callable
from pathlib import PurePath

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap

from app.core.labelling.browse import GridRows, ImageQuery, fill_paths, matches, query_images
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

#: Thumbnails kept decoded in memory (about 200 KB each): several screens' worth.
PIXMAP_CACHE_SIZE = 800
#: Paths are fetched for this many rows around the first one asked for (a screenful and more).
PATH_WINDOW = 256


def path_window(row: int, count: int) -> range:
    """The rows whose paths are fetched together with `row`'s: a screenful and more around it."""
    lo = max(0, row - PATH_WINDOW // 2)
    return range(lo, min(count, lo + PATH_WINDOW))


class RowIndex:
    """Image id -> row: built with the query, off the GUI thread, and kept right as rows leave
    (a labelled image leaving an 'unlabelled' view) without a rebuild — building it for 100,000
    rows took 25-40 ms on the GUI thread, at every query and every label in such a view."""

    def __init__(self, image_ids: list[int | None]):
        self._first: dict[int, int] = {i: row for row, i in enumerate(image_ids) if i is not None}
        self._gone: list[int] = []  # rows (numbered as built) removed since, sorted

    def get(self, image_id: int | None) -> int | None:
        row = self._first.get(image_id)
        return None if row is None else row - bisect_left(self._gone, row)

    def remove(self, image_id: int) -> None:
        row = self._first.pop(image_id, None)
        if row is not None:
            insort(self._gone, row)


def query_rows(project: Project, query: ImageQuery, near: int | None = None) -> tuple[GridRows, RowIndex]:
    """The grid query, run off the GUI thread: rows without paths (building 100,000 path strings
    is most of a query's cost), except those around image `near` (else the top) — the first
    screen is painted with its names — and their index by image id."""
    rows = query_images(project, query, with_paths=False)
    index = RowIndex(rows.image_ids)
    window = path_window(index.get(near) or 0, len(rows))
    return fill_paths(project, rows, window.start, window.stop), index


class ImageListModel(QAbstractListModel):
    thumbnailWanted = Signal(int)  # image id
    pathsWanted = Signal(list)  # image ids a paint met without their paths; answer with set_paths

    def __init__(self, fetch_paths: Callable[[list[int]], dict[int, str]] | None = None, parent=None):
        super().__init__(parent)
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

    # -- content --------------------------------------------------------------------------------

    def set_rows(self, rows: GridRows, query: ImageQuery, index: RowIndex | None = None) -> None:
        """Show new rows; pass the `index` query_rows built (else it is built here)."""
        self.beginResetModel()
        self.rows = rows
        self.query = query
        self._row_of = index if index is not None else RowIndex(rows.image_ids)
        self._requested.clear()
        self._paths_requested.clear()
        self.endResetModel()

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

    def row_of(self, image_id: int) -> int | None:
        return self._row_of.get(image_id)

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
        for row in sorted(leaving, reverse=True):
            self.beginRemoveRows(QModelIndex(), row, row)
            self._row_of.remove(self.rows.image_ids[row])
            for column in (self.rows.image_ids, self.rows.paths, self.rows.class_ids, self.rows.reasons):
                del column[row]
            self.endRemoveRows()

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

    # -- QAbstractListModel ---------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = index.row()
        image_id = self.rows.image_ids[row]
        class_id = self.rows.class_ids[row]
        match role:
            case Qt.ItemDataRole.DisplayRole:
                return PurePath(self._shown_path(row)).name
            case Qt.ItemDataRole.DecorationRole:
                return self._thumbnail(image_id) if image_id is not None else None
            case Qt.ItemDataRole.ToolTipRole:
                reason = self.rows.reasons[row] or self._failed.get(image_id)
                path = self._shown_path(row)
                tip = f"{path}\n{reason}" if reason else path
                predicted = self._prediction(image_id, PredictedNameRole)
                if predicted is not None:
                    tip += f"\npredicted: {predicted} ({self._prediction(image_id, ConfidenceRole):.0%})"
                why = self.suggestion(image_id)
                if why:
                    tip += f"\nsuggested: {why}"
                return tip
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
            case _ if role == SuggestionRole:
                return self.suggestion(image_id) if self.query.show == "suggested" else None
        return None
