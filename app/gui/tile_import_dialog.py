"""File ▸ Import slides or scenes… (or a slide dropped on the window): how to cut it into tiles,
seen before anything is imported, then the import in a worker with progress and Cancel.

The dialog reads the first file's overview and its tissue (slides) or valid-data (scenes) mask in
a worker, then shows them: what is not tissue dimmed, each tile that would be kept outlined. The
tile size, the resolution (µm per pixel when the file says its own, or a pyramid level) and the
minimum tissue share change the outlines and the count at once (`TilePreview.kept`, newest wins).
Import runs `import_sources` in the `import` lane; the window shows the new tiles and the overview.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.file_names import shown
from app.core.sources.masks import Mask
from app.core.sources.tile_import import TileImportReport, TileProgress, import_sources
from app.core.sources.tile_states import TilePreview, is_source_file, tile_preview
from app.core.sources.tiling import MIN_TISSUE, TileOptions
from app.gui.i18n import core_text
from app.gui.jobs import JobRunner, Lane, NewestWins
from app.gui.layouts import fit_to_screen
from app.gui.long_job import LongJobController
from app.gui.qimages import array_qimage
from app.gui.source_overview import tiles_text

#: What the file chooser offers.
FILE_FILTER = QT_TRANSLATE_NOOP(
    "SourceImportController",
    "Slides and scenes (*.svs *.ndpi *.mrxs *.scn *.vms *.vmu *.bif *.svslide *.tif *.tiff);;All files (*)",
)
#: Tile sizes offered first (any from 16 to 4096 can be typed).
DEFAULT_SIZE = 224
#: µm per pixel offered when the file says its own (those no finer than the file's).
MPP_CHOICES = (0.25, 0.5, 1.0, 2.0, 4.0)
#: Kept tiles' outline in the preview, and the dimming of what is not tissue.
KEPT_COLOUR, DIM_COLOUR = QColor("#00e070"), QColor(0, 0, 40, 150)


def _help(name: str) -> str:
    """A tile option's help from the core, in the interface's language."""
    return core_text(TileOptions.__dataclass_fields__[name].metadata["help"])


def progress_text(event: TileProgress, per_second: float = 0.0) -> str:
    """The progress dialog's line: the source (which of several), tiles read, the rate, tiles added."""
    source = event.source
    if event.sources_total > 1:
        source = QCoreApplication.translate("SourceImportController", "{name} ({number} of {count})").format(
            name=event.source, number=event.sources_done + 1, count=event.sources_total
        )
    numbers = {"done": f"{event.done:,}", "total": f"{event.total:,}", "added": f"{event.added:,}"}
    if per_second > 0:
        progress = QCoreApplication.translate(
            "SourceImportController", "{done} of {total} tiles read, {rate} a second, {added} added"
        ).format(rate=f"{per_second:,.0f}", **numbers)
    else:
        progress = QCoreApplication.translate(
            "SourceImportController", "{done} of {total} tiles read, {added} added"
        ).format(**numbers)
    return QCoreApplication.translate("SourceImportController", "{source}: {progress}").format(
        source=source, progress=progress
    )


def import_summary(report: TileImportReport) -> str:
    """The status bar's sentence after an import of slides or scenes."""
    if report.sources:
        count = len(report.sources)
        if count == 1:
            names = report.sources[0].path.rsplit("/", 1)[-1]
        else:
            names = QCoreApplication.translate("SourceImportController", "{count} slides or scenes").format(
                count=f"{count:,}"
            )
        numbers = {
            "names": names,
            "tiles": tiles_text(report.tiles_added),
            "skipped": f"{report.skipped_background:,}",
        }
        if report.cancelled:
            text = QCoreApplication.translate(
                "SourceImportController", "Import cancelled: {names}, {tiles} added, {skipped} left out as background"
            ).format(**numbers)
        else:
            text = QCoreApplication.translate(
                "SourceImportController", "Imported: {names}, {tiles} added, {skipped} left out as background"
            ).format(**numbers)
        seconds = sum(s.seconds for s in report.sources)
        if report.tiles_added and seconds > 0:
            text += QCoreApplication.translate("SourceImportController", " ({rate} tiles a second)").format(
                rate=f"{report.tiles_added / seconds:,.0f}"
            )
        if report.cancelled:
            text += QCoreApplication.translate(
                "SourceImportController", " (importing it again goes on where it stopped)"
            )
    else:
        text = (
            QCoreApplication.translate("SourceImportController", "Import cancelled: nothing added")
            if report.cancelled
            else QCoreApplication.translate("SourceImportController", "Nothing imported")
        )
    if report.rejected:
        first = report.rejected[0]
        name = first["path"].rsplit("/", 1)[-1]
        if len(report.rejected) > 1:
            text += QCoreApplication.translate(
                "SourceImportController", "; could not read {name} and {more} more: {reason}"
            ).format(name=name, more=len(report.rejected) - 1, reason=first["reason"])
        else:
            text += QCoreApplication.translate("SourceImportController", "; could not read {name}: {reason}").format(
                name=name, reason=first["reason"]
            )
    return text


