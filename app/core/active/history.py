"""What the project remembers of active learning, and the answer to "Am I done?".

Every refresh of the suggestions is a round in `active_rounds`: how many labels, the estimated
accuracy, and how many predicted classes changed since the round before. Together with the
finished training runs (their validation accuracy and label count) they make the curve of
accuracy against labels; the changes make the stopping signal (Bloodgood & Vijay-Shanker 2009,
"stabilising predictions": once a model's predictions on the unlabelled images stop changing as
labels arrive, more labels of the same kind rarely help much).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import plural
from app.core.project.store import Project

#: The stopping signal looks back over this many labels (on a large project)...
STABLE_WINDOW = 200
#: ...over a tenth of the images on a smaller one, but never fewer labels than this.
SMALLEST_WINDOW = 20
#: ...and calls predictions stable when at most this share of them changed over that window.
STABLE_SHARE = 0.01


def record_round(project: Project, refresh, source: str) -> int | None:
    """Store one refresh (an `ActiveLearner.refresh` result); nothing in a read-only project."""
    if project.read_only:
        return None
    with project.conn as conn:
        cursor = conn.execute(
            "INSERT INTO active_rounds (strategy, source, labels, unlabelled, accuracy, validation_images, changed_share)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                refresh.strategy,
                source,
                refresh.labels,
                refresh.unlabelled,
                refresh.estimated_accuracy,
                refresh.validation_images,
                refresh.changed_share,
            ),
        )
    return cursor.lastrowid


@dataclass(frozen=True)
class HistoryPoint:
    labels: int
    accuracy: float
    kind: str  # "refresh" (the fast loop's estimate) or "run" (a training run's validation accuracy)
    run_id: int | None = None
    validation_images: int = 0

    def interval(self) -> tuple[float, float]:
        """95 % Wilson interval of the accuracy over its validation images (wide for a few)."""
        from app.core.training.metrics import wilson_interval

        if self.validation_images <= 0:
            return self.accuracy, self.accuracy
        return wilson_interval(round(self.accuracy * self.validation_images), self.validation_images)


def learning_history(project: Project) -> list[HistoryPoint]:
    """Estimated accuracy as labels grew: rounds with an estimate, and finished runs, by labels."""
    points = [
        HistoryPoint(labels, accuracy, "refresh", None, validation)
        for labels, accuracy, validation in project.conn.execute(
            "SELECT labels, accuracy, validation_images FROM active_rounds WHERE accuracy IS NOT NULL ORDER BY id"
        )
    ]
    points += [
        HistoryPoint(labels, accuracy, "run", run_id, validation)
        for run_id, accuracy, labels, validation in project.conn.execute(
            "SELECT r.id, r.accuracy, (SELECT count(*) FROM run_labels rl WHERE rl.run_id = r.id),"
            " (SELECT count(*) FROM run_labels rl WHERE rl.run_id = r.id AND rl.split = 'val') FROM runs r"
            " WHERE r.accuracy IS NOT NULL AND r.status = 'done' ORDER BY r.id"
        )
    ]
    return sorted(points, key=lambda p: (p.labels, p.kind))


def estimate_missing(project: Project) -> str:
    """Why "Am I done?" has no accuracy estimate yet, with the numbers: what the labels lack (two
    classes; images set aside for checking, which a class gives once it has two labels), or, when
    they suffice, what the estimate waits for."""
    from app.core.training.config import remembered_config
    from app.core.training.splits import planned_validation_size

    counts = project.conn.execute(
        "SELECT c.name, count(*) FROM labels l JOIN classes c ON c.id = l.class_id WHERE c.deleted = 0"
        " GROUP BY c.id ORDER BY c.position, c.id"
    ).fetchall()
    if not counts:
        return "No accuracy estimate yet: label images of at least two classes first."
    labelled = sum(n for _, n in counts)
    if len(counts) == 1:
        name, n = counts[0]
        return (
            f"No accuracy estimate yet: the {plural(n, 'label')} so far {'is' if n == 1 else 'are all'} "
            f"'{name}'; it needs labels of at least two classes."
        )
    held = planned_validation_size(project, remembered_config(project).val_fraction)
    if not held and all(n == 1 for _, n in counts):
        return (
            "No accuracy estimate yet: it is checked on labelled images set aside from training, and a class "
            "gives one once it has two labels; every class has one label so far."
        )
    if not held:  # splits are kept: images an earlier run trained on stay training images
        return (
            f"No accuracy estimate yet: it is checked on labelled images set aside from training, and the "
            f"{plural(labelled, 'label')} so far all went to training in an earlier run; some of the next "
            "labels will be set aside."
        )
    return (
        f"No accuracy estimate yet: {plural(labelled, 'label')} in {len(counts)} classes, {held:,} of them set "
        "aside for checking, are enough; the estimate appears once suggestions have been chosen with them, "
        "or when a training run finishes."
    )


@dataclass(frozen=True)
class StoppingAdvice:
    changed_share: float | None  # at most this share of predictions changed over `labels_covered`
    labels_covered: int  # labels added over the rounds looked at
    stable: bool
    sentence: str


def stable_window(images: int) -> int:
    """How many labels the stopping signal looks back over, for a project of `images` images: 200
    on a large one, a tenth of the images on a smaller one, at least 20 (the sample project's 60
    images could never give 200 labels to compare over)."""
    return max(SMALLEST_WINDOW, min(STABLE_WINDOW, images // 10))


def stopping_advice(project: Project, window: int | None = None, threshold: float = STABLE_SHARE) -> StoppingAdvice:
    """The stopping signal from the stored rounds (so it survives closing the window); the
    window scales with the project (`stable_window`) unless given."""
    rounds = project.conn.execute(
        "SELECT labels, changed_share, unlabelled FROM active_rounds ORDER BY id DESC LIMIT 500"
    ).fetchall()
    if rounds and rounds[0][2] == 0:
        return StoppingAdvice(None, 0, True, "Every image has a label.")
    if window is None:
        images = (
            rounds[0][0] + rounds[0][2] if rounds else project.conn.execute("SELECT count(*) FROM images").fetchone()[0]
        )
        window = stable_window(images)
    return advice_from_rounds([(labels, share) for labels, share, _ in reversed(rounds)], window, threshold)


def advice_from_rounds(
    rounds: list[tuple[int, float | None]], window: int = STABLE_WINDOW, threshold: float = STABLE_SHARE
) -> StoppingAdvice:
    """`rounds` = (labels, changed share since the round before), oldest first. The shares of the
    rounds within the last `window` labels are summed: an upper bound on the share of
    predictions that changed over that stretch."""
    not_yet = (
        f"Not enough to tell yet: Loupe compares the model's predictions on the unlabelled images as you "
        f"label, and needs {window} labels made with suggestions on to tell whether they have settled."
    )
    if not rounds:
        return StoppingAdvice(None, 0, False, not_yet)
    latest = rounds[-1][0]
    total, covered = 0.0, 0
    for j in range(len(rounds) - 1, 0, -1):  # round j's share is its change since round j - 1
        share = rounds[j][1]
        if share is None:  # no round before it to compare with (e.g. the window was reopened)
            break
        total += share
        covered = latest - rounds[j - 1][0]
        if covered >= window:
            break
    if covered <= 0:
        return StoppingAdvice(None, 0, False, not_yet)
    if covered < window:
        sentence = (
            f"Predictions changed for up to {total:.1%} of the unlabelled images over the last "
            f"{plural(covered, 'label')}; {window} labels are needed to tell whether they have settled."
        )
        return StoppingAdvice(total, covered, False, sentence)
    if total <= threshold:
        sentence = (
            f"Predictions have barely changed over the last {covered:,} labels ({total:.1%} of the "
            "unlabelled images): more labels of this kind are unlikely to help much."
        )
        return StoppingAdvice(total, covered, True, sentence)
    sentence = (
        f"Predictions changed for up to {total:.1%} of the unlabelled images over the last {covered:,} "
        "labels: labels are still teaching the model."
    )
    return StoppingAdvice(total, covered, False, sentence)
