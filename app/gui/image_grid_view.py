"""The thumbnail grid: a QListView of uniform tiles in rows (list mode, left to right, wrapping),
laid out in one pass, so a 100,000-image project opens and scrolls smoothly. Ctrl+wheel (or
Ctrl + / Ctrl −) resizes tiles.

Not icon mode: it lays 100,000 tiles out in 26 ms (list mode: 10-11 ms, as a bare QListView),
again after every row that comes or goes (an undo in an "Unlabelled" grid), and batching that
layout made the view lose its place: the scroll range shrank to the first batch, and the current
image was scrolled to before it was laid out (`bench/grid_speed.py`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QStyledItemDelegate

from app.gui.image_list_model import (
    ClassColourRole,
    ClassNameRole,
    ConfidenceRole,
    ImageIdRole,
    ImageListModel,
    NoteRole,
    PredictedColourRole,
    PredictedNameRole,
    ReasonRole,
    SuggestionRole,
    ZeroShotColourRole,
    ZeroShotConfidenceRole,
    ZeroShotNameRole,
    near_duplicate_group,
)

TILE_SIZES = (64, 96, 128, 160, 192, 256)
DEFAULT_TILE = 128
_LABEL_HEIGHT = 18


class ThumbnailDelegate(QStyledItemDelegate):
    """Paints a tile: the thumbnail (or a placeholder), a class-coloured frame and label line."""

    def __init__(self, view: ImageGridView):
        super().__init__(view)
        self.view = view

    def sizeHint(self, option, index) -> QSize:
        """The cell less its margin: tiles grow with the cells to fill the grid's width."""
        cell = self.view.gridSize()
        return QSize(cell.width() - 4, cell.height() - 4)

    def paint(self, painter: QPainter, option, index) -> None:
        rect: QRect = option.rect.adjusted(2, 2, -2, -2)
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.fillRect(rect, palette.highlight() if selected else palette.base())
        image_rect = QRect(rect.x() + 3, rect.y() + 3, rect.width() - 6, rect.height() - _LABEL_HEIGHT - 6)
        pixmap = index.data(Qt.ItemDataRole.DecorationRole)
        if pixmap is not None and not pixmap.isNull():
            size = pixmap.size().scaled(image_rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = image_rect.x() + (image_rect.width() - size.width()) // 2
            y = image_rect.y() + (image_rect.height() - size.height()) // 2
            painter.drawPixmap(QRect(x, y, size.width(), size.height()), pixmap)
        else:
            painter.fillRect(image_rect, palette.alternateBase())
            if index.data(ReasonRole):
                painter.setPen(QColor("#d9534f"))
                painter.drawText(image_rect, Qt.AlignmentFlag.AlignCenter, self.tr("⚠ unreadable"))
        self._paint_prediction(painter, image_rect, index)
        self._paint_zero_shot(painter, image_rect, index)
        self._paint_suggestion(painter, image_rect, index)
        self._paint_group(painter, image_rect, index)
        colour = index.data(ClassColourRole)
        text_rect = QRect(rect.x() + 4, rect.bottom() - _LABEL_HEIGHT, rect.width() - 8, _LABEL_HEIGHT)
        if colour is not None:
            painter.setPen(QPen(colour, 3))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.fillRect(QRect(text_rect.x(), text_rect.y() + 4, 10, 10), colour)
            text_rect.setLeft(text_rect.left() + 14)
        painter.setPen(palette.highlightedText().color() if selected else palette.text().color())
        text = index.data(ClassNameRole) or index.data(Qt.ItemDataRole.DisplayRole)
        elided = option.fontMetrics.elidedText(text, Qt.TextElideMode.ElideMiddle, text_rect.width())
        painter.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, elided)
        painter.restore()

    @staticmethod
    def _paint_prediction(painter: QPainter, image_rect: QRect, index) -> None:
        """The active model's prediction: a badge in the predicted class's colour naming the class
        and the confidence ("irregular 58 %"); a dashed border when it disagrees with the label.
        Not on the tiles of the Suggested queue: their reason gives the suggestions' own model's
        two likeliest classes, and two predictions on one tile would contradict each other."""
        colour = index.data(PredictedColourRole)
        if colour is None or index.data(SuggestionRole):  # in the queue the tile says why instead
            return
        metrics = painter.fontMetrics()
        confidence = f" {index.data(ConfidenceRole):.0%}"
        room = image_rect.width() - 4 - metrics.horizontalAdvance(confidence) - 8
        name = metrics.elidedText(index.data(PredictedNameRole) or "", Qt.TextElideMode.ElideRight, max(room, 0))
        text = name + confidence
        width = min(metrics.horizontalAdvance(text) + 8, image_rect.width() - 4)
        badge = QRect(image_rect.right() - width - 1, image_rect.top() + 2, width, 16)
        painter.fillRect(badge, colour)
        ink = readable_on(colour)
        label_colour = index.data(ClassColourRole)
        if label_colour is not None and label_colour != colour:
            painter.setPen(QPen(ink, 2, Qt.PenStyle.DashLine))
            painter.drawRect(badge)
        painter.setPen(ink)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _paint_zero_shot(painter: QPainter, image_rect: QRect, index) -> None:
        """A zero-shot suggestion ("◇ tumour 72%"): outlined in the class's colour, dashed, on a
        dark badge, so it never looks like a trained model's prediction (a filled badge) nor a
        label (the tile's frame). Enter accepts it."""
        colour = index.data(ZeroShotColourRole)
        if colour is None or index.data(SuggestionRole):
            return
        metrics = painter.fontMetrics()
        confidence = f" {index.data(ZeroShotConfidenceRole):.0%}"
        room = image_rect.width() - 4 - metrics.horizontalAdvance("◇ " + confidence) - 8
        name = metrics.elidedText(index.data(ZeroShotNameRole) or "", Qt.TextElideMode.ElideRight, max(room, 0))
        text = "◇ " + name + confidence
        width = min(metrics.horizontalAdvance(text) + 10, image_rect.width() - 4)
        badge = QRect(image_rect.right() - width - 1, image_rect.top() + 2, width, 17)
        painter.fillRect(badge, QColor(20, 20, 20, 200))
        painter.setPen(QPen(colour, 2, Qt.PenStyle.DashLine))
        painter.drawRect(badge.adjusted(1, 1, -1, -1))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _paint_group(painter: QPainter, image_rect: QRect, index) -> None:
        """Show ▸ Near-duplicates: the tile's group ("≈ group 3") at the image's top left, so the
        members of one group read as one even where a group ends and the next begins mid-row."""
        group = near_duplicate_group(index.data(NoteRole))
        if group is None:
            return
        text = QCoreApplication.translate("ThumbnailDelegate", "≈ group {number}").format(number=group)
        metrics = painter.fontMetrics()
        badge = QRect(image_rect.left() + 2, image_rect.top() + 2, metrics.horizontalAdvance(text) + 10, 17)
        painter.fillRect(badge, QColor(20, 20, 20, 200))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)

    @staticmethod
    def _paint_suggestion(painter: QPainter, image_rect: QRect, index) -> None:
        """Why a tile of the Suggested queue is suggested, on a dark strip along the bottom of the
        image: one line, or two on tiles tall enough ("healthy 48% ·" / "irregular 41%"), elided
        to the tile (the whole reason is in the tooltip)."""
        why = index.data(SuggestionRole)
        if not why:
            return
        painter.save()
        font = painter.font()
        font.setPointSizeF(max(font.pointSizeF() * 0.85, 6.0))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        room = image_rect.width() - 8
        lines = [why]
        if metrics.horizontalAdvance(why) > room and image_rect.height() >= 80:
            lines = two_lines(why, lambda text: metrics.horizontalAdvance(text) <= room)
        lines = [metrics.elidedText(line, Qt.TextElideMode.ElideRight, room) for line in lines]
        height = metrics.height() * len(lines) + 4
        strip = QRect(image_rect.left(), image_rect.bottom() - height + 1, image_rect.width(), height)
        painter.fillRect(strip, QColor(0, 0, 0, 185))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(
            strip.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, "\n".join(lines)
        )
        painter.restore()


