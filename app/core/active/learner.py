"""The fast loop: refit a linear head on every label, rescore the whole unlabelled pool, and
pick the next images with a strategy — in well under a second at 100,000 images.

    learner = ActiveLearner(pool)                       # embeddings stay in memory
    refresh = learner.refresh(read_labels(project), "margin", n=20)

Each refresh also estimates how good the model is (a head fitted on the training split, scored
on the validation split the trainer would use) and how much the predicted classes of the
unlabelled images changed since the previous refresh: the stopping signal ("stabilising
predictions", Bloodgood & Vijay-Shanker 2009).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from app.core.active.acquisition import GIVEN_ORDER, PoolView, get_strategy
from app.core.active.pool import Pool
from app.core.labelling.labels import live_labels
from app.core.project.store import Project
from app.core.training.logistic import LinearHead, fit_head, standardiser

#: Strategies whose work grows faster than the pool's size look at this many unlabelled images,
#: drawn at random (after the cheap scores of the whole pool): a common practice that keeps a
#: refresh near a second at 100,000 images.
MAX_CANDIDATES = 20_000
#: Dropout rate and passes of the head's Monte Carlo dropout (BALD in the fast loop).
MC_RATE, MC_PASSES = 0.25, 10
#: Projection of large embeddings before distance computations (core-set), Johnson–Lindenstrauss.
PROJECTED_DIMENSIONS = 64


@dataclass(frozen=True)
class LabelSnapshot:
    """The project's labels as the loop sees them: image id -> class id, each labelled image's
    split (train / val), and the class names in the order of the head's rows."""

    labels: dict[int, int]
    splits: dict[int, str]
    classes: list[tuple[int, str]]  # (class id, name)


def read_labels(project: Project, val_fraction: float | None = None, seed: int | None = None) -> LabelSnapshot:
    """Labels of the classes in use, with the split the trainer would give them with the training
    form's settings (stored splits stay; new ones are planned, not written: reading never
    changes the project)."""
    from app.core.training.config import remembered_config
    from app.core.training.splits import plan_splits

    if val_fraction is None or seed is None:
        form = remembered_config(project)
        val_fraction = form.val_fraction if val_fraction is None else val_fraction
        seed = form.seed if seed is None else seed

    labels, classes = live_labels(project)
    splits, _ = plan_splits(project, val_fraction, seed)
    return LabelSnapshot(labels, {i: s for i, s in splits.items() if i in labels}, classes)


@dataclass(frozen=True)
class Suggestion:
    image_id: int
    score: float
    reason: str  # "healthy 48% · irregular 41%", "representative of a group of 120 similar images"
    top: tuple[tuple[str, float], ...] = ()  # the two likeliest classes, when a model exists

    def to_json(self) -> dict:
        return {
            "image": self.image_id,
            "score": self.score,
            "reason": self.reason,
            "top": [{"class": name, "probability": p} for name, p in self.top],
        }


@dataclass
class Refresh:
    strategy: str  # the strategy used (cold-start when no model could be fitted yet)
    suggestions: list[Suggestion]
    labels: int  # labelled images of the pool the head was fitted on
    unlabelled: int  # images scored: the unlabelled images of the pool but those set aside
    estimated_accuracy: float | None  # of the head on the validation split
    validation_images: int
    changed_share: float | None  # predicted class changed since the previous refresh
    seconds: dict[str, float] = field(default_factory=dict)  # fit, score, select
    #: (unlabelled image ids, their predicted class ids) as arrays: a dict of 100,000 entries on
    #: every refresh would cost more than the rescoring; `predictions` makes one when asked.
    predicted: tuple[np.ndarray, np.ndarray] | None = None
    #: Unlabelled images not looked at: kept out by the caller (`exclude`: the window's queue up
    #: to the user's place), and those without image features (file missing or unreadable).
    set_aside: int = 0
    unreadable: int = 0

    @property
    def unlabelled_total(self) -> int:
        """Every unlabelled image of the project, scored or not."""
        return self.unlabelled + self.set_aside + self.unreadable

    @property
    def predictions(self) -> dict[int, int]:
        """Unlabelled image id -> predicted class id (empty before a model exists)."""
        if self.predicted is None:
            return {}
        return dict(zip(self.predicted[0].tolist(), self.predicted[1].tolist()))


