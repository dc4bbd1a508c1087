"""Driving the real labelling window: keys, mouse selection, undo/redo, filters, classes, drops."""

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox, QTextEdit

from app.core.imaging import Window
from app.core.imaging.windowing import CT_PRESETS
from app.core.labelling.browse import ImageQuery
from app.core.labelling.classes import create_project, list_classes
from app.core.project.settings import BANDS, get_setting
from app.core.project.store import Project
from app.gui.image_list_model import PathRole
from app.gui.importing import RejectedFilesDialog
from tests import synthetic
from tests.gui.conftest import make_project, make_project_with_a_broken_file
from tests.sqlite_work import seed_label_actions, sqlite_work


def labels_in(path) -> dict[str, str]:
    with Project.open(path, read_only=True) as project:
        return dict(
            project.conn.execute(
                "SELECT i.path, c.name FROM labels l JOIN images i ON i.id = l.image_id JOIN classes c ON c.id = l.class_id"
            ).fetchall()
        )


def current_path(window) -> str:
    return window.model.path(window.grid.currentIndex().row())


def shown_paths(window) -> list[str]:
    return [window.model.path(row) for row in range(window.model.rowCount())]


def committed(qtbot, window) -> None:
    """Wait until every label, undo and redo asked for is committed: they are written in the
    window's write lane, a few ms after the key."""
    qtbot.waitUntil(lambda: window.labelling.idle)


