"""Batches: files and folders classified with a run, kept in the project until deleted.

    batch_id = classify_into_batch(project, [Path("new scans/")], on_progress=..., should_stop=...)
    results = batch_results(project, batch_id)
    accept_as_labels(project, batch_id, [r.id for r in results if r.confidence > 0.9])

A batch remembers which run classified which files (absolute paths: the files stay where they
are and need not be in the project), what each was predicted to be, with its top classes, and why
a file could not be read. Accepting results as labels adds the files that are not in the project
yet (through the importer, so they are hashed, checked and thumbnailed like any import) and labels
them with source 'accepted-prediction' as one undoable action. The model pass itself is
`predict.classify_files`; this module only stores and reads what it returns.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.errors import LoupeError
from app.core.file_names import real_name, shown
from app.core.labelling.labels import ActionResult, set_labels
from app.core.project.outputs import CSV_FILE, check_output
from app.core.project.store import Project

if TYPE_CHECKING:
    import numpy as np

#: Result rows written per transaction (a label made in the window meanwhile waits milliseconds).
_CHUNK = 2000
#: Result rows read at a time into columns (each read holds Python's lock: 12 ms for 5,000 rows).
_READ_CHUNK = 1000


@dataclass(frozen=True)
class BatchInfo:
    id: int
    run_id: int | None
    created_at: str
    inputs: tuple[str, ...]
    status: str  # 'finished' or 'cancelled'
    top_k: int
    tta: bool
    total: int  # files found in the inputs
    classified: int
    failed: int

    @property
    def title(self) -> str:
        """One line for a picker: 'Batch 3 · 11-29 15:02 · 240 images · run 2 (cancelled)'."""
        when = self.created_at[5:16].replace("T", " ")  # month-day hour:minute (UTC)
        done = self.classified + self.failed
        count = f"{done} of {self.total} images" if self.status == "cancelled" else f"{done} images"
        run = f" · run {self.run_id}" if self.run_id is not None else ""
        return f"Batch {self.id} · {when} · {count}{run}" + (" (cancelled)" if self.status == "cancelled" else "")


@dataclass(frozen=True)
class BatchResult:
    id: int
    position: int
    path: str  # absolute
    class_id: int | None  # None when the file could not be read
    label: str
    confidence: float
    top: tuple[tuple[int, str, float], ...]
    reason: str
    #: The project image this result became (set by `accept_as_labels`), else None.
    image_id: int | None
    #: That image's label now (it may have been undone or changed since) and its source.
    label_class_id: int | None = None
    label_source: str | None = None

    @property
    def accepted(self) -> bool:
        """Its prediction is the image's label now, as accepted (an undo takes this back)."""
        return self.label_source == "accepted-prediction" and self.label_class_id is not None


def classify_into_batch(
    project: Project,
    inputs: Iterable[str | os.PathLike],
    run_id: int | None = None,
    top_k: int = 3,
    tta: bool = False,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "auto",
) -> int:
    """Classify files and folders with `run_id` (None: the active run) and keep the results as a
    new batch; returns its id. A cancelled classification keeps what was classified, and the
    batch says it was cancelled."""
    from app.core.inference.predict import classify_files  # loads torch only when called

    project.require_writable()
    paths = [Path(os.path.abspath(p)) for p in inputs]
    if not paths:
        raise LoupeError("nothing to classify: give at least one file or folder")
    result = classify_files(
        project,
        paths,
        run_id=run_id,
        device=device,
        top_k=top_k,
        tta=tta,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    return store_batch(
        project,
        result.run_id,
        paths,
        result.predictions,
        cancelled=result.cancelled,
        total=max(result.found, len(result.predictions)),
        top_k=top_k,
        tta=tta,
    )


def store_batch(
    project: Project,
    run_id: int | None,
    inputs: list[Path],
    predictions: list,
    cancelled: bool = False,
    total: int | None = None,
    top_k: int = 3,
    tta: bool = False,
) -> int:
    """Write a batch and its results (predict.Prediction objects, in input order), in short
    transactions (a label made meanwhile waits milliseconds). The batch is written as cancelled
    and marked finished with its last results: a crash halfway leaves a batch that says it is
    incomplete, never one that claims results it lacks."""
    project.require_writable()
    failed = sum(p.class_id is None for p in predictions)
    rows = [
        (
            position,
            shown(os.path.abspath(p.path)),  # a name that is not UTF-8 kept as text (file_names)
            p.class_id,
            p.label,
            float(p.confidence),
            json.dumps([[c, n, float(q)] for c, n, q in p.top]),
            p.reason,
        )
        for position, p in enumerate(predictions)
    ]
    conn = project.conn
    with conn:
        batch_id = conn.execute(
            "INSERT INTO batches (run_id, inputs, status, top_k, tta, total, classified, failed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                run_id,
                json.dumps([str(p) for p in inputs]),
                "cancelled",
                top_k,
                int(tta),
                total if total is not None else len(predictions),
                len(predictions) - failed,
                failed,
            ),
        ).lastrowid
    starts = range(0, len(rows), _CHUNK)
    for start in starts:
        with conn:
            conn.executemany(
                "INSERT INTO batch_results (batch_id, position, path, class_id, label, confidence, top, reason)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(batch_id, *row) for row in rows[start : start + _CHUNK]],
            )
            if not cancelled and start == starts[-1]:
                conn.execute("UPDATE batches SET status = 'finished' WHERE id = ?", (batch_id,))
    if not cancelled and not rows:
        with conn:
            conn.execute("UPDATE batches SET status = 'finished' WHERE id = ?", (batch_id,))
    return batch_id


