"""Slides and scenes in the window: the overview tab beside the grid (tiles coloured by label or
prediction, the suggested tiles marked, zoom to full resolution), a click on a tile making it the
current image, and File ▸ Import slides or scenes… with its preview of the tiles kept."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QColor, QHelpEvent
from PySide6.QtWidgets import QApplication, QPushButton, QToolTip

from app.core.project.store import Project
from app.core.sources.tile_import import TileProgress, import_sources
from app.core.sources.tile_states import tile_preview
from app.core.sources.tiling import TileOptions
from app.gui.jobs import Lane
from app.gui.source_controller import TAB_TITLE, show_sources
from app.gui.source_overview import PREDICTIONS, tile_tip
from app.gui.tile_import_dialog import progress_text
from tests.gui.conftest import make_project
from tests.slide_data import slide_project, write_slide


@pytest.fixture
def slides(tmp_path):
    return slide_project(tmp_path)


def open_overview(qtbot, open_window, path):
    """The window on `path` with its Slides and scenes tab in front, the slide shown."""
    window = open_window(path)
    column = window.images_or_sources
    qtbot.waitUntil(lambda: column.indexOf(column.panel) >= 0 and window.sources.record is not None)
    show_sources(window)
    assert column.currentWidget() is column.panel and column.tabText(1) == TAB_TITLE
    return window


def colour_of(qtbot, window, image_id) -> QColor:
    """The colour painted at the middle of a tile's lower half (what the user sees there)."""
    view = window.sources.view
    rect = view.tile_rect(view.states.index_of(image_id))
    point = QPoint(int(rect.center().x()), int(rect.top() + rect.height() * 0.75))
    return view.grab().toImage().pixelColor(point * view.devicePixelRatioF())


def test_the_overview_colours_each_tile_by_its_label(qtbot, open_window, slides):
    path, _ = slides
    window = open_overview(qtbot, open_window, path)
    view = window.sources.view
    states = view.states
    tumour, stroma = window.session.classes
    assert len(states) == 62 and view.base is not None
    assert view.fill_colour_at(int(states.image_ids[0])) == QColor(tumour.colour)
    assert view.fill_colour_at(int(states.image_ids[1])) == QColor(stroma.colour)
    assert view.fill_colour_at(int(states.image_ids[20])) is None  # unlabelled: the slide shows through
    assert "tumour&nbsp;6" in window.sources.panel.legend.text()
    # Labelling from the overview (click, then the class key) recolours the tile at once.
    unlabelled = int(states.image_ids[20])
    rect = view.tile_rect(20)
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    qtbot.waitUntil(lambda: window.grid.current_image_id() == unlabelled)
    qtbot.keyClick(view, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: view.fill_colour_at(unlabelled) == QColor(stroma.colour))
    assert "stroma&nbsp;7" in window.sources.panel.legend.text()


def test_clicking_a_tile_makes_it_current_in_the_grid_and_the_viewer(qtbot, open_window, slides):
    path, _ = slides
    window = open_overview(qtbot, open_window, path)
    view = window.sources.view
    target = int(view.states.image_ids[30])
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.tile_rect(30).center().toPoint())
    qtbot.waitUntil(lambda: window.grid.current_image_id() == target and window.viewer.image_id == target)
    assert view.current == 30
    assert tile_tip(view.states, 0, view.names) == "Label: tumour"
    assert tile_tip(view.states, 30, view.names) == "Not labelled"
    point = view.tile_rect(0).center().toPoint()
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, point, view.mapToGlobal(point)))
    qtbot.waitUntil(lambda: QToolTip.text() == "Label: tumour")
    # H shows the tile's heatmap in the viewer from the overview too.
    qtbot.keyClick(view, Qt.Key.Key_H)
    assert window.viewer.heatmap_action.isChecked()
    qtbot.keyClick(view, Qt.Key.Key_H)
    # A tile the grid's filter hides: the grid shows that slide's tiles, with that tile current.
    window.filter_bar.show_filter("labelled")
    qtbot.waitUntil(lambda: window.model.query.show == "labelled" and window.model.row_of(target) is None)
    hidden = int(view.states.image_ids[40])
    qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.tile_rect(40).center().toPoint())
    qtbot.waitUntil(lambda: window.grid.current_image_id() == hidden and window.viewer.image_id == hidden)
    assert (window.model.query.show, window.model.query.source_id) == ("source", window.sources.record.id)
    # The grid's current image is the outlined tile.
    window.grid.select_image(target)
    qtbot.waitUntil(lambda: view.current == 30)


