"""Training runs in the project: created when training starts, updated as it ends, with the
label snapshot, metrics and report, so every number can be traced back to what produced it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import LoupeError
from app.core.project import Project
from app.core.training.config import TrainConfig

if TYPE_CHECKING:  # data.py loads torch; recording runs must not
    from app.core.training.data import TrainingSet


@dataclass(frozen=True)
class RunRecord:
    id: int
    status: str
    model_ref: str
    method: str
    config: TrainConfig
    classes: list[dict]
    device: str
    model_dir: str | None
    accuracy: float | None
    macro_f1: float | None
    report: dict | None
    message: str
    created_at: str
    finished_at: str | None


def mark_interrupted_runs(project: Project) -> None:
    """A run still 'running' when a new one starts was interrupted (crash, kill): say so."""
    with project.conn as conn:
        conn.execute(
            "UPDATE runs SET status = 'failed', message = 'interrupted (the process ended while training)',"
            " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'running'"
        )


def create_run(project: Project, config: TrainConfig, training_set: TrainingSet, device: str) -> int:
    classes = [{"id": class_id, "name": name} for class_id, name in training_set.classes]
    with project.conn as conn:
        run_id = conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes, device) VALUES ('running', ?, ?, ?, ?, ?, ?)",
            (config.model, config.method, config.seed, config.to_json(), json.dumps(classes), device),
        ).lastrowid
        conn.executemany(
            "INSERT INTO run_labels (run_id, image_id, class_id, split) VALUES (?, ?, ?, ?)",
            [(run_id, item.image_id, item.class_id, item.split) for item in training_set.items],
        )
    return run_id


def add_metrics(project: Project, run_id: int, rows: list[tuple[int, float, str, float]]) -> None:
    if rows:
        with project.conn as conn:
            conn.executemany(
                "INSERT INTO run_metrics (run_id, step, epoch, name, value) VALUES (?, ?, ?, ?, ?)",
                [(run_id, *row) for row in rows],
            )


def finish_run(project: Project, run_id: int, status: str, *, message: str = "", model_dir: str | None = None,
               report: dict | None = None) -> None:  # fmt: skip
    with project.conn as conn:
        conn.execute(
            "UPDATE runs SET status = ?, message = ?, model_dir = ?, report = ?, accuracy = ?, macro_f1 = ?,"
            " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (status, message, model_dir, json.dumps(report) if report else None,
             report.get("accuracy") if report else None, report.get("macro_f1") if report else None, run_id),
        )  # fmt: skip


def get_run(project: Project, run_id: int) -> RunRecord:
    row = project.conn.execute(
        "SELECT id, status, model_ref, method, config, classes, device, model_dir, accuracy, macro_f1, report,"
        " message, created_at, finished_at FROM runs WHERE id = ?",
        (run_id,),
    ).fetchone()
    if row is None:
        raise LoupeError(f"there is no run {run_id} in this project")
    (id_, status, ref, method, config, classes, device, model_dir, accuracy, macro, report, message, created, finished) = row
    return RunRecord(id_, status, ref, method, TrainConfig.from_json(config), json.loads(classes), device, model_dir,
                     accuracy, macro, json.loads(report) if report else None, message, created, finished)  # fmt: skip


def list_runs(project: Project) -> list[RunRecord]:
    return [get_run(project, row[0]) for row in project.conn.execute("SELECT id FROM runs ORDER BY id")]


def run_metrics(project: Project, run_id: int, name: str) -> list[tuple[int, float, float]]:
    """(step, epoch, value) of one metric of a run, in order."""
    return project.conn.execute(
        "SELECT step, epoch, value FROM run_metrics WHERE run_id = ? AND name = ? ORDER BY step, rowid", (run_id, name)
    ).fetchall()
