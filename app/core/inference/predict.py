"""Predictions of a trained run for images of the project (stored per run), or for any files
and folders (returned, not stored).

    predictions = predict_project(project, run_id, on_progress=..., should_stop=...)
    result = classify_files(project, [Path("new scans/")], top_k=3, tta=False)
    write_predictions_csv(result.predictions, Path("predictions.csv"))

The run's model is loaded by the one run loader (`training.saved_models`), whatever method
trained it, and images go through the same decoder and evaluation transform as in training,
with the model in eval mode under `torch.inference_mode()`.

How a batch job uses the machine (`predicted_batches`): files decode on one thread per core
while the model works on the batch before, through a bounded queue (`decode_queue`, so memory
stays flat on 100,000 files); on a GPU one stream of large batches under autocast (bf16 where
supported, else fp16); on the CPU, in float32, several single-thread forward passes side by side
on their own small batches (`BatchPlan`), with channels-last weights and BatchNorms folded into
their convolutions, run in onnxruntime (`engines`). End to end on 2 cores
(bench/predict_speed.py, decoding included): ResNet-18 94 images/s against 86 in torch, ViT-S
31 against 19.
"""

from __future__ import annotations

import csv
import logging
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import closing, nullcontext
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.atomic_files import written_whole
from app.core.errors import Cancelled, LoupeError
from app.core.file_names import shown
from app.core.imaging import DecodeOptions, looks_like_image_name, sniff_format
from app.core.imaging.formats import SNIFF_BYTES
from app.core.imaging.part_paths import exists, split_part
from app.core.imaging.regular_files import check_regular, open_regular
from app.core.importing.folder_walk import walk_files
from app.core.inference.decode_queue import AHEAD, DecodedBatch, decoded_batches, worker_pool
from app.core.inference.engines import check_engine, use_engine
from app.core.inference.run_model import (
    BatchPlan,
    RunModel,
    batch_plan,
    best_classes,
    fold_batch_norms,
    load_run_model,
    probabilities,
    ready_for_batches,
)
from app.core.project.store import Project
from app.core.training import preload
from app.core.training.runs import run_rendering

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PredictionProgress:
    done: int
    total: int


@dataclass(frozen=True)
class Prediction:
    image_id: int | None
    path: str
    class_id: int | None  # None when the image could not be read
    label: str
    confidence: float
    reason: str = ""  # why the file could not be read
    top: tuple[tuple[int, str, float], ...] = ()  # (class id, class name, probability), best first


def predicted_batches(
    run_model: RunModel,
    paths: list[Path],
    rendering: DecodeOptions = DecodeOptions(),
    top_k: int = 3,
    tta: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
    plan: BatchPlan | None = None,
) -> Iterator[tuple[int, list[tuple[int, Prediction]]]]:
    """(files handled so far, [(row, prediction)] in row order) a batch at a time, for `paths`
    decoded with `rendering` (the run's `run_rendering`: multi-band images as the model was
    shown them); unreadable files get a reason (and `image_id` None, `path` the file).

    Files decode on every core while the model works (`decoded_batches`); on the CPU several
    forward passes run at once, each on its own batch (`BatchPlan`). `should_stop` is asked before
    each batch: the batches already in the model are finished and yielded, then Cancelled."""
    plan = plan or batch_plan(run_model.device)
    ready_for_batches(run_model)
    first = True
    options = replace(rendering, draft_size=run_model.size * 2)
    in_model: deque[tuple[DecodedBatch, Future | None]] = deque()

    def finished(batch: DecodedBatch, scores) -> tuple[int, list[tuple[int, Prediction]]]:
        made = [(row, Prediction(None, str(paths[row]), None, "", 0.0, reason)) for row, reason in batch.failed.items()]
        if scores is not None:
            made += [
                (row, Prediction(None, str(paths[row]), top[0][0], top[0][1], top[0][2], top=top))
                for row, top in zip(batch.rows, best_classes(run_model, scores, top_k))
            ]
        return batch.done, sorted(made, key=lambda item: item[0])

    def oldest() -> tuple[int, list[tuple[int, Prediction]]]:
        batch, future = in_model.popleft()
        return finished(batch, future.result() if future else None)

    side_by_side = plan.model_workers > 1
    with (
        (
            worker_pool("loupe-model", plan.model_workers, plan.threads_per_model) if side_by_side else nullcontext()
        ) as forwards,
        closing(
            decoded_batches(
                paths,
                run_model.transform,
                options,
                plan.batch_size,
                should_stop,
                "prediction cancelled",
                plan.decode_workers,
                max(AHEAD, plan.model_workers),
            )
        ) as batches,
    ):
        try:
            for batch in batches:
                if first and batch.pixels is not None:
                    check_engine(run_model, batch.pixels)
                    first = False
                if not side_by_side:
                    yield finished(batch, None if batch.pixels is None else probabilities(run_model, batch.pixels, tta))
                    continue
                in_model.append(
                    (
                        batch,
                        None if batch.pixels is None else forwards.submit(probabilities, run_model, batch.pixels, tta),
                    )
                )
                while len(in_model) >= plan.model_workers or (in_model and in_model[0][1] is None):
                    yield oldest()
        except Cancelled:
            while in_model:  # what the model has started is kept
                yield oldest()
            raise
        while in_model:
            yield oldest()


