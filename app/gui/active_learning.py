"""Suggestions in the window: the wiring between the active-learning core, the grid's Suggested
queue and the Suggest panel. No domain logic here: which images to suggest, why, and when to stop
are the core's (`app.core.active`).

The first request (Label next suggestions, N; Suggested chosen under Show; the Suggest tab
opened) turns suggestions on for the project, remembered in its settings, so reopening resumes.
Then, all off the GUI thread:

1. image features of the images that have none yet are computed in the `embed` lane, with
   progress and Cancel (each batch is cached: a cancelled job keeps what it computed);
2. an `ActiveLearner` is built in the one-thread `active` lane, which alone touches it;
3. a refresh there picks the queue; it is recorded through the `write` lane, and the history
   and the stopping advice are read in a job for the panel.

After that a refresh follows every `REFRESH_EVERY` new labels, a change of strategy, and the end
of a refresh that a newer request superseded (its result is dropped). A refresh that arrives
while the queue is shown keeps the current image and every suggestion before it where they are;
the new suggestions follow. A new active run may change whose features suggestions use
(`default_source`): then features are computed again, in the background.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, QTimer, Signal
from qasync import asyncSlot

from app.core.active.acquisition import DEFAULT_STRATEGY, STRATEGIES
from app.core.active.history import (
    HistoryPoint,
    StoppingAdvice,
    estimate_missing,
    learning_history,
    record_round,
    stopping_advice,
)
from app.core.active.pool import EmbeddingProgress, EmbeddingSource, embed_images, load_pool
from app.core.errors import LoupeError, in_words
from app.core.project.settings import SUGGESTION_STRATEGY, SUGGESTIONS_ENABLED, get_setting, set_setting
from app.core.project.store import Project
from app.core.training import preload
from app.gui.i18n import core_text
from app.gui.jobs import Job, JobRunner, Lane, NewestWins
from app.gui.suggestion_wording import images_text, refresh_sentence, short_error, source_text

if TYPE_CHECKING:  # the learner imports torch: only in jobs, never as the window opens
    from app.core.active.learner import ActiveLearner, Refresh

#: A refresh follows this many new labels.
REFRESH_EVERY = 5
#: Suggestions each refresh adds to the queue.
QUEUE_SIZE = 24
#: What to do when the training form's model cannot give image features (the core's message
#: speaks of presets and hub ids, as the command line does); translated where it is said.
MODEL_HINT = QT_TRANSLATE_NOOP(
    "SuggestionController",
    "Choose another model in the Train workspace's form (Ctrl+T), then press Label next suggestions (N).",
)


@dataclass(frozen=True)
class LearningProgress:
    """What "Am I done?" shows: accuracy as labels grew, and the stopping advice."""

    history: list[HistoryPoint]
    advice: StoppingAdvice
    missing: str = ""  # with no history yet: why there is no estimate, and what it waits for


def read_progress(project: Project) -> LearningProgress:
    history = learning_history(project)
    return LearningProgress(history, stopping_advice(project), "" if history else estimate_missing(project))


def find_source(project: Project) -> EmbeddingSource:
    """Whose image features suggestions use (`default_source`; the `active` lane)."""
    preload.before_use()  # the window may be loading torch in the background right now
    from app.core.active.suggest import default_source

    return default_source(project)


def build_learner(project: Project, key: str) -> ActiveLearner:
    """The learner over every image that has features under `key` (the `active` lane)."""
    preload.before_use()
    from app.core.active.learner import ActiveLearner

    return ActiveLearner(load_pool(project, key))


def refresh_suggestions(
    project: Project,
    learner: ActiveLearner,
    strategy: str,
    n: int,
    exclude: frozenset[int],
    cold_start: tuple[tuple[int, str], ...] = (),
) -> Refresh:
    """One refresh with the labels as committed now (the `active` lane)."""
    from app.core.active.learner import read_labels

    return learner.refresh(read_labels(project), strategy, n, set(exclude), cold_start)


class SuggestionController(QObject):
    """Suggestions for one window. `grid`, `model` and `filter_bar` are the window's: the queue
    is a Show entry of the filter bar, shown in the grid."""

    statusChanged = Signal(str)  # a plain sentence for the panel's status line
    featuresStarted = Signal()
    featuresProgressed = Signal(object)  # EmbeddingProgress
    featuresEnded = Signal()
    strategyChanged = Signal(str)
    labelsCounted = Signal(int)  # labels since the last refresh
    refreshed = Signal(object)  # Refresh, once its queue is in place
    progressRead = Signal(object)  # LearningProgress
    failed = Signal(str)  # why suggestions are unavailable, in one sentence
    panelWanted = Signal()  # the first request: the panel should show how it goes

    def __init__(self, project: Project, jobs: JobRunner, grid, model, filter_bar, parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.grid = grid
        self.model = model
        self.filter_bar = filter_bar
        self.enabled = bool(get_setting(project, SUGGESTIONS_ENABLED, False))
        strategy = get_setting(project, SUGGESTION_STRATEGY, DEFAULT_STRATEGY)
        self.strategy = strategy if strategy in STRATEGIES else DEFAULT_STRATEGY
        self.source: EmbeddingSource | None = None
        self.learner: ActiveLearner | None = None
        self.queue: tuple[int, ...] = ()
        self.reasons: dict[int, str] = {}
        self.last_refresh: Refresh | None = None
        #: Zero-shot's order while no model exists: (image id, why), best first (`set_cold_start`).
        self.cold_start: tuple[tuple[int, str], ...] = ()
        self.labels_since = 0
        self.refreshes = 0  # refreshes whose queue is in place (tests count them)
        self.status = self.tr("Suggestions are off: press Label next suggestions (N) to start.")
        self.error: str | None = None
        self._job: Job | None = None
        self._preparing = 0  # the generation of the preparation under way, 0 when none
        #: Newest wins: a preparation (features, then the learner) replaces one under way.
        self.preparing_for = NewestWins(jobs, Lane.ACTIVE)
        self._cancelling = False
        self._refreshing = False
        self._refresh_wanted = False
        self._select_first = False
        self.progress_reads = NewestWins(jobs)  # "Am I done?": an older read never replaces a newer one
        self.asked = False  # the user asked for suggestions in this window (resuming is not asking)
        self.filter_bar.set_suggestions((), self.title())

    # -- state ----------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self.learner is not None

    @property
    def preparing(self) -> bool:
        return bool(self._preparing)

    @property
    def computing_features(self) -> bool:
        return bool(self._preparing) and self._job is not None and self._job.running

    @property
    def idle(self) -> bool:
        """Nothing under way (tests wait for it)."""
        return not self._preparing and not self._refreshing and not self.jobs.busy(Lane.ACTIVE)

    def title(self) -> str:
        return core_text(STRATEGIES[self.strategy].title)

    def _say(self, text: str) -> None:
        self.status = text
        self.statusChanged.emit(text)
        self._show_placeholder()

    def _show_placeholder(self) -> None:
        """An empty Suggested queue in the grid says why: image features being computed (with
        the count), an error, every image labelled."""
        self.grid.set_placeholder(self.status if self.model.query.show == "suggested" else "")

    def _remember(self, key: str, value) -> None:
        """A setting of the project, written in the write lane (nothing in a read-only window)."""
        if not self.project.read_only and not self.jobs.closed:
            self.jobs.run(set_setting, self.project, key, value, lane=Lane.WRITE)

    # -- requests -------------------------------------------------------------------------------

    def request(self) -> None:
        """Turn suggestions on (remembered) and get them ready, once: a later request while they
        are ready or being prepared changes nothing."""
        if self.jobs.closed:
            return
        if not self.enabled:
            self.enabled = True
            self._remember(SUGGESTIONS_ENABLED, True)
        if not self.ready and not self.preparing:
            self.prepare()
            self.asked = True
            self.panelWanted.emit()

    def resume(self) -> None:
        """As the window opens: suggestions the project had on come back (unless asked for
        already)."""
        if self.enabled and not self.preparing_for.ticket:
            self.prepare()

    def label_next(self) -> None:
        """Label next suggestions: the queue in the grid, its first image current, the keys with
        the grid."""
        self.request()
        self._select_first = True
        if self.model.query.show == "suggested" and self.model.rowCount():
            self._select_first_suggestion()
        else:
            self.filter_bar.show_filter("suggested")
        self.grid.setFocus()

    def on_window_rows_loaded(self, count: int) -> None:
        self._show_placeholder()
        if self._select_first and count and self.model.query.show == "suggested":
            self._select_first_suggestion()

    def _select_first_suggestion(self) -> None:
        self._select_first = False
        self.grid.clearSelection()
        self.grid.select_row(0)
        self.grid.setFocus()

    def keys_to_queue(self) -> None:
        """After a choice in the Suggest tab: the class keys back with the grid when it shows the
        queue (1-9 label the current suggestion, not the strategy list)."""
        if self.model.query.show == "suggested":
            self.grid.setFocus()

    def on_panel_opened(self) -> None:
        """The Suggest tab shown for the first time: a request, unless one came already (the
        tab showing how that one went, or why it failed, does not ask again)."""
        if not self.asked:
            self.request()

    def on_filter_bar_query_changed(self, query) -> None:
        if query.show == "suggested":
            self.request()

    def set_strategy(self, name: str) -> None:
        """Another strategy: remembered, and the queue refreshed at once."""
        if name not in STRATEGIES or name == self.strategy:
            return
        self.strategy = name
        self._remember(SUGGESTION_STRATEGY, name)
        self.strategyChanged.emit(name)
        self.filter_bar.set_suggestions(self.queue, self.title())
        self.request()
        self.request_refresh()

    def set_cold_start(self, order: tuple[tuple[int, str], ...]) -> None:
        """Zero-shot's cold-start order (each class's most confident image in turn): the queue
        until two classes have labels, refreshed now if suggestions are on."""
        self.cold_start = tuple(order)
        self.request_refresh()

    def cancel_features(self) -> None:
        """Cancel: stop computing image features (what was computed stays cached); suggestions
        stay off until asked for again."""
        if self._job is not None and self._job.running:
            self._cancelling = True
            self._job.cancel()
        if self.enabled and not self.ready:
            self.enabled = False
            self._remember(SUGGESTIONS_ENABLED, False)

    def shut_down(self) -> None:
        if self._job is not None:
            self._job.cancel()

    # -- image features and the learner ---------------------------------------------------------

    def prepare(self, source: EmbeddingSource | None = None) -> None:
        """Compute the missing image features (with the given source, else `default_source`),
        then build the learner and refresh. A newer preparation replaces one under way."""
        self._preparing = self.preparing_for.begin()
        if self._job is not None and self._job.running:
            self._job.cancel()
        self.error = None
        self._say(self.tr("Finding the model for image features…"))
        self._prepare(self._preparing, source)

    @asyncSlot(int, object)
    async def _prepare(self, mine: int, source: EmbeddingSource | None) -> None:
        try:
            if source is None:
                source = await self.preparing_for.run(mine, find_source, self.project)
        except Exception as exc:  # noqa: BLE001 - said in the panel, the window goes on
            self._fail(mine, exc, model_failed=True)
            return
        self.source = source
        self._say(self.tr("Computing image features with {model}…").format(model=source_text(source)))
        self._cancelling = False
        job = self.jobs.start_job(embed_images, self.project, source, lane=Lane.EMBED)
        self._job = job
        job.progressed.connect(self.on_job_progressed)
        job.succeeded.connect(lambda result: self._on_features_computed(mine, source, result))
        job.failed.connect(lambda message: self._on_features_failed(mine, message))
        job.finished.connect(lambda: self.featuresEnded.emit() if self.preparing_for.is_newest(mine) else None)
        self.featuresStarted.emit()

    def on_job_progressed(self, event) -> None:
        if isinstance(event, EmbeddingProgress) and self._preparing:
            self.featuresProgressed.emit(event)
            if event.text:
                self._say(event.text)

    def _on_features_failed(self, generation: int, message: str) -> None:
        if not self.preparing_for.is_newest(generation):
            return  # replaced by a newer preparation
        self._preparing = 0
        if self._cancelling:
            self._cancelling = False
            self._say(
                self.tr(
                    "Stopped computing image features; those computed are kept. "
                    "Press Label next suggestions (N) to go on."
                )
            )
            return
        self._fail(generation, message, model_failed=True)

    @asyncSlot(int, object, object)
    async def _on_features_computed(self, generation: int, source: EmbeddingSource, result) -> None:
        if not self.preparing_for.is_newest(generation):
            return
        key, unreadable = result
        try:
            learner = await self.preparing_for.run(generation, build_learner, self.project, key)
        except Exception as exc:  # noqa: BLE001
            self._fail(generation, exc)
            return
        self._preparing = 0
        if not len(learner.pool):
            self._say(self.tr("No images to suggest yet: import images first."))
            return
        self.learner = learner
        skipped = (
            self.tr(" ({images} could not be read)").format(images=images_text(len(unreadable))) if unreadable else ""
        )
        self._say(
            self.tr("Image features of {images} ready{skipped}; choosing suggestions…").format(
                images=images_text(len(learner.pool)), skipped=skipped
            )
        )
        self.request_refresh()

    def _fail(self, generation: int, error, model_failed: bool = False) -> None:
        """Say why there are no suggestions, in one sentence; when the model for image features
        could not be found or run (`model_failed`), also what to do about it in the window."""
        if not self.preparing_for.is_newest(generation):
            return
        self._preparing = 0
        message = short_error(error if isinstance(error, str) else in_words(error))
        if message[1:2].islower():  # a sentence goes on after the colon; a name ("OSError", "ViT") is kept
            message = message[0].lower() + message[1:]
        if not message.endswith("."):
            message += "."
        self.error = self.tr("No suggestions: {reason}").format(reason=message)  # the core's reason, in English
        about_the_model = model_failed and not isinstance(
            error, OSError
        )  # a full or read-only disk is not the model's fault
        if (
            about_the_model
            and (self.source is None or self.source.run_id is None)
            and "Train workspace" not in message  # the core's message says what to do already
        ):
            self.error += " " + self.tr(MODEL_HINT)
        self._say(self.error)
        self.failed.emit(self.error)

    @asyncSlot(object)
    async def on_active_run_changed(self, run_id) -> None:
        """After a new active run, suggestions may use its features: computed again when the
        source changed; the accuracy curve gains the run either way."""
        self.read_progress()
        if not self.enabled or self.jobs.closed:
            return
        try:
            source = await self.jobs.run(find_source, self.project, lane=Lane.ACTIVE)
        except Exception:  # noqa: BLE001 - the next request says why
            return
        if source != self.source:
            self.learner = None
            self.prepare(source)

    def on_images_added(self) -> None:
        """After an import: features of the new images, then a new learner over all of them."""
        if self.enabled and (self.ready or self.preparing):
            self.learner = None
            self.prepare(self.source)

    # -- refreshes ------------------------------------------------------------------------------

    def on_session_labels_changed(self, changes: dict) -> None:
        """Count new labels; a refresh after every few, and at once when the queue shown runs out."""
        added = sum(1 for class_id in changes.values() if class_id is not None)
        if not added or not self.enabled:
            return
        self.labels_since += added
        self.labelsCounted.emit(self.labels_since)
        if self.labels_since >= REFRESH_EVERY:
            self.request_refresh()
        else:
            QTimer.singleShot(0, self._refill_if_empty)  # after the grid has dropped the labelled rows

    def _refill_if_empty(self) -> None:
        if self.model.query.show == "suggested" and not self.model.rowCount():
            self.request_refresh()

    def request_refresh(self) -> None:
        """A refresh in the `active` lane; one at a time: a request while one runs drops that
        one's result and runs again (the newest labels and strategy win)."""
        if self.learner is None or self.jobs.closed:
            return
        self._refresh_wanted = True
        if not self._refreshing:
            self._run_refreshes()

    @asyncSlot()
    async def _run_refreshes(self) -> None:
        self._refreshing = True
        try:
            while self._refresh_wanted and self.learner is not None:
                self._refresh_wanted = False
                learner, counted, strategy = self.learner, self.labels_since, self.strategy
                try:
                    refresh = await self.jobs.run(
                        refresh_suggestions,
                        self.project,
                        learner,
                        strategy,
                        QUEUE_SIZE,
                        frozenset(self._kept_places()),
                        self.cold_start,
                        lane=Lane.ACTIVE,
                    )
                except Exception as exc:  # noqa: BLE001 - said in the panel
                    self._fail(self.preparing_for.ticket, exc)
                    break
                if self._refresh_wanted or learner is not self.learner:
                    continue  # superseded while it ran
                self.labels_since = max(0, self.labels_since - counted)
                self._show_refresh(refresh)
        finally:
            self._refreshing = False

    def _kept_places(self) -> list[int]:
        """The queue shown up to the current image: the user's place, which a refresh keeps."""
        if self.model.query.show != "suggested":
            return []
        current = self.grid.current_image_id()
        shown = self.model.rows.image_ids
        if current is None or current not in shown:
            return []
        return list(shown[: shown.index(current) + 1])

    def _show_refresh(self, refresh: Refresh) -> None:
        kept = self._kept_places()
        kept_set = set(kept)
        fresh = [s for s in refresh.suggestions if s.image_id not in kept_set]
        queue = tuple(kept) + tuple(s.image_id for s in fresh)
        self.reasons = {i: self.reasons.get(i, "") for i in kept} | {s.image_id: s.reason for s in fresh}
        self.model.set_suggestions(self.reasons)
        self.last_refresh = refresh
        self.refreshes += 1
        if queue != self.queue:  # nothing changed: no new query
            self.queue = queue
            self.filter_bar.set_suggestions(queue, self.title())
        self.labelsCounted.emit(self.labels_since)
        self._say(refresh_sentence(refresh, self.strategy, self.source, kept=len(kept)))
        self.refreshed.emit(refresh)
        self._record(refresh)

    @asyncSlot(object)
    async def _record(self, refresh: Refresh) -> None:
        source = self.source.describe() if self.source is not None else ""
        try:
            await self.jobs.run(record_round, self.project, refresh, source, lane=Lane.WRITE)
        except LoupeError:
            pass  # the project went read-only: the round is not kept, the suggestions are
        self.read_progress()

    @asyncSlot()
    async def read_progress(self) -> None:
        """The history and the stopping advice, read in a job, for "Am I done?". Reads may
        overlap (the lane has two threads): only the latest one's result is shown, never an
        older one after it."""
        if self.jobs.closed:
            return
        ticket = self.progress_reads.begin()
        progress = await self.progress_reads.run(ticket, read_progress, self.project)
        self.progressRead.emit(progress)
