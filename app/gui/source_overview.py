"""A whole slide or scene on screen: its overview with its tiles coloured by label or prediction.

`SourceOverviewView` paints the stored overview (about 2,000 px a side), then, once zoomed in past
it, the part in view read from the pyramid at the resolution the screen needs (asked for with
`regionWanted`; the controller reads it in a worker and hands it back with `set_detail`). Over
that: each tile filled with its class colour (the label, or the active run's prediction) at the
chosen opacity, outlines once tiles are large enough to see, the suggested tiles (dashed, numbered
in the order to label them) and the current tile. Wheel or +/− zooms, dragging or the arrows
pan, Home fits; a click on a tile emits `tileClicked`.

`SourceOverviewPanel` puts the chooser of sources above it, and under it the colour choice, the
opacity slider and the legend (class colours, names and tile counts). Layout only: the
controller (`source_controller.py`) reads the project.
"""

from __future__ import annotations

import math
from html import escape

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.labelling.classes import ClassInfo
from app.core.sources.tile_states import NONE, TileStates

#: What tiles are coloured by: the label, or the active run's prediction.
LABELS, PREDICTIONS = "labels", "predictions"
COLOUR_CHOICES = (
    (LABELS, QT_TRANSLATE_NOOP("SourceOverviewPanel", "Labels")),
    (PREDICTIONS, QT_TRANSLATE_NOOP("SourceOverviewPanel", "Predictions")),
)
#: The colour fill's opacity when the window opens (the slider changes it).
FILL_OPACITY = 0.45
#: Outlines are drawn once a tile is this many screen pixels across, for at most this many tiles.
OUTLINE_FROM_PX, MAX_OUTLINES = 6.0, 4000
#: A suggested or current tile is marked at least this large on screen, however far out.
MARK_MIN_PX = 10.0
#: Suggested tiles' colour (dashed), and the current tile's.
SUGGESTED_COLOUR, CURRENT_COLOUR = QColor("#ffd000"), QColor("#ffffff")
#: The view's background (around the slide), as the viewer's.
BACKGROUND = QColor("#202020")
#: Zoom steps: per wheel notch and per + / − key; the most magnification (screen px per level-0 px).
ZOOM_STEP, MAX_SCALE = 1.25, 4.0
#: Pan step for the arrow keys, a share of the view.
PAN_STEP = 0.15
#: Quiet time after zooming or panning before the region in view is asked for.
DETAIL_DELAY_MS = 80
#: A press that moves less than this is a click, not a drag.
CLICK_SLOP_PX = 4


def tiles_text(count: int) -> str:
    """A count of tiles in words: "1 tile", "1,200 tiles"."""
    if count == 1:
        return QCoreApplication.translate("SourceOverviewController", "1 tile")
    return QCoreApplication.translate("SourceOverviewController", "{count} tiles").format(count=f"{count:,}")


def class_colours(classes: list[ClassInfo]) -> dict[int, QColor]:
    return {c.id: QColor(c.colour) for c in classes}


def tile_tip(states: TileStates, row: int, names: dict[int, str]) -> str:
    """What hovering a tile says: its label, the model's prediction and its confidence."""
    label = int(states.labels[row])
    parts = [
        QCoreApplication.translate("SourceOverviewView", "Label: {name}").format(name=names.get(label, "?"))
        if label != NONE
        else QCoreApplication.translate("SourceOverviewView", "Not labelled")
    ]
    predicted = int(states.predicted[row])
    if predicted != NONE:
        parts.append(
            QCoreApplication.translate("SourceOverviewView", "predicted: {name} ({confidence})").format(
                name=names.get(predicted, "?"), confidence=f"{states.confidence[row]:.0%}"
            )
        )
    return " · ".join(parts)


