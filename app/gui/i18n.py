"""The interface's language: which translation the app loads at start, and the one door for text
that comes from `app/core`.

The window's own words go through Qt's translation system where they are written (`self.tr` in
a QObject, `QCoreApplication.translate("Context", …)` elsewhere), so `pyside6-lupdate` finds them;
`resources/translations/update.py` writes the `.ts` sources and compiles the `.qm` files loaded
here. Words the core owns (a config field's label and help, a method's or preset's description)
are shared with the command line, which stays English, so the core keeps them in English and
the window translates them where it shows them, through `core_text`; the update script collects
them from the core's catalogues into the "core" context.

The choice is read once at start: a language changed in the menu applies from the next start
(retranslating every open widget in place would mean rebuilding each one's text by hand).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.core.hub.cache import bytes_text
from app.core.resource_files import resource_dir

#: The languages the interface speaks: the setting's value → the language's own name for
#: itself (a user who cannot read the current language still finds theirs). "" follows the system.
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}

#: The context the core's catalogue strings are translated in (see `core_text`).
CORE_CONTEXT = "core"


def translations_dir():
    return resource_dir() / "translations"


def chosen_locale(language: str) -> QLocale:
    """The locale for a setting's value: a known language, else the system's."""
    return QLocale(language) if language in LANGUAGES else QLocale.system()


def interface_language(locale: QLocale) -> str:
    """Which of LANGUAGES a locale gets: Chinese for any Chinese locale (the translation is
    Simplified Chinese, still closer for a zh_TW reader than English), English otherwise."""
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def install_translation(app: QCoreApplication, language: str = "") -> str:
    """Load Loupe's and Qt's own translation (standard buttons, file dialogs) for `language`
    ("" = the system's) into `app`; returns the interface language now in use."""
    uninstall_translation(app)
    name = interface_language(chosen_locale(language))
    translators = []
    for base, folder in (
        (f"qtbase_{name}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
        (f"loupe_{name}", str(translations_dir())),
    ):
        translator = QTranslator(app)
        if translator.load(base, folder):
            app.installTranslator(translator)
            translators.append(translator)
    app._loupe_translators = translators
    QLocale.setDefault(QLocale(name))
    return name


def size_text(count: int) -> str:
    """A size in the interface's language: the core's `bytes_text` ("88 MB", "1.2 GB"), whose
    only words are "byte" and "bytes" (kB, MB and GB read the same in both languages)."""
    if count == 1:
        return QCoreApplication.translate("Sizes", "1 byte")
    if count < 1000:
        return QCoreApplication.translate("Sizes", "{count} bytes").format(count=f"{count:,}")
    return bytes_text(count)


def uninstall_translation(app: QCoreApplication) -> None:
    """Back to the source language (English), for a test that looked at another."""
    for old in getattr(app, "_loupe_translators", []):
        app.removeTranslator(old)
    app._loupe_translators = []


def core_text(text: str) -> str:
    """A string from `app/core` (a field label, a method's description) in the interface's
    language; unchanged where it has no translation."""
    return QCoreApplication.translate(CORE_CONTEXT, text) if text else text