def test_the_prediction_map_shows_the_predicted_classes_and_the_slider_sets_its_opacity(qtbot, open_window, slides):
    path, _ = slides
    with Project.open(path) as project:
        tiles = [row[0] for row in project.conn.execute("SELECT id FROM images ORDER BY tile_y, tile_x")]
        classes = [row[0] for row in project.conn.execute("SELECT id FROM classes ORDER BY id")]
        with project.conn:
            run = project.conn.execute(
                "INSERT INTO runs (status, model_ref, method, seed, config, classes)"
                " VALUES ('done', 'm', 'linear', 0, '{}', '[]')"
            ).lastrowid
            project.conn.executemany(  # stroma left of x = 1024, tumour right of it
                "INSERT INTO predictions (run_id, image_id, class_id, confidence)"
                " SELECT ?, id, CASE WHEN tile_x < 1024 THEN ? ELSE ? END, 0.8 FROM images WHERE id = ?",
                [(run, classes[1], classes[0], tile) for tile in tiles],
            )
    window = open_overview(qtbot, open_window, path)
    view = window.sources.view
    panel = window.sources.panel
    tumour, stroma = window.session.classes
    window.predictions.predictionsReady.emit(run)
    panel.colour_box.setCurrentIndex(panel.colour_box.findData(PREDICTIONS))
    panel.colour_box.activated.emit(panel.colour_box.currentIndex())
    left = next(i for i, x in enumerate(view.states.x) if x < 1024 and view.states.labels[i] < 0)
    right = next(i for i, x in enumerate(view.states.x) if x >= 1024 and view.states.labels[i] < 0)
    left_id, right_id = int(view.states.image_ids[left]), int(view.states.image_ids[right])
    qtbot.waitUntil(lambda: view.fill_colour_at(left_id) == QColor(stroma.colour))
    assert tile_tip(view.states, left, view.names) == "Not labelled · predicted: stroma (80%)"
    assert view.fill_colour_at(right_id) == QColor(tumour.colour)
    legend = panel.legend.text()
    predicted_right = sum(1 for x in view.states.x if x >= 1024)
    assert f"tumour&nbsp;{predicted_right}" in legend and f"stroma&nbsp;{62 - predicted_right}" in legend
    # What is painted: more opacity, closer to the class colour; none, the slide itself.

    def distance(colour: QColor, to: QColor) -> int:
        return abs(colour.red() - to.red()) + abs(colour.green() - to.green()) + abs(colour.blue() - to.blue())

    panel.opacity.setValue(10)
    faint = colour_of(qtbot, window, right_id)
    panel.opacity.setValue(90)
    strong = colour_of(qtbot, window, right_id)
    assert view.opacity == pytest.approx(0.9)
    assert distance(strong, QColor(tumour.colour)) < distance(faint, QColor(tumour.colour)) - 100
    panel.opacity.setValue(0)
    assert distance(colour_of(qtbot, window, right_id), QColor(tumour.colour)) > 200  # pink tissue only


def test_suggested_tiles_are_marked_in_place_and_zooming_in_reads_full_resolution(qtbot, open_window, slides):
    path, _ = slides
    window = open_overview(qtbot, open_window, path)
    view = window.sources.view
    queue = tuple(int(i) for i in view.states.image_ids[[40, 41, 50]])
    window.suggestions.queue = queue
    window.suggestions.refreshed.emit(None)
    assert view.suggested == [40, 41, 50]
    assert "suggested&nbsp;3" in window.sources.panel.legend.text()
    # A suggested tile labelled leaves the marks, as it leaves the grid's Suggested list.
    window.session.label([queue[0]], window.session.classes[0].id)
    qtbot.waitUntil(lambda: view.open_suggestions() == [41, 50])
    assert "suggested&nbsp;2" in window.sources.panel.legend.text()
    assert view.detail is None
    view.zoom_by(12, view.tile_rect(40).center())
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10000)
    image, region = view.detail
    # As fine as the screen, or full resolution when zoomed in further.
    assert image.width() / region.width() >= min(view.scale * view.devicePixelRatioF(), 1.0) * 0.99
    assert region.contains(view.visible_region())
    view.fit()
    assert view.detail is None  # the overview is fine enough again


def test_a_project_without_slides_shows_the_grid_alone(qtbot, open_window, tmp_path):
    window = open_window(make_project(tmp_path))
    qtbot.waitUntil(lambda: window.jobs.busy(Lane.INTERACTIVE) == 0)
    column = window.images_or_sources
    assert column.count() == 1 and column.tabBar().isHidden() and column.currentWidget() is window.grid


