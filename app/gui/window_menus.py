"""The main window's menu bar (File, Edit, View, Help) and the Label next suggestions action beside
the filters: each entry a window action with its shortcuts, built in one place so the window
itself only wires (the keys are listed for users in `shortcuts_help.py`)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence

from app.gui.first_run import machine_action
from app.gui.label_review_panel import show_label_review
from app.gui.language_menu import LanguageMenu
from app.gui.shortcuts_help import ShortcutsDialog
from app.gui.source_controller import show_sources


def build_menus(window) -> None:
    file_menu = window.menuBar().addMenu(QCoreApplication.translate("Menus", "&File"))
    writable = not window.project.read_only
    for text, shortcut, handler, edits in (
        (QCoreApplication.translate("Menus", "&Import images…"), "Ctrl+I", window.on_import_triggered, True),
        (
            QCoreApplication.translate("Menus", "Import &slides or scenes…"),
            "Ctrl+Shift+I",
            lambda: window.source_import.ask(),
            True,
        ),
        (QCoreApplication.translate("Menus", "&Classify images…"), "Ctrl+Shift+K", window.on_classify_triggered, True),
        (
            QCoreApplication.translate("Menus", "&Find moved images…"),
            "Ctrl+Shift+F",
            window.file_check.ask_and_relink,
            True,
        ),
        (
            QCoreApplication.translate("Menus", "&Export…"),
            "Ctrl+E",
            lambda: window.on_export_triggered(),
            False,
        ),  # reads the project only
        (
            QCoreApplication.translate("Menus", "&Open project…"),
            QKeySequence.StandardKey.Open,
            window.on_open_triggered,
            False,
        ),
        (
            QCoreApplication.translate("Menus", "&Close project"),
            QKeySequence.StandardKey.Close,
            window.welcomeRequested.emit,
            False,
        ),
    ):
        action = QAction(text, window, shortcut=QKeySequence(shortcut), enabled=writable or not edits)
        action.triggered.connect(handler)
        file_menu.addAction(action)
    edit_menu = window.menuBar().addMenu(QCoreApplication.translate("Menus", "&Edit"))
    edit_menu.addActions([window.labelling.undo_action, window.labelling.redo_action, window.labelling.clear_action])
    find = QAction(QCoreApplication.translate("Menus", "&Find"), window, shortcut=QKeySequence.StandardKey.Find)
    find.triggered.connect(lambda: window.filter_bar.search.setFocus())
    edit_menu.addAction(find)
    back = QAction(
        QCoreApplication.translate("Menus", "Back to the grid"), window, shortcut=QKeySequence(Qt.Key.Key_Escape)
    )
    back.triggered.connect(window.on_back_triggered)
    edit_menu.addAction(back)
    view_menu = window.menuBar().addMenu(QCoreApplication.translate("Menus", "&View"))
    view_menu.addActions(list(window.workspaces.actions.values()))
    view_menu.addSeparator()
    for text, shortcuts, handler in (
        # Ctrl++ is Ctrl+Shift+= on most keyboards, which some platforms report with the
        # Shift and some without: every form, and the plain Ctrl+= too.
        (
            QCoreApplication.translate("Menus", "Larger tiles"),
            ("Ctrl+=", "Ctrl++", "Ctrl+Shift++", "Ctrl+Shift+="),
            lambda: window.grid.step_tile_size(1),
        ),
        (QCoreApplication.translate("Menus", "Smaller tiles"), ("Ctrl+-",), lambda: window.grid.step_tile_size(-1)),
        (QCoreApplication.translate("Menus", "Fit image"), ("Ctrl+0",), window.viewer.viewer.fit),
        (QCoreApplication.translate("Menus", "Actual pixels"), ("Ctrl+1",), window.viewer.viewer.actual_size),
        (QCoreApplication.translate("Menus", "Show…"), ("Ctrl+L",), window.on_show_list_triggered),
        (QCoreApplication.translate("Menus", "Train"), ("Ctrl+T",), lambda: window.show_training("train")),
        (QCoreApplication.translate("Menus", "Runs"), ("Ctrl+R",), lambda: window.show_training("runs")),
        (QCoreApplication.translate("Menus", "Results"), ("Ctrl+Shift+R",), lambda: window.results.show_batch()),
        (QCoreApplication.translate("Menus", "&Models…"), ("Ctrl+Shift+M",), lambda: window.show_models()),
        (QCoreApplication.translate("Menus", "Check labels…"), ("Ctrl+Shift+L",), lambda: show_label_review(window)),
        (QCoreApplication.translate("Menus", "Slides and scenes"), ("Ctrl+Shift+O",), lambda: show_sources(window)),
    ):
        action = QAction(text, window)
        action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        action.triggered.connect(handler)
        view_menu.addAction(action)
    # In view beside the filters too: the way in to suggestions, for whoever has not met N yet.
    suggest = QAction(
        QCoreApplication.translate("Menus", "Label next suggestions"),
        window,
        shortcut=QKeySequence("N"),
        toolTip=QCoreApplication.translate("Menus", "Show the images most worth labelling next, one after another (N)"),
    )
    suggest.triggered.connect(window.on_suggest_triggered)
    view_menu.addAction(suggest)
    window.filter_toolbar.addAction(suggest)
    view_menu.addSeparator()
    view_menu.addMenu(LanguageMenu(window, window.settings))
    shortcuts = QAction(QCoreApplication.translate("Menus", "&Keyboard shortcuts"), window)
    shortcuts.setShortcuts([QKeySequence(Qt.Key.Key_F1), QKeySequence("?")])
    shortcuts.triggered.connect(lambda: ShortcutsDialog(window).open())
    help_menu = window.menuBar().addMenu(QCoreApplication.translate("Menus", "&Help"))
    help_menu.addAction(shortcuts)
    help_menu.addAction(machine_action(window))
