"""The Check labels queue's controller: it runs the label-error check in a lane (image features,
then the out-of-fold fits; progress and Cancel), then walks its queue one image at a time — the
image current in the grid (shown big in the viewer), its given label and the suggested one —
and writes the user's answer: Keep (remembered in the project, the label stays out of the queue
until it changes) or Change to the suggestion (one undoable action with the source `review`,
through the session like every label). Every write goes through the write lane."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.quality.label_errors import (
    LabelCheck,
    LabelIssue,
    NoFeatureModel,
    change_label,
    check_labels,
    keep_label,
)
from app.gui.jobs import Job, JobRunner, Lane

#: What became of a label in the queue.
OPEN, KEPT, CHANGED, RELABELLED = "open", "kept", "changed", "relabelled"


def _check_labels(project, **kwargs) -> LabelCheck:
    """The core's check; without a model, the window's own sentence (the core's names the command
    line's --model)."""
    try:
        return check_labels(project, **kwargs)
    except NoFeatureModel:
        raise LoupeError(
            QCoreApplication.translate(
                "LabelReviewController",
                "Checking labels needs a model to compute image features with: choose one in the Train "
                "workspace (or train one) first.",
            )
        ) from None


class LabelReviewController(QObject):
    started = Signal()
    progressed = Signal(object)  # EmbeddingProgress, then CheckProgress
    checked = Signal(object)  # LabelCheck, its queue in place
    failed = Signal(str)
    ended = Signal()  # the check's job is over (done, failed or cancelled)
    currentChanged = Signal(int)  # the queue's position
    stateChanged = Signal(int)  # an issue's state changed (its position)
    message = Signal(str)  # for the status bar

    def __init__(self, session, jobs: JobRunner, grid, viewer, parent=None):
        super().__init__(parent)
        self.session, self.project, self.jobs = session, session.project, jobs
        self.grid, self.viewer = grid, viewer
        self.result: LabelCheck | None = None
        self.issues: list[LabelIssue] = []
        self.states: list[str] = []
        self.now: list[int | None] = []  # each issue's label now (after a change or an undo)
        self.position = -1
        self.panel = None
        self._job: Job | None = None
        self._writes = 0
        session.labelsChanged.connect(self.on_session_labels_changed)

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    @property
    def idle(self) -> bool:
        """No check runs and no answer waits to be written (tests wait for it)."""
        return not self.running and not self._writes and not self.session.writes_pending

    @property
    def current(self) -> LabelIssue | None:
        return self.issues[self.position] if 0 <= self.position < len(self.issues) else None

    def check(self) -> None:
        """Run the check (again): features of the model suggestions use, then the ranking."""
        if self.running or self.jobs.closed:
            return
        job = self.jobs.start_job(_check_labels, self.project, lane=Lane.EMBED)
        self._job = job
        job.progressed.connect(self.progressed)
        job.succeeded.connect(self.on_job_succeeded)
        job.failed.connect(self.failed)
        job.finished.connect(self.ended)
        self.started.emit()

    def cancel(self) -> None:
        if self.running:
            self._job.cancel()

    shut_down = cancel

    def on_job_succeeded(self, result: LabelCheck) -> None:
        self.result = result
        self.issues = list(result.issues)
        self.states = [OPEN] * len(self.issues)
        self.now = [issue.given for issue in self.issues]
        self.position = -1
        self.checked.emit(result)
        self.go(0)

    # -- walking the queue ----------------------------------------------------------------------

    def go(self, position: int) -> None:
        """Show the issue at `position`: current in the grid when the grid lists it (the viewer
        follows), else in the viewer alone."""
        if not self.issues:
            return
        self.position = max(0, min(position, len(self.issues) - 1))
        image_id = self.issues[self.position].image_id
        if self.grid.grid_model.row_of(image_id) is not None:
            self.grid.select_image(image_id)
        else:
            self.viewer.show_image(image_id)
        self.currentChanged.emit(self.position)

    def next(self) -> None:
        self.go(self.position + 1)

    def previous(self) -> None:
        self.go(self.position - 1)

    def _next_open(self) -> None:
        """After an answer: the next issue still open, else stay."""
        following = [p for p in range(self.position + 1, len(self.issues)) if self.states[p] == OPEN]
        if following:
            self.go(following[0])
        else:
            self.currentChanged.emit(self.position)
            self.message.emit(
                self.tr("The end of the queue: every label in it has an answer, or press Check labels again")
            )

    def _writable(self) -> bool:
        if self.project.read_only:
            self.message.emit(self.tr("This window has the project read-only: answers cannot be saved"))
        return not self.project.read_only

    def keep(self) -> None:
        """K: the label is right; it stays out of the queue until it changes."""
        issue = self.current
        if issue is None or not self._writable():
            return
        self._set_state(self.position, KEPT)
        self._writes += 1  # counted now: the write starts on the loop's next turn
        self._keep(self.position, issue)
        self.message.emit(self.tr("Kept '{name}'").format(name=issue.given_name))
        self._next_open()

    @asyncSlot(object, object)
    async def _keep(self, position: int, issue: LabelIssue) -> None:
        try:
            await self.jobs.run(keep_label, self.project, issue.image_id, issue.given, lane=Lane.WRITE)
        except LoupeError as exc:
            if self.states[position] == KEPT:  # not stored: the queue must not say it was
                self._set_state(position, OPEN)
            self.message.emit(str(exc))
        finally:
            self._writes -= 1

    def change(self) -> None:
        """C or Enter: the label becomes the suggested class (Ctrl+Z takes it back)."""
        issue = self.current
        if issue is None or not self._writable():
            return
        try:
            self.session.apply_labels(lambda project: change_label(project, issue.image_id, issue.suggested))
        except LoupeError as exc:
            self.message.emit(str(exc))
            return
        self._next_open()

    def on_session_labels_changed(self, changes: dict) -> None:
        """A change from here, an undo of it, or a label made elsewhere: each issue's state follows
        its image's label."""
        for position, issue in enumerate(self.issues):
            if issue.image_id not in changes:
                continue
            label = changes[issue.image_id]
            self.now[position] = label
            if label == issue.suggested:
                self._set_state(position, CHANGED)
            elif label != issue.given:
                self._set_state(position, RELABELLED)
            elif self.states[position] != KEPT:
                self._set_state(position, OPEN)

    def _set_state(self, position: int, state: str) -> None:
        if self.states[position] != state:
            self.states[position] = state
            self.stateChanged.emit(position)