def resolution_choices(preview: TilePreview) -> list[tuple[str, tuple[str, float | int]]]:
    """The resolution list: µm per pixel when the file says its own, then each pyramid level."""
    choices = []
    if preview.mpp:
        for mpp in MPP_CHOICES:
            if mpp >= preview.mpp * 0.99:
                choices.append(
                    (
                        QCoreApplication.translate("TileImportDialog", "{mpp} µm per pixel").format(mpp=f"{mpp:g}"),
                        ("mpp", mpp),
                    )
                )
    for index, level in enumerate(preview.levels):
        text = QCoreApplication.translate("TileImportDialog", "Level {index}: {width} × {height} px").format(
            index=index, width=f"{level.width:,}", height=f"{level.height:,}"
        )
        if preview.mpp:
            text += QCoreApplication.translate("TileImportDialog", " ({mpp} µm/px)").format(
                mpp=f"{preview.mpp * level.downsample:.2g}"
            )
        if index == 0:
            text += QCoreApplication.translate("TileImportDialog", ", full resolution")
        choices.append((text, ("level", index)))
    return choices


class TilePreviewView(QWidget):
    """The overview with what is not tissue dimmed and the tiles that would be kept outlined."""

    def __init__(self, parent=None):
        super().__init__(parent, objectName="tilePreview")
        self.setMinimumSize(360, 280)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.image: QImage | None = None
        self.dim: QImage | None = None
        self.downsample = 1.0
        self.boxes = np.zeros((0, 3), np.int64)  # kept tiles: x, y, side in level-0 pixels
        self.show_mask = True
        self.text = self.tr("Reading the overview…")

    def set_preview(self, preview: TilePreview) -> None:
        self.image = array_qimage(preview.rgb)
        self.downsample = preview.downsample
        self.set_mask(preview.mask)

    def set_mask(self, mask: Mask) -> None:
        """Dim what `mask` leaves out (the mask is the overview's size)."""
        h, w = self.image.height(), self.image.width()
        outside = np.zeros((h, w, 4), np.uint8)
        outside[~mask.keep[:h, :w]] = (DIM_COLOUR.red(), DIM_COLOUR.green(), DIM_COLOUR.blue(), DIM_COLOUR.alpha())
        self.dim = array_qimage(outside)
        self.update()

    def set_kept(self, boxes: np.ndarray) -> None:
        self.boxes = boxes
        self.update()

    def set_text(self, text: str) -> None:
        self.text = text
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#202020"))
        if self.image is None:
            painter.setPen(QColor("#c8c8c8"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.text)
            return
        scale = min(self.width() / self.image.width(), self.height() / self.image.height())
        target = QRectF(
            (self.width() - self.image.width() * scale) / 2,
            (self.height() - self.image.height() * scale) / 2,
            self.image.width() * scale,
            self.image.height() * scale,
        )
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(target, self.image)
        if self.show_mask and self.dim is not None:
            painter.drawImage(target, self.dim)
        per = scale / self.downsample  # screen pixels per level-0 pixel
        painter.setPen(QPen(KEPT_COLOUR, 1))
        if len(self.boxes) and self.boxes[0, 2] * per < 2:  # too small to outline: fill instead
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(KEPT_COLOUR.red(), KEPT_COLOUR.green(), KEPT_COLOUR.blue(), 110))
        for x, y, side in self.boxes[:20000]:
            painter.drawRect(QRectF(target.x() + x * per, target.y() + y * per, side * per, side * per))


