"""The viewer and the tiles as the expert sees them all day: no flashing, no jumping, plain badges."""

from PySide6.QtCore import Qt

from tests.gui.conftest import make_project


def test_an_undo_neither_blanks_nor_reloads_the_viewer(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # img00 labelled, img01 current
    window.grid.select_row(0)
    qtbot.waitUntil(lambda: window.viewer.image_id == window.grid.current_image_id() and window.viewer.decoded is not None)
    announced = []
    window.grid.currentImageChanged.connect(announced.append)
    with qtbot.waitSignal(window.model.modelReset, timeout=5000):  # the undo re-queries the grid
        qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.wait(100)
    assert announced == []  # before: [None, id] — the viewer went black, then decoded the image again
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
