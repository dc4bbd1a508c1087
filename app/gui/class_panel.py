"""The classes dock: the list with colours, shortcuts and counts; add, rename, recolour,
reorder and delete (with confirmation; undoable with Ctrl+Z)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QColorDialog,
    QHBoxLayout,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.labelling.classes import ClassInfo
from app.gui.session import ProjectSession


def swatch(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def delete_question(name: str, count: int) -> str:
    """What deleting a class with `count` labelled images does, asked before it is done."""
    if count == 0:
        what = QCoreApplication.translate("ClassPanel", "No image has this label.")
    elif count == 1:
        what = QCoreApplication.translate("ClassPanel", "Its 1 labelled image becomes unlabelled.")
    else:
        what = QCoreApplication.translate("ClassPanel", "Its {count} labelled images become unlabelled.")
        what = what.format(count=f"{count:,}")
    question = QCoreApplication.translate(
        "ClassPanel", "Delete the class '{name}'? {what}\nYou can undo this with Ctrl+Z."
    )
    return question.format(name=name, what=what)


class ClassPanel(QWidget):
    classActivated = Signal(int)  # double-click: show this class in the grid

    def __init__(self, session: ProjectSession, parent=None):
        super().__init__(parent)
        self.session = session
        self.counts: dict[str, int] = {}
        self.list = QListWidget(self)
        self.list.setObjectName("classList")
        self.list.itemDoubleClicked.connect(lambda item: self.classActivated.emit(item.data(Qt.ItemDataRole.UserRole)))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QToolButton] = {}
        for name, text, tip, handler in (
            ("add", "+", self.tr("Add a class"), self.on_add_clicked),
            ("rename", self.tr("Rename"), self.tr("Rename the selected class"), self.on_rename_clicked),
            ("colour", self.tr("Colour"), self.tr("Change the selected class's colour"), self.on_colour_clicked),
            ("up", "↑", self.tr("Move up (its shortcut follows)"), lambda: self.on_move_clicked(-1)),
            ("down", "↓", self.tr("Move down"), lambda: self.on_move_clicked(1)),
            (
                "delete",
                self.tr("Delete"),
                self.tr("Delete the selected class (its images become unlabelled)"),
                self.on_delete_clicked,
            ),
        ):
            button = QToolButton(self, text=text, toolTip=tip, enabled=not session.project.read_only)
            button.clicked.connect(handler)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        session.classesChanged.connect(self.on_session_classes_changed)
        self.on_session_classes_changed(session.classes)

    def sizeHint(self) -> QSize:
        return QSize(200, 400)

    def set_counts(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.on_session_classes_changed(self.session.classes)

    def on_session_classes_changed(self, classes: list[ClassInfo]) -> None:
        selected = self.selected_class_id()
        self.list.clear()
        for info in classes:
            key = f"{info.shortcut}  " if info.shortcut else "    "
            count = self.counts.get(info.name)
            item = QListWidgetItem(
                swatch(info.colour), f"{key}{info.name}" + (f"  ({count})" if count is not None else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, info.id)
            press = self.tr("Press {key} to label").format(key=info.shortcut) if info.shortcut else info.name
            item.setToolTip(info.description or press)
            self.list.addItem(item)
            if info.id == selected:
                self.list.setCurrentItem(item)

    def selected_class_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_class(self, class_id: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == class_id:
                self.list.setCurrentRow(row)

    def _selected(self) -> ClassInfo | None:
        class_id = self.selected_class_id()
        return next((c for c in self.session.classes if c.id == class_id), None)

    # The dialogs open in plain slots, never inside a coroutine: a modal dialog's nested event
    # loop inside a qasync task would leave every other task that wakes meanwhile (a label's
    # commit, a finished job) stuck. Only the write itself is awaited, in `_write`.

    @asyncSlot(object, bool)
    async def _write(self, edit, select_result: bool = False) -> None:
        """Await a class edit (written in the write lane); a refusal is shown once it returns."""
        try:
            result = await edit()
        except LoupeError as exc:
            message = str(exc)
            # With `self` as the context: a panel closed meanwhile drops the message, never shows
            # it over a deleted parent (that aborted the process in a test's teardown).
            QTimer.singleShot(0, self, lambda: QMessageBox.warning(self, "Loupe", message))
            return
        if select_result and result is not None:
            self.select_class(result.id)

    def on_add_clicked(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Add a class"), self.tr("Class name:"))
        if ok and name.strip():
            self._write(lambda: self.session.add_class(name), True)

    def on_rename_clicked(self) -> None:
        info = self._selected()
        if info is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename class"), self.tr("New name:"), text=info.name)
        if ok and name.strip():
            self._write(lambda: self.session.rename_class(info.id, name))

    def on_colour_clicked(self) -> None:
        info = self._selected()
        if info is None:
            return
        colour = QColorDialog.getColor(QColor(info.colour), self, self.tr("Colour of '{name}'").format(name=info.name))
        if colour.isValid():
            self._write(lambda: self.session.recolour_class(info.id, colour.name()))

    def on_move_clicked(self, step: int) -> None:
        info = self._selected()
        if info is not None:
            position = [c.id for c in self.session.classes].index(info.id)
            self._write(lambda: self.session.move_class(info.id, position + step))

    def on_delete_clicked(self) -> None:
        info = self._selected()
        if info is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete class"), delete_question(info.name, self.counts.get(info.name, 0))
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda: self.session.delete_class(info.id))
