"""How good a model is, honestly: accuracy, macro-F1, and per class precision, recall, F1,
support, and the confusion matrix (scikit-learn)."""

from __future__ import annotations

import math

import numpy as np


def summary_scores(labels: np.ndarray, predictions: np.ndarray) -> tuple[float, float]:
    """Accuracy, and macro-F1 over the classes that occur among the labels or the predictions (a
    class with no validation image that the model never predicts has no F1 to average)."""
    from sklearn.metrics import accuracy_score, f1_score

    if len(labels) == 0:
        return float("nan"), float("nan")
    accuracy = accuracy_score(labels, predictions)
    macro = f1_score(labels, predictions, average="macro", zero_division=0)
    return float(accuracy), float(macro)


def report(labels: np.ndarray, predictions: np.ndarray, class_names: list[str]) -> dict:
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    every = list(range(len(class_names)))
    precision, recall, f1, support = precision_recall_fscore_support(labels, predictions, labels=every, zero_division=0)
    accuracy, macro = summary_scores(labels, predictions)
    return {
        "accuracy": accuracy,
        "macro_f1": macro,
        "classes": [
            {"name": name, "precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
            for name, p, r, f, s in zip(class_names, precision, recall, f1, support)
        ],
        "confusion_matrix": confusion_matrix(labels, predictions, labels=every).tolist(),  # rows: true
    }


def wilson_interval(correct: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95 % Wilson score interval of an accuracy of `correct` out of `total`: honest about
    how little a score on a few validation images says (9 of 10 right: 60 %–98 %)."""
    if total <= 0:
        return 0.0, 1.0
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)
