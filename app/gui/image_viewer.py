"""The viewer's picture: the image in a graphics view that zooms with the wheel around the cursor,
pans with a left drag and changes window/level with a right drag, with the heatmap overlay and
the tile's surroundings as layers, and a placeholder sentence where there is nothing to show.
The panel around it (app/gui/viewer.py) decides what to show."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView, QLabel, QVBoxLayout

_ZOOM_STEP = 1.25

#: The overlay's opacity when the viewer opens (the slider changes it).
HEATMAP_OPACITY = 0.4
#: The colour of what the viewer area says, readable on its dark background.
PLACEHOLDER_COLOUR = "#c8c8c8"


class ImageViewer(QGraphicsView):
    """Wheel zooms around the cursor, left-drag pans, right-drag changes window/level."""

    windowDragged = Signal(float, float)  # dx, dy in pixels since the last event
    zoomChanged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        # The whole image is its shape: with a pixmap's mask (the default) `fit` would fit only the
        # opaque part of a satellite image whose no-data border is transparent.
        self._item.setShapeMode(QGraphicsPixmapItem.ShapeMode.BoundingRectShape)
        self.scene().addItem(self._item)
        self._overlay = QGraphicsPixmapItem(self._item)  # the heatmap, drawn over the image
        self._overlay.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._overlay.setOpacity(HEATMAP_OPACITY)
        self._overlay.setVisible(False)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(QColor("#111111"))  # neutral dark, as in reading-room viewers
        self._fit = True
        self._surroundings: QRectF | None = None  # `set_surroundings`
        self._drag_from: QPointF | None = None
        self.setObjectName("imageViewer")
        #: A sentence in the middle of the view while it has no image: why (a file it could not read).
        self.placeholder = QLabel("", self.viewport(), objectName="viewerPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # can be copied
        self.placeholder.setStyleSheet(f"color: {PLACEHOLDER_COLOUR}; background: transparent; padding: 24px;")
        self.placeholder.hide()
        around = QVBoxLayout(self.viewport())
        around.addWidget(self.placeholder)

    def set_placeholder(self, text: str) -> None:
        """What the view says in its middle while it shows no image ("" for nothing)."""
        self.placeholder.setText(text)
        self.placeholder.setVisible(bool(text) and not self.has_image())

    def set_image(self, image: QImage | None, keep_view: bool = False) -> None:
        self._item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self._update_scene_rect()
        self.placeholder.setVisible(image is None and bool(self.placeholder.text()))
        if not keep_view or self._fit:
            self.fit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def image_rect(self) -> QRectF:
        """The image's place in the scene (its pixels, from 0, 0)."""
        return self._item.boundingRect()

    def set_surroundings(self, rect: QRectF | None) -> None:
        """What is drawn around the image (a tile's neighbourhood), for Fit and scrolling; None:
        the image alone. Fits again when the view was fitted."""
        self._surroundings = rect
        self._update_scene_rect()
        if self._fit:
            self.fit()

    def _update_scene_rect(self) -> None:
        rect = self._item.boundingRect()
        if self._surroundings is not None and self.has_image():
            rect = rect.united(self._surroundings)
        self.scene().setSceneRect(rect)

    def set_overlay(self, image: QImage | None) -> None:
        """A picture over the image, the same size (None: none)."""
        self._overlay.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self._overlay.setVisible(image is not None)

    def set_overlay_opacity(self, opacity: float) -> None:
        self._overlay.setOpacity(opacity)

    def has_overlay(self) -> bool:
        return self._overlay.isVisible() and not self._overlay.pixmap().isNull()

    def overlay_opacity(self) -> float:
        return self._overlay.opacity()

    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self._fit = True
        if self.has_image():
            self.fitInView(self.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self.zoomChanged.emit(self.zoom())

    def actual_size(self) -> None:
        self._fit = False
        self.resetTransform()
        self.zoomChanged.emit(1.0)

    def zoom_by(self, factor: float) -> None:
        self._fit = False
        self.scale(factor, factor)
        self.zoomChanged.emit(self.zoom())

    def wheelEvent(self, event) -> None:
        self.zoom_by(_ZOOM_STEP if event.angleDelta().y() > 0 else 1 / _ZOOM_STEP)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit:
            self.fit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton:
            self._drag_from = event.position()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drag_from is not None:
            delta = event.position() - self._drag_from
            self._drag_from = event.position()
            self.windowDragged.emit(delta.x(), delta.y())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.RightButton and self._drag_from is not None:
            self._drag_from = None
            event.accept()
            return
        super().mouseReleaseEvent(event)