def test_import_dialog_counts_the_tiles_kept_and_the_import_adds_them(qtbot, open_window, tmp_path):
    slide = write_slide(tmp_path / "new" / "scan.tif")
    window = open_window(make_project(tmp_path, images=2))
    controller = window.source_import
    controller.show_dialogs = False
    controller.choose_files = lambda parent: [str(slide)]
    action = next(a for a in window.menuBar().actions()[0].menu().actions() if "slides or scenes" in a.text())
    action.trigger()
    dialog = controller.import_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.preview is not None and dialog.import_button.isEnabled(), timeout=20000)
    assert dialog.options() == TileOptions(size=224, mpp=0.5, min_tissue=0.5)  # the file says 0.25 µm/px
    assert dialog.resolution_box.currentText() == "0.5 µm per pixel"
    assert dialog.choose_resolution(("level", 0)) and dialog.resolution_box.currentText().startswith("Level 0")
    dialog.size_box.setValue(128)
    preview = tile_preview(slide)

    def kept(share: float) -> int:
        return int(preview.kept(TileOptions(size=128, level=0, min_tissue=share))[1].sum())

    counts = {}
    for percent in (0, 90, 30):
        with qtbot.waitSignal(dialog.counted, timeout=5000):
            dialog.tissue_box.setValue(percent)
        qtbot.waitUntil(lambda p=percent: dialog.kept == kept(p / 100))
        counts[percent] = dialog.kept
    assert counts[0] == 192 > counts[30] > counts[90] > 0
    assert dialog.import_button.text() == f"Import {counts[30]} tiles"
    assert dialog.options() == TileOptions(size=128, level=0, min_tissue=0.3)
    finished = []
    controller.finished.connect(finished.append)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(finished), timeout=60000)
    assert finished[0].tiles_added == counts[30]
    message = window.status.currentMessage()
    assert message.startswith(
        f"Imported: scan.tif, {counts[30]} tiles added, {192 - counts[30]} left out as background ("
    )
    assert message.endswith(" tiles a second)")
    with Project.open(path := window.project.file, read_only=True) as project:
        assert (
            project.conn.execute("SELECT COUNT(*) FROM images WHERE source_id IS NOT NULL").fetchone()[0] == counts[30]
        )
    assert path
    column = window.images_or_sources
    qtbot.waitUntil(lambda: column.currentWidget() is column.panel and len(window.sources.view.states) == counts[30])
    qtbot.waitUntil(lambda: window.model.rowCount() == 2 + counts[30])
    show = window.filter_bar.show_box
    assert any("scan.tif" in show.itemText(i) for i in range(show.count()))  # Show ▸ Slide: scan.tif


def test_dropping_a_slide_opens_the_import_dialog_and_other_files_import_as_before(qtbot, open_window, tmp_path):
    slide = write_slide(tmp_path / "drop" / "slide.tif", 512, 512)
    window = open_window(make_project(tmp_path, images=2))
    imported = []
    window.importer.finished.connect(imported.append)
    window.on_paths_dropped([str(slide), str(tmp_path / "images" / "img00.png")])
    qtbot.waitUntil(lambda: window.source_import.import_dialog is not None)
    assert window.source_import.import_dialog.paths == [str(slide)]
    qtbot.waitUntil(lambda: bool(imported))  # the PNG went the ordinary way (a duplicate here)
    window.source_import.import_dialog.reject()
    qtbot.waitUntil(lambda: window.jobs.busy(Lane.IMPORT) == 0)


