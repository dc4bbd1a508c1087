"""Keyboard labelling: 1–9 label the current image (or every selected image) and move on to
the next image in the current filter; 0 or Backspace clears; Ctrl+Z / Ctrl+Shift+Z undo and redo
over the project's label history (also after reopening)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.core.errors import LoupeError
from app.gui.image_grid_view import ImageGridView
from app.gui.session import ProjectSession


class LabellingController(QObject):
    message = Signal(str)  # for the status bar

    def __init__(self, session: ProjectSession, grid: ImageGridView, labelling_area: QWidget, parent=None):
        super().__init__(parent)
        self.session = session
        self.grid = grid
        # Class keys work where the user looks at images (grid and viewer), not while typing in
        # the search box.
        for key in range(1, 10):
            action = QAction(f"Label with class {key}", labelling_area)
            action.setShortcut(QKeySequence(str(key)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda checked=False, k=str(key): self.label_with_key(k))
            labelling_area.addAction(action)
        clear = QAction("Clear label", labelling_area)
        clear.setShortcuts([QKeySequence("0"), QKeySequence(Qt.Key.Key_Backspace)])
        clear.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        clear.triggered.connect(lambda: self.apply(None))
        labelling_area.addAction(clear)
        self.clear_action = clear

        self.undo_action = QAction("Undo", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction("Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        session.historyChanged.connect(self.on_session_history_changed)
        self.on_session_history_changed()

    def label_with_key(self, key: str) -> None:
        info = self.session.class_for_shortcut(key)
        if info is None:
            self.message.emit(f"No class has the key {key}; add classes in the Classes panel")
            return
        self.apply(info.id)

    def apply(self, class_id: int | None) -> None:
        """Label the selection (or the current image), then go to the next image."""
        ids = self.grid.selected_image_ids()
        if not ids:
            return
        following = self._image_after(ids)
        try:
            result = self.session.label(ids, class_id)
        except LoupeError as exc:
            self.message.emit(str(exc))
            return
        if result.action:
            self.message.emit(result.description)
        if following is not None:
            self.grid.clearSelection()
            self.grid.select_image(following)
        elif self.grid.current_image_id() is None:
            self.grid.select_row(self.grid.grid_model.rowCount() - 1)

    def _image_after(self, ids: list[int]) -> int | None:
        model = self.grid.grid_model
        rows = [r for r in (model.row_of(i) for i in ids) if r is not None]
        if not rows:
            return None
        chosen = set(ids)
        for row in range(max(rows) + 1, model.rowCount()):
            image_id = model.image_id(row)
            if image_id is not None and image_id not in chosen:
                return image_id
        return None

    def undo(self) -> None:
        self._step(self.session.undo, "Nothing to undo")

    def redo(self) -> None:
        self._step(self.session.redo, "Nothing to redo")

    def _step(self, step, nothing: str) -> None:
        try:
            result = step()
        except LoupeError as exc:
            self.message.emit(str(exc))
            return
        self.message.emit(nothing if result is None else f"{'Undid' if step == self.session.undo else 'Redid'}: {result.description}")

    def on_session_history_changed(self) -> None:
        undo, redo = self.session.undo_redo_descriptions()
        self.undo_action.setEnabled(undo is not None)
        self.undo_action.setText(f"Undo {undo}" if undo else "Undo")
        self.redo_action.setEnabled(redo is not None)
        self.redo_action.setText(f"Redo {redo}" if redo else "Redo")
