"""Calibrated confidence: temperature scaling (Guo et al. 2017) fitted on each run's validation
predictions, its expected calibration error before and after, and a reliability diagram.

Why a temperature: fine-tuned networks are over-confident (a "95 %" that is right 80 % of the
time), and a user who sorts by confidence or trusts a "needs review" threshold is misled. One
number T divides the logits: the predicted class never changes, only how sure the model says it
is. The trainer folds 1/T into the saved head's weights, so every consumer of the run's model —
grid badges, Results, `loupe predict`, suggestions, exports — shows calibrated confidences
without knowing T exists.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

#: Fewer validation images than this: T stays 1 (a temperature fitted on a handful of images
#: would mostly follow their luck).
MIN_IMAGES = 20
#: The temperatures searched; outside this range something else is wrong with the run.
BOUNDS = (0.25, 20.0)
ECE_BINS = 15
DIAGRAM_BINS = 10


@dataclass
class Calibration:
    temperature: float
    images: int
    ece_before: float
    ece_after: float
    reliability_before: list[dict] = field(default_factory=list)
    reliability_after: list[dict] = field(default_factory=list)
    note: str = ""  # why T was not fitted, when it was not

    def to_json(self) -> dict:
        return asdict(self)


def with_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(logits / T), from softmax(logits): log p differs from the logits by a constant per
    row, which the softmax cancels."""
    logits = np.log(np.clip(np.asarray(probabilities, dtype=np.float64), 1e-30, None)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    e = np.exp(logits)
    return e / e.sum(axis=1, keepdims=True)


def _nll(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(-np.log(np.clip(probabilities[np.arange(len(labels)), labels], 1e-30, None)).mean())


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = DIAGRAM_BINS) -> list[dict]:
    """Per confidence bin: its range, how many images, their mean confidence and accuracy."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges[1:-1], right=True), 0, bins - 1)
    rows = []
    for b in range(bins):
        chosen = which == b
        count = int(chosen.sum())
        rows.append(
            {
                "low": float(edges[b]),
                "high": float(edges[b + 1]),
                "count": count,
                "confidence": float(confidence[chosen].mean()) if count else None,
                "accuracy": float(correct[chosen].mean()) if count else None,
            }
        )
    return rows


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = ECE_BINS) -> float:
    """The images' share-weighted gap between confidence and accuracy over equal-width bins."""
    if not len(labels):
        return float("nan")
    rows = reliability(np.asarray(probabilities), np.asarray(labels), bins)
    return float(sum(r["count"] * abs(r["confidence"] - r["accuracy"]) for r in rows if r["count"]) / len(labels))


def fit_temperature(probabilities: np.ndarray, labels: np.ndarray) -> float:
    """The T that minimises the validation images' negative log-likelihood (a 1-D search over
    log T, where the likelihood is convex)."""
    from scipy.optimize import minimize_scalar

    result = minimize_scalar(
        lambda log_t: _nll(with_temperature(probabilities, float(np.exp(log_t))), labels),
        bounds=tuple(np.log(BOUNDS)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(np.exp(result.x))


#: Folds of the check that a temperature generalises beyond the images it was fitted on.
CHECK_FOLDS = 10


def _helps_held_out(probabilities: np.ndarray, labels: np.ndarray) -> bool:
    """Whether a temperature generalises: fitted on nine tenths of the validation images, does it
    lower the log-loss of the tenth left out, summed over the ten ways round? On a few dozen
    images, a model whose confidence is already about right (the linear probe, whose
    regularisation was chosen by log-loss) would otherwise get a temperature that fits their luck."""
    rows = np.arange(len(labels))
    gain = 0.0
    for fold in range(CHECK_FOLDS):
        held = rows % CHECK_FOLDS == fold
        temperature = fit_temperature(probabilities[~held], labels[~held])
        gain += (
            _nll(probabilities[held], labels[held])
            - _nll(with_temperature(probabilities[held], temperature), labels[held])
        ) * held.sum()
    return gain > 0


def calibrate(probabilities: np.ndarray, labels: np.ndarray) -> Calibration:
    """The run's temperature from its validation predictions, with the errors before and after."""
    probabilities, labels = np.asarray(probabilities, dtype=np.float64), np.asarray(labels, dtype=np.int64)
    before = expected_calibration_error(probabilities, labels)
    diagram = reliability(probabilities, labels)
    note = ""
    if len(labels) < MIN_IMAGES:
        note = f"not calibrated: {len(labels)} validation images, at least {MIN_IMAGES} are needed"
    elif (probabilities.argmax(axis=1) == labels).all():
        # The likelihood of all-correct predictions only grows as T shrinks: fitting would make
        # the model surer than anything the validation images show.
        note = "not calibrated: the model got every validation image right, so they cannot say how sure it should be"
    if not note and not _helps_held_out(probabilities, labels):
        note = (
            "left as it was: a temperature fitted on most validation images did not improve the log-loss of those "
            "left out (the model's confidence was already about right)"
        )
    if note:
        return Calibration(1.0, len(labels), before, before, diagram, diagram, note)
    temperature = fit_temperature(probabilities, labels)
    after = with_temperature(probabilities, temperature)
    return Calibration(
        temperature,
        len(labels),
        before,
        expected_calibration_error(after, labels),
        diagram,
        reliability(after, labels),
    )


@dataclass(frozen=True)
class ReviewThreshold:
    """A "needs review" threshold chosen for a target error rate (split-conformal selection)."""

    threshold: float  # results below this confidence need review
    target: float  # the error rate asked for among the results not flagged
    error_rate: float  # of the validation results at or above the threshold
    kept: int  # validation results at or above the threshold
    images: int  # validation results in all

    @property
    def sentence(self) -> str:
        if self.kept == 0:
            return (
                f"No confidence keeps the error under {self.target:.0%} on the {self.images} validation images: "
                "every result needs review."
            )
        return (
            f"Results under {self.threshold:.0%} confidence need review: of the {self.images} validation images, "
            f"the {self.kept} the model was at least that sure of were wrong {self.error_rate:.1%} of the time "
            f"(asked: at most {self.target:.0%}, with room for chance)."
        )


def review_threshold(val_predictions: list[dict], target: float) -> ReviewThreshold:
    """The lowest whole-percent confidence threshold (what the Results tab's box holds) whose
    results, on the run's validation images, are wrong at most `target` of the time — counted
    conservatively, as (errors + 1) / (kept + 1), the split-conformal correction that keeps the
    promise on new images from the same source (Angelopoulos et al. 2022, "conformal risk
    control"). `val_predictions` are a report's (calibrated confidences)."""
    confidence = np.array([p["confidence"] for p in val_predictions], dtype=np.float64)
    wrong = np.array([p["label"] != p["predicted"] for p in val_predictions], dtype=bool)
    best = ReviewThreshold(1.0, target, 0.0, 0, len(confidence))
    for percent in range(100, 0, -1):
        kept = confidence >= percent / 100 - 1e-9
        errors, count = int(wrong[kept].sum()), int(kept.sum())
        if count and (errors + 1) / (count + 1) <= target:
            best = ReviewThreshold(percent / 100, target, errors / count, count, len(confidence))
    return best