_BATCH_COLUMNS = "id, run_id, created_at, inputs, status, top_k, tta, total, classified, failed"


def _batch(row) -> BatchInfo:
    id_, run_id, created, inputs, status, top_k, tta, total, classified, failed = row
    return BatchInfo(
        id_, run_id, created, tuple(json.loads(inputs)), status, top_k, bool(tta), total, classified, failed
    )


def batches(project: Project) -> list[BatchInfo]:
    """The project's batches, newest first."""
    rows = project.conn.execute(f"SELECT {_BATCH_COLUMNS} FROM batches ORDER BY id DESC").fetchall()
    return [_batch(row) for row in rows]


def get_batch(project: Project, batch_id: int) -> BatchInfo:
    row = project.conn.execute(f"SELECT {_BATCH_COLUMNS} FROM batches WHERE id = ?", (batch_id,)).fetchone()
    if row is None:
        raise LoupeError(f"there is no batch {batch_id} in {project.file.name}")
    return _batch(row)


def _result_rows(project: Project, batch_id: int, result_ids: Iterable[int] | None) -> list[tuple]:
    """The rows of `batch_results` (the `top` column as its stored JSON)."""
    get_batch(project, batch_id)
    sql = (
        "SELECT r.id, r.position, r.path, r.class_id, r.label, r.confidence, r.top, r.reason, r.image_id,"
        " l.class_id, l.source FROM batch_results r LEFT JOIN labels l ON l.image_id = r.image_id"
        " WHERE r.batch_id = ?"
    )
    params: tuple = (batch_id,)
    if result_ids is not None:
        sql += " AND r.id IN (SELECT value FROM json_each(?))"
        params += (json.dumps(list(result_ids)),)
    return project.conn.execute(sql + " ORDER BY r.position", params).fetchall()


def batch_results(project: Project, batch_id: int, result_ids: Iterable[int] | None = None) -> list[BatchResult]:
    """A batch's results in input order (or only `result_ids`), each with the label its image
    has now, if it is in the project."""
    return [
        BatchResult(
            id_,
            position,
            path,
            class_id,
            label,
            confidence,
            tuple(tuple(t) for t in json.loads(top)),
            reason,
            image_id,
            label_class,
            source,
        )
        for id_, position, path, class_id, label, confidence, top, reason, image_id, label_class, source in (
            _result_rows(project, batch_id, result_ids)
        )
    ]


def _column(values) -> np.ndarray:
    """`values` (numbers, strings, None) as a numpy array of the objects themselves (numpy is
    imported here: the commands that never read a batch's columns do without it)."""
    import numpy as np

    column = np.empty(len(values), dtype=object)
    for start in range(0, len(values), 10_000):  # a slice at a time: 100,000 at once held Python's lock 12 ms
        column[start : start + 10_000] = values[start : start + 10_000]
    return column


