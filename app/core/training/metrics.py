"""How good a model is, honestly: accuracy, macro-F1, and per class precision, recall, F1,
support, and the confusion matrix (scikit-learn)."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support


def summary_scores(labels: np.ndarray, predictions: np.ndarray) -> tuple[float, float]:
    """Accuracy, and macro-F1 over the classes that occur among the labels or the predictions (a
    class with no validation image that the model never predicts has no F1 to average)."""
    if len(labels) == 0:
        return float("nan"), float("nan")
    accuracy = accuracy_score(labels, predictions)
    macro = f1_score(labels, predictions, average="macro", zero_division=0)
    return float(accuracy), float(macro)


def report(labels: np.ndarray, predictions: np.ndarray, class_names: list[str]) -> dict:
    every = list(range(len(class_names)))
    precision, recall, f1, support = precision_recall_fscore_support(
        labels, predictions, labels=every, zero_division=0
    )
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
