"""Training runs in the project: created when training starts, updated as it ends, with the
label snapshot, metrics and report, so every number can be traced back to what produced it."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import LoupeError
from app.core.project.store import Project
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
    #: Trainable/total parameters, bytes saved, peak memory, latency (see `cost.py`).
    cost: dict | None = None
    #: What the user should know about the run: images skipped, batch halved, early stop.
    notices: list[str] = field(default_factory=list)

    @property
    def method_title(self) -> str:
        """The method as the window names it ("Linear probe"); its name if Loupe no longer has it."""
        from app.core.training.methods import METHODS

        info = METHODS.get(self.method)
        return info.title if info else self.method

    @property
    def backbone_name(self) -> str:
        """The backbone as people call it: a preset or hub id as is, a local folder by its name."""
        ref = self.model_ref
        return Path(ref).name if ref.startswith(("/", ".", "~")) or "\\" in ref else ref

    @property
    def accuracy_text(self) -> str:
        """'93.3 % accuracy' on the validation images, or '' when it was never measured."""
        return f"{self.accuracy:.1%} accuracy" if self.accuracy is not None else ""

    @property
    def description(self) -> str:
        """The run in one line, the same wherever the window or the command line names it:
        'run 3 · tiny-vit · Linear probe · 93.3% accuracy'."""
        parts = [f"run {self.id}", self.backbone_name, self.method_title, self.accuracy_text]
        return " · ".join(part for part in parts if part)


def model_folder_name(run_id: int) -> str:
    """A folder name no other run can have, even one numbered the same after an older copy of
    the project file was restored."""
    return f"run-{run_id}-{uuid.uuid4().hex[:8]}"


def create_run(project: Project, config: TrainConfig, training_set: TrainingSet, device: str, model_ref: str) -> int:
    """Record a run as it starts: config, seed, and which images with which labels and splits.
    `model_ref` is the backbone at the root of the run (an earlier run's, with `init_from`)."""
    classes = [{"id": class_id, "name": name} for class_id, name in training_set.classes]
    with project.conn as conn:
        run_id = conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes, device) VALUES ('running', ?, ?, ?, ?, ?, ?)",
            (model_ref, config.method, config.seed, config.to_json(), json.dumps(classes), device),
        ).lastrowid
        conn.executemany(
            "INSERT INTO run_labels (run_id, image_id, class_id, split) VALUES (?, ?, ?, ?)",
            [(run_id, item.image_id, item.class_id, item.split) for item in training_set.items],
        )
    return run_id


def record_splits(project: Project, run_id: int, splits: dict[int, str]) -> None:
    """Correct a starting run's label snapshot to the splits it trains with (set once the
    near-duplicates are grouped, after the model has loaded)."""
    with project.conn as conn:
        conn.executemany(
            "UPDATE run_labels SET split = ? WHERE run_id = ? AND image_id = ? AND split != ?",
            [(split, run_id, image_id, split) for image_id, split in splits.items()],
        )


def add_metrics(project: Project, run_id: int, rows: list[tuple[int, float, str, float]]) -> None:
    if rows:
        with project.conn as conn:
            conn.executemany(
                "INSERT INTO run_metrics (run_id, step, epoch, name, value) VALUES (?, ?, ?, ?, ?)",
                [(run_id, *row) for row in rows],
            )


def finish_run(
    project: Project,
    run_id: int,
    status: str,
    *,
    message: str = "",
    model_dir: str | None = None,
    report: dict | None = None,
    cost: dict | None = None,
    notices: list[str] = (),
) -> None:
    """Record how a run ended. Its accuracy and macro-F1 are the report's: the best epoch's."""
    with project.conn as conn:
        conn.execute(
            "UPDATE runs SET status = ?, message = ?, model_dir = ?, report = ?, accuracy = ?, macro_f1 = ?,"
            " cost = ?, notices = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?",
            (
                status,
                message,
                model_dir,
                json.dumps(report) if report else None,
                report.get("accuracy") if report else None,
                report.get("macro_f1") if report else None,
                json.dumps(cost) if cost else None,
                json.dumps(list(notices)),
                run_id,
            ),
        )


_RUN_COLUMNS = (
    "id, status, model_ref, method, config, classes, device, model_dir, accuracy, macro_f1, {report},"
    " message, created_at, finished_at, cost, notices"
)


