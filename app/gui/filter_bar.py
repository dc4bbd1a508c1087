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
        current = self._current_choice()
        self._choices = [(key, None) for _, key in _FIXED_FILTERS]
        self._choices += [("class", info.id) for info in classes] + [(REJECTED, None)]
        texts = [text for text, _ in _FIXED_FILTERS] + [f"Class: {c.name}" for c in classes] + ["Rejected files"]
        self.show_box.clear()
        self.show_box.addItems(texts)
        still_there = current in self._choices
        self.show_box.setCurrentIndex(self._choices.index(current) if still_there else 0)
        if not still_there and current is not None:  # the class shown was deleted
            self._emit()

    def _current_choice(self) -> tuple[str, int | None] | None:
        index = self.show_box.currentIndex()
        choices = getattr(self, "_choices", [])
        return choices[index] if 0 <= index < len(choices) else None

    def show_filter(self, show: str, class_id: int | None = None) -> None:
        if (show, class_id) in self._choices:
            self.show_box.setCurrentIndex(self._choices.index((show, class_id)))
            self._emit()

    def query(self) -> ImageQuery:
        show, class_id = self._current_choice() or ("all", None)
        _, sort, descending = _SORTS[self.sort_box.currentIndex()]
        return ImageQuery(show=show, class_id=class_id, search=self.search.text(), sort=sort, descending=descending)

    def _emit(self) -> None:
        self.queryChanged.emit(self.query())
