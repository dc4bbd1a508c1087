"""Help ▸ Keyboard shortcuts (F1): every key the window answers, in one table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout

#: (keys, what they do) — the README's table of keys says the same.
SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("1 … 9", "label the current image (or every selected image) with that class, and move on"),
    ("0, Backspace", "clear the label"),
    ("N", "label next suggestions: the Suggested queue in the grid, its first image current"),
    ("← → ↑ ↓", "next / previous image, in the grid and in the viewer"),
    ("Shift/Ctrl+click, drag", "select several images for one label"),
    ("Escape", "clear the search and the selection; back to the grid"),
    ("Ctrl+Z, Ctrl+Shift+Z", "undo / redo"),
    ("Ctrl+F", "search file names"),
    ("Ctrl+= / Ctrl+−", "larger / smaller tiles"),
    ("Ctrl+0, Ctrl+1", "viewer: fit the image / actual pixels"),
    ("Ctrl+I", "import a folder"),
    ("Ctrl+Shift+K", "classify images with the model in use; the results open in the Results tab"),
    ("H", "viewer: show or hide the heatmap (where the model found its evidence)"),
    ("Enter", "Results: open the result in the viewer, with its heatmap"),
    ("Ctrl+Shift+F", "find moved images"),
    ("Ctrl+E", "export: a run's model (Hugging Face folder, ONNX), the labels as CSV or class folders"),
    ("Ctrl+L", "the Show list: which images the grid shows"),
    ("Ctrl+T, Ctrl+R", "the Train tab / the Runs tab"),
    ("Ctrl+Enter", "train (Training ▸ Train)"),
    ("F1, ?", "this list"),
)


class ShortcutsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(SHORTCUTS), 2, self)
        table.setHorizontalHeaderLabels(["Keys", "Does"])
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (keys, does) in enumerate(SHORTCUTS):
            table.setItem(row, 0, QTableWidgetItem(keys))
            table.setItem(row, 1, QTableWidgetItem(does))
        table.resizeColumnToContents(0)
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a list to read: no cell looks editable
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.resizeRowsToContents()
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        rows = sum(table.rowHeight(r) for r in range(table.rowCount())) + table.horizontalHeader().height()
        self.resize(680, rows + 90)  # every row in view, no scrolling
