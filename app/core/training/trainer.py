"""One training run from start to finish: labelled images -> trained model in the project.

    result = train(project, TrainConfig(model="dinov2-small", method="linear"))

The settings are checked first (a bad one raises ConfigError and leaves no trace in the
project). Then the run is recorded (config, seed, label snapshot and split) before training,
its metrics as it goes, and at the end its report — the evaluation of the best epoch, the very
numbers its curves show —, what it cost, and what it noticed. The model is written to a
temporary folder and renamed to `NAME.loupe-models/run-N-<id>/`, a name no other run can have,
so a crash never leaves half a model where a whole one is expected and no run ever replaces
another's model.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from app.core.errors import Cancelled
from app.core.imaging.options import rendering_key
from app.core.project.recovery import PARTIAL
from app.core.project.settings import image_choice
from app.core.project.store import Project
from app.core.torch_threads import TORCH_THREADS
from app.core.training import cost as run_cost
from app.core.training import distributed
from app.core.training.augmentation import NO_AUGMENTATION, policy_for
from app.core.training.backbones import backbone_key, image_settings, resolve
from app.core.training.calibration import Calibration, calibrate, with_temperature
from app.core.training.config import TrainConfig, training_budget
from app.core.training.data import SkippedImages, collect_training_set, mark_missing
from app.core.training.device import choose_device
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.heads import scale_head
from app.core.training.loop import Evaluation, LoopCallbacks, LoopSettings, run_loop
from app.core.training.methods import get_method
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod
from app.core.training.metrics import report as make_report
from app.core.training.runs import add_metrics, create_run, finish_run, model_folder_name
from app.core.training.saved_models import (
    StartingPoint,
    earlier_run,
    planned_model_ref,
    starting_point,
    write_base_record,
)
from app.core.training.splits import plan_splits
from app.core.training.twin_split import group_and_split


@dataclass(frozen=True)
class RunResult:
    run: int
    status: str
    accuracy: float | None
    macro_f1: float | None
    model_dir: str | None  # absolute
    message: str = ""
    cost: dict | None = None
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "run": self.run,
            "status": self.status,
            "accuracy": self.accuracy,
            "macro_f1": self.macro_f1,
            "model_dir": self.model_dir,
            "message": self.message,
            "cost": self.cost,
            "notices": self.notices,
        }


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


class _RunRecorder:
    """Collects metrics and lasting notices from progress events; writes the metrics to the
    project at each epoch end; samples memory at each step."""

    def __init__(self, project: Project, run_id: int | None, forward_to: Callable[[object], None], memory):
        self.project, self.run_id, self.forward_to, self.memory = project, run_id, forward_to, memory
        self.rows: list[tuple[int, float, str, float]] = []
        self.notices: list[str] = []

    def __call__(self, event: object) -> None:
        if isinstance(event, StepProgress):
            self.memory.sample()
            self.rows += [
                (event.step, event.epoch, "train_loss", event.loss),
                (event.step, event.epoch, "lr", event.lr),
            ]
        elif isinstance(event, EpochProgress):
            for name, value in (
                ("val_loss", event.val_loss),
                ("val_accuracy", event.val_accuracy),
                ("val_macro_f1", event.val_macro_f1),
            ):
                if value == value:  # not NaN (no validation images)
                    self.rows.append((event.step, float(event.epoch), name, value))
            self.flush()
        elif isinstance(event, Notice) and event.lasting:
            self.notices.append(event.text)
        self.forward_to(event)

    def flush(self, last: bool = False) -> None:
        """Write the metrics collected so far. Mid-run, a project whose write lock another
        connection kept past the busy timeout (a labelling burst) keeps them for the next epoch's
        flush instead of failing the run; the `last` flush waits its turn again, up to 3 times."""
        if self.run_id is None or not self.rows:
            return
        for attempt in range(3 if last else 1):
            try:
                add_metrics(self.project, self.run_id, self.rows)
                self.rows = []
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or (last and attempt == 2):
                    raise


def _save_model(
    project: Project,
    run_id: int,
    method: TrainingMethod,
    prepared: Prepared,
    start: StartingPoint,
    measure: Callable[[Path], dict],
    record: Callable[[Path, dict], None],
) -> Path:
    """Write the model to a temporary folder, `measure(folder)` its cost there, rename it into
    place, and `record(folder, cost)` the run. A failure at any point leaves no model folder that
    no run names (the temporary one, or the renamed one if recording fails, is removed)."""
    models = project.paths.models_dir
    models.mkdir(parents=True, exist_ok=True)
    final = models / model_folder_name(run_id)
    temporary = Path(tempfile.mkdtemp(prefix=f"{final.name}.", suffix=PARTIAL, dir=models))
    try:
        method.save(prepared, temporary)
        if start.processor is not None:
            start.processor.save_pretrained(temporary)
        write_base_record(start, temporary)
        cost = measure(temporary)
        os.rename(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    try:
        record(final, cost)
    except BaseException:
        shutil.rmtree(final, ignore_errors=True)
        raise
    return final


def _learning_rate(config: TrainConfig, preset, method: TrainingMethod) -> float:
    """The user's, else the preset's (when training with the method it suggests), else the method's."""
    if config.lr:
        return config.lr
    if preset is not None and preset.lr and preset.method == config.method:
        return preset.lr
    return method.default_lr


