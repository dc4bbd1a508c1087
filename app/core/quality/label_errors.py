"""The label-error review: which labels look wrong, most suspicious first, and what the images
look like instead — confident learning (Northcutt et al. 2021, cleanlab's `find_label_issues`) on
out-of-fold predicted probabilities.

    result = check_labels(project, EmbeddingSource.from_model("dinov2-small"), on_progress=print)
    for issue in result.issues: print(issue.image_id, issue.given_name, "->", issue.suggested_name, issue.score)

How: every labelled image's features (cached, the linear probe's; always a frozen backbone's,
never those of a run that fine-tuned on the labels, `frozen_source`), a stratified 5-fold split
(a class needs MIN_PER_CLASS labels to take part), and for each fold the project's linear probe
(`training.logistic`) fitted on the other folds only: an image's probabilities never come from
weights that saw its label. The regularisation strength is chosen once, by `fit_logistic`'s
cross-validation on all labels: one number, which the labels under check do help choose (a
nested choice per fold would cost five times as long for a small effect on the ranking). cleanlab then flags the labels whose out-of-fold probabilities disagree with
them beyond what the classes' estimated noise explains, ranked by **self-confidence**.

The score of an issue is that self-confidence: the out-of-fold probability of the given label,
0..1, lower is more suspicious. The suggested class is the likeliest class other than the given
one (for a flagged label this is the out-of-fold argmax, but for a rare tie).

A label the user reviewed and kept is remembered as (image id, class id) in the project's
settings: it stays out of the queue until its label changes. A label changed from the review is
one undoable action with the source `review`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.core.active.pool import EmbeddingSource, embed_images, load_pool
from app.core.errors import Cancelled, LoupeError, plural
from app.core.labelling.labels import ActionResult, live_labels, set_labels
from app.core.project.settings import get_setting, set_setting
from app.core.project.store import Project

#: At most this many folds.
MAX_FOLDS = 5
#: A class needs this many labelled images (with features) to take part in the check.
MIN_PER_CLASS = 5
#: Project setting: the labels the user reviewed and kept, as [[image id, class id], …].
KEPT = "review.kept"
#: The label source of a change made in the review.
SOURCE = "review"


@dataclass(frozen=True)
class CheckProgress:
    done: int
    total: int
    text: str = ""


@dataclass(frozen=True)
class LabelIssue:
    image_id: int
    given: int  # class id
    given_name: str
    suggested: int  # class id
    suggested_name: str
    score: float  # out-of-fold probability of the given label (self-confidence); lower = more suspicious
    suggested_probability: float  # out-of-fold probability of the suggested class


@dataclass
class LabelCheck:
    issues: list[LabelIssue]  # most suspicious first
    checked: int  # labelled images whose labels were checked
    source: str  # whose features, in words
    folds: int
    kept: int = 0  # issues left out because the user kept those labels
    #: Classes left out: fewer than MIN_PER_CLASS labelled images with features (name -> count).
    small_classes: dict[str, int] = field(default_factory=dict)
    #: Labelled images without features (missing file, could not be read), not checked.
    not_checked: int = 0
    unreadable: dict[int, str] = field(default_factory=dict)  # image id -> reason


@dataclass
class OutOfFold:
    probabilities: np.ndarray  # N × K, each row from a fit that did not see that image
    folds: np.ndarray  # N: the fold each image was held out in
    c: float  # the regularisation strength every fold's fit used


def fit_fold(x: np.ndarray, y: np.ndarray, num_classes: int, c: float):
    """One fold's head: the linear probe's logistic regression on these images only (its own
    standardisation, the given regularisation strength), classes weighted as the probe's are."""
    from app.core.training.logistic import fit_head

    return fit_head(x, y, num_classes, l2=1 / (c * len(y)), max_iter=200)


