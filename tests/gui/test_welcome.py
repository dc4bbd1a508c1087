"""The welcome view: the work in three steps, the sample project first."""

from PySide6.QtWidgets import QLabel, QPushButton

from app.gui.welcome import WelcomeView


def test_the_welcome_view_shows_three_steps_and_the_sample_first(qtbot, settings):
    view = WelcomeView(settings)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    headings = [label.text() for label in view.findChildren(QLabel) if label.text().startswith("<b>")]
    assert headings == ["<b>1  Label</b>", "<b>2  Train</b>", "<b>3  Use</b>"]
    buttons = sorted(
        (b for b in view.findChildren(QPushButton) if b.isVisible()),
        key=lambda b: b.mapTo(view, b.rect().topLeft()).y(),
    )
    assert buttons[0] is view.sample_button and view.sample_button.isDefault()
    assert view.sample_button.height() > view.new_button.height()
    view.close()


def test_reopening_the_open_project_keeps_it_writable(qtbot, tmp_path, settings):
    from app.gui.app import LoupeApp
    from tests.gui.conftest import make_project

    path = make_project(tmp_path)
    app = LoupeApp(settings)
    window = app.open_project(str(path), interactive=False)
    qtbot.addWidget(window)
    again = app.open_project(str(path.with_suffix("")), interactive=False)  # "gui" and "gui.loupe" are one project
    assert again is window and app.window is window
    assert not window.project.read_only and window.isVisible()
    window.close()


def test_the_splash_text_can_be_read_on_its_picture(qapp):
    from app.gui.app import SPLASH_TEXT, _splash_picture

    background = _splash_picture().toImage().pixelColor(5, 150)
    assert abs(SPLASH_TEXT.lightness() - background.lightness()) > 120


def test_the_shortcuts_list_shows_every_row_without_scrolling(qtbot):
    from app.gui.shortcuts_help import SHORTCUTS, ShortcutsDialog

    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    table = dialog.table
    last = table.visualItemRect(table.item(len(SHORTCUTS) - 1, 1))
    assert table.viewport().rect().contains(last) and not table.verticalScrollBar().isVisible()


def test_the_app_has_its_icon(qapp):
    from app.gui.app import app_icon

    icon = app_icon()
    assert not icon.isNull() and icon.pixmap(64, 64).toImage().width() == 64