def _calibrate(model: torch.nn.Module, evaluation: Evaluation | None, on_progress) -> Calibration | None:
    """Fit the run's temperature on its validation predictions and fold 1/T into the model's
    head (before it is saved), so every later use of the model gives calibrated confidences."""
    if evaluation is None or not len(evaluation):
        return None
    calibration = calibrate(evaluation.probabilities, evaluation.labels)
    if calibration.note:
        on_progress(Notice(f"Confidence {calibration.note}"))  # the report card says so too
        return calibration
    scale_head(model, 1 / calibration.temperature)
    on_progress(
        Notice(
            f"Confidence calibrated (temperature {calibration.temperature:.2f}): expected calibration error "
            f"{calibration.ece_before:.1%} → {calibration.ece_after:.1%} on {calibration.images} validation images"
        )
    )
    return calibration


def _report(
    evaluation: Evaluation | None, labels: list[str], best_epoch: float, calibration: Calibration | None = None
) -> dict | None:
    """The report of the best epoch's evaluation: the same numbers its curves show, with the
    confidences as the saved (calibrated) model gives them."""
    if evaluation is None or not len(evaluation):
        return None
    report = make_report(evaluation.labels, evaluation.predictions, labels)
    report["accuracy"], report["macro_f1"] = evaluation.accuracy, evaluation.macro_f1  # computed once
    report["best_epoch"] = best_epoch
    probabilities = evaluation.probabilities
    if calibration is not None:
        report["calibration"] = calibration.to_json()
        probabilities = with_temperature(probabilities, calibration.temperature)
    report["val_predictions"] = [
        {"image_id": image_id, "label": int(t), "predicted": int(p), "confidence": float(probs[p])}
        for image_id, t, p, probs in zip(evaluation.image_ids, evaluation.labels, evaluation.predictions, probabilities)
    ]
    return report


def check_settings(project: Project, config: TrainConfig) -> None:
    """Everything about the settings that can be checked before a run is recorded (ConfigError)."""
    config.validate()
    get_method(config.method)
    choose_device(config.device)
    if config.init_from is None:
        resolve(config.model)
    else:
        earlier_run(project, config.init_from)


