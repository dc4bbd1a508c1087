"""The open project as the GUI sees it: core calls that change it, and signals saying what
changed, so each view refreshes only what it shows. Labels are committed by the core call itself,
before any signal goes out."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from app.core import classes as core_classes
from app.core import labels as core_labels
from app.core.classes import ClassInfo
from app.core.labels import ActionResult, UndoHistory, UndoStep
from app.core.project import Project


class ProjectSession(QObject):
    labelsChanged = Signal(object)  # image id -> class id or None
    classesChanged = Signal(list)  # [ClassInfo]
    historyChanged = Signal()  # undo/redo availability changed
    undoApplied = Signal(object)  # ActionResult of an undo/redo (the grid re-queries)

    def __init__(self, project: Project, parent=None):
        super().__init__(parent)
        self.project = project
        self.classes: list[ClassInfo] = core_classes.list_classes(project)
        #: The undo/redo stacks: read from the log once (`load_history`), then caught up after
        #: each change.
        self._history: UndoHistory | None = None

    @asyncSlot(object)
    async def load_history(self, jobs) -> None:
        """Read the undo/redo stacks in a job as the window opens; the menu texts follow."""
        history = await jobs.run(core_labels.read_history, self.project)
        if self._history is None:  # not read meanwhile by an early Ctrl+Z
            self._history = history
        self._history.catch_up(self.project.conn)  # labels made while it was read
        self.historyChanged.emit()

    @property
    def history_loaded(self) -> bool:
        return self._history is not None

    @property
    def history(self) -> UndoHistory:
        """The stacks, read here and now when an undo comes before `load_history` has them."""
        if self._history is None:
            self._history = UndoHistory.read(self.project.conn)
        return self._history

    # -- labels ---------------------------------------------------------------------------------

    def label(self, image_ids: list[int], class_id: int | None) -> ActionResult:
        result = core_labels.label_images(self.project, image_ids, class_id)
        if result.action and self._history is not None:  # else load_history catches up
            self._history.catch_up(self.project.conn)
            self.labelsChanged.emit({image_id: class_id for image_id in result.image_ids})
            self.historyChanged.emit()
        return result

    def class_for_shortcut(self, key: str) -> ClassInfo | None:
        return next((c for c in self.classes if c.shortcut == key), None)

    def undo(self) -> ActionResult | None:
        return self._replay(core_labels.undo)

    def redo(self) -> ActionResult | None:
        return self._replay(core_labels.redo)

    def next_step(self, kind: str) -> UndoStep | None:
        """What undo or redo ('undo'/'redo') would change next, read without a replay of the log."""
        self.history.catch_up(self.project.conn)
        return self.history.next_step(self.project.conn, kind)

    def catch_up_history(self) -> None:
        """Take in label actions other connections wrote (an import's labels from folder names)."""
        if self._history is not None and self._history.catch_up(self.project.conn):
            self.historyChanged.emit()

    def _replay(self, step) -> ActionResult | None:
        result = step(self.project, self.history)
        if result is None:
            return None
        if result.classes_changed:
            self._reload_classes()
        current = dict(
            self.project.conn.execute(
                "SELECT i.id, l.class_id FROM images i LEFT JOIN labels l ON l.image_id = i.id"
                f" WHERE i.id IN ({','.join('?' * len(result.image_ids))})",
                result.image_ids,
            ).fetchall()
        ) if result.image_ids else {}
        self.labelsChanged.emit(current)
        self.undoApplied.emit(result)
        self.historyChanged.emit()
        return result

    def undo_redo_descriptions(self) -> tuple[str | None, str | None]:
        """What Undo and Redo would do; (None, None) until `load_history` has read the stacks."""
        if self._history is None:
            return None, None
        return core_labels.undo_redo_descriptions(self.project, self._history)

    # -- classes --------------------------------------------------------------------------------

    def _reload_classes(self) -> None:
        self.classes = core_classes.list_classes(self.project)
        self.classesChanged.emit(self.classes)

    def add_class(self, name: str) -> ClassInfo:
        info = core_classes.add_class(self.project, name)
        self._reload_classes()
        return info

    def rename_class(self, class_id: int, name: str) -> None:
        core_classes.rename_class(self.project, class_id, name)
        self._reload_classes()

    def recolour_class(self, class_id: int, colour: str) -> None:
        core_classes.recolour_class(self.project, class_id, colour)
        self._reload_classes()

    def move_class(self, class_id: int, index: int) -> None:
        core_classes.move_class(self.project, class_id, index)
        self._reload_classes()

    def delete_class(self, class_id: int) -> ActionResult:
        result = core_classes.delete_class(self.project, class_id)
        if self._history is not None:
            self._history.catch_up(self.project.conn)
        self._reload_classes()
        self.labelsChanged.emit({image_id: None for image_id in result.image_ids})
        self.historyChanged.emit()
        return result
