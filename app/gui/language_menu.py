"""View ▸ Language: the interface language (the system's, English or 简体中文), saved in the
settings and applied from the next start (see app/gui/i18n.py for why not at once)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from app.gui.app_settings import AppSettings
from app.gui.i18n import LANGUAGES, chosen_locale, interface_language


class LanguageMenu(QMenu):
    def __init__(self, parent: QWidget, settings: AppSettings):
        super().__init__(self.tr("&Language"), parent)
        self.setObjectName("languageMenu")
        self.settings = settings
        group = QActionGroup(self)
        current = settings.language()
        choices = [("", self.tr("System default"))] + list(LANGUAGES.items())
        for value, name in choices:
            action = QAction(name, self, checkable=True, checked=value == current)
            action.setData(value)
            action.triggered.connect(lambda _=False, v=value: self.choose(v))
            group.addAction(action)
            self.addAction(action)

    def choose(self, language: str) -> None:
        if language == self.settings.language():
            return
        self.settings.set_language(language)
        name = LANGUAGES[interface_language(chosen_locale(language))]  # the system's, by name
        note = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("Language"),
            self.tr("Loupe will speak {language} from the next time it starts.").format(language=name),
            parent=self.parentWidget(),
        )
        note.setObjectName("languageNote")
        note.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        note.open()
