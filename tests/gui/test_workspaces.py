"""The three workspaces at 1280×800: Alt+1/2/3 switch them, the one viewer follows, each fits the
screen and gives its task the room the issue asks for (six settings of the Train form above the
fold, the live curves over 200 px tall, a grid without a column's worth of slack), and each
remembers how its splitters were left."""

import pytest
from PySide6.QtCore import Qt

from app.gui.image_grid_view import TILE_SIZES
from app.gui.main_window import MainWindow
from app.gui.workspaces import WORKSPACES
from tests.gui.conftest import make_project

SCREEN = (1280, 800)


def at_1280x800(qtbot, window) -> None:
    window.resize(*SCREEN)
    qtbot.waitUntil(lambda: window.size().width() == SCREEN[0] and window.size().height() == SCREEN[1])


def built(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.training.panel is not None and window.results.panel is not None, timeout=10000)


def switch(qtbot, window, key: str) -> None:
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{key}"), Qt.KeyboardModifier.AltModifier)


def test_alt_keys_switch_the_workspaces_and_the_one_viewer_follows(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    built(qtbot, window)
    assert window.workspaces.current_name == "label" and window.central.indexOf(window.viewer) == 2
    switch(qtbot, window, "2")
    assert window.workspaces.current_name == "train" and window.training.isVisible()
    assert not window.filter_toolbar.isVisible()  # nothing to filter on Train
    switch(qtbot, window, "3")
    assert window.workspaces.current_name == "review" and window.results.splitter.indexOf(window.viewer) == 1
    assert window.viewer.isVisible() and window.central.indexOf(window.viewer) < 0
    # No result opened yet: the viewer says how to open one, not the grid's image.
    assert window.viewer.image_id is None and not window.viewer.viewer.has_image()
    switch(qtbot, window, "1")
    assert window.workspaces.current_name == "label" and window.central.indexOf(window.viewer) == 2
    assert window.filter_toolbar.isVisible() and window.grid.isVisible() and window.viewer.isVisible()
    qtbot.waitUntil(lambda: window.viewer.image_id == window.grid.current_image_id())
    # The tabs say which workspace is shown, and clicking one shows it.
    assert [window.workspaces.tabs.tabText(i) for i in range(3)] == [w.title for w in WORKSPACES]
    window.workspaces.tabs.setCurrentIndex(1)
    assert window.workspaces.current_name == "train"


@pytest.mark.parametrize("read_only", [False, True])
def test_every_workspace_fits_a_1280x800_screen(qtbot, tmp_path, open_window, read_only):
    path = make_project(tmp_path)
    window = open_window(path)
    if read_only:  # a second window on a project open in another is read-only (and says why)
        window = open_window(path)
    assert window.project.read_only == read_only
    built(qtbot, window)
    at_1280x800(qtbot, window)
    for workspace in WORKSPACES:
        window.workspaces.show_workspace(workspace.name)
        qtbot.wait(20)
        hint = window.minimumSizeHint()
        assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], (workspace.name, hint)
        assert window.width() == SCREEN[0], workspace.name  # nothing pushed it wider


def test_the_train_workspace_shows_six_settings_and_tall_curves(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    built(qtbot, window)
    at_1280x800(qtbot, window)
    window.show_training("train")
    panel = window.training.panel
    viewport = panel.scroller.viewport()

    def in_view() -> list[str]:
        return [
            name
            for name, editor in panel.form.editors.items()
            if editor.widget.isVisible()
            and viewport.rect().contains(editor.widget.mapTo(viewport, editor.widget.rect().bottomRight()))
            and editor.widget.mapTo(viewport, editor.widget.rect().topLeft()).y() >= 0
        ]

    qtbot.waitUntil(lambda: len(in_view()) >= 6, timeout=3000)
    assert panel.train_button.isVisible() and panel.plot_area.isVisible()
    assert panel.plot_area.height() >= 240 and panel.plot_area.width() >= 600


def test_the_grid_fills_its_width_at_every_tile_size(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path, images=30))
    at_1280x800(qtbot, window)
    grid = window.grid
    for size in TILE_SIZES:
        grid.set_tile_size(size)
        qtbot.waitUntil(lambda: grid.visualRect(grid.model().index(0)).width() >= size)
        rects = [grid.visualRect(grid.model().index(row)) for row in range(grid.model().rowCount())]
        first_row = [r for r in rects if r.top() == rects[0].top()]
        slack = grid.viewport().width() - (max(r.right() for r in first_row) + 1)
        assert 0 <= slack <= size // 2, (size, slack)
        assert all(r.width() >= size for r in rects)  # never smaller than the size chosen
    grid.set_tile_size(128)


