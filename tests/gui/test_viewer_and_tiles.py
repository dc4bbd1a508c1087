"""The viewer and the tiles as the expert sees them all day: no flashing, no jumping, plain badges."""

from dataclasses import replace

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QMenu, QStyleOptionViewItem

from tests.gui.conftest import make_project
from tests.gui.test_labelling_window import committed, labels_in


def test_a_requery_neither_blanks_nor_reloads_the_viewer(qtbot, tmp_path, open_window):
    """The grid is queried again after an undo in a filtered view, when predictions arrive, when
    the filter is applied again: the image in the viewer stays on screen throughout."""
    window = open_window(make_project(tmp_path))
    window.grid.select_row(2)
    qtbot.waitUntil(
        lambda: window.viewer.image_id == window.grid.current_image_id() and window.viewer.decoded is not None
    )
    announced = []
    window.grid.currentImageChanged.connect(announced.append)
    # The same query twice (the rows are compared, not reset), then another order (a reset).
    for query in (None, None, replace(window.filter_bar.query(), sort="added", descending=True)):
        with qtbot.waitSignal(window.rowsLoaded, timeout=5000):
            window.refresh_rows(query)
        qtbot.wait(100)
    assert announced == []  # before: [None, id, None, id] — the viewer went black, then decoded it again
    assert window.viewer.viewer.has_image and window.viewer.image_id == window.grid.current_image_id()


def test_a_long_path_is_shortened_and_does_not_widen_the_viewer(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.viewer.decoded is not None)
    info = window.viewer.info
    width = window.viewer.width()
    info.setText("/a/very/long/folder/" * 30 + "scan.dcm · 512×512 · DICOM · 16-bit")
    qtbot.wait(50)
    assert window.viewer.width() == width and window.viewer.minimumSizeHint().width() < 400
    assert info.text() != info.full_text() and "…" in info.text() and info.text().endswith("16-bit")
    assert info.toolTip() == info.full_text()


class RecordingPainter(QPainter):
    """A real painter on an image that also notes the text it draws."""

    def __init__(self, device):
        super().__init__(device)
        self.texts = []

    def drawText(self, *args):  # noqa: N802 (Qt's name)
        self.texts.append(args[-1])
        return super().drawText(*args)


def test_a_tile_badge_names_the_predicted_class(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path, classes=("healthy", "irregular")))
    classes = {c.name: c.id for c in window.session.classes}
    image_id = window.model.image_id(0)
    window.model.rows.predictions[image_id] = (classes["irregular"], 0.58)
    index = window.model.index(0)
    option = QStyleOptionViewItem()
    window.grid.initViewItemOption(option)
    option.rect = QRect(0, 0, 128, 146)
    canvas = QImage(128, 146, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(canvas)
    window.grid.itemDelegate().paint(painter, option, index)
    painter.end()
    assert "irregular 58%" in painter.texts


def test_new_classes_get_colour_blind_safe_colours(project):
    from app.core.labelling.classes import add_class

    colours = [add_class(project, f"class {i}").colour for i in range(8)]
    okabe_ito = {"#e69f00", "#56b4e9", "#009e73", "#f0e442", "#0072b2", "#d55e00", "#cc79a7"}
    assert set(colours[:7]) == okabe_ito and len(set(colours)) == 8


def test_badge_text_is_black_on_yellow_and_white_on_blue():
    from app.gui.image_grid_view import readable_on

    assert readable_on(QColor("#f0e442")) == QColor("#000000")
    assert readable_on(QColor("#0072b2")) == QColor("#ffffff")


def test_the_viewer_shows_the_label_large_and_its_chips_label(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, classes=("healthy", "irregular"))
    window = open_window(path)
    legend = window.viewer.legend
    chips = [action.text() for action in legend.chips.actions()]
    assert chips == ["1 healthy", "2 irregular", "0 no label"]
    assert "unlabelled" in legend.current.text()
    assert legend.current.font().pointSizeF() > window.viewer.info.font().pointSizeF() * 1.3
    first = window.grid.current_image_id()
    legend.chips.actions()[1].trigger()  # like key 2: labels the current image and moves on
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "irregular"}
    qtbot.waitUntil(lambda: window.grid.current_image_id() != first)
    assert "unlabelled" in legend.current.text()
    window.grid.select_row(0)
    qtbot.waitUntil(lambda: "irregular" in legend.current.text())
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    window.grid.select_row(0)
    qtbot.waitUntil(lambda: "healthy" in legend.current.text())


