"""Keyboard labelling: 1–9 label the current image (or every selected image) and move on to
the next image in the current filter; 0 or Backspace clears; Ctrl+Z / Ctrl+Shift+Z undo and redo
over the project's label history (also after reopening). Undo and redo show the image they
changed; one that changes more than a few images asks first."""

from __future__ import annotations

import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.labelling.labels import UndoStep, doing, done
from app.gui.image_grid_view import ImageGridView
from app.gui.session import ProjectSession

#: An undo or redo that changes more images than this (a batch, labels from folder names) asks
#: first: it is easy to press Ctrl+Z once too often, and hard to see what a bulk change undid.
BULK_STEP_IMAGES = 10

#: The actions the label history stores, as the core describes them (in English, in the project:
#: app.core.labelling.labels, batches, label_errors, zeroshot.accept, the importer), read back so
#: that the Edit menu and the status bar say them in the interface's language: (the stored
#: description, the action as it follows Undo/Redo/Undid/Redid, the action once made).
_ACTIONS = (
    (
        re.compile(r"Label 1 image as '(?P<name>.*)'"),
        QT_TRANSLATE_NOOP("LabellingController", "labelling 1 image as '{name}'"),
        QT_TRANSLATE_NOOP("LabellingController", "Labelled 1 image as '{name}'"),
    ),
    (
        re.compile(r"Label (?P<count>[\d,]+) images as '(?P<name>.*)'"),
        QT_TRANSLATE_NOOP("LabellingController", "labelling {count} images as '{name}'"),
        QT_TRANSLATE_NOOP("LabellingController", "Labelled {count} images as '{name}'"),
    ),
    (
        re.compile(r"Clear the label of 1 image"),
        QT_TRANSLATE_NOOP("LabellingController", "clearing the label of 1 image"),
        QT_TRANSLATE_NOOP("LabellingController", "Cleared the label of 1 image"),
    ),
    (
        re.compile(r"Clear the label of (?P<count>[\d,]+) images"),
        QT_TRANSLATE_NOOP("LabellingController", "clearing the label of {count} images"),
        QT_TRANSLATE_NOOP("LabellingController", "Cleared the label of {count} images"),
    ),
    (
        re.compile(r"Delete class '(?P<name>.*)'"),
        QT_TRANSLATE_NOOP("LabellingController", "deleting class '{name}'"),
        QT_TRANSLATE_NOOP("LabellingController", "Deleted class '{name}'"),
    ),
    (
        re.compile(r"Accept 1 prediction of batch (?P<batch>\d+) as labels"),
        QT_TRANSLATE_NOOP("LabellingController", "accepting 1 prediction of batch {batch} as labels"),
        QT_TRANSLATE_NOOP("LabellingController", "Accepted 1 prediction of batch {batch} as labels"),
    ),
    (
        re.compile(r"Accept (?P<count>[\d,]+) predictions of batch (?P<batch>\d+) as labels"),
        QT_TRANSLATE_NOOP("LabellingController", "accepting {count} predictions of batch {batch} as labels"),
        QT_TRANSLATE_NOOP("LabellingController", "Accepted {count} predictions of batch {batch} as labels"),
    ),
    (
        re.compile(r"Change the label of 1 image to '(?P<name>.*)' \(review\)"),
        QT_TRANSLATE_NOOP("LabellingController", "changing the label of 1 image to '{name}' (review)"),
        QT_TRANSLATE_NOOP("LabellingController", "Changed the label of 1 image to '{name}' (review)"),
    ),
    (
        re.compile(r"Accept 1 zero-shot label"),
        QT_TRANSLATE_NOOP("LabellingController", "accepting 1 zero-shot label"),
        QT_TRANSLATE_NOOP("LabellingController", "Accepted 1 zero-shot label"),
    ),
    (
        re.compile(r"Accept (?P<count>[\d,]+) zero-shot labels"),
        QT_TRANSLATE_NOOP("LabellingController", "accepting {count} zero-shot labels"),
        QT_TRANSLATE_NOOP("LabellingController", "Accepted {count} zero-shot labels"),
    ),
    (
        re.compile(r"Labels from folder names"),
        QT_TRANSLATE_NOOP("LabellingController", "labels from folder names"),
        QT_TRANSLATE_NOOP("LabellingController", "Labels from folder names"),
    ),
)


def _said(description: str, made: bool) -> str:
    """A stored action's description as the window says it: as it follows Undo (`made` False:
    "labelling 3 images as 'cat'") or once made ("Labelled 3 images as 'cat'"); one the window
    does not know is said as the core words it."""
    for pattern, while_doing, once_done in _ACTIONS:
        found = pattern.fullmatch(description)
        if found is not None:
            return QCoreApplication.translate("LabellingController", once_done if made else while_doing).format(
                **found.groupdict()
            )
    return done(description) if made else doing(description)


def doing_text(description: str) -> str:
    return _said(description, False)


def done_text(description: str) -> str:
    return _said(description, True)


