"""Help ▸ Keyboard shortcuts (F1): every key the window answers, in one compact table: a line a
key, sized to its rows but never taller than most of the screen (the table scrolls then), so
Close is always in view."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

#: (keys, what they do) — the README's table of keys says the same. Marked for translation here,
#: translated where the dialog shows them (key names alone stay as Qt writes them).
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Alt+1", QT_TRANSLATE_NOOP("ShortcutsDialog", "the Label workspace: the images, the viewer, the classes")),
    ("Alt+2", QT_TRANSLATE_NOOP("ShortcutsDialog", "the Train workspace: the form, the live curves, the runs")),
    ("Alt+3", QT_TRANSLATE_NOOP("ShortcutsDialog", "the Review workspace: what a model said about new images")),
    (
        "1 … 9",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "label the current image (or every selected image) with that class, and move on"
        ),
    ),
    (QT_TRANSLATE_NOOP("ShortcutsDialog", "0, Backspace"), QT_TRANSLATE_NOOP("ShortcutsDialog", "clear the label")),
    (
        "N",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "label next suggestions: the Suggested queue in the grid, its first image current"
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Enter (grid)"),
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "accept the selected tiles' ◇ zero-shot suggestions as their labels (Zero-shot tab)"
        ),
    ),
    ("← → ↑ ↓", QT_TRANSLATE_NOOP("ShortcutsDialog", "next / previous image, in the grid and in the viewer")),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Shift/Ctrl+click, drag"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "select several images for one label"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Escape"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "clear the search and the selection; back to the grid"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y)"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "undo / redo"),
    ),
    ("Ctrl+F", QT_TRANSLATE_NOOP("ShortcutsDialog", "search file names")),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl++ or Ctrl+=, Ctrl+−"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "larger / smaller tiles"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl+0, Ctrl+1"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "viewer: fit the image / actual pixels"),
    ),
    ("Ctrl+I", QT_TRANSLATE_NOOP("ShortcutsDialog", "import a folder")),
    (
        "Ctrl+Shift+K",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "classify images with the model in use; the results open in Review"),
    ),
    (
        "H",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "viewer: show or hide the heatmap (where the model found its evidence)"),
    ),
    (
        "X",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "viewer: show or hide a tile's neighbourhood around it (tiles of slides and scenes)"
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Enter"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Results: open the result in the viewer, with its heatmap"),
    ),
    ("Ctrl+Shift+F", QT_TRANSLATE_NOOP("ShortcutsDialog", "find moved images")),
    (
        "Ctrl+E",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "export: a run's model (Hugging Face folder, ONNX), the labels as CSV or class folders"
        ),
    ),
    ("Ctrl+L", QT_TRANSLATE_NOOP("ShortcutsDialog", "the Show list: which images the grid shows")),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Ctrl+T, Ctrl+R"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Train workspace: the training form / the Runs tab"),
    ),
    ("Ctrl+Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "train (the Train workspace's Train button)")),
    ("Ctrl+Shift+R", QT_TRANSLATE_NOOP("ShortcutsDialog", "Review workspace: the results of a classified batch")),
    ("Ctrl+Shift+M", QT_TRANSLATE_NOOP("ShortcutsDialog", "Models: the backbones by field, downloads, access tokens")),
    (
        "Ctrl+Shift+L",
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Check labels: the labels that look wrong, most suspicious first"),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "K, C or Enter, ← →"),
        QT_TRANSLATE_NOOP("ShortcutsDialog", "Check labels tab: keep the label, change it to the suggestion, skip"),
    ),
    (
        "Ctrl+Shift+I",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "import slides or scenes as tiles: size, resolution and tissue share, previewed first"
        ),
    ),
    (
        "Ctrl+Shift+O",
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "Slides and scenes: a slide or scene with its tiles beside the viewer, or the grid again"
        ),
    ),
    (
        QT_TRANSLATE_NOOP("ShortcutsDialog", "wheel, + −, arrows, Home"),
        QT_TRANSLATE_NOOP(
            "ShortcutsDialog", "Slides and scenes: zoom, pan, fit; a click makes a tile the current image"
        ),
    ),
    ("F1, ?", QT_TRANSLATE_NOOP("ShortcutsDialog", "this list")),
)

#: At most this share of the screen's free area, wide and high.
SCREEN_SHARE = 0.9


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Does")])
        table.verticalHeader().hide()
        table.setWordWrap(False)  # a line a key: rows stay as low as the text
        line = table.fontMetrics().height() + 6
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(line)
        rows.setMinimumSectionSize(line)
        for row, (keys, does) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(self.tr(keys)))
            does = self.tr(does)
            item = QTableWidgetItem(does)
            item.setToolTip(does)  # whole, where a narrow screen cuts the line
            table.setItem(row, 1, item)
        table.resizeColumnsToContents()
        self._text_width = table.columnWidth(0) + table.columnWidth(1)
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a list to read: no cell looks editable
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table = table
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table, 1)
        layout.addWidget(self.buttons)
        self._fit(parent)

    def _fit(self, parent) -> None:
        """Every row in view where the screen allows; else as high as SCREEN_SHARE of it, the
        table scrolling and Close below it, always in view."""
        table = self.table
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        room = screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)
        margins = self.layout().contentsMargins()
        frame = 2 * table.frameWidth()
        table_height = table.horizontalHeader().sizeHint().height() + table.rowCount() * table.rowHeight(0) + frame
        chrome = margins.top() + margins.bottom() + self.layout().spacing() + self.buttons.sizeHint().height()
        height = min(table_height + chrome, int(room.height() * SCREEN_SHARE))
        width = min(self._text_width + 8 + frame + margins.left() + margins.right(), int(room.width() * SCREEN_SHARE))
        table.setMinimumHeight(min(table_height, height - chrome))
        self.setMaximumHeight(int(room.height() * SCREEN_SHARE))
        self.resize(width, height)
