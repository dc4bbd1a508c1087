"""The grid's rows: a QAbstractListModel over the core's `GridRows` columns.

Thumbnails are requested from the loader the first time a row is painted and kept in a bounded
cache; class names and colours come from the session's class list.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import PurePath
from typing import Callable

from PySide6.QtCore import QAbstractListModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap

from app.core.browse import GridRows, ImageQuery, matches
from app.core.classes import ClassInfo

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

#: Thumbnails kept decoded in memory (about 200 KB each): several screens' worth.
PIXMAP_CACHE_SIZE = 800
#: Paths are fetched for this many rows around the first one asked for (a screenful and more).
PATH_WINDOW = 256


class ImageListModel(QAbstractListModel):
    thumbnailWanted = Signal(int)  # image id

    def __init__(self, fetch_paths: Callable[[list[int]], dict[int, str]] | None = None, parent=None):
        super().__init__(parent)
        self._fetch_paths = fetch_paths
        self.rows = GridRows()
        self.query = ImageQuery()
        self._row_of: dict[int, int] = {}
        self._classes: dict[int, ClassInfo] = {}
        self._pixmaps: OrderedDict[int, QPixmap] = OrderedDict()
        self._failed: dict[int, str] = {}
        self._requested: set[int] = set()

    # -- content --------------------------------------------------------------------------------

    def set_rows(self, rows: GridRows, query: ImageQuery) -> None:
        self.beginResetModel()
        self.rows = rows
        self.query = query
        self._row_of = {image_id: row for row, image_id in enumerate(rows.image_ids) if image_id is not None}
        self._requested.clear()
        self.endResetModel()

    def set_classes(self, classes: list[ClassInfo]) -> None:
        self._classes = {c.id: c for c in classes}
        if self.rows:
            self.dataChanged.emit(self.index(0), self.index(len(self.rows) - 1))

    def row_of(self, image_id: int) -> int | None:
        return self._row_of.get(image_id)

    def image_id(self, row: int) -> int | None:
        return self.rows.image_ids[row] if 0 <= row < len(self.rows) else None

    def path(self, row: int) -> str:
        """The stored path of a row, fetched with its neighbours the first time it is needed."""
        path = self.rows.paths[row]
        if path is None and self._fetch_paths is not None:
            lo, hi = max(0, row - PATH_WINDOW // 2), min(len(self.rows), row + PATH_WINDOW // 2)
            wanted = [i for i, p in zip(self.rows.image_ids[lo:hi], self.rows.paths[lo:hi]) if p is None]
            found = self._fetch_paths(wanted)
            for position in range(lo, hi):
                if self.rows.paths[position] is None:
                    self.rows.paths[position] = found.get(self.rows.image_ids[position], "")
            path = self.rows.paths[row]
        return path or ""

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
            for column in (self.rows.image_ids, self.rows.paths, self.rows.class_ids, self.rows.reasons):
                del column[row]
            self.endRemoveRows()
        if leaving:
            self._row_of = {i: r for r, i in enumerate(self.rows.image_ids) if i is not None}

    # -- thumbnails -----------------------------------------------------------------------------

    def on_loader_loaded(self, image_id: int, image: QImage) -> None:
        self._requested.discard(image_id)
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
                return PurePath(self.path(row)).name
            case Qt.ItemDataRole.DecorationRole:
                return self._thumbnail(image_id) if image_id is not None else None
            case Qt.ItemDataRole.ToolTipRole:
                reason = self.rows.reasons[row] or self._failed.get(image_id)
                tip = f"{self.path(row)}\n{reason}" if reason else self.path(row)
                predicted = self._prediction(image_id, PredictedNameRole)
                if predicted is not None:
                    tip += f"\npredicted: {predicted} ({self._prediction(image_id, ConfidenceRole):.0%})"
                return tip
            case _ if role == ImageIdRole:
                return image_id
            case _ if role == ClassIdRole:
                return class_id
            case _ if role == ReasonRole:
                return self.rows.reasons[row] or self._failed.get(image_id)
            case _ if role == PathRole:
                return self.path(row)
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
        return None
