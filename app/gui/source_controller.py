"""Slides and scenes in the window: the overview beside the viewer, in the Label workspace.

The grid's column becomes two tabs, Images (the grid) and Slides and scenes (the overview), the
second only once the project has a source (a project without one looks as before). There the
class keys label the current tile as in the grid, and the viewer shows it. All reads happen off
the GUI thread: the list of sources, a source's overview and tiles (`tile_states`) and, when
zoomed in, the region in view from the pyramid (`view_region`), each newest-wins.

The controller follows the window: labels committed recolour their tiles, the active run's
predictions make the prediction map, the suggestion queue is marked in place, the grid's current
image is the outlined tile; a click on a tile makes it the grid's current image (so the viewer
shows it). `wire_sources` connects it; `tile_import_dialog` imports new sources.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QRectF, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTabWidget
from qasync import asyncSlot

from app.core.project.settings import active_run
from app.core.project.store import Project
from app.core.sources.records import SourceRecord, list_sources, source_pictures, source_record
from app.core.sources.tile_states import TileStates, source_of, tile_states, view_region
from app.gui.jobs import JobRunner, NewestWins
from app.gui.source_overview import LABELS, PREDICTIONS, SourceOverviewPanel, class_colours, tiles_text

#: The tab's title, and the View menu entry's.
TAB_TITLE = QT_TRANSLATE_NOOP("ImagesOrSources", "Slides and scenes")


def read_source(project: Project, source_id: int, run_id: int | None) -> tuple[SourceRecord, QImage | None, TileStates]:
    """A source's record, its stored overview (decoded here, off the GUI thread) and its tiles."""
    record = source_record(project, source_id)
    if record is None:
        raise LookupError(f"source {source_id} is gone")
    jpeg, _ = source_pictures(project, source_id)
    image = QImage.fromData(jpeg) if jpeg else None
    return (
        record,
        (image if image is not None and not image.isNull() else None),
        tile_states(project, source_id, run_id),
    )