def predict_files(
    run_model: RunModel,
    paths: list[tuple[int | None, Path, str]],
    rendering: DecodeOptions = DecodeOptions(),
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    top_k: int = 3,
    tta: bool = False,
) -> list[Prediction]:
    """Predict (image id, file, shown path) triples, in their order, decoded with `rendering`;
    unreadable files get a reason. `tta` averages each image's probabilities with its mirror image's."""
    results: list[Prediction] = []
    files = [path for _, path, _ in paths]
    for done, made in predicted_batches(run_model, files, rendering, top_k, tta, should_stop):
        results += [replace(p, image_id=paths[row][0], path=paths[row][2]) for row, p in made]
        on_progress(PredictionProgress(done, len(paths)))
    return results


def predict_project(
    project: Project,
    run_id: int,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "auto",
) -> list[Prediction]:
    """Predict every image of the project with run `run_id` and store the predictions."""
    rows = project.conn.execute("SELECT id, path FROM images ORDER BY id").fetchall()
    paths = [(image_id, project.resolve_path(path), path) for image_id, path in rows]
    run_model = loaded_run_model(project, run_id, device, len(paths), should_stop)
    predictions = predict_files(run_model, paths, run_rendering(project, run_id), on_progress, should_stop)
    if not project.read_only:
        _store(project, run_id, predictions)
    return predictions


def _store(project: Project, run_id: int, predictions: list[Prediction], chunk: int = 2000) -> None:
    """Replace the run's stored predictions, in short transactions (labels made meanwhile in the
    window never wait long for the write lock)."""
    rows = [(run_id, p.image_id, p.class_id, p.confidence) for p in predictions if p.class_id is not None]
    conn = project.conn
    with conn:
        conn.execute("DELETE FROM predictions WHERE run_id = ?", (run_id,))
    for start in range(0, len(rows), chunk):
        with conn:
            conn.executemany(
                "INSERT OR REPLACE INTO predictions (run_id, image_id, class_id, confidence) VALUES (?, ?, ?, ?)",
                rows[start : start + chunk],
            )


# -- Classifying files from outside the project (`loupe predict`, drag and drop) -------------------


def _is_image_file(path: Path) -> bool:
    """An image by its name, else by its first bytes (DICOM files often have no extension),
    as the importer decides."""
    if looks_like_image_name(path):
        return True
    try:
        with open_regular(path) as f:  # a named pipe is refused, never waited on
            return sniff_format(f.read(SNIFF_BYTES)) is not None
    except OSError:
        return False


