"""Two languages: every word of the window goes through Qt's translation system, the Chinese
translation is complete and current, and the window in Chinese shows Chinese with nothing
clipped at 1280×800."""

import re
import subprocess
import sys

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QMenu,
    QPushButton,
    QRadioButton,
    QTabBar,
    QToolButton,
)

from app.gui.elided_label import ElidedLabel
from app.gui.i18n import install_translation, interface_language, uninstall_translation
from tests.gui.untranslated import ROOT, gui_modules, untranslated

TRANSLATIONS = ROOT / "resources" / "translations"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
TAG = re.compile(r"</?[a-zA-Z][^<>]*>")


def read_ts(language):
    sys.path.insert(0, str(TRANSLATIONS))
    from update import read_ts

    return read_ts(TRANSLATIONS / f"loupe_{language}.ts")


def test_every_user_visible_string_in_the_window_is_translatable():
    found = [finding for path in gui_modules() for finding in untranslated(path)]
    assert found == [], "wrap these in self.tr / QCoreApplication.translate:\n" + "\n".join(found)


def test_the_checker_finds_unwrapped_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def build(self, n):\n"
        "    self.button = QPushButton('Train')\n"
        "    self.label.setText(f'{n} images left')\n"
        "    self.other.setText(self.tr('Fine'))\n"
        "    self.setObjectName('trainButton')\n"
        "    self.statusChanged.emit('Saved the labels')\n"
        "    self.opacity = QLabel('Opacity:')\n"
        "    name = names.get(key, 'no class')\n"
        "    self.settings.value('grid/tileSize', 96)\n"
        "    self.state.setText('unknown')\n"
        "    self.combo.addItem('Linear probe', 'linear')\n"
        "    raise LoupeError('no run yet')\n"
        "    raise ValueError('a bug, for the log')\n"
    )
    found = [line.split(": ", 1)[1] for line in _untranslated_anywhere(sample)]
    assert found == [
        "'Train'",
        "'f-string: images left'",
        "'Saved the labels'",
        "'Opacity:'",
        "'no class'",
        "'unknown'",
        "'Linear probe'",
        "'no run yet'",
    ]


def _untranslated_anywhere(path):
    import ast

    from tests.gui import untranslated as checker

    finder = checker._Finder()
    finder.visit(ast.parse(path.read_text()))
    return [f"{path.name}:{line}: {text!r}" for line, text in sorted(finder.found)]


