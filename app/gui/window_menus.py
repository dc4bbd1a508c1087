"""The main window's menu bar (File, Edit, View, Help) and the Label next suggestions action beside
the filters: each entry a window action with its shortcuts, built in one place so the window
itself only wires (the keys are listed for users in `shortcuts_help.py`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from app.gui.label_review_panel import show_label_review
from app.gui.shortcuts_help import ShortcutsDialog
from app.gui.source_controller import show_sources


def build_menus(window) -> None:
    file_menu = window.menuBar().addMenu("&File")
    writable = not window.project.read_only
    for text, shortcut, handler, edits in (
        ("&Import images…", "Ctrl+I", window.on_import_triggered, True),
        ("Import &slides or scenes…", "Ctrl+Shift+I", lambda: window.source_import.ask(), True),
        ("&Classify images…", "Ctrl+Shift+K", window.on_classify_triggered, True),
        ("&Find moved images…", "Ctrl+Shift+F", window.file_check.ask_and_relink, True),
        ("&Export…", "Ctrl+E", lambda: window.on_export_triggered(), False),  # reads the project only
        ("&Open project…", QKeySequence.StandardKey.Open, window.on_open_triggered, False),
        ("&Close project", QKeySequence.StandardKey.Close, window.welcomeRequested.emit, False),
    ):
        action = QAction(text, window, shortcut=QKeySequence(shortcut), enabled=writable or not edits)
        action.triggered.connect(handler)
        file_menu.addAction(action)
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addActions([window.labelling.undo_action, window.labelling.redo_action, window.labelling.clear_action])
    find = QAction("&Find", window, shortcut=QKeySequence.StandardKey.Find)
    find.triggered.connect(lambda: window.filter_bar.search.setFocus())
    edit_menu.addAction(find)
    back = QAction("Back to the grid", window, shortcut=QKeySequence(Qt.Key.Key_Escape))
    back.triggered.connect(window.on_back_triggered)
    edit_menu.addAction(back)
    view_menu = window.menuBar().addMenu("&View")
    view_menu.addActions(list(window.workspaces.actions.values()))
    view_menu.addSeparator()
    for text, shortcuts, handler in (
        # Ctrl++ is Ctrl+Shift+= on most keyboards, which some platforms report with the
        # Shift and some without: every form, and the plain Ctrl+= too.
        ("Larger tiles", ("Ctrl+=", "Ctrl++", "Ctrl+Shift++", "Ctrl+Shift+="), lambda: window.grid.step_tile_size(1)),
        ("Smaller tiles", ("Ctrl+-",), lambda: window.grid.step_tile_size(-1)),
        ("Fit image", ("Ctrl+0",), window.viewer.viewer.fit),
        ("Actual pixels", ("Ctrl+1",), window.viewer.viewer.actual_size),
        ("Show…", ("Ctrl+L",), window.on_show_list_triggered),
        ("Train", ("Ctrl+T",), lambda: window.show_training("train")),
        ("Runs", ("Ctrl+R",), lambda: window.show_training("runs")),
        ("Results", ("Ctrl+Shift+R",), lambda: window.results.show_batch()),
        ("&Models…", ("Ctrl+Shift+M",), lambda: window.show_models()),
        ("Check labels…", ("Ctrl+Shift+L",), lambda: show_label_review(window)),
        ("Slides and scenes", ("Ctrl+Shift+O",), lambda: show_sources(window)),
    ):
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        action.triggered.connect(handler)
        view_menu.addAction(action)
    # In view beside the filters too: the way in to suggestions, for whoever has not met N yet.
    suggest = QAction(
        "Label next suggestions",
        window,
        shortcut=QKeySequence("N"),
        toolTip="Show the images most worth labelling next, one after another (N)",
    )
    suggest.triggered.connect(window.on_suggest_triggered)
    view_menu.addAction(suggest)
    window.filter_toolbar.addAction(suggest)
    shortcuts = QAction("&Keyboard shortcuts", window)
    shortcuts.setShortcuts([QKeySequence(Qt.Key.Key_F1), QKeySequence("?")])
    shortcuts.triggered.connect(lambda: ShortcutsDialog(window).open())
    window.menuBar().addMenu("&Help").addAction(shortcuts)