def test_a_new_band_choice_changes_the_thumbnails_too(qtbot, tmp_path, open_window):
    import numpy as np

    from app.core.importing.importer import import_paths
    from app.core.project.store import Project
    from app.gui.image_list_model import HasThumbnailRole
    from tests import synthetic

    path = make_project(tmp_path, images=0)
    data = np.zeros((40, 40, 5), dtype=np.uint16)
    data[:, :20, :] = 100  # bands 1–3: left half a little bright, right half dark
    data[:, 20:, 4] = 4000  # band 5: only the right half bright
    data[:, :, 4] += 1
    synthetic.write_tiff(tmp_path / "sat" / "s.tif", data, photometric="minisblack", planarconfig="contig")
    with Project.open(path) as project:
        import_paths(project, [tmp_path / "sat"])
    window = open_window(path)
    model = window.model
    qtbot.waitUntil(lambda: model.data(model.index(0), HasThumbnailRole))

    def red_on_the_right() -> float:
        image = model.data(model.index(0), Qt.ItemDataRole.DecorationRole).toImage()
        return QColor(image.pixel(image.width() * 3 // 4, image.height() // 2)).red()

    assert red_on_the_right() < 60
    qtbot.waitUntil(lambda: window.viewer.decoded is not None)
    window.viewer.band_boxes[0].setCurrentIndex(4)  # band 5 as red
    window.viewer.on_band_boxes_activated()
    qtbot.waitUntil(lambda: red_on_the_right() > 200, timeout=5000)


def test_a_read_only_window_offers_no_editing_control(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    first = open_window(path)
    qtbot.keyClick(first.grid, Qt.Key.Key_1)  # something to undo, in the first window's history
    second = open_window(path)
    assert second.project.read_only
    qtbot.waitUntil(lambda: second.training.panel is not None, timeout=5000)
    menus = {action.text(): action for menu in second.menuBar().findChildren(QMenu) for action in menu.actions()}
    assert not menus["&Import images…"].isEnabled() and not menus["&Find moved images…"].isEnabled()
    assert menus["&Open project…"].isEnabled()
    assert not second.labelling.undo_action.isEnabled() and not second.labelling.clear_action.isEnabled()
    assert not any(button.isEnabled() for button in second.class_panel.buttons.values())
    assert not second.viewer.legend.chips.isEnabled() and not second.acceptDrops()
    panel = second.training.panel
    qtbot.wait(100)
    assert not panel.train_button.isEnabled() and not panel.form.isEnabled() and "Read-only" in panel.status.text()
    assert panel.start() is False
    assert not second.training.history.activate_button.isEnabled()
    for control in (
        first.class_panel.buttons["add"],
        first.labelling.undo_action,
        first.training.history.activate_button,
    ):
        assert control.isEnabled()  # the writable window keeps them


def test_keys_for_show_train_and_runs(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    qtbot.waitUntil(lambda: window.training.panel is not None, timeout=5000)
    window.grid.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.workspaces.current_name == "train" and window.training.tabs.currentWidget() is window.training.history
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert window.workspaces.current_name == "train"
    window.grid.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.filter_bar.show_box.view().isVisible())
    window.filter_bar.show_box.hidePopup()
    from app.gui.shortcuts_help import SHORTCUTS

    assert any("Ctrl+L" in keys for keys, _ in SHORTCUTS) and any("Ctrl+T" in keys for keys, _ in SHORTCUTS)