def test_the_translation_files_are_current_with_the_code():
    result = subprocess.run(
        [sys.executable, str(TRANSLATIONS / "update.py"), "--check"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_message_has_a_chinese_translation_that_keeps_its_placeholders():
    messages = read_ts("zh_CN")
    assert len(messages) > 500
    missing = [f"{context}: {source!r}" for (context, source), text in messages.items() if not text]
    assert missing == []
    for (context, source), text in messages.items():
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(source)), (context, source, text)
        assert sorted(TAG.findall(text)) == sorted(TAG.findall(source)), (context, source, text)
        mnemonic = re.search(r"&(?!amp;)(\w)", source)
        if mnemonic:
            assert f"&{mnemonic.group(1)}".lower() in text.lower(), (context, source, text)


def test_the_english_file_lists_the_same_messages():
    assert set(read_ts("en")) == set(read_ts("zh_CN"))


@pytest.mark.parametrize(
    ("locale", "language"), [("zh_CN", "zh_CN"), ("zh_TW", "zh_CN"), ("en_GB", "en"), ("de_DE", "en")]
)
def test_the_system_locale_picks_the_interface_language(locale, language):
    assert interface_language(QLocale(locale)) == language


@pytest.fixture
def speaking(qapp):
    """The app in one language for one test, English again after it."""
    default = QLocale()

    def speak(language):
        assert install_translation(qapp, language) == language

    yield speak
    uninstall_translation(qapp)
    QLocale.setDefault(default)


def clipped(window):
    """Text the window cuts off: a label or button narrower (where its parents let it be seen)
    than its text asks, a word-wrapped label shorter than its lines, a tab narrower than its
    title or outside its bar. Elided labels shorten on purpose and are left out."""
    found = []
    for widget in text_widgets(window):
        if not widget.isVisible() or isinstance(widget, ElidedLabel) or not widget.text():
            continue
        seen = widget.visibleRegion().boundingRect()
        if seen.isEmpty():
            continue  # scrolled out of view
        name = f"{type(widget).__name__} {widget.objectName()!r} {widget.text()[:60]!r}"
        if isinstance(widget, QLabel) and widget.wordWrap():
            needed = widget.heightForWidth(widget.width())
            if needed > 0 and widget.height() + 2 < needed:
                found.append(f"{name}: {widget.height()} px tall, its lines need {needed}")
        elif "<" not in widget.text() and seen.width() + 2 < widget.sizeHint().width():
            found.append(f"{name}: {seen.width()} px seen, its text needs {widget.sizeHint().width()}")
    for bar in window.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for i in range(bar.count()):
            title = bar.tabText(i).replace("&", "")
            rect = bar.tabRect(i)
            if rect.width() < bar.fontMetrics().horizontalAdvance(title) + 8 or not bar.rect().contains(rect):
                found.append(f"tab {title!r}: {rect.width()} px at {rect.x()} in a bar {bar.width()} px wide")
    return found


def text_widgets(root):
    return [
        w
        for kind in (QLabel, QPushButton, QCheckBox, QRadioButton, QToolButton)
        for w in root.findChildren(kind)
        if isinstance(w, (QLabel, QAbstractButton))
    ]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_window_speaks_the_language_with_nothing_clipped_at_1280x800(
    qtbot, tmp_path, open_window, speaking, language
):
    from tests.gui.conftest import make_project

    speaking(language)
    window = open_window(make_project(tmp_path))
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    menus = [action.menu() for action in window.menuBar().actions() if action.menu()]
    titles = [menu.title() for menu in menus]
    entries = [a.text() for menu in menus for a in menu.actions() if a.text() and not a.isSeparator()]
    entries += [a.text() for menu in menus for sub in menu.findChildren(QMenu) for a in sub.actions()]
    entries = [text for text in entries if text not in ("English", "简体中文")]  # each language's own name
    if language == "zh_CN":
        assert titles and all(CJK.search(title) for title in titles), titles
        assert entries and [e for e in entries if not CJK.search(e)] == []
    else:
        assert "&File" in titles and not any(CJK.search(e) for e in entries)

    window.show_training("train")
    qtbot.waitUntil(lambda: window.training.panel is not None and window.training.panel.isVisible(), timeout=10000)
    panel = window.training.panel
    qtbot.wait(200)
    words = [
        w.text()
        for w in text_widgets(window.training)
        if w.isVisible() and re.search("[A-Za-z\u4e00-\u9fff]{2}", w.text())
    ]
    assert len(words) > 10
    if language == "zh_CN":
        english = [text for text in words if not CJK.search(text)]
        assert len(english) <= len(words) // 10, english  # names (a model, a class) may stay as they are
        assert CJK.search(panel.train_button.text())
    assert window.width() <= 1280 and window.height() <= 800
    for workspace in ("label", "train", "review"):
        window.workspaces.show_workspace(workspace)
        qtbot.wait(300)
        assert clipped(window) == [], workspace
    QCoreApplication.processEvents()


def test_undo_says_what_it_undoes_in_chinese(qtbot, tmp_path, open_window, speaking):
    """The label history stores the core's English description; the Edit menu reads it back."""
    from PySide6.QtCore import Qt

    from tests.gui.conftest import make_project
    from tests.gui.test_labelling_window import committed

    speaking("zh_CN")
    window = open_window(make_project(tmp_path))
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    committed(qtbot, window)
    undo = window.labelling.undo_action.text()
    assert CJK.search(undo) and "dog" in undo and "label" not in undo.lower(), undo


def test_the_language_menu_saves_the_choice_for_the_next_start(qtbot, settings):
    from PySide6.QtWidgets import QMessageBox, QWidget

    from app.gui.i18n import LANGUAGES, chosen_locale
    from app.gui.language_menu import LanguageMenu

    parent = QWidget()
    qtbot.addWidget(parent)
    menu = LanguageMenu(parent, settings)
    by_value = {action.data(): action for action in menu.actions()}
    assert set(by_value) == {"", "en", "zh_CN"} and by_value[""].isChecked()  # the system's, at first
    by_value["zh_CN"].trigger()
    assert settings.language() == "zh_CN"
    note = parent.findChild(QMessageBox, "languageNote")
    assert note is not None and "简体中文" in note.text()
    note.close()
    by_value[""].trigger()
    assert settings.language() == ""
    system = LANGUAGES[interface_language(chosen_locale(""))]
    notes = [n for n in parent.findChildren(QMessageBox, "languageNote") if n.isVisible()]
    assert notes and system in notes[-1].text()  # says which language the system's is
    assert LanguageMenu(parent, settings).actions()[0].isChecked()


def test_every_action_the_core_records_is_said_in_chinese(tmp_path, speaking):
    """The Edit menu reads the history's stored English back (app/gui/labelling.py): each kind of
    action the core writes must be one the window recognises, or it shows the core's English."""
    from app.core.labelling.labels import delete_class_action, label_images, read_history, set_labels
    from app.core.project.store import Project
    from app.core.quality.label_errors import change_label
    from app.core.zeroshot.accept import accept_zero_shot
    from app.gui.labelling import doing_text, done_text
    from tests.gui.conftest import make_project

    speaking("zh_CN")
    with Project.open(make_project(tmp_path, classes=("cat", "dog", "bird"))) as project:
        ids = [row[0] for row in project.conn.execute("SELECT id FROM images ORDER BY id")]
        cat, dog, bird = (row[0] for row in project.conn.execute("SELECT id FROM classes ORDER BY id"))
        label_images(project, ids[:1], cat)
        label_images(project, ids[1:3], dog)
        label_images(project, ids[:1], None)
        label_images(project, ids[1:3], None)
        set_labels(project, [(ids[3], cat)], "imported", "Labels from folder names")
        change_label(project, ids[3], dog)
        accept_zero_shot(project, {ids[4]: cat})
        accept_zero_shot(project, {ids[0]: cat, ids[5]: dog})
        label_images(project, ids[1:2], bird)
        delete_class_action(project, bird)
        undo = read_history(project).undo
        descriptions = [
            project.conn.execute("SELECT description FROM label_actions WHERE id = ?", (action,)).fetchone()[0]
            for action in undo
        ]
    assert len(descriptions) == 10
    for description in descriptions:
        for said in (doing_text(description), done_text(description)):
            assert CJK.search(said) and not re.search(r"\b(Label|Clear|Accept|Delete|Change)\b", said), said
