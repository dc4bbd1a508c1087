"""Classifying files into a batch, and accepting a batch's results as labels, for a window.

Classifying runs in the `classify` lane (one batch at a time) with a progress dialog and Cancel;
a cancelled batch is kept with what was classified. Accepting runs in the `write` lane, after any
label asked for before it, and its labels then reach the views the way a label does (the
session's `labelsChanged`), so Ctrl+Z takes the whole accept back like any other action."""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, Signal
from qasync import asyncSlot

from app.core.errors import LoupeError, in_words
from app.core.inference import batches as core_batches
from app.core.inference.predict import PredictionProgress
from app.gui.jobs import Lane
from app.gui.long_job import LongJobController
from app.gui.session import ProjectSession


class ClassifyController(LongJobController):
    started = Signal(int)  # run id
    batchClassified = Signal(object)  # batches.BatchInfo, finished or cancelled
    accepted = Signal(object)  # batches.AcceptResult, once committed
    exported = Signal(str)  # absolute path of the CSV
    deleted = Signal(int)  # batch id
    failed = Signal(str)

    def __init__(self, session: ProjectSession, parent_widget, show_dialogs: bool = True):
        super().__init__(session.project, session.jobs, parent_widget, show_dialogs)
        self.session = session
        self._accepts_pending = 0
        self.batches_made = 0  # tests count them

    @property
    def idle(self) -> bool:
        """No batch is being classified and no accept waits for its commit (tests wait for it)."""
        return not self.running and not self._accepts_pending

    @asyncSlot(list, int)
    async def classify(self, paths: list[str], run_id: int) -> None:
        """Classify these files and folders with `run_id`; `batchClassified` follows."""
        if not paths:
            return
        if self.running:
            self.failed.emit(self.tr("A batch is being classified: wait for it to finish, or cancel it"))
            return
        self.started.emit(run_id)
        batch_id = await self.run_job(
            core_batches.classify_into_batch,
            self.project,
            [os.path.abspath(p) for p in paths],
            run_id,
            on_progress=self._relay,
            should_stop=self._stop.is_set,
            lane=Lane.CLASSIFY,
            dialog=(self.tr("Classifying"), self.tr("Classifying with run {run}…").format(run=run_id))
            if self.show_dialogs
            else None,
        )
        if batch_id is None:
            return
        self.batches_made += 1
        self.batchClassified.emit(await self.jobs.run(core_batches.get_batch, self.project, batch_id))

    def on_relay_progressed(self, event: object) -> None:
        if self.dialog is not None and isinstance(event, PredictionProgress):
            self.dialog.setMaximum(max(event.total, 1))
            self.dialog.setValue(event.done)
            self.dialog.setLabelText(
                self.tr("Classified {done} of {total} images").format(done=event.done, total=event.total)
            )

    def accept(self, batch_id: int, result_ids: list[int], class_id: int | None = None) -> None:
        """Label the files of these results with their predicted class (or `class_id`), as one
        undoable action, in the write lane (refused at once in a read-only project)."""
        try:
            self.project.require_writable()
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        self._accepts_pending += 1
        self._accept(batch_id, list(result_ids), class_id)

    @asyncSlot(int, list, object)
    async def _accept(self, batch_id: int, result_ids: list[int], class_id: int | None) -> None:
        """The files not in the project yet are imported in the import lane (hashing and
        thumbnails take a while for thousands), then the labels are written in the write lane."""
        try:
            try:
                added = await self.jobs.run(
                    core_batches.import_for_accept,
                    self.project,
                    batch_id,
                    result_ids,
                    should_stop=self._stop.is_set,
                    lane=Lane.IMPORT,
                )
                result = await self.jobs.run(
                    core_batches.accept_as_labels,
                    self.project,
                    batch_id,
                    result_ids,
                    class_id,
                    already_added=added,
                    lane=Lane.WRITE,
                )
            except LoupeError as exc:
                self.failed.emit(str(exc))
                return
            if result.action:
                labels = await self.jobs.run(self._labels_of, result.image_ids)
                self.session.labelsChanged.emit(labels)
                self.session.catch_up_history()
            self.accepted.emit(result)
        finally:
            self._accepts_pending -= 1

    def _labels_of(self, image_ids) -> dict[int, int | None]:
        from app.core.labelling.labels import current_labels

        return current_labels(self.project, image_ids)

    @asyncSlot(int, str)
    async def export_csv(self, batch_id: int, out: str) -> None:
        try:
            path = await self.jobs.run(core_batches.export_batch_csv, self.project, batch_id, out)
        except (LoupeError, OSError) as exc:
            self.failed.emit(self.tr("Export failed: {reason}").format(reason=in_words(exc)))
            return
        self.exported.emit(str(path))

    @asyncSlot(int)
    async def delete(self, batch_id: int) -> None:
        """Forget a batch, in the write lane."""
        try:
            await self.jobs.run(core_batches.delete_batch, self.project, batch_id, lane=Lane.WRITE)
        except LoupeError as exc:
            self.failed.emit(str(exc))
            return
        self.deleted.emit(batch_id)


def batch_summary(batch) -> str:
    """The status bar's line for a batch just classified."""
    if batch.failed:
        done = QCoreApplication.translate(
            "ClassifyController", "{classified} classified, {failed} could not be read"
        ).format(classified=batch.classified, failed=batch.failed)
    else:
        done = QCoreApplication.translate("ClassifyController", "{classified} classified").format(
            classified=batch.classified
        )
    if batch.status == "cancelled":
        return QCoreApplication.translate("ClassifyController", "Batch {id} cancelled: {done}").format(
            id=batch.id, done=done
        )
    return QCoreApplication.translate("ClassifyController", "Batch {id} ready: {done}").format(id=batch.id, done=done)


def accept_summary(result) -> str:
    """The status bar's line for an accept (a batches.AcceptResult)."""
    labelled = len(result.image_ids)
    if labelled == 1:
        text = QCoreApplication.translate("ClassifyController", "Accepted 1 prediction as labels")
    else:
        text = QCoreApplication.translate("ClassifyController", "Accepted {count} predictions as labels").format(
            count=labelled
        )
    if result.added == 1:
        text += QCoreApplication.translate("ClassifyController", "; 1 image added to the project")
    elif result.added:
        text += QCoreApplication.translate("ClassifyController", "; {count} images added to the project").format(
            count=result.added
        )
    if result.skipped:  # the core's reason, in English
        text += QCoreApplication.translate("ClassifyController", "; {count} skipped ({reason})").format(
            count=len(result.skipped), reason=result.skipped[0]["reason"]
        )
    return text + QCoreApplication.translate("ClassifyController", " — Ctrl+Z undoes")
