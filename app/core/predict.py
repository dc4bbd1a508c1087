"""Predictions of a trained run for images of the project (or any files), stored per run.

    predictions = predict_project(project, run_id, on_progress=..., should_stop=...)

The run's model is loaded by the one run loader (`training.saved_models`), whatever method
trained it, and images go through the same decoder and evaluation transform as in training,
with the model in eval mode under `torch.inference_mode()`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import Cancelled
from app.core.imaging import DecodeOptions, decode
from app.core.project import Project
from app.core.settings import band_choice
from app.core.training import preload
from app.core.training.backbones import image_settings

BATCH = 32


@dataclass(frozen=True)
class PredictionProgress:
    done: int
    total: int


@dataclass
class DecodedBatch:
    rows: list[int]  # indexes into the files asked for, of the images in `pixels`
    pixels: object  # torch.Tensor, N × 3 × size × size; None when no file of the batch could be read
    failed: dict[int, str]  # index -> why the file could not be read
    done: int  # files handled so far, this batch's included


def decoded_batches(paths: list[Path], transform, options: DecodeOptions, batch_size: int = BATCH,
                    should_stop: Callable[[], bool] = lambda: False,
                    stopped: str = "stopped") -> Iterator[DecodedBatch]:  # fmt: skip
    """The files through the one decoder and an evaluation transform, `batch_size` at a time,
    for every model pass over files (predictions, image features, active-learning scores). A file
    that cannot be read is named with its reason and the rest goes on; `should_stop` is asked
    before each batch (Cancelled(`stopped`))."""
    import torch

    for start in range(0, len(paths), batch_size):
        if should_stop():
            raise Cancelled(stopped)
        rows, tensors, failed = [], [], {}
        for row in range(start, min(start + batch_size, len(paths))):
            try:
                tensors.append(transform(decode(paths[row], options).rgb))
                rows.append(row)
            except Exception as exc:  # noqa: BLE001 - ImageError, or a transform failing on odd data
                failed[row] = str(exc) or type(exc).__name__
        yield DecodedBatch(rows, torch.stack(tensors) if tensors else None, failed, min(start + batch_size, len(paths)))


@dataclass(frozen=True)
class Prediction:
    image_id: int | None
    path: str
    class_id: int | None  # None when the image could not be read
    label: str
    confidence: float
    reason: str = ""


@dataclass
class RunModel:
    """A run's model ready for inference (torch loads only when a model does)."""

    model: object  # torch.nn.Module
    transform: object
    classes: list[dict]  # label index -> {id, name}
    device: object  # torch.device
    size: int


def load_run_model(project: Project, run_id: int, device: str = "auto") -> RunModel:
    """Run `run_id`'s classifier (through the one run loader), on `device`, in eval mode."""
    from app.core.training.data import build_transforms
    from app.core.training.device import choose_device
    from app.core.training.saved_models import load_run

    model, processor, run = load_run(project, run_id)
    chosen = choose_device(device).device
    settings = image_settings(processor, model.config, None)
    _, transform = build_transforms(settings, augment=False, grey=False)
    return RunModel(model.to(chosen).eval(), transform, run.classes, chosen, settings.size)


def predict_files(
    run_model: RunModel,
    paths: list[tuple[int | None, Path, str]],
    bands=None,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> list[Prediction]:
    """Predict (image id, file, shown path) triples in batches; unreadable files get a reason."""
    import torch

    options = DecodeOptions(bands=bands, draft_size=run_model.size * 2)
    results: list[Prediction] = []
    for batch in decoded_batches([path for _, path, _ in paths], run_model.transform, options,
                                 should_stop=should_stop, stopped="prediction cancelled"):  # fmt: skip
        results += [Prediction(paths[row][0], paths[row][2], None, "", 0.0, reason) for row, reason in batch.failed.items()]
        if batch.pixels is not None:
            with torch.inference_mode():
                logits = run_model.model(pixel_values=batch.pixels.to(run_model.device)).logits
            probabilities = torch.softmax(logits.float(), dim=1).cpu()
            confidence, index = probabilities.max(dim=1)
            for row, c, i in zip(batch.rows, confidence.tolist(), index.tolist()):
                cls = run_model.classes[i]
                results.append(Prediction(paths[row][0], paths[row][2], cls["id"], cls["name"], c))
        on_progress(PredictionProgress(batch.done, len(paths)))
    return results


def predict_project(
    project: Project,
    run_id: int,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str = "auto",
) -> list[Prediction]:
    """Predict every image of the project with run `run_id` and store the predictions."""
    preload.before_use()  # a window may be loading torch in the background right now
    run_model = load_run_model(project, run_id, device)
    rows = project.conn.execute("SELECT id, path FROM images ORDER BY id").fetchall()
    paths = [(image_id, project.resolve_path(path), path) for image_id, path in rows]
    predictions = predict_files(run_model, paths, band_choice(project), on_progress, should_stop)
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
