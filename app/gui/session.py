"""The open project as the GUI sees it: core calls that change it, and signals saying what
changed, so each view refreshes only what it shows.

Labels, undo and redo, and class edits are written in the window's one-thread `write` lane: a commit is an fsync,
and now and then a WAL checkpoint (up to 80 ms measured at 100,000 images), so it never runs on
the GUI thread; the lane keeps them in the order they were made. Each label is committed when
made: `labelsChanged` and `labelled` go out once its commit has returned, and closing the window
waits for the lane. The write lane keeps its own copy of the undo history and the GUI thread its
own (for the menu texts); each catches up from the append-only log with its own connection."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.labelling import classes as core_classes
from app.core.labelling import labels as core_labels
from app.core.labelling.classes import ClassInfo
from app.core.labelling.labels import ActionResult, UndoHistory, UndoStep
from app.core.project.store import Project
from app.gui.jobs import JobRunner, Lane


class ProjectSession(QObject):
    labelsChanged = Signal(object)  # image id -> class id or None, once committed
    classesChanged = Signal(list)  # [ClassInfo]
    historyChanged = Signal()  # undo/redo availability changed
    undoApplied = Signal(object)  # ActionResult of an undo/redo (the grid re-queries)
    labelled = Signal(object)  # ActionResult of a label, once committed
    labelFailed = Signal(str)  # why a label could not be written

    def __init__(self, project: Project, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.classes: list[ClassInfo] = core_classes.list_classes(project)
        #: The GUI thread's undo/redo stacks (menu texts); None until `load_history` has them.
        self._history: UndoHistory | None = None
        #: The write lane's own stacks: only its jobs touch them (`_writer_history`).
        self._writer_stacks: UndoHistory | None = None
        self._writes_pending = 0

    @asyncSlot()
    async def load_history(self) -> None:
        """Read the undo/redo stacks in the write lane as the window opens (one replay of the
        log, 13-22 ms with 30,000 actions); the menu texts follow."""
        history = await self.jobs.run(lambda: self._writer_history().copy(), lane=Lane.WRITE)
        history.catch_up(self.project.conn)  # what this connection sees by now
        self._history = history
        self.historyChanged.emit()

    def _writer_history(self) -> UndoHistory:
        """The write lane's stacks, read on first use; call only from a job in that lane."""
        if self._writer_stacks is None:
            self._writer_stacks = core_labels.read_history(self.project)
        return self._writer_stacks

    @property
    def history_loaded(self) -> bool:
        return self._history is not None

    @property
    def writes_pending(self) -> int:
        """Labels asked for and not yet committed (tests wait for none)."""
        return self._writes_pending

    def _history_changed(self) -> None:
        """After a write: the GUI's stacks take in the new actions, and the menus follow."""
        if self._history is not None:
            self._history.catch_up(self.project.conn)
        self.historyChanged.emit()

    # -- labels ---------------------------------------------------------------------------------

    def label(self, image_ids: list[int], class_id: int | None) -> None:
        """Label these images (None clears): refused at once in a read-only project (LoupeError),
        else handed to the write lane now; `labelsChanged` and `labelled` follow the commit."""
        self.project.require_writable()
        self._writes_pending += 1
        written = self.jobs.run(core_labels.label_images, self.project, list(image_ids), class_id, lane=Lane.WRITE)
        self._on_labels_written(written, class_id)

    @asyncSlot(object, object)
    async def _on_labels_written(self, written, class_id: int | None) -> None:
        async def with_changes():
            result = await written
            return result, {image_id: class_id for image_id in result.image_ids}

        await self._finish_write(with_changes())

    def apply_labels(self, write: Callable[[Project], ActionResult]) -> None:
        """A core call that labels images as one action (`write(project)`: accepting zero-shot
        classes, say), in the write lane like `label`; `labelsChanged`, `labelled` and the history
        follow its commit."""
        self.project.require_writable()
        self._writes_pending += 1

        def write_then_read() -> tuple[ActionResult, dict[int, int | None]]:
            result = write(self.project)
            return result, core_labels.current_labels(self.project, result.image_ids)

        self._on_labels_applied(self.jobs.run(write_then_read, lane=Lane.WRITE))

    @asyncSlot(object)
    async def _on_labels_applied(self, written) -> None:
        await self._finish_write(written)

    async def _finish_write(self, written) -> None:
        """After a label write commits (`written` gives the result and each image's class now):
        the signals, or the failure in words; a window already gone hears nothing."""
        try:
            result, current = await written
        except LoupeError as exc:
            self.labelFailed.emit(str(exc))
            return
        finally:
            self._writes_pending -= 1
        if self.jobs.closed:
            return
        if result.action:
            self.labelsChanged.emit(current)
            self._history_changed()
        self.labelled.emit(result)

    def class_for_shortcut(self, key: str) -> ClassInfo | None:
        return next((c for c in self.classes if c.shortcut == key), None)

    async def next_step(self, kind: str) -> UndoStep | None:
        """What undo or redo ('undo'/'redo') would change next, after the writes before it."""
        return await self.jobs.run(
            lambda: core_labels.peek(self.project, kind, self._writer_history()), lane=Lane.WRITE
        )

    async def undo(self) -> ActionResult | None:
        return await self._replay(core_labels.undo)

    async def redo(self) -> ActionResult | None:
        return await self._replay(core_labels.redo)

    async def _replay(self, step) -> ActionResult | None:
        result, current = await self.jobs.run(lambda: self._replay_in_lane(step), lane=Lane.WRITE)
        if result is None:
            return None
        if result.classes_changed:
            self._reload_classes()
        self.labelsChanged.emit(current)
        self.undoApplied.emit(result)
        self._history_changed()
        return result

    def _replay_in_lane(self, step) -> tuple[ActionResult | None, dict[int, int | None]]:
        """Undo or redo, then the labels of the images it changed (read here too: a bulk undo
        can touch tens of thousands)."""
        result = step(self.project, self._writer_history())
        return result, (core_labels.current_labels(self.project, result.image_ids) if result else {})

    def catch_up_history(self) -> None:
        """Take in label actions other connections wrote (an import's labels from folder names)."""
        if self._history is not None and self._history.catch_up(self.project.conn):
            self.historyChanged.emit()

    def undo_redo_descriptions(self) -> tuple[str | None, str | None]:
        """What Undo and Redo would do; (None, None) until `load_history` has read the stacks."""
        if self._history is None:
            return None, None
        return core_labels.undo_redo_descriptions(self.project, self._history)

    # -- classes --------------------------------------------------------------------------------

    def _reload_classes(self) -> None:
        self.classes = core_classes.list_classes(self.project)
        self.classesChanged.emit(self.classes)

    async def _edit_classes(self, edit, *args):
        """A class edit in the write lane (deleting a class relabels every image of it), then
        the classes as they are now, read there too; LoupeError says why an edit is refused."""
        self.project.require_writable()
        self._writes_pending += 1

        def edit_then_list():
            return edit(self.project, *args), core_classes.list_classes(self.project)

        try:
            result, self.classes = await self.jobs.run(edit_then_list, lane=Lane.WRITE)
        finally:
            self._writes_pending -= 1
        self.classesChanged.emit(self.classes)
        return result

    async def add_class(self, name: str) -> ClassInfo:
        return await self._edit_classes(core_classes.add_class, name)

    async def rename_class(self, class_id: int, name: str) -> None:
        await self._edit_classes(core_classes.rename_class, class_id, name)

    async def recolour_class(self, class_id: int, colour: str) -> None:
        await self._edit_classes(core_classes.recolour_class, class_id, colour)

    async def move_class(self, class_id: int, index: int) -> None:
        await self._edit_classes(core_classes.move_class, class_id, index)

    async def delete_class(self, class_id: int) -> ActionResult:
        result = await self._edit_classes(core_classes.delete_class, class_id)
        self.labelsChanged.emit({image_id: None for image_id in result.image_ids})
        self._history_changed()
        return result
