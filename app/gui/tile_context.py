"""A tile's neighbourhood in the viewer: the region around it, dimmed, with the tile outlined.

When the viewer shows a tile of a whole slide or scene, what surrounds it is read off the GUI
thread (`sources.context`) and drawn behind it, so the tile is judged in its context as a
pathologist expects; the tile itself stays the viewer's image (window/level, heatmaps and the
label act on it). "Context" (X) turns it off and on.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPen, QPixmap
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsRectItem, QToolButton
from qasync import asyncSlot

from app.core.errors import ImageError
from app.core.imaging import DecodeOptions
from app.core.imaging.part_paths import split_part
from app.core.sources.context import tile_context
from app.gui.jobs import JobRunner, NewestWins
from app.gui.qimages import to_qimage

#: How much the neighbourhood is dimmed, so the tile stands out (1: not at all).
CONTEXT_OPACITY = 0.5
#: The tile's outline, visible on tissue and on glass.
OUTLINE_COLOUR = "#ffd400"


def context_picture(path: Path, options: DecodeOptions):
    """The neighbourhood as a QImage and the tile's place in it (a worker thread)."""
    around = tile_context(path, options)
    if around is None:
        return None
    return to_qimage(around.image), QRectF(around.tile_left, around.tile_top, around.tile_width, around.tile_height)


class TileContextLayer(QObject):
    """Draws the neighbourhood of the tile shown into an ImageViewer's scene."""

    def __init__(self, viewer, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.viewer = viewer
        self.loading = NewestWins(jobs)
        self.background = QGraphicsPixmapItem()
        self.background.setZValue(-1)  # behind the tile
        self.background.setOpacity(CONTEXT_OPACITY)
        self.background.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.outline = QGraphicsRectItem()
        pen = QPen(QColor(OUTLINE_COLOUR), 2)
        pen.setCosmetic(True)  # two screen pixels at any zoom
        self.outline.setPen(pen)
        self.outline.setZValue(3)
        for item in (self.background, self.outline):
            item.setVisible(False)
            viewer.scene().addItem(item)
        self.action = QAction(self.tr("Context"), self, checkable=True, checked=True, shortcut=QKeySequence("X"))
        self.action.setToolTip(self.tr("Show the tile's neighbourhood around it (X)"))
        self.action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action.toggled.connect(self.on_action_toggled)
        #: The action's button for the viewer's tool row; shown only while a tile is shown.
        self.button = QToolButton(parent)
        self.button.setDefaultAction(self.action)
        self.button.setVisible(False)
        self._shown: tuple[Path, DecodeOptions] | None = None

    @property
    def visible(self) -> bool:
        return self.background.isVisible()

    def show_for(self, path: Path | None, options: DecodeOptions) -> None:
        """The image shown changed: its neighbourhood if it is a tile, else nothing."""
        is_tile = path is not None and split_part(path).tile is not None
        self.button.setVisible(is_tile)
        self.action.setEnabled(is_tile)
        self._shown = (path, options) if is_tile else None
        self.clear()
        if is_tile and self.action.isChecked():
            self._load(path, options)

    def clear(self) -> None:
        self.loading.cancel()
        self.background.setVisible(False)
        self.outline.setVisible(False)
        self.viewer.set_surroundings(None)

    def on_action_toggled(self, shown: bool) -> None:
        if shown and self._shown is not None:
            self._load(*self._shown)
        else:
            self.clear()

    @asyncSlot(object, object)
    async def _load(self, path: Path, options: DecodeOptions) -> None:
        ticket = self.loading.begin()
        try:
            result = await self.loading.run(ticket, context_picture, path, options)
        except ImageError:
            return  # the tile is shown; its surroundings cannot be, and that is all
        if result is None:
            return
        image, tile = result
        shown = self.viewer.image_rect()
        scale = shown.width() / tile.width() if tile.width() else 1.0  # the tile as shown, if not as read
        self.background.setPixmap(QPixmap.fromImage(image))
        self.background.setScale(scale)
        self.background.setPos(-tile.left() * scale, -tile.top() * scale)
        self.outline.setRect(shown)
        self.background.setVisible(True)
        self.outline.setVisible(True)
        self.viewer.set_surroundings(self.background.sceneBoundingRect())