@dataclass
class BatchColumns:
    """A batch's results as columns, one numpy array of objects per field of `BatchResult`, in
    input order (`top` as its JSON text): how a window keeps 100,000 results without 100,000
    objects, each of which Python's garbage collector would visit at every collection (50-65 ms
    a collection, on the GUI thread); numpy arrays are not visited at all. `result(i)` makes the
    i-th result when it is wanted."""

    ids: np.ndarray = field(default_factory=lambda: _column(()))
    positions: np.ndarray = field(default_factory=lambda: _column(()))
    paths: np.ndarray = field(default_factory=lambda: _column(()))
    class_ids: np.ndarray = field(default_factory=lambda: _column(()))  # None: the file was not read
    labels: np.ndarray = field(default_factory=lambda: _column(()))
    confidences: np.ndarray = field(default_factory=lambda: _column(()))
    tops: np.ndarray = field(default_factory=lambda: _column(()))
    reasons: np.ndarray = field(default_factory=lambda: _column(()))
    image_ids: np.ndarray = field(default_factory=lambda: _column(()))
    label_class_ids: np.ndarray = field(default_factory=lambda: _column(()))
    label_sources: np.ndarray = field(default_factory=lambda: _column(()))

    def __len__(self) -> int:
        return len(self.ids)

    def columns(self) -> tuple[np.ndarray, ...]:
        """The columns, in the order of BatchResult's fields."""
        return tuple(getattr(self, f.name) for f in fields(self))

    def accepted(self) -> list[bool]:
        """Whether each result's prediction is its image's label now (as `BatchResult.accepted`)."""
        return [
            source == "accepted-prediction" and label is not None
            for source, label in zip(self.label_sources, self.label_class_ids, strict=True)
        ]

    def result(self, i: int) -> BatchResult:
        values = [column[i] for column in self.columns()]
        values[6] = tuple(tuple(t) for t in json.loads(values[6]))
        return BatchResult(*values)

    @classmethod
    def of(cls, results: Iterable[BatchResult]) -> BatchColumns:
        """Results (made elsewhere: a test, a benchmark) as columns."""
        rows = [
            (
                r.id,
                r.position,
                r.path,
                r.class_id,
                r.label,
                r.confidence,
                json.dumps([list(t) for t in r.top]),
                r.reason,
                r.image_id,
                r.label_class_id,
                r.label_source,
            )
            for r in results
        ]
        return cls(*map(_column, zip(*rows, strict=True))) if rows else cls()


def batch_result_columns(project: Project, batch_id: int) -> BatchColumns:
    """A batch's results in input order as columns (see BatchColumns), with the label each image
    has now. Read a few thousand rows at a time: turning 100,000 rows into columns at once held
    Python's lock for 40 ms, which a window's thread would have waited for."""
    get_batch(project, batch_id)
    cursor = project.conn.execute(
        "SELECT r.id, r.position, r.path, r.class_id, r.label, r.confidence, r.top, r.reason, r.image_id,"
        " l.class_id, l.source FROM batch_results r LEFT JOIN labels l ON l.image_id = r.image_id"
        " WHERE r.batch_id = ? ORDER BY r.position",
        (batch_id,),
    )
    parts: list[list] = [[] for _ in fields(BatchColumns)]
    while chunk := cursor.fetchmany(_READ_CHUNK):
        for part, values in zip(parts, zip(*chunk, strict=True), strict=True):
            part.extend(values)
    return BatchColumns(*map(_column, parts))


def delete_batch(project: Project, batch_id: int) -> None:
    """Forget a batch and its results (the files, and labels accepted from it, stay)."""
    project.require_writable()
    get_batch(project, batch_id)
    with project.conn as conn:
        conn.execute("DELETE FROM batches WHERE id = ?", (batch_id,))


def _first_frame_options():
    """Import options for files accepted from a batch: a multi-frame file as the one frame the
    batch classified (its first), not as every frame."""
    from app.core.importing.importer import ImportOptions

    return ImportOptions(frames="first")


def _project_images(project: Project, paths: list[str]) -> dict[str, int]:
    """Absolute path -> project image id, for the files already in the project (by their stored
    path, as a duplicate of an image with the same content, or, for a multi-frame file, by its
    first frame: the frame a batch classifies)."""
    from app.core.imaging.part_paths import frame_path

    stored = {project.stored_path(p): p for p in paths}
    stored |= {frame_path(name, 0): p for name, p in list(stored.items())}
    found: dict[str, int] = {}
    for table, column in (("duplicate_files", "image_id"), ("images", "id")):  # an image's own path wins
        rows = project.conn.execute(
            f"SELECT path, {column} FROM {table} WHERE path IN (SELECT value FROM json_each(?))",
            (json.dumps(list(stored)),),
        ).fetchall()
        found.update({stored[path]: image_id for path, image_id in rows})
    return found