def out_of_fold_probabilities(
    x: np.ndarray,
    y: np.ndarray,
    num_classes: int,
    *,
    seed: int = 0,
    c: float | None = None,
    on_step: Callable[[int, int], None] = lambda done, total: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> OutOfFold:
    """Predicted probabilities of every row of `x` from a head fitted on the other folds of a
    stratified k-fold split (seeded). `c` None: chosen by `fit_logistic`'s cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    counts = np.bincount(y, minlength=num_classes)
    k = int(min(MAX_FOLDS, counts.min()))
    if k < 2:
        raise LoupeError("out-of-fold probabilities need at least two labelled images of every class")
    cv_total = 0  # the steps choosing the regularisation took
    if c is None:
        from app.core.training.logistic import fit_logistic

        def cv_step(done: int, total: int, loss: float) -> None:
            nonlocal cv_total
            cv_total = total
            on_step(done, total + k)

        c = fit_logistic(x, y, num_classes, seed=seed, on_step=cv_step, should_stop=should_stop).c
    probabilities = np.zeros((len(y), num_classes), dtype=np.float32)
    folds = np.full(len(y), -1, dtype=np.int64)
    for fold, (train, held) in enumerate(StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y)):
        if should_stop():
            raise Cancelled("stopped checking the labels")
        probabilities[held] = fit_fold(x[train], y[train], num_classes, c).probabilities(x[held])
        folds[held] = fold
        on_step(cv_total + fold + 1, cv_total + k)
    return OutOfFold(probabilities, folds, c)


def frozen_source(project: Project, source: EmbeddingSource) -> EmbeddingSource:
    """Features that never learnt the labels under check. A run that fine-tuned its backbone
    (LoRA, full, BitFit…) learnt from every current label, wrong ones included: its features pull
    a mislabelled image towards its given class, and the k-fold probe on top would hold out only
    the head. Such a run stands for the backbone it started from; a linear run's features are
    its frozen backbone's already."""
    from app.core.training.methods import METHODS
    from app.core.training.runs import get_run

    if source.run_id is None:
        return source
    run = get_run(project, source.run_id, report=False)
    info = METHODS.get(run.method)
    if run.model_dir and info is not None and info.frozen_features:
        return source
    return EmbeddingSource.from_model(run.model_ref)


class NoFeatureModel(LoupeError):
    """No model is chosen to compute image features with (the window says so in its own words)."""


def default_source(project: Project) -> EmbeddingSource:
    """Whose features the check uses when none is given: the active run's backbone (frozen, see
    `frozen_source`), else the Train form's."""
    from app.core.active.suggest import default_source as suggestions_source

    try:
        return frozen_source(project, suggestions_source(project))
    except LoupeError:
        raise NoFeatureModel(
            "checking labels needs a model to compute image features with, and none is chosen yet: "
            "choose a model in the Train tab (or train one), or give `loupe check-labels` a --model"
        ) from None


def check_labels(
    project: Project,
    source: EmbeddingSource | None = None,
    n: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str | None = None,  # None: the Train form's
    seed: int = 0,
) -> LabelCheck:
    """Compute the missing image features of `source` (cached), then rank the labels that look
    wrong (`rank_label_issues`). Progress: the features' `EmbeddingProgress`, then `CheckProgress`."""
    source = frozen_source(project, source) if source is not None else default_source(project)
    key, unreadable = embed_images(project, source, on_progress, should_stop, device)
    result = rank_label_issues(project, key, n, on_progress, should_stop, seed)
    result.source = source.describe()
    result.unreadable = unreadable
    return result


def rank_label_issues(
    project: Project,
    key: str,
    n: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    seed: int = 0,
    c: float | None = None,
) -> LabelCheck:
    """The labels that look wrong, most suspicious first (at most `n`), from the features cached
    under `key`; labels the user kept are left out. LoupeError when fewer than two classes have
    MIN_PER_CLASS labelled images with features. `c`: the regularisation strength (None: chosen
    by cross-validation, as the linear probe's)."""
    from cleanlab.filter import find_label_issues

    if should_stop():
        raise Cancelled("stopped checking the labels")
    labels, classes = live_labels(project)
    pool = load_pool(project, key)
    rows = [(row, labels[int(image_id)]) for row, image_id in enumerate(pool.image_ids) if int(image_id) in labels]
    not_checked = len(labels) - len(rows)  # labelled, but no features (missing or unreadable file)
    counts = {cid: 0 for cid, _ in classes}
    for _, cid in rows:
        counts[cid] += 1
    small = {name: counts[cid] for cid, name in classes if counts[cid] < MIN_PER_CLASS}
    checked_classes = [(cid, name) for cid, name in classes if counts[cid] >= MIN_PER_CLASS]
    if len(checked_classes) < 2:
        have = ", ".join(f"{name} {counts[cid]}" for cid, name in classes) or "no labels"
        raise LoupeError(
            f"checking labels needs at least two classes with {MIN_PER_CLASS} or more labelled images each "
            f"(labelled images with features now: {have})"
        )
    index = {cid: k for k, (cid, _) in enumerate(checked_classes)}
    rows = [(row, cid) for row, cid in rows if cid in index]
    x = pool.embeddings[[row for row, _ in rows]]
    y = np.array([index[cid] for _, cid in rows], dtype=np.int64)
    image_ids = [int(pool.image_ids[row]) for row, _ in rows]

    def step(done: int, total: int) -> None:
        on_progress(CheckProgress(done, total, f"Checking {plural(len(y), 'label')}: step {done} of {total}"))

    oof = out_of_fold_probabilities(x, y, len(checked_classes), seed=seed, c=c, on_step=step, should_stop=should_stop)
    flagged = find_label_issues(y, oof.probabilities, return_indices_ranked_by="self_confidence", n_jobs=1)
    kept = kept_labels(project)
    issues, left_out = [], 0
    for row in flagged:
        row = int(row)
        if (image_ids[row], checked_classes[y[row]][0]) in kept:
            left_out += 1
            continue
        p = oof.probabilities[row]
        others = p.copy()
        others[y[row]] = -1
        best = int(others.argmax())
        issues.append(
            LabelIssue(
                image_ids[row],
                checked_classes[y[row]][0],
                checked_classes[y[row]][1],
                checked_classes[best][0],
                checked_classes[best][1],
                float(p[y[row]]),
                float(p[best]),
            )
        )
    return LabelCheck(
        issues[:n] if n is not None else issues,
        len(y),
        key,
        int(oof.folds.max()) + 1,
        kept=left_out,
        small_classes=small,
        not_checked=not_checked,
    )


# -- the user's decisions ------------------------------------------------------------------------


def kept_labels(project: Project) -> set[tuple[int, int]]:
    """(image id, class id) of every label the user reviewed and kept."""
    return {(int(i), int(c)) for i, c in get_setting(project, KEPT, [])}


def keep_label(project: Project, image_id: int, class_id: int) -> None:
    """The user looked at this label and keeps it: it stays out of the queue until it changes.
    (Pairs whose image has another label by now are dropped as this is written.)"""
    from app.core.labelling.labels import current_labels

    pairs = kept_labels(project) | {(image_id, class_id)}
    now = current_labels(project, [i for i, _ in pairs])
    set_setting(project, KEPT, sorted([i, c] for i, c in pairs if now.get(i) == c))


def change_label(project: Project, image_id: int, class_id: int) -> ActionResult:
    """The review changes this image's label: one undoable action with the source `review`."""
    row = project.conn.execute("SELECT name FROM classes WHERE id = ? AND deleted = 0", (class_id,)).fetchone()
    if row is None:
        raise LoupeError(f"there is no class with id {class_id}")
    description = f"Change the label of 1 image to '{row[0]}' (review)"
    action = set_labels(project, [(image_id, class_id)], SOURCE, description)
    return ActionResult(action, description, (image_id,) if action else ())