def test_larger_tiles_with_ctrl_plus_as_well_as_ctrl_equals(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    grid = window.grid
    grid.set_tile_size(96)
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert grid.tile_size == 128
    qtbot.keyClick(window, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert grid.tile_size == 160
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert grid.tile_size == 192
    qtbot.keyClick(window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert grid.tile_size == 160


def test_each_workspace_remembers_its_splitters(qtbot, tmp_path, settings):
    path = make_project(tmp_path)
    window = MainWindow(path, settings)
    qtbot.addWidget(window)
    window.show()
    at_1280x800(qtbot, window)
    qtbot.waitUntil(lambda: window.rows_loaded)
    built(qtbot, window)
    window.central.setSizes([250, 600, 400])
    label_sizes = window.central.sizes()
    window.show_training("train")
    window.training.splitters["columns"].setSizes([500, 760])
    window.workspaces.show_workspace("review")
    window.results.splitter.setSizes([900, 360])
    wanted = {
        "label": label_sizes,
        "train": window.training.splitters["columns"].sizes(),
        "review": window.results.splitter.sizes(),
    }
    window.workspaces.show_workspace("label")  # the viewer comes back at its width
    assert window.central.sizes() == wanted["label"]
    window.workspaces.show_workspace("review")
    assert window.results.splitter.sizes() == wanted["review"]
    window.close()

    again = MainWindow(path, settings)
    qtbot.addWidget(again)
    again.resize(*SCREEN)  # the geometry restored is clamped to the offscreen test screen (800×600)
    again.show()
    qtbot.waitUntil(lambda: again.rows_loaded)
    built(qtbot, again)
    assert again.workspaces.current_name == "label" and again.central.sizes() == wanted["label"]
    again.show_training("train")
    assert again.training.splitters["columns"].sizes() == wanted["train"]
    again.workspaces.show_workspace("review")
    assert again.results.splitter.sizes() == wanted["review"]
    again.close()


def test_every_dialog_fits_the_screen_with_its_buttons_in_view(qtbot, tmp_path, open_window):
    from PySide6.QtWidgets import QDialogButtonBox, QPushButton

    from app.core.importing.importer import ImportReport
    from app.gui.drop_choice import DropChoiceDialog
    from app.gui.export_dialog import ExportDialog, export_choices
    from app.gui.importing import RejectedFilesDialog
    from app.gui.report_card import ReportWindow
    from app.gui.shortcuts_help import ShortcutsDialog

    window = open_window(make_project(tmp_path))
    at_1280x800(qtbot, window)
    room = window.screen().availableGeometry()
    many = ImportReport(
        added=3, rejected=[{"path": f"/data/scan-{i}.dcm", "reason": "not an image"} for i in range(500)]
    )
    dialogs = [
        ShortcutsDialog(window),
        ReportWindow("run 1", window),
        RejectedFilesDialog(many, window),
        DropChoiceDialog([str(tmp_path / "incoming")], "run 1 · Linear probe · 90.0 %", window),
        ExportDialog(export_choices(window.project, None), window),
    ]
    for dialog in dialogs:
        dialog.show()
        qtbot.waitExposed(dialog)
        limit = (min(SCREEN[0], room.width()), min(SCREEN[1], room.height()))
        assert dialog.width() <= limit[0] and dialog.height() <= limit[1], (type(dialog).__name__, dialog.size())
        buttons = dialog.findChildren(QDialogButtonBox) or dialog.findChildren(QPushButton)
        assert buttons, type(dialog).__name__
        for button in buttons:
            corner = button.mapTo(dialog, button.rect().bottomRight())
            assert dialog.rect().contains(corner), (type(dialog).__name__, corner, dialog.size())
        dialog.close()


def test_whether_a_result_was_accepted_is_in_view_beside_the_viewer(qtbot, tmp_path, open_window):
    """At 1280×800 the Review workspace's table is about half the window: the Label column
    ("✓ Accepted as …") comes before the wide Top 3, so it is in view without scrolling."""
    from app.gui.batch_results_model import COLUMNS

    window = open_window(make_project(tmp_path))
    built(qtbot, window)
    at_1280x800(qtbot, window)
    window.workspaces.show_workspace("review")
    table = window.results_panel.table
    qtbot.waitUntil(table.isVisible)
    label = [c.title for c in COLUMNS].index("Label")
    header = table.horizontalHeader()
    assert header.sectionViewportPosition(label) + header.sectionSize(label) <= table.viewport().width()
