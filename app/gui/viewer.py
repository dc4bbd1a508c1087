"""The viewer: the current image at full resolution, zoom and pan, window/level for 16-bit and
DICOM data, and the band-to-RGB choice for multi-band images.

Decoding and re-windowing run off the GUI thread; while the user drags the window, only the
latest request is rendered (older ones are dropped), so dragging stays fluid on large images.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from PIL import Image
from qasync import asyncSlot

from app.core.errors import ImageError
from app.core.imaging import DecodedImage, DecodeOptions, Window, auto_window, compose_rgb, decode
from app.core.project import Project
from app.gui.elided_label import ElidedLabel
from app.gui.jobs import JobRunner
from app.gui.label_legend import LabelLegend

#: Window presets by name (centre, width in Hounsfield units for CT).
CT_PRESETS: dict[str, Window] = {
    "Soft tissue": Window(40, 400),
    "Lung": Window(-600, 1500),
    "Bone": Window(300, 1500),
    "Brain": Window(40, 80),
    "Liver": Window(60, 160),
}
_ZOOM_STEP = 1.25


def to_qimage(image: Image.Image) -> QImage:
    rgb = image.convert("RGB")
    data = rgb.tobytes()
    return QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888).copy()


class ImageViewer(QGraphicsView):
    """Wheel zooms around the cursor, left-drag pans, right-drag changes window/level."""

    windowDragged = Signal(float, float)  # dx, dy in pixels since the last event
    zoomChanged = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundBrush(QColor("#111111"))  # neutral dark, as in reading-room viewers
        self._fit = True
        self._drag_from: QPointF | None = None
        self.setObjectName("imageViewer")

    def set_image(self, image: QImage | None, keep_view: bool = False) -> None:
        self._item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.scene().setSceneRect(self._item.boundingRect())
        if not keep_view or self._fit:
            self.fit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def zoom(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        self._fit = True
        if self.has_image():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
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


class ViewerPanel(QWidget):
    """The viewer with its controls; shows whichever image the grid makes current."""

    bandsChosen = Signal(tuple)
    imageShown = Signal(object)  # image id, once its pixels are on screen
    nextRequested = Signal()
    previousRequested = Signal()

    def __init__(self, project: Project, jobs: JobRunner, bands: tuple[int, int, int] | None = None, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.bands = bands
        self.decoded: DecodedImage | None = None
        self.window: Window | None = None
        self.image_id: int | None = None
        self.stored_path = ""
        self._request = 0
        self._render_request = 0

        self.viewer = ImageViewer(self)
        self.viewer.windowDragged.connect(self.on_viewer_window_dragged)
        self.info = ElidedLabel("No image", self)

        fit = QToolButton(self, text="Fit", toolTip="Fit the image in the view (Ctrl+0)")
        fit.clicked.connect(self.viewer.fit)
        actual = QToolButton(self, text="1:1", toolTip="Actual pixels (Ctrl+1)")
        actual.clicked.connect(self.viewer.actual_size)
        self.presets = QComboBox(self, toolTip="Window presets (right-drag on the image to adjust)")
        self.presets.activated.connect(self.on_presets_activated)
        self.reset = QToolButton(self, text="Reset W/L", toolTip="Back to the file's window")
        self.reset.clicked.connect(self.on_reset_clicked)
        self.band_boxes = [QComboBox(self, toolTip=f"Band shown as {c}") for c in ("red", "green", "blue")]
        for box in self.band_boxes:
            box.activated.connect(self.on_band_boxes_activated)

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (fit, actual, self.presets, self.reset, *self.band_boxes):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.viewer, 1)
        self.legend = LabelLegend(self)
        layout.addWidget(self.legend)
        layout.addWidget(self.info)
        self._update_controls()

    # -- showing an image -----------------------------------------------------------------------

    @asyncSlot(object)
    async def show_image(self, image_id: int | None) -> None:
        if self.jobs.closed:  # the window is closing
            return
        self._request += 1
        request = self._request
        self.image_id = image_id
        if image_id is None:
            self.decoded = None
            self.viewer.set_image(None)
            self.info.setText("No image")
            self._update_controls()
            return
        row = self.project.conn.execute("SELECT path FROM images WHERE id = ?", (image_id,)).fetchone()
        if row is None:
            return
        path = self.project.resolve_path(row[0])
        self.info.setText(f"Loading {row[0]} …")
        try:
            decoded = await self.jobs.run(decode, path, DecodeOptions(bands=self.bands))
            qimage = await self.jobs.run(to_qimage, decoded.rgb)
        except ImageError as exc:
            if request == self._request:
                self.decoded = None
                self.viewer.set_image(None)
                self.info.setText(f"{row[0]}: {exc}")
                self._update_controls()
            return
        if request != self._request:
            return  # the user has moved on
        self.decoded = decoded
        self.window = decoded.window
        self.stored_path = row[0]
        self.viewer.set_image(qimage)
        self._update_controls()
        self._show_info()
        self.imageShown.emit(image_id)

    def _show_info(self) -> None:
        info = self.decoded.info
        parts = [self.stored_path, f"{info.width}×{info.height}", f"{info.format.upper()}", f"{info.bit_depth}-bit"]
        if info.bands > 1:
            parts.append(f"{info.bands} bands")
        if self.window is not None:
            parts.append(f"W {self.window.width:.0f} / L {self.window.centre:.0f}")
        self.info.setText(" · ".join(parts))

    def _update_controls(self) -> None:
        decoded = self.decoded
        windowable = decoded is not None and decoded.windowable and decoded.samples.ndim == 2
        self.presets.setVisible(windowable)
        self.reset.setVisible(windowable)
        self.presets.clear()
        if windowable:
            self.presets.addItem("Auto (robust range)")
            if decoded.info.format == "dicom":
                self.presets.addItems(list(CT_PRESETS))
        multiband = decoded is not None and decoded.bands_shown is not None and decoded.samples.ndim == 3
        for position, box in enumerate(self.band_boxes):
            box.setVisible(bool(multiband and decoded.info.bands > 3))
            if box.isVisible():
                box.clear()
                box.addItems([f"Band {b + 1}" for b in range(decoded.info.bands)])
                box.setCurrentIndex(decoded.bands_shown[position])

    # -- window/level ---------------------------------------------------------------------------

    def on_viewer_window_dragged(self, dx: float, dy: float) -> None:
        if self.decoded is None or not self.decoded.windowable or self.decoded.samples.ndim != 2:
            return
        window = self.window or auto_window(self.decoded.samples)
        scale = max(window.width, 1e-6) / 256  # one pixel of drag = 1/256 of the window
        self.set_window(Window(window.centre - dy * scale, max(window.width + dx * scale, 1e-6)))

    def on_presets_activated(self, index: int) -> None:
        if self.decoded is None:
            return
        name = self.presets.itemText(index)
        self.set_window(CT_PRESETS.get(name) or auto_window(self.decoded.samples))

    def on_reset_clicked(self) -> None:
        if self.decoded is not None:
            self.set_window(self.decoded.window)

    @asyncSlot(object)
    async def set_window(self, window: Window | None) -> None:
        decoded = self.decoded
        if decoded is None or not decoded.windowable:
            return
        self.window = window
        self._render_request += 1
        request = self._render_request
        image, used, _ = await self.jobs.run(compose_rgb, decoded.samples, window=window, invert=decoded.invert)
        qimage = await self.jobs.run(to_qimage, image)
        if request == self._render_request and decoded is self.decoded:
            self.window = used
            self.viewer.set_image(qimage, keep_view=True)
            self._show_info()

    # -- bands ----------------------------------------------------------------------------------

    def on_band_boxes_activated(self) -> None:
        bands = tuple(box.currentIndex() for box in self.band_boxes)
        self.bands = bands
        self.bandsChosen.emit(bands)
        self.show_image(self.image_id)

    # -- keys -----------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.nextRequested.emit()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.previousRequested.emit()
        else:
            super().keyPressEvent(event)
