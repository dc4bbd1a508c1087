"""Help ▸ Keyboard shortcuts (F1): every key the window answers, in one compact table: a line a
key, sized to its rows but never taller than most of the screen (the table scrolls then), so
Close is always in view."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
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

#: (keys, what they do) — the README's table of keys says the same.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Alt+1", "the Label workspace: the images, the viewer, the classes"),
    ("Alt+2", "the Train workspace: the form, the live curves, the runs"),
    ("Alt+3", "the Review workspace: what a model said about new images"),
    ("1 … 9", "label the current image (or every selected image) with that class, and move on"),
    ("0, Backspace", "clear the label"),
    ("N", "label next suggestions: the Suggested queue in the grid, its first image current"),
    ("Enter (grid)", "accept the selected tiles' ◇ zero-shot suggestions as their labels (Zero-shot tab)"),
    ("← → ↑ ↓", "next / previous image, in the grid and in the viewer"),
    ("Shift/Ctrl+click, drag", "select several images for one label"),
    ("Escape", "clear the search and the selection; back to the grid"),
    ("Ctrl+Z, Ctrl+Shift+Z (Ctrl+Y)", "undo / redo"),
    ("Ctrl+F", "search file names"),
    ("Ctrl++ or Ctrl+=, Ctrl+−", "larger / smaller tiles"),
    ("Ctrl+0, Ctrl+1", "viewer: fit the image / actual pixels"),
    ("Ctrl+I", "import a folder"),
    ("Ctrl+Shift+K", "classify images with the model in use; the results open in Review"),
    ("H", "viewer: show or hide the heatmap (where the model found its evidence)"),
    ("X", "viewer: show or hide a tile's neighbourhood around it (tiles of slides and scenes)"),
    ("Enter", "Results: open the result in the viewer, with its heatmap"),
    ("Ctrl+Shift+F", "find moved images"),
    ("Ctrl+E", "export: a run's model (Hugging Face folder, ONNX), the labels as CSV or class folders"),
    ("Ctrl+L", "the Show list: which images the grid shows"),
    ("Ctrl+T, Ctrl+R", "Train workspace: the training form / the Runs tab"),
    ("Ctrl+Enter", "train (the Train workspace's Train button)"),
    ("Ctrl+Shift+R", "Review workspace: the results of a classified batch"),
    ("Ctrl+Shift+M", "Models: the backbones by field, downloads, access tokens"),
    ("Ctrl+Shift+L", "Check labels: the labels that look wrong, most suspicious first"),
    ("K, C or Enter, ← →", "Check labels tab: keep the label, change it to the suggestion, skip"),
    ("Ctrl+Shift+I", "import slides or scenes as tiles: size, resolution and tissue share, previewed first"),
    ("Ctrl+Shift+O", "Slides and scenes: a slide or scene with its tiles beside the viewer, or the grid again"),
    ("wheel, + −, arrows, Home", "Slides and scenes: zoom, pan, fit; a click makes a tile the current image"),
    ("F1, ?", "this list"),
)

#: At most this share of the screen's free area, wide and high.
SCREEN_SHARE = 0.9


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        table.setWordWrap(False)  # a line a key: rows stay as low as the text
        line = table.fontMetrics().height() + 6
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(line)
        rows.setMinimumSectionSize(line)
        for row, (keys, does) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
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