class TileImportDialog(QDialog):
    """How to cut `paths` into tiles, previewed on the first; `options()` once accepted."""

    counted = Signal(int)  # tiles that would be kept, after each change (tests wait on it)

    def __init__(self, jobs: JobRunner, paths: list[str], parent=None):
        super().__init__(parent, objectName="tileImportDialog")
        self.setWindowTitle(self.tr("Import slides or scenes as tiles"))
        self.jobs, self.paths = jobs, list(paths)
        self.preview: TilePreview | None = None
        self._resolutions: list[tuple[str, float | int]] = []  # ("mpp", µm) or ("level", index), as listed
        self.kept = 0
        self._counting = NewestWins(jobs)
        self._reading = NewestWins(jobs, Lane.IMPORT)
        names = shown(os.path.basename(self.paths[0]))
        others = len(self.paths) - 1
        if others == 1:
            about = self.tr("{name} and 1 more file, cut the same way").format(name=names)
        elif others > 1:
            about = self.tr("{name} and {count} more files, cut the same way").format(name=names, count=f"{others:,}")
        else:
            about = names
        self.about = QLabel(about, self, wordWrap=True)
        self.view = TilePreviewView(self)
        self.size_box = QSpinBox(
            self, minimum=16, maximum=4096, singleStep=32, suffix=self.tr(" px"), toolTip=_help("size")
        )
        self.size_box.setValue(DEFAULT_SIZE)
        self.resolution_box = QComboBox(
            self, toolTip=self.tr("The resolution of the tiles: microns per pixel, or a level of the file's pyramid")
        )
        self.tissue_box = QSpinBox(self, minimum=0, maximum=100, suffix=" %", toolTip=_help("min_tissue"))
        self.tissue_box.setValue(round(MIN_TISSUE * 100))
        #: What counts as tissue: automatic (Otsu's threshold on colour saturation) or a saturation
        #: chosen here, for a faint stain the automatic one misses (slides only).
        self.auto_threshold = QCheckBox(self.tr("Automatic"), self, checked=True)
        self.auto_threshold.setToolTip(self.tr("Find the tissue by Otsu's threshold on colour saturation"))
        self.threshold_box = QDoubleSpinBox(
            self, minimum=0.01, maximum=0.99, singleStep=0.01, decimals=2, toolTip=_help("tissue_threshold")
        )
        self.threshold_box.setEnabled(False)
        self._shown_mask: float | None = None  # the threshold the dimmed picture shows (None: automatic)
        self.mask_box = QCheckBox(self.tr("Dim what is left out"), self, checked=True)
        self.mask_box.setToolTip(
            self.tr("Dim the parts of the picture that are not tissue (slides) or hold no data (scenes)")
        )
        self.count = QLabel(self, wordWrap=True, objectName="tileCount")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.import_button = self.buttons.addButton(self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.tissue_label = QLabel(self.tr("Minimum tissue:"))
        form = QFormLayout()
        form.addRow(self.tr("Tile size:"), self.size_box)
        form.addRow(self.tr("Resolution:"), self.resolution_box)
        form.addRow(self.tissue_label, self.tissue_box)
        threshold_row = QHBoxLayout()
        threshold_row.addWidget(self.auto_threshold)
        threshold_row.addWidget(self.threshold_box)
        self.threshold_label = QLabel(self.tr("Tissue threshold:"))
        form.addRow(self.threshold_label, threshold_row)
        form.addRow("", self.mask_box)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addWidget(self.count)
        side.addStretch(1)
        middle = QHBoxLayout()
        middle.addWidget(self.view, 1)
        middle.addLayout(side)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(middle, 1)
        layout.addWidget(self.buttons)
        for box in (self.size_box, self.tissue_box, self.threshold_box):
            box.valueChanged.connect(self.recount)
        self.auto_threshold.toggled.connect(self.on_auto_threshold_toggled)
        self.resolution_box.currentIndexChanged.connect(self.recount)
        self.mask_box.toggled.connect(self.on_mask_box_toggled)
        fit_to_screen(self, 820, 520)
        self.read_preview()

    def options(self) -> TileOptions:
        index = self.resolution_box.currentIndex()
        kind, value = self._resolutions[index] if 0 <= index < len(self._resolutions) else ("level", 0)
        return TileOptions(
            size=self.size_box.value(),
            mpp=value if kind == "mpp" else None,
            level=value if kind == "level" else None,
            min_tissue=self.tissue_box.value() / 100,
            tissue_threshold=None if self.auto_threshold.isChecked() else self.threshold_box.value(),
        )

    def choose_resolution(self, choice: tuple[str, float | int]) -> bool:
        """Select ("mpp", µm per pixel) or ("level", index) in the list; False when not offered."""
        if choice not in self._resolutions:
            return False
        self.resolution_box.setCurrentIndex(self._resolutions.index(choice))
        return True

    def done(self, result: int) -> None:
        """Closed (Import or Cancel): a preview or count still being read arrives for nobody."""
        self._reading.cancel()
        self._counting.cancel()
        super().done(result)

    def on_auto_threshold_toggled(self, automatic: bool) -> None:
        self.threshold_box.setEnabled(not automatic)
        self.recount()

    def on_mask_box_toggled(self, checked: bool) -> None:
        self.view.show_mask = checked
        self.view.update()

    @asyncSlot()
    async def read_preview(self) -> None:
        try:
            preview = await self._reading.run(self._reading.begin(), tile_preview, self.paths[0])
        except asyncio.CancelledError:
            return
        except Exception as exc:  # noqa: BLE001 - said in the dialog: the file is not a slide we read
            self.view.set_text(
                self.tr("Could not read {name}: {error}").format(name=shown(os.path.basename(self.paths[0])), error=exc)
            )
            self.count.setText("")
            return
        self.preview = preview
        self.view.set_preview(preview)
        levels = len(preview.levels)
        facts = [
            self.tr("{width} × {height} px").format(width=f"{preview.width:,}", height=f"{preview.height:,}"),
            self.tr("1 level") if levels == 1 else self.tr("{count} levels").format(count=f"{levels:,}"),
        ]
        if preview.mpp:
            facts.append(self.tr("{mpp} µm per pixel").format(mpp=f"{preview.mpp:g}"))
        self.about.setText(f"{self.about.text()} · {' · '.join(facts)}")
        if preview.kind == "scene":
            self.tissue_label.setText(self.tr("Minimum valid data:"))
            for widget in (self.threshold_label, self.auto_threshold, self.threshold_box):
                widget.hide()  # a scene's valid data is its nodata value's to say
        self.threshold_box.blockSignals(True)
        self.threshold_box.setValue(preview.mask.threshold)  # the automatic threshold, to start from
        self.threshold_box.blockSignals(False)
        self.resolution_box.blockSignals(True)
        for text, data in resolution_choices(preview):
            self.resolution_box.addItem(text)
            self._resolutions.append(data)
        self.resolution_box.blockSignals(False)
        if not self.choose_resolution(("mpp", 0.5)):
            self.choose_resolution(("level", 0))
        self.recount()

    @asyncSlot()
    async def recount(self, *_) -> None:
        """The tiles the current choices keep, outlined, and their count on the Import button."""
        if self.preview is None:
            return
        ticket = self._counting.begin()
        options = self.options()
        try:
            boxes, keep, geometry = await self._counting.run(ticket, self.preview.kept, options)
            if options.tissue_threshold != self._shown_mask:
                mask = await self._counting.run(ticket, self.preview.mask_for, options.tissue_threshold)
                self.view.set_mask(mask)
                self._shown_mask = options.tissue_threshold
        except asyncio.CancelledError:
            return
        except (LoupeError, ValueError) as exc:
            self.kept = 0
            self.view.set_kept(np.zeros((0, 3), np.int64))
            self.count.setText(str(exc))
            self.import_button.setEnabled(False)
            self.counted.emit(0)
            return
        self.kept = int(keep.sum())
        left = len(boxes) - self.kept
        self.view.set_kept(boxes[keep])
        self.count.setText(self.count_text(geometry, left))
        self.import_button.setText(
            self.tr("Import 1 tile")
            if self.kept == 1
            else self.tr("Import {count} tiles").format(count=f"{self.kept:,}")
        )
        self.import_button.setEnabled(self.kept > 0)
        self.counted.emit(self.kept)

    def count_text(self, geometry, left: int) -> str:
        """What the current choices keep: tiles of what size (at what resolution), left out as
        background (slides) or no data (scenes), read from which level."""
        numbers = {
            "tiles": tiles_text(self.kept),
            "size": geometry.size,
            "mpp": f"{geometry.mpp:.2g}" if geometry.mpp else "",
            "left": f"{left:,}",
            "level": geometry.level,
        }
        if self.preview.kind == "slide":
            if geometry.mpp:
                text = self.tr(
                    "{tiles} of {size} px at {mpp} µm/px kept, {left} left out as background (read from level {level})"
                )
            else:
                text = self.tr("{tiles} of {size} px kept, {left} left out as background (read from level {level})")
        elif geometry.mpp:
            text = self.tr(
                "{tiles} of {size} px at {mpp} µm/px kept, {left} left out as no data (read from level {level})"
            )
        else:
            text = self.tr("{tiles} of {size} px kept, {left} left out as no data (read from level {level})")
        return text.format(**numbers)


def choose_source_files(parent) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(
        parent,
        QCoreApplication.translate("SourceImportController", "Import slides or scenes"),
        "",
        QCoreApplication.translate("SourceImportController", FILE_FILTER),
    )
    return paths


class SourceImportController(LongJobController):
    """File ▸ Import slides or scenes…: the dialog, then one import at a time in the `import` lane."""

    started = Signal()
    progressed = Signal(object)  # TileProgress
    finished = Signal(object)  # TileImportReport
    failed = Signal(str)

    def __init__(self, project, jobs: JobRunner, parent_widget, show_dialogs: bool = True):
        super().__init__(project, jobs, parent_widget, show_dialogs)
        #: Asks which files to import: (parent) -> paths; tests replace it.
        self.choose_files = choose_source_files
        self.import_dialog: TileImportDialog | None = None  # the dialog open now
        self._rate_from: tuple[str, float, int] | None = None  # (source, time, tiles done) the rate counts from

    def ask(self, paths: list[str] | None = None) -> None:
        """The dialog for `paths` (else the files the user chooses)."""
        if self.running or self.project.read_only:
            return
        paths = paths or self.choose_files(self.parent_widget)
        if not paths:
            return
        dialog = TileImportDialog(self.jobs, paths, self.parent_widget)
        self.import_dialog = dialog
        dialog.accepted.connect(lambda: self.import_sources(paths, dialog.options()))
        dialog.finished.connect(lambda result: self._forget(dialog))
        dialog.open()

    def _forget(self, dialog) -> None:
        if self.import_dialog is dialog:
            self.import_dialog = None
        dialog.deleteLater()

    @asyncSlot()
    async def import_sources(self, paths: list[str], options: TileOptions) -> None:
        if self.running:
            return
        self.started.emit()
        self._rate_from = None
        report = await self.run_job(
            import_sources,
            self.project,
            paths,
            options,
            self._relay,
            self._stop.is_set,
            lane=Lane.IMPORT,
            dialog=(self.tr("Importing slides and scenes"), self.tr("Reading the overview…")),
        )
        if report is not None:
            self.finished.emit(report)

    def on_relay_progressed(self, event: TileProgress) -> None:
        self.progressed.emit(event)
        now = time.monotonic()
        if self._rate_from is None or self._rate_from[0] != event.source or event.done < self._rate_from[2]:
            self._rate_from = (event.source, now, event.done)  # a new source: its own rate
        _, since, done_then = self._rate_from
        per_second = (event.done - done_then) / (now - since) if now - since >= 0.5 else 0.0
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(event.total, 1))
        self.dialog.setValue(min(event.done, max(event.total, 1)))
        self.dialog.setLabelText(progress_text(event, per_second))

    @asyncSlot()
    async def on_paths_dropped(self, paths: list[str], images: Callable[[list[str]], None]) -> None:
        """A drop with slide-like files: slides and scenes to the dialog, the rest to `images`
        (the ordinary drop). Which TIFFs are slides is read from their headers in a worker."""
        try:
            flags = await self.jobs.run(lambda: [is_source_file(p) for p in paths])
        except asyncio.CancelledError:
            return
        sources = [p for p, flag in zip(paths, flags) if flag]
        others = [p for p, flag in zip(paths, flags) if not flag]
        if others:
            images(others)
        if sources:
            self.ask(sources)


def looks_like_source(paths: list[str]) -> bool:
    """A drop that may hold slides or scenes (by their names only; no file is read here)."""
    from app.core.sources.tile_import import SOURCE_SUFFIXES

    return any(os.path.splitext(p)[1].lower() in SOURCE_SUFFIXES for p in paths)