def read_detail(file: str, per_pixel: float, x: float, y: float, width: float, height: float) -> QImage:
    """The level-0 region from the pyramid as a QImage, as fine as `per_pixel` needs."""
    pixels, _ = view_region(file, per_pixel, int(x), int(y), max(1, int(width)), max(1, int(height)))
    h, w = pixels.shape[:2]
    return QImage(pixels.tobytes(), w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def source_text(record: SourceRecord) -> str:
    """The chooser's entry: its name and tiles."""
    return QCoreApplication.translate("SourceOverviewController", "{name} ({tiles})").format(
        name=record.name, tiles=tiles_text(record.tiles)
    )


def source_facts(record: SourceRecord) -> str:
    """The line under the legend: what the source is and how it was cut."""
    parts = [
        record.name,
        QCoreApplication.translate("SourceOverviewController", "{width} × {height} px").format(
            width=f"{record.width:,}", height=f"{record.height:,}"
        ),
    ]
    if record.mpp:
        parts.append(
            QCoreApplication.translate("SourceOverviewController", "{mpp} µm per pixel").format(mpp=f"{record.mpp:g}")
        )
    if record.georef is not None and record.georef.crs:
        parts.append(record.georef.crs)
    tiles = tiles_text(record.tiles)
    if record.tile_mpp:
        cut = QCoreApplication.translate("SourceOverviewController", "{tiles} of {size} px at {mpp} µm/px").format(
            tiles=tiles, size=record.tile_size, mpp=f"{record.tile_mpp:.2g}"
        )
    else:
        cut = QCoreApplication.translate("SourceOverviewController", "{tiles} of {size} px").format(
            tiles=tiles, size=record.tile_size
        )
    parts.append(cut)
    if record.skipped:
        skipped = f"{record.skipped:,}"
        parts.append(
            QCoreApplication.translate("SourceOverviewController", "{count} left out as background").format(
                count=skipped
            )
            if record.kind == "slide"
            else QCoreApplication.translate("SourceOverviewController", "{count} left out as no data").format(
                count=skipped
            )
        )
    return " · ".join(parts)


class SourceOverviewController(QObject):
    """The overview panel's reads and what it shows. `classes` are the session's."""

    listed = Signal(int)  # sources in the project, after each listing
    shown = Signal(int)  # source id, once its overview and tiles are in view
    tileChosen = Signal(int)  # image id of a tile clicked
    detailShown = Signal()  # a region read from the pyramid is in view

    def __init__(self, project: Project, jobs: JobRunner, panel: SourceOverviewPanel, classes, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.panel = panel
        self.view = panel.view
        self.classes = list(classes)
        self.run_id = active_run(project)
        self.sources: list[SourceRecord] = []
        self.record: SourceRecord | None = None
        self.suggested: tuple[int, ...] = ()
        self.current_image: int | None = None
        self._loading = NewestWins(jobs)
        self._details = NewestWins(jobs)
        self.view.set_colours(class_colours(self.classes))
        self.view.names = {c.id: c.name for c in self.classes}
        self.view.tileClicked.connect(self.tileChosen)
        self.view.regionWanted.connect(self.on_view_region_wanted)
        panel.sourceChosen.connect(self.show_source)
        panel.modeChosen.connect(lambda mode: self._update_legend())

    # -- reading ---------------------------------------------------------------------------------

    @asyncSlot()
    async def refresh(self, show: int | None = None) -> None:
        """List the sources again (after an import) and show `show`, else the one shown, else
        the first."""
        try:
            self.sources = await self.jobs.run(list_sources, self.project)
        except asyncio.CancelledError:
            return
        current = show if show is not None else self.record.id if self.record is not None else None
        if all(s.id != current for s in self.sources):
            current = self.sources[0].id if self.sources else None
        self.panel.set_sources([(s.id, source_text(s)) for s in self.sources], current)
        self.listed.emit(len(self.sources))
        if current is not None:
            await self._show(current)

    @asyncSlot(int)
    async def show_source(self, source_id: int) -> None:
        await self._show(source_id)

    async def _show(self, source_id: int) -> None:
        ticket = self._loading.begin()
        self._details.cancel()
        try:
            record, image, states = await self._loading.run(ticket, read_source, self.project, source_id, self.run_id)
        except (asyncio.CancelledError, LookupError):
            return
        self.record = record
        self.view.set_source(image, record.overview_downsample or 1.0, (record.width, record.height), states)
        self.view.set_suggested(self.suggested)
        self.view.set_current(self.current_image)
        index = self.panel.source_box.findData(record.id)
        if index >= 0:
            self.panel.source_box.setCurrentIndex(index)
        self.panel.info.setText(source_facts(record))
        self._update_legend()
        self.shown.emit(record.id)

    @asyncSlot()
    async def reload_tiles(self) -> None:
        """The shown source's tiles again (new predictions, new tiles), the view kept."""
        if self.record is None:
            return
        ticket = self._loading.begin()
        try:
            states = await self._loading.run(ticket, tile_states, self.project, self.record.id, self.run_id)
        except asyncio.CancelledError:
            return
        self.view.set_states(states)
        self.view.set_suggested(self.suggested)
        self.view.set_current(self.current_image)
        self._update_legend()
        self.shown.emit(self.record.id)

    @asyncSlot(float, float, float, float, float)
    async def on_view_region_wanted(self, x: float, y: float, width: float, height: float, per_pixel: float) -> None:
        """The part in view, read from the pyramid in a worker; only the newest request's arrives."""
        if self.record is None:
            return
        file = str(self.project.resolve_path(self.record.path))
        ticket = self._details.begin()
        try:
            image = await self._details.run(ticket, read_detail, file, per_pixel, x, y, width, height)
        except asyncio.CancelledError:
            return
        except Exception:  # noqa: BLE001 - the file moved or broke: the overview stays
            return
        self.view.set_detail(image, QRectF(x, y, width, height))
        self.detailShown.emit()

    # -- following the window --------------------------------------------------------------------

    def on_labels_changed(self, changes: dict) -> None:
        if self.view.states.set_labels(changes):
            self.view.refill()
            self._update_legend()

    def on_predictions_ready(self, run_id: int) -> None:
        """The active run's predictions: the prediction map shows them."""
        self.run_id = run_id
        self.reload_tiles()

    def on_classes_changed(self, classes) -> None:
        self.classes = list(classes)
        self.view.names = {c.id: c.name for c in self.classes}
        self.view.set_colours(class_colours(self.classes))
        self._update_legend()

    def on_suggestions_changed(self, image_ids) -> None:
        self.suggested = tuple(image_ids)
        self.view.set_suggested(self.suggested)
        self._update_legend()

    def on_current_image_changed(self, image_id: int | None) -> None:
        """The grid's current image is the outlined tile; a tile of another source, while the
        overview is in view, brings that source."""
        self.current_image = image_id
        self.view.set_current(image_id)
        if image_id is not None and self.view.current is None and len(self.sources) > 1 and self.panel.isVisible():
            self.follow(image_id)

    @asyncSlot(int)
    async def follow(self, image_id: int) -> None:
        try:
            source_id = await self.jobs.run(source_of, self.project, image_id)
        except asyncio.CancelledError:
            return
        if (
            source_id is not None
            and image_id == self.current_image
            and (self.record is None or source_id != self.record.id)
        ):
            await self._show(source_id)

    def _update_legend(self) -> None:
        states = self.view.states
        mode = self.panel.mode
        counts = states.counts("labels" if mode == LABELS else "predicted")
        suggested = len(self.view.open_suggestions())
        if mode == PREDICTIONS:
            empty = (
                self.tr("No model is in use yet: train one (Ctrl+T) and its predictions colour the tiles")
                if self.run_id is None
                else self.tr("Run {run} has not predicted these tiles yet").format(run=self.run_id)
            )
        else:
            empty = self.tr("No tile here is labelled yet: click a tile, then press its class's key")
        self.panel.set_legend(self.classes, counts, suggested, empty)


class ImagesOrSources(QTabWidget):
    """The Label workspace's middle column: the grid, and the overview once there is a source."""

    def __init__(self, grid, panel: SourceOverviewPanel, parent=None):
        super().__init__(parent, objectName="imagesOrSources")
        self.setDocumentMode(True)
        self.setTabBarAutoHide(True)  # no tab bar while the grid is alone
        self.grid, self.panel = grid, panel

    def add_grid(self) -> None:
        self.insertTab(0, self.grid, self.tr("Images"))
        self.setTabToolTip(0, self.tr("The images of the project, as the filter shows them"))
        self.grid.show()  # the splitter hid it when the tab widget took its place

    def add_sources_tab(self) -> None:
        if self.indexOf(self.panel) < 0:
            index = self.addTab(self.panel, self.tr(TAB_TITLE))
            self.setTabToolTip(
                index, self.tr("A whole slide or scene with its tiles coloured by label or prediction (Ctrl+Shift+O)")
            )

    def showing_sources(self) -> bool:
        return self.currentWidget() is self.panel


def select_tile(window, image_id: int) -> None:
    """A tile clicked on the overview becomes the grid's current image (the viewer follows); one
    the grid's filter hides brings the grid to that slide's tiles, row by row as they lie on it
    (Show ▸ Slide: NAME; every image when the list does not have the slide yet)."""
    controller = window.sources
    controller.on_current_image_changed(image_id)  # outlined at once, before the grid answers
    if window.model.row_of(image_id) is not None:
        window.grid.select_image(image_id)
        return
    bar = window.filter_bar
    if bar.search.text():
        bar.search.clear()
    source_id = controller.record.id if controller.record is not None else None
    query = bar.query()
    if (query.show, query.source_id) != ("source", source_id):
        bar.show_filter("source", source_id)  # a choice the list does not have is left alone
        if bar.query().show != "source":
            bar.show_filter("all")
    window.refresh_rows(keep=image_id)


def show_sources(window) -> None:
    """View ▸ Slides and scenes (Ctrl+Shift+O): the overview in front, or the grid again."""
    from app.gui.workspaces import LABEL

    column = window.images_or_sources
    if column.indexOf(column.panel) < 0:
        window.status.showMessage(
            QCoreApplication.translate(
                "SourceOverviewController",
                "This project has no slides or scenes yet: File ▸ Import slides or scenes… (Ctrl+Shift+I)",
            ),
            8000,
        )
        return
    window.workspaces.show_workspace(LABEL.name)
    if column.showing_sources():
        column.setCurrentWidget(column.grid)
        window.grid.setFocus()
    else:
        column.setCurrentWidget(column.panel)
        column.panel.view.setFocus()


def wire_sources(window) -> None:
    """The overview tab beside the grid, its controller (`window.sources`) following the window,
    and the import of slides and scenes as tiles (`window.source_import`)."""
    from app.gui.tile_import_dialog import SourceImportController

    panel = SourceOverviewPanel()
    column = ImagesOrSources(window.grid, panel)
    index = window.central.indexOf(window.grid)
    window.central.replaceWidget(index, column)
    column.add_grid()  # the grid moves into the first tab
    window.central.setStretchFactor(index, 3)
    column.setMinimumWidth(window.grid.minimumWidth())
    window.images_or_sources = column
    controller = SourceOverviewController(window.project, window.jobs, panel, window.session.classes, window)
    window.sources = controller
    controller.listed.connect(lambda count: column.add_sources_tab() if count else None)
    controller.tileChosen.connect(lambda image_id: select_tile(window, image_id))
    # Coming to the overview: the grid's current tile, on its own slide.
    column.currentChanged.connect(
        lambda index: (
            controller.on_current_image_changed(window.grid.current_image_id())
            if column.widget(index) is panel
            else None
        )
    )
    window.grid.currentImageChanged.connect(controller.on_current_image_changed)
    window.session.labelsChanged.connect(controller.on_labels_changed)
    window.session.classesChanged.connect(controller.on_classes_changed)
    window.predictions.predictionsReady.connect(controller.on_predictions_ready)
    window.suggestions.refreshed.connect(lambda refresh: controller.on_suggestions_changed(window.suggestions.queue))
    window.source_import = SourceImportController(window.project, window.jobs, window)
    window.source_import.finished.connect(lambda report: on_sources_imported(window, report))
    window.source_import.failed.connect(lambda text: window.status.showMessage(text, 10000))
    controller.refresh()


def on_sources_imported(window, report) -> None:
    """After an import of slides or scenes: say what it did, show the new tiles and the overview."""
    from app.gui.tile_import_dialog import import_summary

    window.status.showMessage(import_summary(report), 15000)
    if report.tiles_added:
        window.suggestions.on_images_added()
        window.refresh_rows()
        window.status.refresh()
    if report.sources:
        window.filter_bar.refresh_sources()  # Show ▸ Slide: NAME for the new ones
        window.sources.refresh(show=report.sources[-1].source_id)
        window.images_or_sources.add_sources_tab()
        window.images_or_sources.setCurrentWidget(window.images_or_sources.panel)
