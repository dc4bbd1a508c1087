"""Acquisition functions: which unlabelled images are worth labelling next.

Each strategy is a pure function from what a model says about the unlabelled pool (class
probabilities, stochastic passes, embeddings) to picks, registered by name in `STRATEGIES`:

    picks = STRATEGIES["margin"].select(PoolView(probabilities=p, embeddings=x), n=20, rng=rng)

`picks.rows` index the pool's arrays, most useful first; `picks.reasons` say why in a few words
(the window shows them on the tiles). Batch picks leave out near-duplicates of each other.
The score functions (`least_confidence`, `margin`, `entropy`, `bald`) are exported for tests
and for anyone who wants the raw numbers: higher always means "more worth labelling".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.core.active.diversity import cluster_representatives, distinct, k_center_greedy, kmeans_pp_gradients
from app.core.errors import ConfigError

_EPS = 1e-12


# -- scores --------------------------------------------------------------------------------------


def least_confidence(probabilities: np.ndarray) -> np.ndarray:
    """1 - the top class's probability."""
    return 1.0 - probabilities.max(axis=1)


def margin(probabilities: np.ndarray) -> np.ndarray:
    """1 - (top probability - second probability): 1 at a tie between the two likeliest classes."""
    if probabilities.shape[1] < 2:
        return np.zeros(len(probabilities), dtype=probabilities.dtype)
    top2 = np.partition(probabilities, -2, axis=1)[:, -2:]
    return 1.0 - (top2[:, 1] - top2[:, 0])


def entropy(probabilities: np.ndarray) -> np.ndarray:
    """Shannon entropy of the predicted distribution (nats)."""
    p = np.clip(probabilities, _EPS, 1.0)
    return -(p * np.log(p)).sum(axis=1)


def bald(mc_probabilities: np.ndarray) -> np.ndarray:
    """BALD (Houlsby et al. 2011; Gal et al. 2017): the mutual information between the prediction
    and the model's weights, from T stochastic passes (T × N × C): entropy of the mean minus the
    mean entropy. Zero when every pass agrees; high when passes are each sure but disagree."""
    mean = mc_probabilities.mean(axis=0)
    expected = np.mean([entropy(p) for p in mc_probabilities], axis=0)
    return np.maximum(entropy(mean) - expected, 0.0)


# -- strategies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolView:
    """What a strategy may look at, row i being the i-th unlabelled candidate."""

    probabilities: np.ndarray | None = None  # N × C, the current model's
    embeddings: np.ndarray | None = None  # N × D, the features the head receives
    labelled_embeddings: np.ndarray | None = None  # L × D
    mc_probabilities: np.ndarray | None = None  # T × N × C, passes with dropout on
    class_names: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        for array in (self.probabilities, self.embeddings):
            if array is not None:
                return len(array)
        return 0 if self.mc_probabilities is None else self.mc_probabilities.shape[1]


@dataclass(frozen=True)
class Picks:
    rows: list[int]  # into the pool's arrays, most useful first
    scores: list[float]  # one per pick; higher = more useful (comparable within one strategy)
    reasons: list[str]  # one per pick, a few plain words


@dataclass(frozen=True)
class Strategy:
    name: str
    title: str
    explanation: str  # one line, for the window and `--help`
    needs: frozenset[str]  # PoolView fields it reads
    select: Callable[[PoolView, int, np.random.Generator], Picks]

    @property
    def needs_model(self) -> bool:
        return bool(self.needs & {"probabilities", "mc_probabilities"})


def top_classes_text(probabilities: np.ndarray, class_names: list[str], k: int = 2) -> str:
    """'healthy 48% · irregular 41%': the k likeliest classes of one image."""
    order = np.argsort(-probabilities)[:k]
    return " · ".join(f"{class_names[i] if i < len(class_names) else i} {probabilities[i]:.0%}" for i in order)


