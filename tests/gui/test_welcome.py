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
    buttons = sorted((b for b in view.findChildren(QPushButton) if b.isVisible()), key=lambda b: b.mapTo(view, b.rect().topLeft()).y())
    assert buttons[0] is view.sample_button and view.sample_button.isDefault()
    assert view.sample_button.height() > view.new_button.height()
    view.close()
