"""Finished training runs written straight into a project (no training): for tests and benches
of the views that list runs, with reports as large as a big project's."""

from __future__ import annotations

import json

from app.core.project.store import Project
from app.core.training.config import TrainConfig
from app.core.training.runs import finish_run


def record_finished_run(project: Project, image_ids: list[int], classes: list[dict], accuracy: float = 0.9) -> int:
    """A 'done' run that trained on `image_ids` (labels: class i % n) and validated on every
    fifth of them, with a report of the shape the trainer writes (a prediction per image)."""
    names = [c["name"] for c in classes]
    conn = project.conn
    with conn:
        run_id = conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes) VALUES ('running', 'tiny', 'linear', 0, ?, ?)",
            (TrainConfig().to_json(), json.dumps(classes)),
        ).lastrowid
        conn.executemany(
            "INSERT INTO run_labels (run_id, image_id, class_id, split) VALUES (?, ?, ?, ?)",
            [
                (run_id, image_id, classes[i % len(classes)]["id"], "val" if i % 5 == 0 else "train")
                for i, image_id in enumerate(image_ids)
            ],
        )
    validated = image_ids[::5]
    predictions = [
        {
            "image_id": image_id,
            "label": i % len(names),
            "predicted": (i + (i % 10 == 0)) % len(names),
            "confidence": 0.5 + (i % 50) / 100,
        }
        for i, image_id in enumerate(validated)
    ]
    matrix = [[0] * len(names) for _ in names]
    for p in predictions:
        matrix[p["label"]][p["predicted"]] += 1
    report = {
        "accuracy": accuracy,
        "macro_f1": accuracy - 0.05,
        "best_epoch": 3.0,
        "confusion_matrix": matrix,
        "classes": [
            {"name": name, "precision": 0.9, "recall": 0.9, "f1": 0.9, "support": sum(matrix[k])}
            for k, name in enumerate(names)
        ],
        "val_predictions": predictions,
    }
    finish_run(project, run_id, "done", model_dir=f"run-{run_id}", report=report)
    return run_id