def _expanded(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(absolute file, "") for every file to classify, (path, reason) for an input that cannot
    be, in the order given; a folder's files sorted, its subfolders walked recursively. A named
    pipe, socket or device is never opened: named, or named as an image in a folder (`x.png`),
    it comes back with its reason ('not a regular file (a named pipe)')."""
    found: list[tuple[Path, str]] = []
    for given in inputs:
        root = Path(os.path.abspath(given))
        if root.is_file() or _is_part_of_file(root):
            found.append((root, ""))  # named explicitly: the decoder says whether it is an image
            continue
        if not root.is_dir():
            found.append((root, _reason_not_read(root)))
            continue
        errors: list[OSError] = []
        for listing in walk_files(root, on_error=errors.append):
            found += sorted(
                [(listing.folder / name, "") for name in listing.files if _is_image_file(listing.folder / name)]
                + [(listing.folder / name, why) for name, why in listing.not_regular if looks_like_image_name(name)]
            )
        found += [
            (Path(error.filename or root), f"cannot list the folder ({error.strerror or error})") for error in errors
        ]
    return found


def _is_part_of_file(path: Path) -> bool:
    """A tile or frame of a file that is there (`part_paths`: `a.svs::tile(...)`): no file has
    that name, but `decode` reads that part of the file."""
    return split_part(path).is_part and exists(path)


def _reason_not_read(path: Path) -> str:
    """Why a named input that is neither a file nor a folder cannot be classified."""
    try:
        return check_regular(path) or "cannot read the file"
    except FileNotFoundError:
        return "no such file or folder"
    except OSError as exc:
        return f"cannot read the file ({exc.strerror or exc})"


def expand_inputs(inputs: list[Path]) -> tuple[list[Path], list[dict]]:
    """Files and folders (recursively, image files only, as the importer finds them) ->
    (files, rejected [{path, reason}]). Hidden files and a project's own folders are left out;
    a file named explicitly is kept whatever its name (the decoder gives the reason if it is not
    an image)."""
    files, rejected = [], []
    for path, reason in _expanded(inputs):
        if reason:
            rejected.append({"path": shown(path), "reason": reason})
        else:
            files.append(path)
    return files, rejected


def run_to_use(project: Project, run_id: int | None) -> int:
    """`run_id`, or the project's active run; LoupeError when there is none or no such run (before
    any folder is walked or source planned)."""
    from app.core.project.settings import active_run
    from app.core.training.runs import get_run

    if run_id is None:
        run_id = active_run(project)
        if run_id is None:
            raise LoupeError(
                "no model to predict with: no run is active in this project (train one, or choose one with --run)"
            )
    get_run(project, run_id)
    return run_id


def loaded_run_model(project: Project, run_id: int, device: str, files: int, should_stop: Callable[[], bool]):
    """The run's model made ready for a batch job over `files` images: torch loaded, BatchNorms
    folded, the engine chosen (onnxruntime on the CPU when it is faster)."""
    preload.before_use()  # a window may be loading torch in the background right now
    run_model = load_run_model(project, run_id, device)
    fold_batch_norms(run_model)
    use_engine(run_model, project, run_id, files, should_stop=should_stop)
    return run_model


@dataclass
class ClassifyResult:
    run_id: int
    predictions: list[Prediction]  # one per input file, in input order; unreadable ones with reason
    cancelled: bool = False
    found: int = 0  # files the inputs named or held (more than the predictions when cancelled)


def classify_files(
    project: Project,
    inputs: list[Path],
    run_id: int | None = None,
    device: str = "auto",
    top_k: int = 3,
    tta: bool = False,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ClassifyResult:
    """Classify files and folders with run `run_id` (None: the project's active run); nothing is
    stored, so a read-only project will do. Files that cannot be read come back with their reason
    and the rest goes on; a stop keeps the predictions made so far (`cancelled`)."""
    run_id = run_to_use(project, run_id)
    found = _expanded(inputs)
    files = [path for path, reason in found if not reason]
    run_model = loaded_run_model(project, run_id, device, len(files), should_stop)
    predictions: list[Prediction] = []
    cancelled = False
    try:
        for done, made in predicted_batches(run_model, files, run_rendering(project, run_id), top_k, tta, should_stop):
            predictions += [p for _, p in made]
            on_progress(PredictionProgress(done, len(files)))
    except Cancelled:
        cancelled = True
    by_path = iter(predictions)
    ordered = []
    for path, reason in found:
        if reason:
            ordered.append(Prediction(None, str(path), None, "", 0.0, reason))
        else:
            made = next(by_path, None)
            if made is None:
                break
            ordered.append(made)
    return ClassifyResult(run_id, ordered, cancelled, len(found))


def write_predictions_csv(predictions: list[Prediction], out: Path, top_k: int = 3) -> None:
    """Columns: path (absolute; a name that is not UTF-8 with `\\xNN` escapes, as
    `file_names.shown` writes it: the file is UTF-8), class, confidence, then top_2_class,
    top_2_probability, ... up to `top_k`, then error. Written to a temporary name then renamed
    (never half a file under the name asked for)."""
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    header = ["path", "class", "confidence"]
    for rank in range(2, top_k + 1):
        header += [f"top_{rank}_class", f"top_{rank}_probability"]
    with written_whole(out) as f:
        writer = csv.writer(f)
        writer.writerow(header + ["error"])
        for p in predictions:
            row = [shown(os.path.abspath(p.path)), p.label, f"{p.confidence:.6f}" if p.class_id is not None else ""]
            for rank in range(1, top_k):
                row += [p.top[rank][1], f"{p.top[rank][2]:.6f}"] if rank < len(p.top) else ["", ""]
            writer.writerow(row + [p.reason])
