"""The viewer: the current image at full resolution, zoom and pan, window/level for 16-bit and
DICOM data, the band-to-RGB choice for multi-band images, and a heatmap overlay (H) of where a
run's model found its evidence.

Decoding and re-windowing run off the GUI thread; while the user drags the window, only the
latest request is rendered (older ones are dropped), so dragging stays fluid on large images.
Heatmaps are computed in the `explain` lane (one thread, which keeps the run's model loaded) and
kept for the image shown; the slider fades the overlay without computing anything again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import ImageError
from app.core.imaging import DecodedImage, DecodeOptions, Window, auto_window, compose_rgb, decode
from app.core.imaging.composites import DEFAULT_COMPOSITE
from app.core.imaging.windowing import window_presets
from app.core.labelling.browse import image_paths
from app.core.project.settings import composite_choice
from app.core.project.store import Project
from app.gui.composite_controls import CompositeControls, CompositePicture, composite_picture
from app.gui.elided_label import ElidedLabel
from app.gui.i18n import core_text
from app.gui.image_viewer import HEATMAP_OPACITY, ImageViewer
from app.gui.jobs import JobRunner, Lane, NewestWins
from app.gui.label_legend import LabelLegend
from app.gui.qimages import array_qimage, to_qimage
from app.gui.tile_context import TileContextLayer

#: What the viewer area says where a file could not be read (the reason follows).
UNREADABLE = QT_TRANSLATE_NOOP("ViewerPanel", "Could not read this file")
#: What the viewer says when it cannot show a heatmap for lack of a model.
NO_MODEL = QT_TRANSLATE_NOOP("ViewerPanel", "No heatmap: no trained model is in use (Runs ▸ Use for predictions)")


def heatmap_picture(
    project: Project,
    run_id: int,
    path: Path,
    class_id: int | None,
    rendering: DecodeOptions,
    wanted: Callable[[], bool] = lambda: True,
) -> tuple[object, QImage] | None:
    """(the Heatmap less its values, the map in colour as a QImage the size of the decoded image):
    run in the `explain` lane, whose one thread keeps the run's model loaded between images.
    None when no longer `wanted` by the time the lane gets to it (paging through images with the
    heatmap on queues one per image: only the last is computed)."""
    import numpy as np

    from app.core.inference.heatmaps import cached_run_model, heatmap_for_file, overlay
    from app.core.training import preload

    if not wanted():
        return None
    preload.before_use()  # the window may be loading torch in the background right now
    from app.core.training.runs import run_rendering

    # The model explains the picture it was trained on (its recorded rendering), drawn over the
    # picture shown (same size whatever the composite): `rendering` is the view's, for the key.
    heat = heatmap_for_file(cached_run_model(project, run_id), path, class_id, run_rendering(project, run_id))
    height, width = heat.values.shape
    image = array_qimage(overlay(np.zeros((height, width, 3), np.uint8), heat.values, alpha=1.0))
    heat.values = None  # the picture is what the GUI keeps
    return heat, image


class ViewerPanel(QWidget):
    """The viewer with its controls; shows whichever image the grid makes current."""

    bandsChosen = Signal(tuple)
    compositeChosen = Signal(str)  # a composite's name, or "" for bands chosen by hand
    imageShown = Signal(object)  # image id, once its pixels are on screen
    nextRequested = Signal()
    previousRequested = Signal()

    def __init__(self, project: Project, jobs: JobRunner, bands: tuple[int, int, int] | None = None, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.bands = bands
        #: The project's named composite for satellite images (None: true colour); `bands` wins.
        self.composite = composite_choice(project)
        self.picture = CompositePicture()  # the composites the image shown can show, and which
        self.decoded: DecodedImage | None = None
        self.window: Window | None = None
        self.window_presets: dict[str, Window | None] = {}
        self.image_id: int | None = None
        self.stored_path = ""
        #: A file the grid could not import is on screen (`show_rejected`).
        self.rejected_shown = False
        #: Newest wins: the image shown, its window/level rendering, its heatmap.
        self.showing = NewestWins(jobs)
        self.rendering = NewestWins(jobs)
        self.explaining = NewestWins(jobs, Lane.EXPLAIN)
        #: The file shown (an image of the project, or a batch's file), for its heatmap.
        self.path: Path | None = None
        #: The run whose heatmaps are shown for images of the project (the window sets the active
        #: run); a batch's file opened with `show_file` brings its own run and class.
        self.heatmap_run: int | None = None
        self._subject: tuple[int | None, int | None] = (None, None)  # (run id, class id) for the file shown
        self.heatmap_shown = False
        self.heatmap = None  # the Heatmap on screen (its class, probability, method)
        self._heat_key: tuple | None = None
        self._heat_cache: tuple | None = None  # (key, Heatmap, QImage) of the image shown

        self.viewer = ImageViewer(self)
        self.viewer.windowDragged.connect(self.on_viewer_window_dragged)
        #: A tile's neighbourhood drawn around it (X turns it off).
        self.context = TileContextLayer(self.viewer, jobs, self)
        self.addAction(self.context.action)
        self.info = ElidedLabel(self.tr("No image"), self)

        fit = QToolButton(self, text=self.tr("Fit"), toolTip=self.tr("Fit the image in the view (Ctrl+0)"))
        fit.clicked.connect(self.viewer.fit)
        actual = QToolButton(self, text="1:1", toolTip=self.tr("Actual pixels (Ctrl+1)"))
        actual.clicked.connect(self.viewer.actual_size)
        self.presets = QComboBox(self, toolTip=self.tr("Window presets (right-drag on the image to adjust)"))
        self.presets.activated.connect(self.on_presets_activated)
        self.reset = QToolButton(self, text=self.tr("Reset W/L"), toolTip=self.tr("Back to the file's window"))
        self.reset.clicked.connect(self.on_reset_clicked)
        self.band_controls = CompositeControls(self)
        self.band_controls.compositeChosen.connect(self.on_band_controls_composite_chosen)
        self.band_boxes = self.band_controls.band_boxes
        for box in self.band_boxes:
            box.activated.connect(self.on_band_boxes_activated)
        self.heatmap_action = QAction(self.tr("Heatmap"), self, checkable=True, shortcut=QKeySequence("H"))
        self.heatmap_action.setToolTip(self.tr("Show where the model found its evidence for the class (H)"))
        self.heatmap_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.heatmap_action.toggled.connect(self.on_heatmap_action_toggled)
        self.addAction(self.heatmap_action)
        heat_button = QToolButton(self)
        heat_button.setDefaultAction(self.heatmap_action)
        self.opacity = QSlider(
            Qt.Orientation.Horizontal, self, minimum=0, maximum=100, value=int(HEATMAP_OPACITY * 100)
        )
        self.opacity.setToolTip(self.tr("Fade the heatmap in or out"))
        self.opacity.setMaximumWidth(90)
        self.opacity.valueChanged.connect(lambda value: self.viewer.set_overlay_opacity(value / 100))
        self.heat_info = ElidedLabel("", self)
        self.heat_info.setObjectName("heatmapInfo")

        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (fit, actual, self.presets, self.reset, self.context.button):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(heat_button)
        controls.addWidget(self.opacity)
        self.heat_info.setVisible(False)  # which class the map is for, or why there is none; while shown
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.band_controls)  # a row of its own: a 13-band scene's boxes need the width
        layout.addWidget(self.heat_info)
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
        if image_id is None and self.rejected_shown:
            return  # the grid's current row is a file it could not import: `show_rejected` shows it
        ticket = self.showing.begin()
        self.image_id = image_id
        self.rejected_shown = False
        if image_id is None:
            self._show_nothing(self.tr("No image"), "")
            return
        stored = (await self.showing.run(ticket, image_paths, self.project, [image_id])).get(image_id)
        if stored is None:
            return
        self._subject = (None, None)  # the heatmap run's predicted class
        await self._show(self.project.resolve_path(stored), stored, ticket)

    def show_rejected(self, path: str, reason: str) -> None:
        """A file the grid lists but could not import (no image id: the grid's ReasonRole says
        why): the reason in the middle of the viewer, not a blank "No image"."""
        self.showing.begin()  # an image still loading is not shown over it
        self.image_id = None
        self.rejected_shown = True  # the grid's "no image id" for this row leaves it on screen
        unreadable = self.tr(UNREADABLE)
        why = self.tr("{unreadable}: {reason}").format(unreadable=unreadable, reason=reason) if reason else unreadable
        self._show_nothing(path, why)
        self.legend.show_note(self.tr("not imported: it could not be read"))

    def show_hint(self, hint: str) -> None:
        """No image: `hint` in the middle of the view, saying how to show one (the Review
        workspace before a result is opened)."""
        self.showing.begin()  # an image still loading is not shown over it
        self.image_id = None
        self._show_nothing("", hint)
        self.legend.show_note("")

    def _show_nothing(self, info: str, placeholder: str) -> None:
        """No image on screen: `info` under the view, `placeholder` in its middle (why)."""
        self.decoded = None
        self.path = None
        self.viewer.set_placeholder(placeholder)
        self.viewer.set_image(None)
        self.viewer.set_overlay(None)
        self.context.show_for(None, DecodeOptions())
        self.info.setText(info)
        self._update_controls()

    @property
    def showing_outside_file(self) -> bool:
        """A file shown by path (a batch's result), not an image of the project by id."""
        return self.image_id is None and self.path is not None

    @asyncSlot(object, object, object)
    async def show_file(self, path, run_id: int | None = None, class_id: int | None = None) -> None:
        """A file that need not be in the project (a batch's result); its heatmap, when shown,
        is `run_id`'s for `class_id` (None: the run's predicted class)."""
        if self.jobs.closed:
            return
        ticket = self.showing.begin()
        self.image_id = None
        self.rejected_shown = False
        self._subject = (run_id, class_id)
        await self._show(Path(path), str(path), ticket)

    def open_file_with_heatmap(self, path, run_id: int | None, class_id: int | None) -> None:
        """A batch's result opened: the file, with its heatmap on (computed once it is shown)."""
        self.heatmap_action.blockSignals(True)  # not for the image shown now: for this file
        self.heatmap_action.setChecked(True)
        self.heatmap_action.blockSignals(False)
        self.heatmap_shown = True
        self.heat_info.setVisible(True)
        self.show_file(path, run_id, class_id)

    def decode_options(self) -> DecodeOptions:
        """How the image shown is decoded (the bands or composite chosen here, saved as the
        project's `image_choice`): its heatmap is computed on the same picture."""
        return DecodeOptions(bands=self.bands, composite=self.composite)

    async def _show(self, path: Path, shown: str, ticket: int) -> None:
        self.info.setText(self.tr("Loading {file} …").format(file=shown))
        try:
            decoded = await self.showing.run(ticket, decode, path, self.decode_options())
            composite = None if self.bands else self.composite or DEFAULT_COMPOSITE
            picture = await self.showing.run(ticket, composite_picture, path, decoded, composite)
            qimage = picture.image or await self.showing.run(ticket, to_qimage, decoded.rgb)
        except ImageError as exc:
            why = self.tr("{unreadable}: {reason}").format(unreadable=self.tr(UNREADABLE), reason=exc)
            self._show_nothing(f"{shown}: {exc}", why)
            return
        self.viewer.set_placeholder("")
        self.decoded = decoded
        self.picture = picture
        self.window = decoded.window
        self.stored_path = shown
        self.path = path
        self.context.show_for(path, self.decode_options())
        self.viewer.set_image(qimage)
        self.viewer.set_overlay(None)
        self.heatmap = None
        self._update_controls()
        self._show_info()
        if self.image_id is not None:
            self.imageShown.emit(self.image_id)
        if self.heatmap_shown:
            self.update_heatmap()

    # -- heatmap --------------------------------------------------------------------------------

    def on_heatmap_action_toggled(self, shown: bool) -> None:
        self.heatmap_shown = shown
        self.heat_info.setVisible(shown)
        if shown:
            self.update_heatmap()
        else:
            self.explaining.cancel()  # one under way is not shown
            self.viewer.set_overlay(None)
            self.heat_info.setText("")

    def set_heatmap_run(self, run_id: int | None) -> None:
        """The run whose heatmaps images of the project show (the active run)."""
        self.heatmap_run = run_id
        if self.heatmap_shown:
            self.update_heatmap()

    def _heatmap_key(self) -> tuple | None:
        run_id, class_id = self._subject
        run_id = run_id if run_id is not None else self.heatmap_run
        if self.path is None or run_id is None:
            return None
        return (run_id, str(self.path), class_id, self.decode_options())

    @asyncSlot()
    async def update_heatmap(self) -> None:
        """The heatmap of the image shown, with its run: from the cache when it is the same
        image, else computed in the `explain` lane; a plain line says why when there is none."""
        ticket = self.explaining.begin()
        key = self._heatmap_key()
        if key is None:
            self.viewer.set_overlay(None)
            self.heatmap = None
            self.heat_info.setText(self.tr(NO_MODEL) if self.path is not None else "")
            return
        if self._heat_cache is not None and self._heat_cache[0] == key:
            self._put_heatmap(*self._heat_cache[1:])
            return
        run_id, path, class_id, rendering = key
        self.heat_info.setText(self.tr("Computing the heatmap with run {run}…").format(run=run_id))
        try:
            made = await self.explaining.run(
                ticket,
                heatmap_picture,
                self.project,
                run_id,
                Path(path),
                class_id,
                rendering,
                lambda: self.explaining.is_newest(ticket),
            )
        except Exception as exc:  # noqa: BLE001 - LoupeError or any failure: said in the viewer, the app goes on
            self.viewer.set_overlay(None)
            self.heatmap = None
            self.heat_info.setText(self.tr("No heatmap: {reason}").format(reason=exc))
            return
        if made is None or key != self._heatmap_key() or not self.heatmap_shown:
            return  # the user has moved on
        heat, image = made
        self._heat_cache = (key, heat, image)
        self._put_heatmap(heat, image)

    def _put_heatmap(self, heat, image: QImage) -> None:
        self.heatmap = heat
        self.viewer.set_overlay(image)
        self.viewer.set_overlay_opacity(self.opacity.value() / 100)
        self.heat_info.setText(
            self.tr("Heatmap for '{name}' ({probability}): where the model saw it").format(
                name=heat.class_name, probability=f"{heat.probability:.0%}"
            )
        )
        self.heat_info.setToolTip(
            self.tr(
                "The evidence for the predicted class '{name}', by {method}; "
                "the slider beside the Heatmap button fades it"
            ).format(name=heat.class_name, method=heat.method)
        )

    def _show_info(self) -> None:
        info = self.decoded.info
        parts = [
            self.stored_path,
            f"{info.width}×{info.height}",
            f"{info.format.upper()}",
            self.tr("{depth}-bit").format(depth=info.bit_depth),
        ]
        if info.bands > 1:
            parts.append(self.tr("{count} bands").format(count=info.bands))
        if self.window is not None:
            window = self.tr("W {width} / L {level}")
            parts.append(window.format(width=f"{self.window.width:.0f}", level=f"{self.window.centre:.0f}"))
        self.info.setText(" · ".join(parts))

    def _update_controls(self) -> None:
        decoded = self.decoded
        windowable = decoded is not None and decoded.windowable and decoded.samples.ndim == 2
        self.presets.setVisible(windowable)
        self.reset.setVisible(windowable)
        self.presets.clear()
        # The presets of the image's modality (CT's named windows; the file's own for MR, X-ray…)
        self.window_presets = window_presets(decoded.modality, decoded.file_windows) if windowable else {}
        for name in self.window_presets:  # the core's names ("Lung", "Auto (robust range)"), shown translated
            self.presets.addItem(core_text(name), name)
        self.band_controls.show_for(decoded, self.picture if decoded is not None else CompositePicture())

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
        # None is the automatic window, computed where the image is rendered (off this thread)
        self.set_window(self.window_presets.get(self.presets.itemData(index)))

    def on_reset_clicked(self) -> None:
        if self.decoded is not None:
            self.set_window(self.decoded.window)

    @asyncSlot(object)
    async def set_window(self, window: Window | None) -> None:
        decoded = self.decoded
        if decoded is None or not decoded.windowable:
            return
        self.window = window
        ticket = self.rendering.begin()
        image, used, _ = await self.rendering.run(
            ticket, compose_rgb, decoded.samples, window=window, invert=decoded.invert
        )
        qimage = await self.rendering.run(ticket, to_qimage, image)
        if decoded is self.decoded:
            self.window = used
            self.viewer.set_image(qimage, keep_view=True)
            self._show_info()

    # -- bands ----------------------------------------------------------------------------------

    def on_band_boxes_activated(self) -> None:
        bands = tuple(box.currentIndex() for box in self.band_boxes)
        self.bands = bands
        self.bandsChosen.emit(bands)
        self._show_again()

    def on_band_controls_composite_chosen(self, name: str) -> None:
        """A named composite, or "Custom bands" (starting from the bands shown now): the
        project's choice, like a band choice."""
        if name:
            self.bands, self.composite = None, name
        elif self.decoded is not None and self.decoded.bands_shown is not None:
            self.bands, self.composite = tuple(self.decoded.bands_shown), None
        self.compositeChosen.emit(name)
        if self.bands is not None:
            self.bandsChosen.emit(self.bands)
        self._show_again()

    def _show_again(self) -> None:
        """The image on screen decoded again (a new band or composite choice)."""
        if self.showing_outside_file:
            self.show_file(self.path, *self._subject)
        else:
            self.show_image(self.image_id)

    # -- keys -----------------------------------------------------------------------------------

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self.nextRequested.emit()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self.previousRequested.emit()
        else:
            super().keyPressEvent(event)


def forget_heatmap_models() -> None:
    """The viewer's heatmaps keep a run's model loaded: let it go with the window."""
    import sys

    heatmaps = sys.modules.get("app.core.inference.heatmaps")
    if heatmaps is not None:
        heatmaps.forget_cached_models()
