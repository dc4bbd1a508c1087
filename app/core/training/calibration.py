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