def fill_image(states: TileStates, column: str, colours: dict[int, QColor], cell: int) -> QImage | None:
    """One pixel per tile cell (`cell` level-0 pixels a side), in the class colour of each tile's
    `column` ("labels" or "predicted"); transparent elsewhere. Drawn scaled over the overview, it
    colours 100,000 tiles in one drawImage."""
    if not len(states) or cell <= 0:
        return None
    values = getattr(states, column)
    cols = int((states.x + states.width).max() // cell) + 1
    rows = int((states.y + states.height).max() // cell) + 1
    pixels = np.zeros((rows, cols, 4), np.uint8)
    palette = {class_id: (c.red(), c.green(), c.blue(), 255) for class_id, c in colours.items()}
    for class_id, rgba in palette.items():
        chosen = values == class_id
        if chosen.any():
            pixels[states.y[chosen] // cell, states.x[chosen] // cell] = rgba
    image = QImage(pixels.data, cols, rows, 4 * cols, QImage.Format.Format_RGBA8888)
    return image.copy()


class SourceOverviewView(QWidget):
    tileClicked = Signal(int)  # image id
    #: The level-0 region in view (x, y, width, height) and level-0 pixels per device pixel:
    #: read it from the pyramid and give it back with `set_detail`.
    regionWanted = Signal(float, float, float, float, float)

    def __init__(self, parent=None):
        super().__init__(parent, objectName="sourceOverviewView")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(200, 160)
        self.base: QImage | None = None
        self.base_downsample = 1.0  # level-0 pixels per overview pixel
        self.source_size = (0, 0)  # level 0
        self.states = TileStates(0)
        self.colours: dict[int, QColor] = {}
        self.names: dict[int, str] = {}  # class names, for the tooltips
        self.mode = LABELS
        self.opacity = FILL_OPACITY
        self.cell = 0
        self._fill: QImage | None = None
        self.suggested: list[int] = []  # rows of self.states, in the order to label them
        self.current: int | None = None  # a row of self.states
        self.detail: tuple[QImage, QRectF] | None = None
        self.scale = 1.0  # screen pixels per level-0 pixel
        self.offset = QPointF(0, 0)  # where level-0 (0, 0) is on screen
        self._fitted = True  # follows the widget's size until the user zooms or pans
        self._press: QPointF | None = None
        self._dragged = False
        self.placeholder = self.tr("No slide or scene to show")
        self._detail_timer = QTimer(self, singleShot=True, interval=DETAIL_DELAY_MS)
        self._detail_timer.timeout.connect(self._want_detail)

    # -- content ---------------------------------------------------------------------------------

    def set_source(self, base: QImage | None, downsample: float, size: tuple[int, int], states: TileStates) -> None:
        """A new source: its overview, level-0 pixels per overview pixel, its level-0 size, its tiles."""
        self.base, self.base_downsample, self.source_size = base, max(downsample, 1e-6), size
        self.detail = None
        self.current = None
        self.suggested = []
        self.set_states(states)
        self.fit()

    def set_states(self, states: TileStates) -> None:
        self.states = states
        widths = states.width[states.width > 0]
        self.cell = int(np.median(widths)) if len(widths) else 0
        self.refill()

    def set_colours(self, colours: dict[int, QColor]) -> None:
        self.colours = colours
        self.refill()

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.refill()

    def set_opacity(self, opacity: float) -> None:
        self.opacity = max(0.0, min(1.0, opacity))
        self.update()

    def refill(self) -> None:
        """The colour layer again (after labels, predictions, colours or the mode changed)."""
        column = "labels" if self.mode == LABELS else "predicted"
        self._fill = fill_image(self.states, column, self.colours, self.cell)
        self.update()

    def set_suggested(self, image_ids) -> None:
        rows = (self.states.index_of(i) for i in image_ids)
        self.suggested = [r for r in rows if r is not None]
        self.update()

    def open_suggestions(self) -> list[int]:
        """The suggested tiles not labelled yet, in order (a tile leaves the queue once labelled,
        as it leaves the grid's Suggested list)."""
        return [row for row in self.suggested if self.states.labels[row] == NONE]

    def set_current(self, image_id: int | None) -> None:
        self.current = self.states.index_of(image_id)
        self.update()

    def set_detail(self, image: QImage, region: QRectF) -> None:
        """The part in view at a finer resolution than the overview (level-0 `region`)."""
        self.detail = (image, region)
        self.update()

    def fill_colour_at(self, image_id: int) -> QColor | None:
        """The fill colour a tile is painted with (None: not filled) — what the user sees, for tests."""
        row = self.states.index_of(image_id)
        if row is None or self._fill is None or not self.cell:
            return None
        colour = self._fill.pixelColor(int(self.states.x[row] // self.cell), int(self.states.y[row] // self.cell))
        return colour if colour.alpha() else None

    # -- geometry --------------------------------------------------------------------------------

    def to_screen(self, rect: QRectF) -> QRectF:
        return QRectF(
            self.offset.x() + rect.x() * self.scale,
            self.offset.y() + rect.y() * self.scale,
            rect.width() * self.scale,
            rect.height() * self.scale,
        )

    def to_source(self, point: QPointF) -> QPointF:
        return QPointF((point.x() - self.offset.x()) / self.scale, (point.y() - self.offset.y()) / self.scale)

    def tile_rect(self, row: int) -> QRectF:
        s = self.states
        return self.to_screen(QRectF(float(s.x[row]), float(s.y[row]), float(s.width[row]), float(s.height[row])))

    def visible_region(self) -> QRectF:
        """The level-0 region in view, within the source."""
        top_left = self.to_source(QPointF(0, 0))
        bottom_right = self.to_source(QPointF(self.width(), self.height()))
        width, height = self.source_size
        return QRectF(top_left, bottom_right).intersected(QRectF(0, 0, width, height))

    def fit(self) -> None:
        """The whole source in view."""
        width, height = self.source_size
        if width <= 0 or height <= 0:
            return
        margin = 8
        self.scale = max(min((self.width() - 2 * margin) / width, (self.height() - 2 * margin) / height), 1e-6)
        self.offset = QPointF((self.width() - width * self.scale) / 2, (self.height() - height * self.scale) / 2)
        self._fitted = True
        self._view_changed()

    def fit_scale(self) -> float:
        width, height = self.source_size
        if width <= 0 or height <= 0:
            return 1.0
        return max(min(self.width() / width, self.height() / height), 1e-6)

    def zoom_by(self, factor: float, around: QPointF | None = None) -> None:
        if self.source_size[0] <= 0:
            return
        around = around if around is not None else QPointF(self.width() / 2, self.height() / 2)
        scale = min(max(self.scale * factor, self.fit_scale() * 0.5), MAX_SCALE)
        anchor = self.to_source(around)
        self.scale = scale
        self.offset = QPointF(around.x() - anchor.x() * scale, around.y() - anchor.y() * scale)
        self._fitted = False
        self._view_changed()

    def pan_by(self, dx: float, dy: float) -> None:
        self.offset += QPointF(dx, dy)
        self._fitted = False
        self._view_changed()

    def centre_on(self, image_id: int) -> None:
        """The tile in the middle of the view (zoom kept)."""
        row = self.states.index_of(image_id)
        if row is None:
            return
        centre = self.tile_rect(row).center()
        self.pan_by(self.width() / 2 - centre.x(), self.height() / 2 - centre.y())

    def magnified(self) -> bool:
        """The overview is shown larger than it is: finer pixels would show more."""
        return self.scale * self.devicePixelRatioF() * self.base_downsample > 1.2

    def _view_changed(self) -> None:
        if self.detail is not None and not self.magnified():
            self.detail = None
        self._detail_timer.start()
        self.update()

    def _want_detail(self) -> None:
        if self.source_size[0] <= 0 or not self.magnified():
            return
        region = self.visible_region()
        if region.isEmpty():
            return
        if self.detail is not None and self.detail[1].contains(region) and self._detail_fine_enough():
            return
        per_pixel = 1.0 / (self.scale * self.devicePixelRatioF())
        self.regionWanted.emit(region.x(), region.y(), region.width(), region.height(), per_pixel)

    def _detail_fine_enough(self) -> bool:
        image, region = self.detail
        wanted = min(self.scale * self.devicePixelRatioF(), 1.0)  # level 0 is as fine as it gets
        return image.width() / max(region.width(), 1) >= wanted * 0.99

    # -- painting --------------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), BACKGROUND)
        if self.source_size[0] <= 0:
            painter.setPen(QColor("#c8c8c8"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.placeholder)
            return
        if self.base is not None:  # an overview that could not be stored or read: the tiles alone
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, not self.magnified())
            self._draw_part(painter, self.base, self.base_downsample)
        if self.detail is not None:
            image, region = self.detail
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawImage(self.to_screen(region), image)
        if self._fill is not None and self.opacity > 0:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, False)
            painter.setOpacity(self.opacity)
            self._draw_part(painter, self._fill, self.cell)
            painter.setOpacity(1.0)
        self._paint_outlines(painter)
        self._paint_marks(painter)

    def _draw_part(self, painter: QPainter, image: QImage, per_pixel: float) -> None:
        """The part of `image` (`per_pixel` level-0 pixels per pixel, from level-0 (0, 0)) in
        view: zoomed far in, drawing the whole picture would scale all of it for a corner."""
        region = self.visible_region()
        if region.isEmpty():
            return
        part = QRectF(
            region.x() / per_pixel, region.y() / per_pixel, region.width() / per_pixel, region.height() / per_pixel
        )
        whole = part.toAlignedRect().intersected(image.rect())  # whole pixels, within the picture
        if whole.isEmpty():
            return
        shown = QRectF(
            whole.x() * per_pixel, whole.y() * per_pixel, whole.width() * per_pixel, whole.height() * per_pixel
        )
        painter.drawImage(self.to_screen(shown), image, QRectF(whole))

    def _visible_rows(self) -> np.ndarray:
        region = self.visible_region()
        s = self.states
        inside = (
            (s.x + s.width >= region.left())
            & (s.x <= region.right())
            & (s.y + s.height >= region.top())
            & (s.y <= region.bottom())
        )
        return np.flatnonzero(inside)

    def _paint_outlines(self, painter: QPainter) -> None:
        if not len(self.states) or self.cell * self.scale < OUTLINE_FROM_PX:
            return
        rows = self._visible_rows()
        if len(rows) > MAX_OUTLINES:
            return
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        labels = self.states.labels[rows]
        painter.setPen(QPen(QColor(255, 255, 255, 90), 1))
        painter.drawRects(self._screen_rects(rows[labels == NONE], 0))
        # Labelled tiles outlined in their label's colour: over a prediction map, a tile whose
        # outline and fill differ is one the model gets wrong.
        for class_id, colour in self.colours.items():
            chosen = rows[labels == class_id]
            if len(chosen):
                painter.setPen(QPen(colour, 2))
                painter.drawRects(self._screen_rects(chosen, 1))

    def _screen_rects(self, rows: np.ndarray, inset: int) -> list[QRectF]:
        """Tiles' rectangles on screen (computed together), `inset` pixels inside."""
        s = self.states
        left = self.offset.x() + s.x[rows] * self.scale + inset
        top = self.offset.y() + s.y[rows] * self.scale + inset
        width = s.width[rows] * self.scale - 2 * inset - 1
        height = s.height[rows] * self.scale - 2 * inset - 1
        return [QRectF(*box) for box in zip(left.tolist(), top.tolist(), width.tolist(), height.tolist())]

    def _mark_rect(self, row: int) -> QRectF:
        rect = self.tile_rect(row)
        if rect.width() >= MARK_MIN_PX:
            return rect
        return QRectF(
            rect.center().x() - MARK_MIN_PX / 2, rect.center().y() - MARK_MIN_PX / 2, MARK_MIN_PX, MARK_MIN_PX
        )

    def _paint_marks(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for rank, row in enumerate(self.open_suggestions(), start=1):
            rect = self._mark_rect(row)
            painter.setPen(QPen(QColor(0, 0, 0, 160), 4))
            painter.drawRect(rect)
            painter.setPen(QPen(SUGGESTED_COLOUR, 2, Qt.PenStyle.DashLine))
            painter.drawRect(rect)
            if rect.width() >= 22:
                painter.setPen(SUGGESTED_COLOUR)
                painter.drawText(
                    rect.adjusted(3, 1, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, str(rank)
                )
        if self.current is not None:
            rect = self._mark_rect(self.current).adjusted(-1, -1, 1, 1)
            painter.setPen(QPen(QColor(0, 0, 0), 5))
            painter.drawRect(rect)
            painter.setPen(QPen(CURRENT_COLOUR, 2.5))
            painter.drawRect(rect)

    # -- input -----------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if self._fitted:
            self.fit()

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        notches = event.angleDelta().y() / 120
        if notches:
            self.zoom_by(ZOOM_STEP**notches, event.position())

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press, self._dragged = event.position(), False
            self.setFocus()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._press is None:
            row = self.states.at(*_xy(self.to_source(event.position()))) if len(self.states) else None
            self.setCursor(Qt.CursorShape.PointingHandCursor if row is not None else Qt.CursorShape.OpenHandCursor)
            return
        moved = event.position() - self._press
        if self._dragged or math.hypot(moved.x(), moved.y()) >= CLICK_SLOP_PX:
            self._dragged = True
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
            self.pan_by(moved.x(), moved.y())
            self._press = event.position()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return
        clicked = not self._dragged
        self._press = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        if clicked and len(self.states):
            row = self.states.at(*_xy(self.to_source(event.position())))
            if row is not None:
                self.tileClicked.emit(int(self.states.image_ids[row]))

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            row = self.states.at(*_xy(self.to_source(QPointF(event.pos())))) if len(self.states) else None
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tile_tip(self.states, row, self.names), self)
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        key = event.key()
        step_x, step_y = self.width() * PAN_STEP, self.height() * PAN_STEP
        moves = {
            Qt.Key.Key_Left: (step_x, 0),
            Qt.Key.Key_Right: (-step_x, 0),
            Qt.Key.Key_Up: (0, step_y),
            Qt.Key.Key_Down: (0, -step_y),
        }
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / ZOOM_STEP)
        elif key == Qt.Key.Key_Home:
            self.fit()
        elif key in moves:
            self.pan_by(*moves[key])
        else:
            super().keyPressEvent(event)


def _xy(point: QPointF) -> tuple[float, float]:
    return point.x(), point.y()


#: A space the legend's lines do not break at: the HTML entity (in two pieces, as markup is not a
#: mnemonic for the translation check).
NBSP = "&" + "nbsp;"


def _span(style: str, text: str) -> str:
    """Rich text markup: `text` (already escaped) in a span with the inline `style`."""
    return "".join(("<span style='", style, "'>", text, "</span>"))


def legend_html(classes: list[ClassInfo], counts: dict[int, int], suggested: int) -> str:
    """The legend: each class's colour, name and tiles, then what the dashed squares are."""
    parts = [
        f"{_span(f'color:{escape(c.colour)}', '■')}{NBSP}{escape(c.name)}{NBSP}{counts.get(c.id, 0):,}" for c in classes
    ]
    if suggested:
        chip = _span(f"background-color:{SUGGESTED_COLOUR.name()};color:#000000", f"{NBSP}1{NBSP}")
        parts.append(
            QCoreApplication.translate("SourceOverviewPanel", "{chip}&nbsp;suggested&nbsp;{count}").format(
                chip=chip, count=suggested
            )
        )
    return f" {NBSP} ".join(parts)


class SourceOverviewPanel(QWidget):
    """The chooser of sources, the overview, the colour choice, the opacity slider and the legend."""

    sourceChosen = Signal(int)  # source id
    modeChosen = Signal(str)  # LABELS or PREDICTIONS

    def __init__(self, parent=None):
        super().__init__(parent, objectName="sourceOverviewPanel")
        self.source_box = QComboBox(self, objectName="sourceChooser", toolTip=self.tr("Which slide or scene to show"))
        self.source_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.source_box.setMinimumContentsLength(12)
        self.fit_button = QPushButton(self.tr("Fit"), self, toolTip=self.tr("The whole slide or scene in view (Home)"))
        self.view = SourceOverviewView(self)
        self.fit_button.clicked.connect(self.view.fit)
        self.colour_box = QComboBox(
            self,
            objectName="sourceColourBy",
            toolTip=self.tr("Colour the tiles by their label or by the model's prediction"),
        )
        for key, text in COLOUR_CHOICES:
            self.colour_box.addItem(self.tr(text), key)
        self.opacity = QSlider(
            Qt.Orientation.Horizontal,
            self,
            objectName="sourceOpacity",
            toolTip=self.tr("How strongly the tiles are coloured"),
        )
        self.opacity.setRange(0, 100)
        self.opacity.setValue(round(FILL_OPACITY * 100))
        self.opacity.setMaximumWidth(120)
        self.legend = QLabel(self, objectName="sourceLegend", wordWrap=True, textFormat=Qt.TextFormat.RichText)
        self.info = QLabel(self, objectName="sourceInfo", wordWrap=True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.opacity.valueChanged.connect(lambda value: self.view.set_opacity(value / 100))
        self.colour_box.activated.connect(lambda index: self._choose_mode(self.colour_box.itemData(index)))
        self.source_box.activated.connect(lambda index: self.sourceChosen.emit(self.source_box.itemData(index)))

        top = QHBoxLayout()
        top.setContentsMargins(4, 2, 4, 0)
        top.addWidget(QLabel(self.tr("Slide or scene:")))
        top.addWidget(self.source_box, 1)
        top.addWidget(self.fit_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(4, 0, 4, 0)
        bottom.addWidget(QLabel(self.tr("Colour by:")))
        bottom.addWidget(self.colour_box)
        bottom.addSpacing(8)
        bottom.addWidget(QLabel(self.tr("Opacity:")))
        bottom.addWidget(self.opacity)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.legend)
        layout.addWidget(self.info)
        self.legend.setContentsMargins(4, 0, 4, 0)
        self.info.setContentsMargins(4, 0, 4, 0)

    @property
    def mode(self) -> str:
        return self.colour_box.currentData()

    def _choose_mode(self, mode: str) -> None:
        self.view.set_mode(mode)
        self.modeChosen.emit(mode)

    def set_mode(self, mode: str) -> None:
        index = self.colour_box.findData(mode)
        if index >= 0:
            self.colour_box.setCurrentIndex(index)
            self._choose_mode(mode)

    def set_sources(self, sources, current: int | None) -> None:
        """The chooser's entries ((id, text) pairs), `current` selected."""
        self.source_box.clear()
        for source_id, text in sources:
            self.source_box.addItem(text, source_id)
        index = self.source_box.findData(current)
        self.source_box.setCurrentIndex(max(index, 0))

    def set_legend(self, classes: list[ClassInfo], counts: dict[int, int], suggested: int, empty: str) -> None:
        self.legend.setText(legend_html(classes, counts, suggested) if counts or suggested else escape(empty))