def two_lines(text: str, fits) -> list[str]:
    """`text` over two lines. A reason made of parts ("blue 55% · green 45%") breaks after the
    last part that fits the first line (at least one), so a class never loses its probability
    to the next line; other text breaks after as many words as fit."""
    separator = " · "
    parts = text.split(separator)
    if len(parts) > 1:
        cut = 1
        while cut < len(parts) and fits(separator.join(parts[: cut + 1]) + " ·"):
            cut += 1
        first, rest = separator.join(parts[:cut]), separator.join(parts[cut:])
        return [first + " ·", rest] if rest else [first]
    words = text.split(" ")
    cut = 1
    while cut < len(words) and fits(" ".join(words[: cut + 1])):
        cut += 1
    first, rest = " ".join(words[:cut]), " ".join(words[cut:])
    return [first, rest] if rest else [first]


def readable_on(background: QColor) -> QColor:
    """Black or white text, whichever reads better on `background` (yellow badges need black)."""
    r, g, b = background.redF(), background.greenF(), background.blueF()
    return QColor("#000000") if 0.299 * r + 0.587 * g + 0.114 * b > 0.6 else QColor("#ffffff")


class ImageGridView(QListView):
    currentImageChanged = Signal(object)  # image id or None
    tileSizeChanged = Signal(int)

    def __init__(self, model: ImageListModel, parent=None):
        super().__init__(parent)
        self.tile_size = 0
        self.setModel(model)
        self.setViewMode(QListView.ViewMode.ListMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setMovement(QListView.Movement.Static)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(True)
        self.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionRectVisible(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setSpacing(0)  # the cells' own margin (fit_columns) separates the tiles
        self.setWrapping(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setItemDelegate(ThumbnailDelegate(self))
        self.set_tile_size(DEFAULT_TILE)
        self.setDragEnabled(False)
        self.setAcceptDrops(False)  # drops go to the window, which imports them
        self.setObjectName("imageGrid")
        self._announced: int | None = None  # the image id currentImageChanged last carried
        self.placeholder = ""  # what an empty grid says (set_placeholder)
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        # A reset (a re-query after an undo, a filter, predictions) clears the current index for
        # a moment before the window selects the same image again: announce only what remains
        # once the event has been handled, so the viewer does not blank and reload the image.
        model.modelReset.connect(lambda: QTimer.singleShot(0, self._announce_current))

    @property
    def grid_model(self) -> ImageListModel:
        return self.model()

    def set_placeholder(self, text: str) -> None:
        """A sentence in the middle of the grid while it has no rows: why it is empty (the
        Suggested queue while image features are computed, or why there are no suggestions)."""
        if text != self.placeholder:
            self.placeholder = text
            self.viewport().update()

    def dataChanged(self, top_left, bottom_right, roles=()) -> None:  # noqa: N802 (Qt's name)
        """A repaint, not a layout: in list mode Qt lays every row out again after any change of
        data (a thumbnail, a label: 11 ms at 100,000 rows), in case a row changed size; these
        tiles are all the size of the grid."""
        QAbstractItemView.dataChanged(self, top_left, bottom_right, roles)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self.placeholder and not self.grid_model.rowCount():
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            painter.end()

    def _on_current_changed(self, current, previous=None) -> None:
        self._announce_current()

    def _announce_current(self) -> None:
        image_id = self.current_image_id()
        if image_id != self._announced:
            self._announced = image_id
            self.currentImageChanged.emit(image_id)

    def current_image_id(self) -> int | None:
        index = self.currentIndex()
        return index.data(ImageIdRole) if index.isValid() else None

    def selected_image_ids(self) -> list[int]:
        """The selection in grid order; the current image when nothing is selected."""
        rows = sorted(index.row() for index in self.selectionModel().selectedIndexes())
        ids = [self.grid_model.image_id(row) for row in rows]
        ids = [i for i in ids if i is not None]
        if not ids and self.current_image_id() is not None:
            ids = [self.current_image_id()]
        return ids

    def select_image(self, image_id: int | None) -> None:
        row = self.grid_model.row_of(image_id) if image_id is not None else None
        if row is None:
            return
        self._make_current(self.grid_model.index(row))

    def select_row(self, row: int) -> None:
        count = self.grid_model.rowCount()
        if count:
            self._make_current(self.grid_model.index(max(0, min(row, count - 1))))

    def _make_current(self, index) -> None:
        """`index` current and the only one selected: the next class key labels it alone. (Rows
        the model inserts and removes keep their selection, so an image selected before an undo
        brought another back would otherwise stay selected beside it.)"""
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def set_tile_size(self, size: int) -> None:
        size = min(TILE_SIZES, key=lambda s: abs(s - size))
        if size != self.tile_size:
            self.tile_size = size
            self.fit_columns()
            self.tileSizeChanged.emit(size)
            self.scheduleDelayedItemsLayout()

    def fit_columns(self) -> None:
        """As many columns of `tile_size` as fit, then the tiles grown to share what is left
        over, so that the grid fills its width (under a pixel per column of slack, instead of up
        to a tile's width). The vertical scroll bar is always there, so that its coming and going
        cannot change the width and make the columns flicker."""
        cell = self.tile_size + 4
        width = self.viewport().width()
        columns = max(1, width // cell)
        grown = max(cell, (width - 1) // columns)  # a cell that ends on the last pixel wraps
        size = QSize(grown, grown + _LABEL_HEIGHT)
        if size != self.gridSize():
            self.setGridSize(size)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_columns()

    def step_tile_size(self, steps: int) -> None:
        position = TILE_SIZES.index(self.tile_size)
        self.set_tile_size(TILE_SIZES[max(0, min(position + steps, len(TILE_SIZES) - 1))])

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.step_tile_size(1 if event.angleDelta().y() > 0 else -1)
            event.accept()
            return
        super().wheelEvent(event)
