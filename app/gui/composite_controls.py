"""The viewer's band controls for multi-band images: a named composite of a recognised satellite
image (true colour, false colour NIR, SWIR, NDVI with its colour scale), or three bands chosen
by hand ("Custom bands"), as a remote-sensing analyst picks them in QGIS.

The composite is rendered off the GUI thread by `composite_picture`, with the pixels that hold
no data transparent (the viewer's dark background shows through), where thumbnails and training
paint them `composites.NEUTRAL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from app.core.imaging import DecodedImage
from app.core.imaging.band_tags import band_tags_of_file
from app.core.imaging.composites import COMPOSITES, DEFAULT_COMPOSITE, available, index_colours, recognise, render
from app.gui.i18n import core_text
from app.gui.qimages import array_qimage

#: The composite combo's entry for three bands chosen by hand (translated where shown).
CUSTOM_BANDS = QT_TRANSLATE_NOOP("CompositeControls", "Custom bands")
#: The composite whose colours are a scale, not bands: it shows the scale beside the combo.
SCALED_COMPOSITE = "ndvi"


@dataclass
class CompositePicture:
    """What the viewer shows of a multi-band image: the composites it can show, the one shown
    (None: bands chosen by hand, or none recognised) and that composite as an image with no data
    transparent (None: show the decoder's RGB)."""

    available: tuple[str, ...] = ()
    shown: str | None = None
    image: QImage | None = None
    band_names: tuple[str, ...] = ()  # the file's, for the band boxes


def composite_picture(path: str | Path, decoded: DecodedImage, composite: str | None) -> CompositePicture:
    """Run in a lane: `composite` (None: bands chosen by hand) of the decoded image at `path`, as
    an RGBA QImage; the true colour when the image cannot show `composite`."""
    samples = decoded.samples
    if samples is None or samples.ndim != 3 or decoded.bands_shown is None:
        return CompositePicture()
    tags = band_tags_of_file(path)
    layout = recognise(samples.shape[2], tags)
    names = available(layout)
    if not names or composite is None:
        return CompositePicture(names, band_names=tags.names)
    shown = composite if composite in names else DEFAULT_COMPOSITE if DEFAULT_COMPOSITE in names else names[0]
    image = array_qimage(render(samples, layout, shown, tags).rgba())
    return CompositePicture(names, shown, image, tags.names)


def scale_pixmap(width: int = 90, height: int = 10) -> QPixmap:
    """The NDVI colour scale, −1 on the left to +1 on the right."""
    low, high = COMPOSITES[SCALED_COMPOSITE].stretch
    row = index_colours(np.linspace(low, high, width, dtype=np.float32), low, high)
    return QPixmap.fromImage(array_qimage(np.repeat(row[None], height, axis=0)))


def band_label(names: tuple[str, ...], band: int) -> str:
    """A band box's entry: the file's name for the band ("B8A"), else its number."""
    name = names[band] if band < len(names) else ""
    return name if name else QCoreApplication.translate("CompositeControls", "Band {number}").format(number=band + 1)


class CompositeControls(QWidget):
    """The composite combo, the three band boxes (shown for "Custom bands", or for images whose
    bands are not recognised; the viewer listens to them) and the NDVI scale (shown while NDVI
    is)."""

    compositeChosen = Signal(str)  # a name in COMPOSITES, or "" for bands chosen by hand

    def __init__(self, parent=None):
        super().__init__(parent)
        self.composite_box = QComboBox(self, toolTip=self.tr("Band composite of this satellite image"))
        self.composite_box.activated.connect(self.on_composite_box_activated)
        self.band_boxes = [
            QComboBox(self, toolTip=tip)
            for tip in (self.tr("Band shown as red"), self.tr("Band shown as green"), self.tr("Band shown as blue"))
        ]
        self.scale = QWidget(self)
        scale_layout = QHBoxLayout(self.scale)
        scale_layout.setContentsMargins(4, 0, 0, 0)
        scale_layout.setSpacing(3)
        ramp = QLabel(self.scale)
        ramp.setPixmap(scale_pixmap())
        low, high = COMPOSITES[SCALED_COMPOSITE].stretch
        for widget in (QLabel(f"{low:+g}".replace("-", "−"), self.scale), ramp, QLabel(f"{high:+g}", self.scale)):
            scale_layout.addWidget(widget)
        self.scale.setToolTip(core_text(COMPOSITES[SCALED_COMPOSITE].description))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.composite_box, *self.band_boxes, self.scale):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.show_for(None, CompositePicture())

    def show_for(self, decoded: DecodedImage | None, picture: CompositePicture) -> None:
        """The controls for `decoded` (None: no image) shown as `picture` says."""
        multiband = (
            decoded is not None
            and decoded.bands_shown is not None
            and decoded.samples is not None
            and decoded.samples.ndim == 3
            and decoded.info.bands > 3
        )
        named = bool(multiband and picture.available)
        self.composite_box.setVisible(named)
        if named:
            self.composite_box.clear()
            for name in picture.available:
                self.composite_box.addItem(core_text(COMPOSITES[name].title), name)
                self.composite_box.setItemData(
                    self.composite_box.count() - 1,
                    core_text(COMPOSITES[name].description),
                    Qt.ItemDataRole.ToolTipRole,
                )
            self.composite_box.addItem(self.tr(CUSTOM_BANDS), "")
            index = self.composite_box.findData(picture.shown or "")
            self.composite_box.setCurrentIndex(index)
        custom = multiband and (not named or picture.shown is None)
        for position, box in enumerate(self.band_boxes):
            box.setVisible(bool(custom))
            if custom:
                box.clear()
                box.addItems([band_label(picture.band_names, b) for b in range(decoded.info.bands)])
                box.setCurrentIndex(decoded.bands_shown[position])
        self.scale.setVisible(named and picture.shown == SCALED_COMPOSITE)
        self.setVisible(multiband)

    def on_composite_box_activated(self, index: int) -> None:
        self.compositeChosen.emit(self.composite_box.itemData(index) or "")