def test_the_chooser_switches_between_the_projects_slides(qtbot, open_window, slides):
    path, _ = slides
    other = write_slide(path.parent / "slides" / "second.tif", 1024, 768, seed=4)
    with Project.open(path) as project:
        import_sources(project, [other], TileOptions(size=128, level=0, min_tissue=0.0), workers=2)
    window = open_overview(qtbot, open_window, path)
    panel = window.sources.panel
    assert [panel.source_box.itemText(i) for i in range(panel.source_box.count())] == [
        "second.tif (48 tiles)",
        "slide.tif (62 tiles)",
    ]
    shown = window.sources.record.name
    index = next(i for i in range(panel.source_box.count()) if not panel.source_box.itemText(i).startswith(shown))
    panel.source_box.setCurrentIndex(index)
    panel.source_box.activated.emit(index)
    qtbot.waitUntil(lambda: window.sources.record.name != shown)
    expected = 48 if window.sources.record.name == "second.tif" else 62
    assert len(window.sources.view.states) == expected
    assert window.sources.record.name in panel.info.text()
    # A tile of the other slide made current in the grid brings that slide, outlined.
    first = window.sources.record.name
    with Project.open(path, read_only=True) as project:
        other_tile = project.conn.execute(
            "SELECT i.id FROM images i JOIN sources s ON s.id = i.source_id WHERE s.path NOT LIKE ? ORDER BY i.id DESC",
            (f"%{first}",),
        ).fetchone()[0]
    window.grid.select_image(other_tile)
    qtbot.waitUntil(lambda: window.sources.record.name != first and window.sources.view.current is not None)
    assert int(window.sources.view.states.image_ids[window.sources.view.current]) == other_tile
    # From the grid: a tile of the first slide current there, then the overview again shows it.
    show_sources(window)  # back to the grid
    assert window.images_or_sources.currentWidget() is window.grid
    back = next(
        i
        for i in range(1, 200)
        if window.model.row_of(i) is not None and i not in set(window.sources.view.states.image_ids.tolist())
    )
    window.grid.select_image(back)
    qtbot.waitUntil(lambda: window.grid.current_image_id() == back)
    show_sources(window)
    qtbot.waitUntil(lambda: window.sources.record.name == first and window.sources.view.current is not None)


def test_cancel_stops_the_import_and_importing_again_goes_on(qtbot, open_window, tmp_path):
    slide = write_slide(tmp_path / "new" / "scan.tif")
    window = open_window(make_project(tmp_path, images=2))
    controller = window.source_import
    controller.show_dialogs = False
    finished = []
    controller.finished.connect(finished.append)

    def start_import():
        controller.ask([str(slide)])
        dialog = controller.import_dialog
        qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
        dialog.choose_resolution(("level", 0))
        dialog.size_box.setValue(128)
        dialog.tissue_box.setValue(0)
        qtbot.waitUntil(lambda: dialog.kept == 192)
        dialog.import_button.click()

    start_import()
    qtbot.waitUntil(lambda: controller.running and controller.dialog is not None)
    controller.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel
    qtbot.waitUntil(lambda: bool(finished), timeout=30000)
    first = finished[0]
    assert first.cancelled and first.tiles_added < 192
    assert window.status.currentMessage().startswith("Import cancelled")
    start_import()
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60000)
    assert not finished[1].cancelled and finished[1].tiles_added == 192 - first.tiles_added
    assert finished[1].sources[0].tiles_unchanged == first.tiles_added


def test_progress_says_how_far_and_how_fast():
    event = TileProgress("scan.svs", 1200, 5000, 1180, 1, 3)
    assert progress_text(event, 240.4) == "scan.svs (2 of 3): 1,200 of 5,000 tiles read, 240 a second, 1,180 added"
    assert progress_text(TileProgress("a.tif", 3, 9, 3, 0, 1)) == "a.tif: 3 of 9 tiles read, 3 added"


def test_the_import_dialog_changes_the_tissue_mask_for_a_faint_stain(qtbot, open_window, tmp_path):
    """Otsu's threshold (with its floor) finds no tissue in a faint stain; a threshold chosen in the
    dialog finds it: the dimmed picture, the count and the import follow."""
    import numpy as np

    from tests.slides import pyramid_slide

    data = np.full((512, 768, 3), 245, np.uint8)
    data[128:384, 256:512] = (238, 226, 234)  # saturation 0.05
    (tmp_path / "faint").mkdir()
    slide = pyramid_slide(tmp_path / "faint" / "faint.tif", data, levels=2)
    window = open_window(make_project(tmp_path, images=2))
    controller = window.source_import
    controller.show_dialogs = False
    controller.ask([str(slide)])
    dialog = controller.import_dialog
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=20000)
    assert dialog.auto_threshold.isChecked() and not dialog.threshold_box.isEnabled()
    dialog.choose_resolution(("level", 0))
    with qtbot.waitSignal(dialog.counted, timeout=5000):
        dialog.size_box.setValue(128)
    qtbot.waitUntil(lambda: dialog.options().size == 128 and dialog.kept == 0)
    dimmed_before = dialog.view.dim.copy()

    dialog.auto_threshold.setChecked(False)
    with qtbot.waitSignal(dialog.counted, timeout=5000):
        dialog.threshold_box.setValue(0.02)
    qtbot.waitUntil(lambda: dialog.kept == 4)
    assert dialog.options().tissue_threshold == 0.02
    assert dialog.view.dim != dimmed_before  # the stain is no longer dimmed
    finished = []
    controller.finished.connect(finished.append)
    dialog.import_button.click()
    qtbot.waitUntil(lambda: bool(finished), timeout=60000)
    assert finished[0].tiles_added == 4