def click_row(qtbot, window, row, modifier=Qt.KeyboardModifier.NoModifier):
    rect = window.grid.visualRect(window.model.index(row))
    qtbot.mouseClick(window.grid.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def test_class_key_labels_commits_and_advances(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    assert current_path(window) == "images/img00.png"
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat"}
    assert current_path(window) == "images/img01.png"  # moved on
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat", "images/img01.png": "dog"}
    qtbot.keyClick(window.grid, Qt.Key.Key_Left)  # back to img01 in the grid
    qtbot.keyClick(window.grid, Qt.Key.Key_0)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat"}
    assert window.model.data(window.model.index(0), Qt.ItemDataRole.ToolTipRole) == "images/img00.png"


def test_keys_typed_in_search_do_not_label(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    window.filter_bar.search.setFocus()
    qtbot.keyClicks(window.filter_bar.search, "1")
    assert labels_in(path) == {}


def test_batch_label_a_mouse_selection(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    click_row(qtbot, window, 0)
    click_row(qtbot, window, 2, Qt.KeyboardModifier.ShiftModifier)
    click_row(qtbot, window, 4, Qt.KeyboardModifier.ControlModifier)
    assert len(window.grid.selected_image_ids()) == 4
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    assert labels_in(path) == {f"images/img{i:02}.png": "dog" for i in (0, 1, 2, 4)}
    assert current_path(window) == "images/img05.png"
    qtbot.waitUntil(lambda: "4 / 6 labelled" in window.status.counts.text())


def test_undo_redo_with_keys(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    assert window.labelling.undo_action.text() == "Undo labelling 1 image as 'dog'"
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat"}
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    committed(qtbot, window)
    assert labels_in(path) == {}
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat"}
    qtbot.waitUntil(lambda: window.model.rows.class_ids[0] is not None)


def test_filters_and_search(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # img00 -> cat
    committed(qtbot, window)
    window.filter_bar.show_filter("unlabelled")
    qtbot.waitUntil(lambda: window.model.query.show == "unlabelled")
    assert window.model.rowCount() == 5 and current_path(window) == "images/img01.png"
    qtbot.keyClick(window.grid, Qt.Key.Key_2)  # labelled images leave the unlabelled view
    committed(qtbot, window)
    assert window.model.rowCount() == 4 and current_path(window) == "images/img02.png"
    cat = list_classes(window.project)[0]
    window.filter_bar.show_filter("class", cat.id)
    qtbot.waitUntil(lambda: window.model.query == ImageQuery(show="class", class_id=cat.id))
    assert shown_paths(window) == ["images/img00.png"]
    window.filter_bar.show_filter("all")
    qtbot.keyClicks(window.filter_bar.search, "img04")
    qtbot.waitUntil(lambda: shown_paths(window) == ["images/img04.png"])


def test_rejected_files_filter_lists_reasons(qtbot, tmp_path, open_window):
    path = make_project_with_a_broken_file(tmp_path)
    window = open_window(path)
    window.filter_bar.show_filter("rejected")
    qtbot.waitUntil(lambda: window.model.query.show == "rejected")
    assert shown_paths(window) == ["images/broken.png"]
    tooltip = window.model.data(window.model.index(0), Qt.ItemDataRole.ToolTipRole)
    assert "damaged or incomplete" in tooltip


def test_delete_class_then_undo(qtbot, tmp_path, open_window, monkeypatch):
    path = make_project(tmp_path)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    committed(qtbot, window)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.class_panel.list.setCurrentRow(0)
    window.class_panel.buttons["delete"].click()
    qtbot.waitUntil(lambda: labels_in(path) == {})  # class edits are written in the write lane too

    # The counts "(N)" arrive from a background query whenever they are ready: compare key and name.
    def shown() -> list[str]:
        return [window.class_panel.list.item(i).text().split("  (")[0] for i in range(window.class_panel.list.count())]

    qtbot.waitUntil(lambda: shown() == ["1  dog"])  # the list follows the session once the write is back
    assert window.session.class_for_shortcut("1").name == "dog"
    window.labelling.undo_action.trigger()
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat", "images/img01.png": "cat"}
    assert [c.name for c in window.session.classes] == ["cat", "dog"]
    qtbot.waitUntil(lambda: window.model.rows.class_ids[:2] == [window.session.classes[0].id] * 2)


def test_add_and_reorder_classes_moves_shortcuts(qtbot, tmp_path, open_window, monkeypatch):
    path = make_project(tmp_path)
    window = open_window(path)
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("bird", True))
    window.class_panel.buttons["add"].click()
    qtbot.waitUntil(lambda: [c.name for c in window.session.classes] == ["cat", "dog", "bird"])
    assert window.class_panel.list.currentItem().text().startswith("3  bird")
    window.class_panel.buttons["up"].click()
    qtbot.waitUntil(lambda: [c.name for c in window.session.classes] == ["cat", "bird", "dog"])
    window.grid.setFocus()
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "bird"}


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.dropEvent(event)


def test_drop_a_folder_imports_it_and_lists_rejected_files(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=0)
    window = open_window(path)
    folder = tmp_path / "dropped"
    for i in range(12):
        synthetic.save(synthetic.random_rgb(seed=100 + i), folder / "sub" / f"new{i:02}.jpg")
    (folder / "empty.jpg").write_bytes(b"")
    with qtbot.waitSignal(window.importer.finished, timeout=20000) as finished:
        drop(window, [folder])
    assert finished.args[0].added == 12
    qtbot.waitUntil(lambda: window.model.rowCount() == 12)
    dialogs = window.findChildren(RejectedFilesDialog)
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert dialogs[0].findChild(QTextEdit).toPlainText().endswith("empty.jpg: the file is empty")
    qtbot.waitUntil(
        lambda: (
            window.model.waiting_for_thumbnails() == 0
            and window.model.data(window.model.index(0), Qt.ItemDataRole.DecorationRole) is not None
        )
    )


def test_reopen_finds_every_label_and_can_undo(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1):
        qtbot.keyClick(window.grid, key)
    window.close()  # waits for the labels asked for to be committed
    again = open_window(path)
    names = {c.id: c.name for c in again.session.classes}
    assert [names.get(c) for c in again.model.rows.class_ids[:4]] == ["cat", "dog", "cat", None]
    assert again.labelling.undo_action.isEnabled()
    again.labelling.undo_action.trigger()
    committed(qtbot, again)
    assert labels_in(path) == {"images/img00.png": "cat", "images/img01.png": "dog"}


def test_second_window_on_the_same_project_is_read_only(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    first = open_window(path)
    second = open_window(path)
    assert not first.project.read_only and second.project.read_only
    assert "(read-only)" in second.windowTitle()
    messages = []
    second.labelling.message.connect(messages.append)
    second.grid.setFocus()
    qtbot.keyClick(second.grid, Qt.Key.Key_1)
    assert labels_in(path) == {} and "cannot change" in messages[-1]


def test_viewer_window_level_for_dicom(qtbot, tmp_path, open_window):
    from tests.core.test_imaging import ct_slice

    path = make_project(tmp_path, images=0)
    synthetic.write_dicom(tmp_path / "scan" / "ct.dcm", ct_slice(), slope=1, intercept=-1024, window=(40, 400))
    with Project.open(path) as project:
        from app.core.importing.importer import import_paths

        import_paths(project, [tmp_path / "scan"])
    window = open_window(path)
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.decoded is not None and viewer.viewer.has_image())
    assert viewer.window == Window(40, 400)  # the file's window
    assert viewer.presets.count() == 1 + len(CT_PRESETS)
    lung = viewer.presets.findText("Lung")
    viewer.presets.setCurrentIndex(lung)
    viewer.on_presets_activated(lung)
    qtbot.waitUntil(lambda: viewer.window is not None and viewer.window.centre == -600)
    before = viewer.window
    centre = viewer.viewer.viewport().rect().center()
    qtbot.mousePress(viewer.viewer.viewport(), Qt.MouseButton.RightButton, pos=centre)
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent

    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(centre + QPoint(40, -20)),
        QPointF(centre + QPoint(40, -20)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.RightButton,
        Qt.KeyboardModifier.NoModifier,
    )
    viewer.viewer.mouseMoveEvent(move)
    qtbot.mouseRelease(viewer.viewer.viewport(), Qt.MouseButton.RightButton, pos=centre)
    qtbot.waitUntil(lambda: viewer.window != before)
    assert viewer.window.width > before.width and viewer.window.centre > before.centre
    viewer.reset.click()
    qtbot.waitUntil(lambda: viewer.window == viewer.decoded.window)
    assert "W 400 / L 40" in viewer.info.full_text()


def test_viewer_band_choice_is_saved_in_the_project(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=0)
    data = np.random.default_rng(0).integers(0, 4000, (20, 30, 5), dtype=np.uint16)
    synthetic.write_tiff(tmp_path / "sat" / "s.tif", data, photometric="minisblack", planarconfig="contig")
    with Project.open(path) as project:
        from app.core.importing.importer import import_paths

        import_paths(project, [tmp_path / "sat"])
    window = open_window(path)
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.decoded is not None)
    assert all(box.count() == 5 for box in viewer.band_boxes)
    viewer.band_boxes[0].setCurrentIndex(4)
    viewer.on_band_boxes_activated()
    qtbot.waitUntil(lambda: get_setting(window.project, BANDS) == [4, 1, 2])  # written in the write lane
    qtbot.waitUntil(lambda: viewer.decoded is not None and viewer.decoded.bands_shown == (4, 1, 2))


def test_tile_size_persists(qtbot, tmp_path, open_window, settings):
    path = make_project(tmp_path)
    window = open_window(path)
    window.grid.step_tile_size(2)
    size = window.grid.tile_size
    window.close()
    assert open_window(path).grid.tile_size == size != 128


def test_dragging_across_tiles_selects_them(qtbot, tmp_path, open_window):
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    path = make_project(tmp_path)
    window = open_window(path)
    grid = window.grid
    begin = grid.visualRect(window.model.index(0)).topLeft() + QPoint(1, 1)
    end = grid.visualRect(window.model.index(2)).center()
    qtbot.mousePress(grid.viewport(), Qt.MouseButton.LeftButton, pos=begin)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(end),
        QPointF(grid.viewport().mapToGlobal(end)),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(grid.viewport(), move)
    qtbot.mouseRelease(grid.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert len(grid.selected_image_ids()) == 3
    qtbot.keyClick(grid, Qt.Key.Key_1)
    committed(qtbot, window)
    assert labels_in(path) == {f"images/img{i:02}.png": "cat" for i in range(3)}


def test_escape_clears_search_and_selection_and_returns_to_the_grid(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    click_row(qtbot, window, 0)
    click_row(qtbot, window, 2, Qt.KeyboardModifier.ControlModifier)
    assert len(window.grid.selectionModel().selectedIndexes()) == 2
    window.filter_bar.search.setFocus()
    qtbot.keyClicks(window.filter_bar.search, "img0")
    qtbot.keyClick(window.filter_bar.search, Qt.Key.Key_Escape)
    assert window.filter_bar.search.text() == ""
    assert len(window.grid.selectionModel().selectedIndexes()) <= 1  # only the current image
    qtbot.waitUntil(lambda: window.grid.hasFocus())
    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # the keys label again at once
    qtbot.waitUntil(lambda: len(labels_in(path)) == 1)


def test_f1_lists_the_keyboard_shortcuts(qtbot, tmp_path, open_window):
    from app.gui.shortcuts_help import SHORTCUTS, ShortcutsDialog

    window = open_window(make_project(tmp_path))
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.table.rowCount() == len(SHORTCUTS)
    assert any(dialog.table.item(row, 0).text() == "Escape" for row in range(len(SHORTCUTS)))
    dialog.close()


def test_undo_and_redo_show_the_image_they_changed(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # img00
    qtbot.keyClick(window.grid, Qt.Key.Key_2)  # img01
    committed(qtbot, window)
    ctrl_z, redo_keys = (
        Qt.KeyboardModifier.ControlModifier,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    for modifiers, changed in ((ctrl_z, "img01"), (ctrl_z, "img00"), (redo_keys, "img00"), (redo_keys, "img01")):
        window.grid.select_row(5)
        qtbot.keyClick(window.grid, Qt.Key.Key_Z, modifiers)
        committed(qtbot, window)
        qtbot.waitUntil(lambda: current_path(window) == f"images/{changed}.png")
        qtbot.waitUntil(lambda: window.viewer.image_id == window.grid.current_image_id())
    assert labels_in(path) == {"images/img00.png": "cat", "images/img01.png": "dog"}


def test_a_bulk_undo_asks_first_and_declining_changes_nothing(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=12)
    window = open_window(path)
    window.grid.selectAll()
    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # one action on 12 images
    committed(qtbot, window)
    everything = {f"images/img{i:02}.png": "cat" for i in range(12)}
    assert labels_in(path) == everything
    asked = []
    window.labelling.confirm = lambda question: asked.append(question) or False
    qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    committed(qtbot, window)
    assert len(asked) == 1 and "12 images" in asked[0] and "Undo labelling 12 images as 'cat'?" in asked[0]
    assert labels_in(path) == everything  # declined: nothing changed
    assert window.labelling.undo_action.text() == "Undo labelling 12 images as 'cat'"
    window.labelling.confirm = lambda question: asked.append(question) or True
    window.labelling.undo_action.trigger()
    committed(qtbot, window)
    assert labels_in(path) == {} and len(asked) == 2
    window.labelling.redo_action.trigger()  # a bulk redo asks too
    committed(qtbot, window)
    assert labels_in(path) == everything and len(asked) == 3 and asked[2].startswith("Redo")


def test_a_small_undo_does_not_ask(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    window.labelling.confirm = lambda question: pytest.fail(f"asked {question!r}")
    window.labelling.undo_action.trigger()
    committed(qtbot, window)
    assert labels_in(window.project.file) == {}


def test_a_label_and_an_undo_read_the_log_no_further_than_their_own_action(qtbot, tmp_path, open_window):
    """With 30,000 actions in the log, a label and an undo (the menu texts included) do as little
    SQLite work on the GUI thread as with none: before, each replayed the whole log (~450,000
    steps there). Their writes and commits (fsyncs) run in the write lane."""
    path = make_project(tmp_path)
    with Project.open(path) as project:
        seed_label_actions(project.conn, 30_000)
    window = open_window(path)
    with sqlite_work(window.project.conn) as work:
        qtbot.keyClick(window.grid, Qt.Key.Key_1)
        committed(qtbot, window)
        assert window.labelling.undo_action.text() == "Undo labelling 1 image as 'cat'"
        window.labelling.undo_action.trigger()
        committed(qtbot, window)
        assert window.labelling.redo_action.text() == "Redo labelling 1 image as 'cat'"
    assert labels_in(path) == {}
    assert work.steps < 5_000, f"{work.steps} SQLite steps on the GUI thread for a label and an undo"
    writes = [s for s in work.statements if s.split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "COMMIT")]
    assert writes == [], "a label or an undo was written on the GUI thread"


def project_of_rows(folder, count: int):
    """A project with `count` image rows (files that need not exist): grid-sized, made in ms."""
    path = folder / "rows.loupe"
    with create_project(path, classes=("cat",)) as project:
        project.conn.executemany(
            "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
            " VALUES (?, ?, 1, 'png', 4, 4, 8, 3, 'rgb')",
            [(f"rows/img{i:05}.png", f"sha{i}") for i in range(count)],
        )
        project.conn.commit()
    return path


def test_painting_the_grid_runs_no_sql_on_the_gui_thread(qtbot, tmp_path, open_window):
    """Paths of rows scrolled to arrive from a job; before, `data()` fetched them during paint."""
    window = open_window(project_of_rows(tmp_path, 3000))
    model, grid = window.model, window.grid
    assert model.data(model.index(0)) == "img00000.png"  # the first screen came with the query
    with sqlite_work(window.project.conn) as work:
        grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
        grid.viewport().repaint()
        last = model.index(model.rowCount() - 1)
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, PathRole):
            model.data(last, role)
    assert work.statements == []
    qtbot.waitUntil(lambda: model.data(last) == "img02999.png")
    assert model.data(last, PathRole) == "rows/img02999.png"


def test_the_undo_history_is_read_off_the_gui_thread_as_the_window_opens(qtbot, tmp_path, open_window, monkeypatch):
    import threading

    from app.core.labelling.labels import UndoHistory

    readers = []
    read = UndoHistory.read.__func__
    monkeypatch.setattr(
        UndoHistory,
        "read",
        classmethod(lambda cls, conn: readers.append(threading.current_thread().name) or read(cls, conn)),
    )
    window = open_window(make_project(tmp_path))
    assert readers and all(name.startswith("loupe-job") for name in readers), readers
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    committed(qtbot, window)
    assert window.labelling.undo_action.text() == "Undo labelling 1 image as 'cat'"


def test_undoing_labels_from_folder_names_asks_and_says_how_many(qtbot, tmp_path, open_window):
    from app.core.importing.importer import ImportOptions, import_paths

    path = make_project(tmp_path, images=0)
    for i in range(14):
        synthetic.save(
            synthetic.random_rgb(32, 24, seed=i), tmp_path / "sorted" / ("cat" if i % 2 else "dog") / f"{i:02}.png"
        )
    with Project.open(path) as project:
        import_paths(project, [tmp_path / "sorted"], ImportOptions(labels_from_folders=True))
    window = open_window(path)
    assert window.labelling.undo_action.text() == "Undo labels from folder names"
    asked = []
    window.labelling.confirm = lambda question: asked.append(question) or False
    window.labelling.undo_action.trigger()
    committed(qtbot, window)
    assert len(asked) == 1 and "14 images" in asked[0]
    assert len(labels_in(path)) == 14


def test_rows_leaving_a_filter_keep_every_image_findable(qtbot, tmp_path, open_window):
    """The grid's image -> row index follows rows as labelled images leave 'unlabelled' (it is
    no longer rebuilt on the GUI thread at each label)."""
    window = open_window(project_of_rows(tmp_path, 40))
    window.filter_bar.show_filter("unlabelled")
    qtbot.waitUntil(lambda: window.model.query.show == "unlabelled")
    model = window.model
    for row in (30, 3, 17, 0):
        window.grid.select_row(row)
        qtbot.keyClick(window.grid, Qt.Key.Key_1)
        committed(qtbot, window)
    assert model.rowCount() == 36
    assert all(model.row_of(model.image_id(row)) == row for row in range(model.rowCount()))
    assert [model.path(row) for row in range(3)] == ["rows/img00001.png", "rows/img00002.png", "rows/img00004.png"]


def test_an_undo_queries_the_grid_again_only_where_labels_decide_the_rows(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    committed(qtbot, window)
    with qtbot.assertNotEmitted(window.rowsLoaded, wait=300):  # 'all': the tile is all that changes
        window.labelling.undo_action.trigger()
        committed(qtbot, window)
    assert current_path(window) == "images/img00.png" and window.model.rows.class_ids[0] is None
    window.labelling.redo_action.trigger()
    committed(qtbot, window)
    window.filter_bar.show_filter("unlabelled")
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    with qtbot.waitSignal(window.rowsLoaded):  # the undone image comes back into 'unlabelled'
        window.labelling.undo_action.trigger()
    assert window.model.rowCount() == 6 and current_path(window) == "images/img00.png"


def test_after_an_undo_in_a_filtered_grid_the_next_key_labels_one_image(qtbot, tmp_path, open_window):
    """The undone image comes back into 'unlabelled' as the only one selected: the next key
    labels it alone, not it and the image that was current before the undo."""
    path = make_project(tmp_path)
    window = open_window(path)
    window.filter_bar.show_filter("unlabelled")
    qtbot.waitUntil(lambda: window.model.rowCount() == 6 and window.rows_loaded)
    for key in (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_1):  # each labels one image and moves on
        qtbot.keyClick(window.grid, key)
        committed(qtbot, window)
    assert current_path(window) == "images/img03.png"
    with qtbot.waitSignal(window.rowsLoaded):  # the last label taken back: img02 is unlabelled again
        qtbot.keyClick(window.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    committed(qtbot, window)
    qtbot.waitUntil(lambda: window.model.rowCount() == 4)
    qtbot.wait(300)  # everything the undo set going has ended
    assert current_path(window) == "images/img02.png"
    assert window.grid.selected_image_ids() == [window.grid.current_image_id()]
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    assert labels_in(path) == {"images/img00.png": "cat", "images/img01.png": "dog", "images/img02.png": "dog"}


def test_a_label_commits_while_a_class_dialog_is_open(qtbot, tmp_path, open_window, monkeypatch):
    """A modal dialog runs a nested event loop: opened inside a coroutine it would leave every
    other task that wakes meanwhile stuck (here, the label's commit)."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QInputDialog

    path = make_project(tmp_path)
    window = open_window(path)
    changed = []
    window.session.labelsChanged.connect(changed.append)

    def typing_a_name(*args, **kwargs):
        window.session.label([window.model.rows.image_ids[0]], window.session.classes[0].id)
        nested = QEventLoop()
        QTimer.singleShot(400, nested.quit)
        nested.exec()  # as the dialog's own loop does while the user types
        return "bird", True

    monkeypatch.setattr(QInputDialog, "getText", typing_a_name)
    window.class_panel.buttons["add"].click()
    qtbot.waitUntil(lambda: [c.name for c in window.session.classes][-1:] == ["bird"])
    committed(qtbot, window)
    assert len(changed) == 1 and labels_in(path) == {"images/img00.png": "cat"}