def train(
    project: Project,
    config: TrainConfig,
    on_progress: Callable[[object], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    before_step: Callable[[int, int, torch.nn.Module], None] | None = None,
) -> RunResult:
    """Train one model on the project's labels; see the module docstring."""
    on_progress = on_progress or (lambda event: None)
    should_stop = should_stop or (lambda: False)
    TORCH_THREADS.use_default(torch)  # a thread started during a batch prediction began with 1
    check_settings(project, config)
    method = get_method(config.method)
    dist = distributed.context_from_env()
    choice = choose_device(config.device)
    device = torch.device(f"cuda:{dist.local_rank}") if choice.device.type == "cuda" and dist.enabled else choice.device
    distributed.start(dist, device.type)
    try:
        return _train(project, config, method, dist, choice, device, on_progress, should_stop, before_step)
    finally:
        if dist.enabled:
            distributed.stop()


def _train(project, config, method, dist, choice, device, on_progress, should_stop, before_step) -> RunResult:
    if dist.is_main:
        project.require_writable()
    # The split is planned here and stored once the model has grouped the near-duplicates.
    training_set = collect_training_set(project, config.val_fraction, config.seed, store=False)
    missing = training_set.missing_files()
    if missing and dist.is_main:
        mark_missing(project, missing)  # said before anything else can fail
    readable = training_set.readable(missing, project.file)

    seed_everything(config.seed)
    labels = [name for _, name in readable.classes]
    device_text = choice.description + (f" × {dist.world_size} processes" if dist.enabled else "")
    # Recorded before the model loads: a model that cannot load (not downloaded, not a
    # classifier) is a failed run in the history, with its reason, like any other failure.
    model_ref = planned_model_ref(project, config.model, config.init_from)
    run_id = create_run(project, config, readable, device_text, model_ref) if dist.is_main else None
    memory = run_cost.MemoryMeter(device)
    recorder = _RunRecorder(project, run_id, on_progress if dist.is_main else (lambda event: None), memory)
    skipped = SkippedImages(training_set.items, recorder)
    skipped.add(missing.items())
    try:
        on_progress(
            Notice(f"Loading the model {config.model if config.init_from is None else f'of run {config.init_from}'}…")
        )
        start = starting_point(project, config.model, config.init_from, readable.classes)
        for text in start.notices:
            recorder(Notice(text, lasting=True))
        on_progress(Notice(f"Preparing {method.info.title} on {len(readable.items)} labelled images…"))
        settings = image_settings(start.processor, start.model.config, start.preset)
        lr = _learning_rate(config, start.preset, method)
        rendering = image_choice(project)  # suggestions' features (active.pool) are keyed alike
        ctx = MethodContext(
            model=start.model,
            training_set=readable,
            image_settings=settings,
            config=config,
            device=device,
            cache_dir=project.paths.cache_dir,
            features_key=backbone_key(start.source, start.model.config) + rendering_key(rendering),
            rendering=rendering,
            dist=dist,
            on_progress=recorder,
            should_stop=should_stop,
            skipped=skipped,
            lr=lr,
        )
        if dist.is_main:
            readable, twins = group_and_split(project, ctx, run_id)
        distributed.barrier()  # rank 0 has stored the splits; the others read the same ones
        if not dist.is_main:
            readable = readable.with_splits(plan_splits(project, config.val_fraction, config.seed)[0])
        budget = training_budget(config, len(readable.split("train")) // max(dist.world_size, 1))
        ctx.training_set, ctx.epochs = readable, budget.epochs
        prepared = method.prepare(ctx)
        if prepared.fit is None and budget.from_budget:
            recorder(Notice(budget.sentence(len(readable.split("train")))))
        seed_everything(config.seed)  # whatever preparing drew at random, training starts the same
        loop_settings = LoopSettings(
            epochs=budget.epochs,
            lr=lr,
            weight_decay=config.weight_decay,
            warmup_fraction=config.warmup_fraction,
            grad_clip=config.grad_clip,
            label_smoothing=config.label_smoothing,
            patience=budget.patience,
            max_nonfinite=config.max_nonfinite,
            device=device,
            autocast_dtype=choice.autocast_dtype,
            class_weights=readable.class_weights() if config.class_weights else None,
            num_classes=len(labels),
        )
        callbacks = LoopCallbacks(recorder, should_stop, before_step)
        if prepared.fit is not None:
            outcome = prepared.fit(callbacks)
        else:
            outcome = run_loop(
                prepared.module,
                prepared.forward,
                prepared.data,
                loop_settings,
                callbacks,
                config.batch_size,
                train_mode=prepared.train_mode,
                after_step=prepared.after_step,
                regularizer=prepared.regularizer,
            )
        recorder.flush(last=True)
        if outcome.best_state is None:
            if dist.is_main:
                mark_missing(project, skipped.reasons)
                finish_run(project, run_id, outcome.status, message=outcome.message, notices=recorder.notices)
            return RunResult(run_id or 0, outcome.status, None, None, None, outcome.message, None, recorder.notices)
        prepared.module.load_state_dict(outcome.best_state, strict=False)
        model = method.trained_model(prepared)
        calibration = _calibrate(model, outcome.best_evaluation, recorder)
        report = _report(outcome.best_evaluation, labels, outcome.best_epoch, calibration)
        if report is not None and outcome.details:
            report["fit"] = outcome.details
        if report is not None:
            report["backbone"] = start.origin  # the hub id and revision (commit) it was trained from
            report["near_duplicates"] = twins if dist.is_main else None
            # How multi-band images became RGB for this model: it predicts on the same picture,
            # whatever the project shows later (`run_rendering`).
            report["rendering"] = {"bands": rendering.bands, "composite": rendering.composite}
            report["augmentation"] = (
                NO_AUGMENTATION if method.info.frozen_features else policy_for(config.augment).one_line
            )
        folder, cost = None, None
        if dist.is_main:

            def measure(written: Path) -> dict:
                return run_cost.measure(
                    model, prepared.module, written, memory, device, settings.size, choice.autocast_dtype, recorder
                )

            def record(final: Path, measured: dict) -> None:
                nonlocal cost
                cost = measured
                mark_missing(project, skipped.reasons)
                finish_run(
                    project,
                    run_id,
                    outcome.status,
                    message=outcome.message,
                    model_dir=final.relative_to(project.paths.root).as_posix(),
                    report=report,
                    cost=cost,
                    notices=recorder.notices,
                )

            folder = _save_model(project, run_id, method, prepared, start, measure, record)
        distributed.barrier()
        return RunResult(
            run_id or 0,
            outcome.status,
            report and report["accuracy"],
            report and report["macro_f1"],
            str(folder.resolve()) if folder else None,
            outcome.message,
            cost,
            recorder.notices,
        )
    except Cancelled as exc:
        if dist.is_main:
            finish_run(project, run_id, "cancelled", message=str(exc), notices=recorder.notices)
        return RunResult(run_id or 0, "cancelled", None, None, None, str(exc), None, recorder.notices)
    except BaseException as exc:
        if dist.is_main:
            finish_run(project, run_id, "failed", message=str(exc) or type(exc).__name__, notices=recorder.notices)
        raise
