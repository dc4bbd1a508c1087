"""Filter, search and sort for the grid: all / unlabelled / labelled / a class / rejected files,
a filename search (applied as you type, after a short pause) and the sort order."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.core.browse import REJECTED, ImageQuery
from app.core.classes import ClassInfo

_FIXED_FILTERS = (("All images", "all"), ("Unlabelled", "unlabelled"), ("Labelled", "labelled"))
_SORTS = (("Name", "name", False), ("Newest first", "added", True), ("Oldest first", "added", False))
SEARCH_DELAY_MS = 200


class FilterBar(QWidget):
    queryChanged = Signal(object)  # ImageQuery

    def __init__(self, parent=None):
        super().__init__(parent)
        self.show_box = QComboBox(self, toolTip="Which images to show")
        self.show_box.setObjectName("filterShow")
        self.search = QLineEdit(self, placeholderText="Search file names…  (Ctrl+F)", clearButtonEnabled=True)
        self.search.setObjectName("filterSearch")
        self.sort_box = QComboBox(self, toolTip="Sort order")
        for text, _, _ in _SORTS:
            self.sort_box.addItem(text)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.show_box.activated.connect(self._emit)
        self.sort_box.activated.connect(self._emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("Show:"))
        layout.addWidget(self.show_box)
        layout.addWidget(self.search, 1)
        layout.addWidget(QLabel("Sort:"))
        layout.addWidget(self.sort_box)
        self.set_classes([])

    def set_classes(self, classes: list[ClassInfo]) -> None:
        current = self.show_box.currentData()
        self.show_box.clear()
        for text, key in _FIXED_FILTERS:
            self.show_box.addItem(text, (key, None))
        for info in classes:
            self.show_box.addItem(f"Class: {info.name}", ("class", info.id))
        self.show_box.addItem("Rejected files", (REJECTED, None))
        index = self.show_box.findData(current)
        self.show_box.setCurrentIndex(max(index, 0))
        if current is not None and index < 0:  # the class shown was deleted
            self._emit()

    def show_filter(self, show: str, class_id: int | None = None) -> None:
        index = self.show_box.findData((show, class_id))
        if index >= 0:
            self.show_box.setCurrentIndex(index)
            self._emit()

    def query(self) -> ImageQuery:
        show, class_id = self.show_box.currentData() or ("all", None)
        _, sort, descending = _SORTS[self.sort_box.currentIndex()]
        return ImageQuery(show=show, class_id=class_id, search=self.search.text(), sort=sort, descending=descending)

    def _emit(self) -> None:
        self.queryChanged.emit(self.query())
