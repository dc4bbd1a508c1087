"""Filter, search and sort for the grid: all / unlabelled / labelled / the suggested queue / a
class / near-duplicates / one slide's or scene's tiles / rejected files, a filename search (applied as you type, after a short pause) and the sort
order (the suggested queue keeps its own order). With an active run: its predictions, and the
images that need review — predicted under the project's one "unsure" threshold, the one the
Results' "Needs review … below" box sets (`ReviewThreshold`); the entry says its value and the
grid follows when it changes."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from app.core.labelling.browse import ORDERED_FILTERS, REJECTED, ImageQuery, source_entries
from app.core.labelling.classes import ClassInfo
from app.gui.review_threshold import ReviewThreshold

#: The Show list's first entries and the Sort list (translated where shown).
_FIXED_FILTERS = (
    (QT_TRANSLATE_NOOP("FilterBar", "All images"), "all"),
    (QT_TRANSLATE_NOOP("FilterBar", "Unlabelled"), "unlabelled"),
    (QT_TRANSLATE_NOOP("FilterBar", "Labelled"), "labelled"),
)
_SORTS = (
    (QT_TRANSLATE_NOOP("FilterBar", "Name"), "name", False),
    (QT_TRANSLATE_NOOP("FilterBar", "Newest first"), "added", True),
    (QT_TRANSLATE_NOOP("FilterBar", "Oldest first"), "added", False),
)
SEARCH_DELAY_MS = 200
SHOW_BOX_MAX_WIDTH = 320


class FilterBar(QWidget):
    queryChanged = Signal(object)  # ImageQuery

    def __init__(self, parent=None, project=None):
        """`project` (else the parent's `project`, the main window's) gives the review threshold."""
        super().__init__(parent)
        project = project if project is not None else getattr(parent, "project", None)
        self.project = project
        #: (source id, entry text) of the project's slides and scenes (`refresh_sources`).
        self._sources: list[tuple[int, str]] = source_entries(project) if project is not None else []
        #: The project's "needs review" threshold, shared with the Results.
        self.review = ReviewThreshold.of(project) if project is not None else ReviewThreshold()
        self.review.changed.connect(self.on_review_changed)
        self.show_box = QComboBox(self, toolTip=self.tr("Which images to show"))
        self.show_box.setObjectName("filterShow")
        # As wide as its longest entry ("Suggested (Uncertain and varied)"), within reason: the
        # search box takes the rest.
        self.show_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.show_box.setMaximumWidth(SHOW_BOX_MAX_WIDTH)
        self.search = QLineEdit(self, placeholderText=self.tr("Search file names…  (Ctrl+F)"), clearButtonEnabled=True)
        self.search.setObjectName("filterSearch")
        self.sort_box = QComboBox(self, toolTip=self.tr("Sort order"))
        for text, _, _ in _SORTS:
            self.sort_box.addItem(self.tr(text))
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)
        self.search.textChanged.connect(self._debounce.start)
        self.show_box.activated.connect(self._emit)
        self.sort_box.activated.connect(self._emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel(self.tr("Show:")))
        layout.addWidget(self.show_box)
        layout.addWidget(self.search, 1)
        layout.addWidget(QLabel(self.tr("Sort:")))
        layout.addWidget(self.sort_box)
        self.run_id: int | None = None
        self._ids: tuple[int, ...] = ()
        self._ids_title = ""
        self._suggested: tuple[int, ...] = ()
        self._suggested_title = ""
        self.set_classes([])

    def set_run(self, run_id: int | None) -> None:
        """The active run: its predictions can be filtered on (and are shown on the tiles)."""
        self.run_id = run_id
        self.set_classes()
        self._emit()

    def show_images(self, image_ids: tuple[int, ...], title: str) -> None:
        """Show exactly these images (e.g. one cell of a confusion matrix)."""
        self._ids, self._ids_title = tuple(image_ids), title
        self.set_classes()
        self.show_filter("ids")

    def set_suggestions(self, image_ids: tuple[int, ...], title: str) -> None:
        """The suggestion queue, in order, and the strategy's title; the grid follows at once
        when it shows the queue."""
        changed = tuple(image_ids) != self._suggested
        retitled = title != self._suggested_title
        self._suggested, self._suggested_title = tuple(image_ids), title
        if retitled:
            self.set_classes()
        if changed and self._current_choice() == ("suggested", None):
            self._emit()

    def refresh_sources(self) -> None:
        """Read the project's slides and scenes again (after an import of tiles): a few rows."""
        if self.project is not None:
            self._sources = source_entries(self.project)
            self.set_classes()

    def set_classes(self, classes: list[ClassInfo] | None = None) -> None:
        """Rebuild the list of filters (after class changes, a new active run, a selection)."""
        self._classes = classes if classes is not None else getattr(self, "_classes", [])
        current = self._current_choice()
        entries = [(self.tr(text), (key, None)) for text, key in _FIXED_FILTERS]
        suggested = (
            self.tr("Suggested ({strategy})").format(strategy=self._suggested_title)
            if self._suggested_title
            else self.tr("Suggested")
        )
        entries.append((suggested, ("suggested", None)))
        entries += [(self.tr("Class: {name}").format(name=c.name), ("class", c.id)) for c in self._classes]
        if self.run_id is not None:
            entries += [(self.tr("Predicted: {name}").format(name=c.name), ("predicted", c.id)) for c in self._classes]
            entries += [
                (self.tr("Disagrees with label"), ("disagrees", None)),
                (self.tr("Needs review (< {percent})").format(percent=self.review.percent), ("low_confidence", None)),
            ]
        entries.append((self.tr("Near-duplicates"), ("near_duplicates", None)))  # found first if none are stored
        entries += [(self._source_text(text), ("source", source_id)) for source_id, text in self._sources]
        entries.append((self.tr("Missing or changed files"), ("missing", None)))
        entries.append((self.tr("Rejected files"), (REJECTED, None)))
        if self._ids:
            entries.append((self.tr("Selection: {title}").format(title=self._ids_title), ("ids", None)))
        self._choices = [choice for _, choice in entries]
        self.show_box.blockSignals(True)
        self.show_box.clear()
        self.show_box.addItems([text for text, _ in entries])
        self.show_box.blockSignals(False)
        still_there = current in self._choices
        self.show_box.setCurrentIndex(self._choices.index(current) if still_there else 0)
        if not still_there and current is not None:  # the class shown was deleted
            self._emit()

    def _source_text(self, text: str) -> str:
        """A slide's or scene's entry ("Slide: name", as the core writes it) in the interface's
        language."""
        kind, _, name = text.partition(": ")
        if kind == "Slide":
            return self.tr("Slide: {name}").format(name=name)
        if kind == "Scene":
            return self.tr("Scene: {name}").format(name=name)
        return text

    def on_review_changed(self, value: float) -> None:
        """A new "needs review" threshold: the entry says it, and the grid follows if it shows
        those images."""
        self.set_classes()
        if self._current_choice() == ("low_confidence", None):
            self._emit()

    def _current_choice(self) -> tuple[str, int | None] | None:
        index = self.show_box.currentIndex()
        choices = getattr(self, "_choices", [])
        return choices[index] if 0 <= index < len(choices) else None

    def show_filter(self, show: str, class_id: int | None = None) -> None:
        if (show, class_id) in self._choices:
            self.show_box.setCurrentIndex(self._choices.index((show, class_id)))
            self._emit()

    def open_show_list(self) -> None:
        """Ctrl+L: the Show list open, for the keyboard (arrows and Return choose)."""
        self.show_box.setFocus()
        self.show_box.showPopup()

    def query(self) -> ImageQuery:
        show, class_id = self._current_choice() or ("all", None)
        _, sort, descending = _SORTS[self.sort_box.currentIndex()]
        ids, title = {"ids": (self._ids, self._ids_title), "suggested": (self._suggested, self._suggested_title)}.get(
            show, ((), "")
        )
        source_id = class_id if show == "source" else None  # the entry's second part is the source
        return ImageQuery(
            show=show,
            class_id=None if show == "source" else class_id,
            source_id=source_id,
            search=self.search.text(),
            sort=sort,
            descending=descending,
            run_id=self.run_id,
            image_ids=ids,
            title=title,
            threshold=self.review.value,
        )

    def _update_sort_box(self) -> None:
        """The queue keeps its own order: the sort list says so by being disabled."""
        ordered = (self._current_choice() or ("all",))[0] in ORDERED_FILTERS
        self.sort_box.setEnabled(not ordered)
        show = (self._current_choice() or ("all",))[0]
        self.sort_box.setToolTip(
            self.tr("Sort order")
            if not ordered
            else self.tr("Near-duplicates are listed by group: a group's images together")
            if show == "near_duplicates"
            else self.tr("A slide's or scene's tiles are listed row by row, as they lie on it")
            if show == "source"
            else self.tr("The suggestions keep their order: most worth labelling first")
        )

    def _emit(self) -> None:
        self._update_sort_box()
        self.queryChanged.emit(self.query())