class LabellingController(QObject):
    message = Signal(str)  # for the status bar

    def __init__(self, session: ProjectSession, grid: ImageGridView, labelling_area: QWidget, parent=None):
        super().__init__(parent)
        self.session = session
        self.grid = grid
        #: Asks whether to go on with a bulk undo or redo: (question) -> bool; tests replace it.
        self.confirm = self._confirm
        self._steps_pending = 0
        session.labelled.connect(self.on_session_labelled)
        session.labelFailed.connect(self.message)
        # Class keys work where the user looks at images (grid and viewer), not while typing in
        # the search box.
        for key in range(1, 10):
            action = QAction(self.tr("Label with class {key}").format(key=key), labelling_area)
            action.setShortcut(QKeySequence(str(key)))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda checked=False, k=str(key): self.label_with_key(k))
            labelling_area.addAction(action)
        clear = QAction(self.tr("Clear label"), labelling_area)
        clear.setShortcuts([QKeySequence("0"), QKeySequence(Qt.Key.Key_Backspace)])
        clear.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        clear.triggered.connect(lambda: self.apply(None))
        labelling_area.addAction(clear)
        self.clear_action = clear
        clear.setEnabled(not session.project.read_only)

        self.undo_action = QAction(self.tr("Undo"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.redo_action = QAction(self.tr("Redo"), self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.triggered.connect(self.redo)
        session.historyChanged.connect(self.on_session_history_changed)
        self.on_session_history_changed()

    def label_with_key(self, key: str) -> None:
        info = self.session.class_for_shortcut(key)
        if info is None:
            self.message.emit(self.tr("No class has the key {key}; add classes in the Classes panel").format(key=key))
            return
        self.apply(info.id)

    def apply(self, class_id: int | None) -> None:
        """Label the selection (or the current image), then go to the next image at once; the
        status bar says what was labelled when it is committed."""
        ids = self.grid.selected_image_ids()
        if not ids:
            return
        following = self._image_after(ids)
        try:
            self.session.label(ids, class_id)
        except LoupeError as exc:
            self.message.emit(str(exc))
            return
        self.undo_action.setEnabled(True)  # at once: Ctrl+Z may come before the commit (its text follows)
        if following is not None:
            self.grid.clearSelection()
            self.grid.select_image(following)
        elif self.grid.current_image_id() is None:
            self.grid.select_row(self.grid.grid_model.rowCount() - 1)

    def on_session_labelled(self, result) -> None:
        if result.action:
            self.message.emit(done_text(result.description))

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

    @property
    def idle(self) -> bool:
        """No label, undo or redo waits to be committed (tests wait for it)."""
        return not self._steps_pending and not self.session.writes_pending

    def undo(self) -> None:
        self._steps_pending += 1
        self._step("undo")

    def redo(self) -> None:
        self._steps_pending += 1
        self._step("redo")

    @asyncSlot(str)
    async def _step(self, kind: str) -> None:
        """Undo or redo (`kind`), after asking when it changes many images. The window then shows
        the image it changed (MainWindow follows the session's undoApplied)."""
        try:
            await self._checked_step(kind)
        except LoupeError as exc:
            self.message.emit(str(exc))
        finally:
            self._steps_pending -= 1

    async def _checked_step(self, kind: str) -> None:
        pending = await self.session.next_step(kind)
        undoing = kind == "undo"
        if pending is None:
            self.message.emit(self.tr("Nothing to undo") if undoing else self.tr("Nothing to redo"))
            return
        if pending.image_count > BULK_STEP_IMAGES and not self.confirm(self._bulk_question(kind, pending)):
            self.message.emit(
                self.tr("Undo cancelled: no label was changed")
                if undoing
                else self.tr("Redo cancelled: no label was changed")
            )
            return
        result = await (self.session.undo() if undoing else self.session.redo())
        if result is not None:
            said = self.tr("Undid {action}") if undoing else self.tr("Redid {action}")
            self.message.emit(said.format(action=doing_text(result.description)))

    def _bulk_question(self, kind: str, pending: UndoStep) -> str:
        """Asked only above BULK_STEP_IMAGES images: the count is always plural."""
        question = (
            self.tr("Undo {action}?\n\nThis changes the labels of {count} images.")
            if kind == "undo"
            else self.tr("Redo {action}?\n\nThis changes the labels of {count} images.")
        )
        return question.format(action=doing_text(pending.description), count=f"{pending.image_count:,}")

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self.grid, self.tr("Change many labels?"), question)
        return answer == QMessageBox.StandardButton.Yes

    def on_session_history_changed(self) -> None:
        undo, redo = self.session.undo_redo_descriptions()
        writable = not self.session.project.read_only  # a read-only window offers no edits
        self.undo_action.setEnabled(writable and undo is not None)
        self.undo_action.setText(self.tr("Undo {action}").format(action=doing_text(undo)) if undo else self.tr("Undo"))
        self.redo_action.setEnabled(writable and redo is not None)
        self.redo_action.setText(self.tr("Redo {action}").format(action=doing_text(redo)) if redo else self.tr("Redo"))