@dataclass(frozen=True)
class AcceptResult(ActionResult):
    """An accept: the label action (undo takes it back) and what happened to each file."""

    added: int = 0  # files imported into the project for it
    skipped: tuple[dict, ...] = ()  # {path, reason}: results that could not become labels


def import_for_accept(
    project: Project,
    batch_id: int,
    result_ids: Iterable[int],
    on_progress: Callable[[object], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Import the readable files of these results that are not in the project yet, where they
    are; returns how many were added. A window runs this in its import lane before
    `accept_as_labels`, so hashing and thumbnailing thousands of files never holds up the labels
    queued behind an accept (nor closing the window: `should_stop` ends it early)."""
    from app.core.importing.importer import import_paths

    project.require_writable()
    paths = [r.path for r in batch_results(project, batch_id, result_ids) if r.class_id is not None]
    known = _project_images(project, paths)
    missing = [real_name(path) for path in paths if path not in known and Path(real_name(path)).is_file()]
    if not missing:
        return 0
    return import_paths(
        project, missing, _first_frame_options(), on_progress=on_progress, should_stop=should_stop
    ).added


def accept_as_labels(
    project: Project,
    batch_id: int,
    result_ids: Iterable[int],
    class_id: int | None = None,
    on_progress: Callable[[object], None] | None = None,
    already_added: int = 0,
) -> AcceptResult:
    """Label the files of these results with their predicted class (or `class_id` for all), as
    ONE undoable action with source 'accepted-prediction'. Files not in the project yet are
    imported first, where they are (nothing is copied or moved; `already_added` counts those an
    `import_for_accept` just added, for the report); an undo takes the labels back and leaves
    those images in the project, unlabelled."""
    from app.core.importing.importer import import_paths

    project.require_writable()
    results = [r for r in batch_results(project, batch_id, result_ids)]
    skipped: list[dict] = []
    wanted = []
    for r in results:
        target = class_id if class_id is not None else r.class_id
        if target is None:
            skipped.append({"path": r.path, "reason": r.reason or "the file could not be read"})
        else:
            wanted.append((r, target))
    if (
        class_id is not None
        and project.conn.execute("SELECT 1 FROM classes WHERE id = ? AND NOT deleted", (class_id,)).fetchone() is None
    ):
        raise LoupeError(f"there is no class with id {class_id}")
    known = _project_images(project, [r.path for r, _ in wanted])
    missing = [real_name(r.path) for r, _ in wanted if r.path not in known and Path(real_name(r.path)).is_file()]
    added = 0
    if missing:
        report = import_paths(project, missing, _first_frame_options(), on_progress=on_progress)
        added = report.added
        known = _project_images(project, [r.path for r, _ in wanted])
        reasons = {
            shown(os.path.abspath(project.resolve_path(item["path"]))): item["reason"] for item in report.rejected
        }
    else:
        reasons = {}
    added += already_added
    assignments: dict[int, int] = {}
    links: list[tuple[int, int]] = []
    for r, target in wanted:
        image_id = known.get(r.path)
        if image_id is None:
            reason = reasons.get(r.path) or (
                "the file is gone" if not Path(real_name(r.path)).exists() else "not imported"
            )
            skipped.append({"path": r.path, "reason": reason})
            continue
        assignments[image_id] = target
        links.append((image_id, r.id))
    count = len(assignments)
    description = f"Accept {count} prediction{'s' if count != 1 else ''} of batch {batch_id} as labels"
    conn = project.conn
    try:  # the labels and the results' link to their images in one transaction
        action = set_labels(project, assignments.items(), "accepted-prediction", description, conn=conn)
        conn.executemany("UPDATE batch_results SET image_id = ? WHERE id = ?", links)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return AcceptResult(action, description, tuple(assignments) if action else (), added=added, skipped=tuple(skipped))


def export_batch_csv(project: Project, batch_id: int, out: str | os.PathLike) -> Path:
    """The batch's results as a CSV (predict.write_predictions_csv's columns); returns its path."""
    from app.core.inference.predict import Prediction, write_predictions_csv

    out = check_output(out, CSV_FILE, project.paths)  # never the project's own files, nor over an image
    batch = get_batch(project, batch_id)
    predictions = [
        Prediction(r.image_id, r.path, r.class_id, r.label, r.confidence, r.reason, r.top)
        for r in batch_results(project, batch_id)
    ]
    write_predictions_csv(predictions, out, top_k=batch.top_k)
    return out
