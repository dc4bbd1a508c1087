"""Zero-shot pre-labels in the window: runs `app.core.zeroshot` in the embed lane (the model
downloaded first when it is a preset not on this machine), shows each unlabelled image's zero-shot
class on its tile, and accepts them — Enter on the selected tiles, or every one above a confidence
— as one undoable action with the source `zero-shot`, through the session's write lane (undo is
the Edit menu's, as for any label)."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence

from app.core.errors import LoupeError
from app.gui.image_grid_view import ImageGridView
from app.gui.image_list_model import ImageListModel
from app.gui.jobs import Job, Lane
from app.gui.session import ProjectSession


def download_and_score(project, ref: str, templates: list[str], device: str, on_progress, should_stop):
    """The model fetched when it is a preset or hub id not here yet, then every image scored."""
    from app.core.errors import ConfigError
    from app.core.hub import ensure_downloaded, needs_download
    from app.core.training.presets import ZERO_SHOT, task_problem
    from app.core.zeroshot.scoring import ZeroShotProgress, run_zero_shot

    problem = task_problem(ref, ZERO_SHOT)  # before a download: a backbone preset has no text encoder
    if problem:
        raise ConfigError(problem)
    if needs_download(ref):
        ensure_downloaded(
            ref,
            lambda e: on_progress(
                ZeroShotProgress(
                    e.done_bytes,
                    e.total_bytes,
                    QCoreApplication.translate("ZeroShotController", "Downloading {model}").format(model=ref),
                )
            ),
            should_stop,
        )
    return run_zero_shot(project, ref, templates, device, on_progress, should_stop)


class ZeroShotController(QObject):
    progressed = Signal(object)  # ZeroShotProgress
    resultReady = Signal(object)  # ZeroShotResult
    failed = Signal(str)
    runningChanged = Signal(bool)
    message = Signal(str)  # for the status bar

    def __init__(self, session: ProjectSession, grid: ImageGridView, model: ImageListModel, parent=None):
        super().__init__(parent)
        self.session = session
        self.jobs = session.jobs
        self.grid = grid
        self.model = model
        self.job: Job | None = None
        self.result = None  # the last ZeroShotResult
        self.device = "auto"
        self.accept_action = QAction(self.tr("Accept the zero-shot suggestion"), grid)
        self.accept_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        self.accept_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # the grid only
        self.accept_action.triggered.connect(self.accept_selected)
        grid.addAction(self.accept_action)
        #: For `count_above` on every label without a pass over every suggestion: the confidences,
        #: negated and ascending, and the suggested images labelled since the result came.
        self._negated = np.zeros(0)
        self._confidence: dict[int, float] = {}
        self._labelled: set[int] = set()
        session.labelsChanged.connect(self.on_session_labels_changed)

    @property
    def running(self) -> bool:
        return self.job is not None

    @property
    def idle(self) -> bool:
        """No run, and no accepted label waiting for its commit (tests wait for it)."""
        return self.job is None and not self.session.writes_pending

    def run(self, ref: str, templates: list[str]) -> None:
        if self.job is not None:
            return
        self.job = self.jobs.start_job(
            download_and_score, self.session.project, ref, templates, self.device, lane=Lane.EMBED
        )
        self.job.progressed.connect(self.progressed)
        self.job.succeeded.connect(self.on_job_succeeded)
        self.job.failed.connect(self.failed)
        self.job.finished.connect(self.on_job_finished)
        self.runningChanged.emit(True)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def on_job_succeeded(self, result) -> None:
        self.result = result
        self._confidence = {p.image_id: p.confidence for p in result.predictions}
        self._negated = np.sort(-np.fromiter(self._confidence.values(), dtype=np.float64, count=len(self._confidence)))
        self._labelled = set()
        self.model.set_zero_shot({p.image_id: (p.class_id, p.confidence) for p in result.predictions})
        self.resultReady.emit(result)

    def on_job_finished(self) -> None:
        self.job = None
        self.runningChanged.emit(False)

    # -- accepting ------------------------------------------------------------------------------

    def accept_selected(self) -> None:
        """Enter: the selected tiles' (or the current tile's) zero-shot classes become their
        labels; then the next image, as after a class key."""
        ids = self.grid.selected_image_ids()
        chosen = {i: found[0] for i in ids if (found := self.model.zero_shot(i)) is not None}
        if not chosen:
            self.message.emit(self.tr("No zero-shot suggestion on the selected images (Run zero-shot in its panel)"))
            return
        following = self._image_after(ids)
        if self._accept(chosen) and following is not None:
            self.grid.clearSelection()
            self.grid.select_image(following)

    def accept_above(self, threshold: float) -> int:
        """Every shown suggestion at `threshold` confidence or more; how many were asked for."""
        if self.result is None:
            return 0
        chosen = {p.image_id: p.class_id for p in self.result.above(threshold) if self.model.zero_shot(p.image_id)}
        return len(chosen) if chosen and self._accept(chosen) else 0

    def on_session_labels_changed(self, changes: dict) -> None:
        for image_id, class_id in changes.items():
            if image_id in self._confidence:
                (self._labelled.add if class_id is not None else self._labelled.discard)(image_id)

    def count_above(self, threshold: float) -> int:
        """How many suggestions at `threshold` or more are still open (their image unlabelled):
        a binary search and the few labelled since, on every label made (never a pass over
        100,000 suggestions on the GUI thread)."""
        if self.result is None:
            return 0
        above = int(np.searchsorted(self._negated, -threshold, side="right"))
        return above - sum(1 for i in self._labelled if self._confidence[i] >= threshold)

    def _accept(self, chosen: dict[int, int]) -> bool:
        from app.core.zeroshot.accept import accept_zero_shot

        try:
            self.session.apply_labels(lambda project: accept_zero_shot(project, chosen))
        except LoupeError as exc:
            self.message.emit(str(exc))
            return False
        if len(chosen) == 1:
            self.message.emit(self.tr("Accepting 1 zero-shot label (Ctrl+Z undoes)"))
        else:
            self.message.emit(self.tr("Accepting {n} zero-shot labels (Ctrl+Z undoes)").format(n=f"{len(chosen):,}"))
        return True

    def _image_after(self, ids: list[int]) -> int | None:
        rows = [r for r in (self.model.row_of(i) for i in ids) if r is not None]
        chosen = set(ids)
        for row in range(max(rows) + 1 if rows else self.model.rowCount(), self.model.rowCount()):
            image_id = self.model.image_id(row)
            if image_id is not None and image_id not in chosen:
                return image_id
        return None