def _ranked(scores: np.ndarray, view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    """The n highest scores (ties broken at random), near-duplicates left out."""
    tie_break = rng.random(len(scores))
    order = np.lexsort((tie_break, -scores))
    rows = distinct(order, view.embeddings, n)
    reasons = (
        [top_classes_text(view.probabilities[r], view.class_names) for r in rows]
        if view.probabilities is not None
        else [""] * len(rows)
    )
    return Picks(rows, [float(scores[r]) for r in rows], reasons)


def _score_strategy(score: Callable[[np.ndarray], np.ndarray]):
    def select(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
        return _ranked(score(view.probabilities), view, n, rng)

    return select


def _random(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    order = rng.permutation(len(view))
    rows = distinct(order, view.embeddings, n)
    reasons = (
        [top_classes_text(view.probabilities[r], view.class_names) for r in rows]
        if view.probabilities is not None
        else ["picked at random"] * len(rows)
    )
    return Picks(rows, [0.0] * len(rows), reasons)


def _bald(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    picks = _ranked(bald(view.mc_probabilities), view, n, rng)
    return Picks(
        picks.rows,
        picks.scores,
        [f"{reason} · answers vary" if score > 0.01 else reason for reason, score in zip(picks.reasons, picks.scores)],
    )


def _coreset(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    rows, distances = k_center_greedy(view.embeddings, view.labelled_embeddings, n * 2, rng)
    distance_of = {row: float(d) for row, d in zip(rows, distances)}
    rows = distinct(rows, view.embeddings, n)
    predicted = (
        [f" · {top_classes_text(view.probabilities[r], view.class_names)}" for r in rows]
        if view.probabilities is not None
        else [""] * len(rows)
    )
    return Picks(rows, [distance_of[r] for r in rows], [f"unlike anything labelled{p}" for p in predicted])


def _badge(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    """BADGE (Ash et al. 2020): gradient embeddings of the loss at the predicted class, seeded
    with k-means++, so the batch is both uncertain (large gradients) and diverse."""
    p = view.probabilities
    residuals = p.copy()
    residuals[np.arange(len(p)), p.argmax(axis=1)] -= 1.0
    rows = distinct(kmeans_pp_gradients(residuals, view.embeddings, n * 2, rng), view.embeddings, n)
    reasons = [top_classes_text(p[r], view.class_names) for r in rows]
    return Picks(rows, [float(margin(p[r : r + 1])[0]) for r in rows], reasons)


def _cold_start(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    rows, sizes = cluster_representatives(view.embeddings, n, rng, view.labelled_embeddings)
    if len(rows) < n:  # every group already has a labelled image: fill up with the farthest images
        far, _ = k_center_greedy(view.embeddings, view.labelled_embeddings, n, rng)
        extra = [r for r in far if r not in set(rows)]
        rows, sizes = rows + extra, sizes + [0] * len(extra)
    size_of = dict(zip(rows, sizes))
    rows_kept = distinct(rows, view.embeddings, n)
    reasons = [
        f"representative of a group of {size_of[r]:,} similar images"
        if size_of[r] > 1
        else "unlike the other images"
        if size_of[r] == 1
        else "unlike anything labelled"
        for r in rows_kept
    ]
    total = max(len(view), 1)
    return Picks(rows_kept, [size_of[r] / total for r in rows_kept], reasons)


#: `typical-then-margin` picks typical, varied images while there are fewer labels than this per
#: class in use, and closest calls after: uncertainty needs a model worth asking (at a few labels
#: per class its doubts are mostly noise), and "opposite strategies suit low and high budgets"
#: (Hacohen et al. 2022). See README, "Which strategy?".
TYPICAL_PER_CLASS = 5


def _typical_then_margin(view: PoolView, n: int, rng: np.random.Generator) -> Picks:
    labelled = 0 if view.labelled_embeddings is None else len(view.labelled_embeddings)
    if view.probabilities is None or labelled < TYPICAL_PER_CLASS * max(2, len(view.class_names)):
        return _cold_start(view, n, rng)
    return _ranked(margin(view.probabilities), view, n, rng)


STRATEGIES: dict[str, Strategy] = {
    s.name: s
    for s in (
        Strategy("random", "Random", "Images in random order: the honest baseline.", frozenset(), _random),
        Strategy(
            "least-confidence",
            "Least confident",
            "Images the model is least sure of.",
            frozenset({"probabilities"}),
            _score_strategy(least_confidence),
        ),
        Strategy(
            "margin",
            "Closest call",
            "Images where the two likeliest classes are nearly tied.",
            frozenset({"probabilities"}),
            _score_strategy(margin),
        ),
        Strategy(
            "entropy",
            "Most uncertain",
            "Images the model cannot place: its guesses are spread over many classes.",
            frozenset({"probabilities"}),
            _score_strategy(entropy),
        ),
        Strategy(
            "bald",
            "Model disagrees with itself",
            "Images on which the model changes its answer when asked again with parts of it switched off at random.",
            frozenset({"mc_probabilities", "probabilities"}),
            _bald,
        ),
        Strategy(
            "coreset",
            "Cover the collection",
            "Images least like anything labelled so far.",
            frozenset({"embeddings"}),
            _coreset,
        ),
        Strategy(
            "badge",
            "Uncertain and varied",
            "Uncertain images that also differ from each other.",
            frozenset({"probabilities", "embeddings"}),
            _badge,
        ),
        Strategy(
            "typical-then-margin",
            "Typical first, then closest calls",
            f"Typical, varied images until each class has about {TYPICAL_PER_CLASS} labels, then near ties.",
            frozenset({"probabilities", "embeddings"}),
            _typical_then_margin,
        ),
        Strategy(
            "cold-start",
            "Typical and varied",
            "Before any model: one typical image from each group of similar images.",
            frozenset({"embeddings"}),
            _cold_start,
        ),
    )
}


#: `Refresh.strategy` when the picks are a cold-start order the caller gave (zero-shot's: each
#: class's most confident image in turn), used instead of a strategy until a model exists.
GIVEN_ORDER = "zero-shot"
GIVEN_ORDER_TITLE = "Zero-shot, each class in turn"


def get_strategy(name: str) -> Strategy:
    try:
        return STRATEGIES[name]
    except KeyError:
        raise ConfigError(f"unknown strategy '{name}'; choose {', '.join(STRATEGIES)}") from None


#: The strategy the window and `loupe suggest` use unless told otherwise (why: README, "Which
#: strategy?", from `bench/al_efficiency.py`).
DEFAULT_STRATEGY = "typical-then-margin"