class ActiveLearner:
    """Keeps the pool's embeddings, the last head (a warm start) and the last predictions."""

    def __init__(self, pool: Pool, seed: int = 0):
        self.pool = pool
        self.seed = seed
        self.rounds = 0
        self.mean, self.scale = standardiser(pool.embeddings) if len(pool) else (None, None)
        self._row = {int(image_id): row for row, image_id in enumerate(pool.image_ids)}
        self._head: LinearHead | None = None
        self._head_classes: list[int] = []
        self._previous: tuple[np.ndarray, np.ndarray] | None = None  # (image ids, predicted class ids)

    def refresh(
        self,
        snapshot: LabelSnapshot,
        strategy: str,
        n: int,
        exclude: set[int] = frozenset(),
        cold_start: Sequence[tuple[int, str]] = (),
    ) -> Refresh:
        """Refit, rescore and pick `n` images (never one in `exclude`); `strategy` falls back to
        cold start while fewer than two classes have labels in the pool. `cold_start`, when
        given, is that cold start's order: (image id, why) pairs, best first — zero-shot's
        "each class's most confident image in turn" (`app.core.zeroshot.cold_start`), which
        knows the class names where clustering the features does not."""
        chosen = get_strategy(strategy)
        rng = np.random.default_rng([self.seed, self.rounds])
        self.rounds += 1
        timings: dict[str, float] = {}
        rows = np.array([self._row[i] for i in snapshot.labels if i in self._row], dtype=np.int64)
        labelled_ids = self.pool.image_ids[rows]
        class_ids = [cid for cid, _ in snapshot.classes]
        index = {cid: k for k, cid in enumerate(class_ids)}
        y = np.array([index[snapshot.labels[int(i)]] for i in labelled_ids], dtype=np.int64)
        unlabelled_mask = np.ones(len(self.pool), dtype=bool)
        unlabelled_mask[rows] = False
        unlabelled_in_pool = int(unlabelled_mask.sum())
        if exclude:
            unlabelled_mask &= ~np.isin(self.pool.image_ids, np.fromiter(exclude, dtype=np.int64))
        candidates = np.flatnonzero(unlabelled_mask)
        unreadable = sum(1 for i in self.pool.left_out.tolist() if i not in snapshot.labels)
        has_model = len(set(y.tolist())) >= 2
        if not has_model and cold_start:
            return self._given_order(cold_start, candidates, rows, n, unlabelled_in_pool, unreadable)
        if not has_model and chosen.needs_model:
            chosen = get_strategy("cold-start")
        probabilities = accuracy = None
        validation = 0
        predicted_pair = None
        changed = None
        if has_model:
            started = time.perf_counter()
            accuracy, validation = self._estimate(snapshot, rows, labelled_ids, y, len(class_ids))
            warm = self._head if self._head_classes == class_ids else None
            self._head = fit_head(
                self.pool.embeddings[rows], y, len(class_ids), mean=self.mean, scale=self.scale, warm=warm
            )
            self._head_classes = class_ids
            timings["fit"] = time.perf_counter() - started
            started = time.perf_counter()
            probabilities = self._head.probabilities(self.pool.embeddings[candidates])
            predicted = np.asarray(class_ids)[probabilities.argmax(axis=1)]
            changed = self._changed_share(self.pool.image_ids[candidates], predicted)
            predicted_pair = (self.pool.image_ids[candidates], predicted)
            timings["score"] = time.perf_counter() - started
        started = time.perf_counter()
        view_rows = np.arange(len(candidates))
        if len(candidates) > MAX_CANDIDATES and chosen.needs & {"embeddings", "mc_probabilities"}:
            view_rows = np.sort(rng.choice(len(candidates), MAX_CANDIDATES, replace=False))
        view = self._view(
            chosen.needs,
            candidates[view_rows],
            rows,
            None if probabilities is None else probabilities[view_rows],
            snapshot,
            rng,
        )
        # never more picks than candidates: a strategy may size its work by `n` (`-n 1000000000`
        # would ask diversity for a billion rows of features)
        picks = chosen.select(view, min(n, max(len(view_rows), 1)), rng)
        timings["select"] = time.perf_counter() - started
        names = [name for _, name in snapshot.classes]
        suggestions = []
        for row, score, reason in zip(picks.rows, picks.scores, picks.reasons):
            pool_row = candidates[view_rows[row]]
            top = ()
            if probabilities is not None:
                p = probabilities[view_rows[row]]
                top = tuple((names[k], float(p[k])) for k in np.argsort(-p)[:2])
            suggestions.append(Suggestion(int(self.pool.image_ids[pool_row]), float(score), reason, top))
        return Refresh(
            chosen.name,
            suggestions,
            len(rows),
            len(candidates),
            accuracy,
            validation,
            changed,
            timings,
            predicted_pair,
            set_aside=unlabelled_in_pool - len(candidates),
            unreadable=unreadable,
        )

    def _given_order(self, order, candidates, rows, n, unlabelled_in_pool, unreadable) -> Refresh:
        """The first `n` candidates of a cold-start order given by the caller, in its order."""
        wanted = {int(self.pool.image_ids[row]) for row in candidates}
        picked = [(image_id, why) for image_id, why in order if image_id in wanted][:n]
        suggestions = [
            Suggestion(image_id, 1.0 - k / max(len(picked), 1), why) for k, (image_id, why) in enumerate(picked)
        ]
        return Refresh(
            GIVEN_ORDER,
            suggestions,
            len(rows),
            len(candidates),
            None,
            0,
            None,
            set_aside=unlabelled_in_pool - len(candidates),
            unreadable=unreadable,
        )

    def _view(self, needs, candidate_rows, labelled_rows, probabilities, snapshot, rng) -> PoolView:
        """What the strategy sees. Embeddings are standardised as the head sees them: raw
        features of a ReLU network are all positive and point the same way (cosine 0.99 between
        any two images), so near-duplicates and distances are judged on centred features."""
        embeddings = self._standardised(candidate_rows)
        labelled = mc = None
        if "embeddings" in needs:
            labelled = self._standardised(labelled_rows)
            if embeddings.shape[1] > PROJECTED_DIMENSIONS:  # distances in fewer dimensions, much faster
                projection = np.random.default_rng(self.seed).normal(
                    size=(embeddings.shape[1], PROJECTED_DIMENSIONS)
                ).astype(np.float32) / np.sqrt(PROJECTED_DIMENSIONS)
                embeddings, labelled = embeddings @ projection, labelled @ projection
        if "mc_probabilities" in needs:
            mc = self._head.mc_probabilities(self.pool.embeddings[candidate_rows], MC_PASSES, MC_RATE, rng)
        return PoolView(probabilities, embeddings, labelled, mc, [name for _, name in snapshot.classes])

    def _standardised(self, rows: np.ndarray) -> np.ndarray:
        return (self.pool.embeddings[rows] - self.mean) / self.scale

    def _estimate(self, snapshot, rows, labelled_ids, y, num_classes) -> tuple[float | None, int]:
        """Accuracy on the validation split of a head fitted on the training split alone."""
        is_val = np.array([snapshot.splits.get(int(i)) == "val" for i in labelled_ids], dtype=bool)
        train = ~is_val
        if not is_val.any() or len(set(y[train].tolist())) < 2:
            return None, int(is_val.sum())
        head = fit_head(
            self.pool.embeddings[rows[train]],
            y[train],
            num_classes,
            mean=self.mean,
            scale=self.scale,
            warm=self._head if len(self._head_classes) == num_classes else None,
        )
        predicted = head.probabilities(self.pool.embeddings[rows[is_val]]).argmax(axis=1)
        return float((predicted == y[is_val]).mean()), int(is_val.sum())

    def _changed_share(self, image_ids: np.ndarray, predicted: np.ndarray) -> float | None:
        """Share of the images unlabelled now and at the previous refresh whose predicted class
        changed."""
        previous, self._previous = self._previous, (image_ids, predicted)
        if previous is None:
            return None
        common, mine, theirs = np.intersect1d(image_ids, previous[0], assume_unique=True, return_indices=True)
        if not len(common):
            return None
        return float((predicted[mine] != previous[1][theirs]).mean())