def _run_record(row: tuple) -> RunRecord:
    (
        id_,
        status,
        ref,
        method,
        config,
        classes,
        device,
        model_dir,
        accuracy,
        macro,
        report,
        message,
        created,
        finished,
        cost,
        notices,
    ) = row
    return RunRecord(
        id_,
        status,
        ref,
        method,
        TrainConfig.from_json(config),
        json.loads(classes),
        device,
        model_dir,
        accuracy,
        macro,
        json.loads(report) if report else None,
        message,
        created,
        finished,
        json.loads(cost) if cost else None,
        json.loads(notices or "[]"),
    )


def latest_run(project: Project) -> RunRecord | None:
    """The project's newest run, without its report (the Train workspace's bar names it)."""
    (newest,) = project.conn.execute("SELECT max(id) FROM runs").fetchone()
    return None if newest is None else get_run(project, newest, report=False)


def get_run(project: Project, run_id: int, report: bool = True) -> RunRecord:
    """One run; with `report=False` without its report (see `list_runs`)."""
    row = project.conn.execute(
        f"SELECT {_RUN_COLUMNS.format(report='report' if report else 'NULL')} FROM runs WHERE id = ?", (run_id,)
    ).fetchone()
    if row is None:
        raise LoupeError(f"there is no run {run_id} in this project")
    return _run_record(row)


def list_runs(project: Project, reports: bool = True) -> list[RunRecord]:
    """Every run, oldest first. With `reports=False` their reports are not read (each holds a
    prediction per validation image, megabytes on a large project; a list of runs shows only
    the scores): `report` is then None, and `get_run` reads a run's."""
    columns = _RUN_COLUMNS.format(report="report" if reports else "NULL")
    return [_run_record(row) for row in project.conn.execute(f"SELECT {columns} FROM runs ORDER BY id")]


def run_label_counts(project: Project, run_ids: list[int]) -> dict[int, int]:
    """How many labelled images each of these runs trained and validated on."""
    return {
        run_id: project.conn.execute("SELECT count(*) FROM run_labels WHERE run_id = ?", (run_id,)).fetchone()[0]
        for run_id in run_ids
    }


def run_metrics(project: Project, run_id: int, name: str) -> list[tuple[int, float, float]]:
    """(step, epoch, value) of one metric of a run, in order."""
    return project.conn.execute(
        "SELECT step, epoch, value FROM run_metrics WHERE run_id = ? AND name = ? ORDER BY step, rowid", (run_id, name)
    ).fetchall()


@dataclass(frozen=True)
class Comparison:
    """Two runs' accuracy on the validation images both were scored on."""

    images: int
    new_accuracy: float
    old_accuracy: float

    @property
    def new_is_worse(self) -> bool:
        return self.images > 0 and self.new_accuracy < self.old_accuracy


def compare_with_active(project: Project, run_id: int, active: int | None) -> Comparison | None:
    """How run `run_id` compares with the active run, or None when there is nothing to compare
    with (no active run, the same run, or the active run is gone). Reads both reports: a job."""
    if active is None or active == run_id:
        return None
    try:
        return compare_runs(get_run(project, run_id), get_run(project, active))
    except LoupeError:
        return None


def compare_runs(new: RunRecord, old: RunRecord) -> Comparison:
    """Scores on the same images: validation sets grow as labels arrive, so two runs' reported
    accuracies are on different images; this compares them where both were checked (by image and
    the label each run used for it)."""

    def answers(run: RunRecord) -> dict[tuple[int, str], bool]:
        names = [entry["name"] for entry in run.classes]
        return {
            (p["image_id"], names[p["label"]]): p["label"] == p["predicted"]
            for p in (run.report or {}).get("val_predictions", [])
        }

    mine, theirs = answers(new), answers(old)
    shared = mine.keys() & theirs.keys()
    if not shared:
        return Comparison(0, float("nan"), float("nan"))
    return Comparison(
        len(shared), sum(mine[k] for k in shared) / len(shared), sum(theirs[k] for k in shared) / len(shared)
    )


def run_rendering(project: Project, run_id: int):
    """How a run's model saw multi-band images (its band choice or named composite, as recorded
    when it trained): what prediction, maps and heatmaps decode with, so a composite chosen later
    to look at (NDVI) never feeds a model trained on true colour. A run from before this was
    recorded sees the project's present choice."""
    from dataclasses import replace

    from app.core.project.settings import image_choice

    row = project.conn.execute("SELECT report FROM runs WHERE id = ?", (run_id,)).fetchone()
    recorded = (json.loads(row[0]) or {}).get("rendering") if row and row[0] else None
    if not recorded:
        return image_choice(project)
    bands = tuple(recorded["bands"]) if recorded.get("bands") else None
    return replace(image_choice(project), bands=bands, composite=recorded.get("composite"))
