"""One training run from start to finish: labelled images -> trained model in the project.

    result = train(project, TrainConfig(model="dinov2-small", method="linear"))

Records the run (config, seed, label snapshot and split) before training, its metrics as it goes,
and its report (per-class precision/recall/F1, confusion matrix) at the end. The model is written
to a temporary folder and renamed to `NAME.loupe-models/run-N/`, so a crash never leaves half a
model where a whole one is expected.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from app.core.errors import Cancelled, LoupeError
from app.core.project import Project
from app.core.settings import band_choice
from app.core.training import distributed
from app.core.training.backbones import (
    backbone_key,
    image_settings,
    load_classifier,
    load_image_processor,
    resolve,
)
from app.core.training.config import TrainConfig
from app.core.training.data import collect_training_set
from app.core.training.device import choose_device
from app.core.training.events import EpochProgress, StepProgress
from app.core.training.loop import LoopCallbacks, LoopSettings, evaluate, run_loop
from app.core.training.methods import METHODS, MethodContext
from app.core.training.metrics import report as make_report
from app.core.training.runs import add_metrics, create_run, finish_run, get_run, mark_interrupted_runs


@dataclass(frozen=True)
class RunResult:
    run: int
    status: str
    accuracy: float | None
    macro_f1: float | None
    model_dir: str | None
    message: str = ""

    def to_json(self) -> dict:
        return {"run": self.run, "status": self.status, "accuracy": self.accuracy, "macro_f1": self.macro_f1,
                "model_dir": self.model_dir, "message": self.message}  # fmt: skip


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


class _MetricRecorder:
    """Collects metrics from progress events; writes them to the project at each epoch end."""

    def __init__(self, project: Project, run_id: int | None, forward_to: Callable[[object], None]):
        self.project, self.run_id, self.forward_to = project, run_id, forward_to
        self.rows: list[tuple[int, float, str, float]] = []

    def __call__(self, event: object) -> None:
        if isinstance(event, StepProgress):
            self.rows += [(event.step, event.epoch, "train_loss", event.loss), (event.step, event.epoch, "lr", event.lr)]
        elif isinstance(event, EpochProgress):
            for name, value in (("val_loss", event.val_loss), ("val_accuracy", event.val_accuracy),
                                ("val_macro_f1", event.val_macro_f1)):  # fmt: skip
                if value == value:  # not NaN (no validation images)
                    self.rows.append((event.step, float(event.epoch), name, value))
            self.flush()
        self.forward_to(event)

    def flush(self) -> None:
        if self.run_id is not None and self.rows:
            add_metrics(self.project, self.run_id, self.rows)
        self.rows = []


def _load_model(project: Project, config: TrainConfig, labels: list[str]):
    """(model, image settings, source, image processor, preset) for the backbone, or for an
    earlier run's model."""
    if config.init_from is None:
        source, preset = resolve(config.model)
        processor = load_image_processor(source)
        model = load_classifier(source, labels)
        return model, image_settings(processor, model.config, preset), source, processor, preset
    previous = get_run(project, config.init_from)
    if not previous.model_dir:
        raise LoupeError(f"run {config.init_from} has no saved model to continue from")
    folder = project.paths.root / previous.model_dir
    processor = load_image_processor(str(folder))
    if previous.method == "lora":
        folder = _merge_lora(folder)
    model = load_classifier(str(folder), labels)
    return model, image_settings(processor, model.config, None), str(folder), processor, None


def _merge_lora(folder: Path) -> Path:
    """A LoRA run's adapter merged into its base model, as a plain model folder (temporary)."""
    from peft import PeftConfig, PeftModel
    from transformers import AutoConfig, AutoModelForImageClassification

    base_ref = PeftConfig.from_pretrained(str(folder)).base_model_name_or_path
    config = AutoConfig.from_pretrained(str(folder))
    base = AutoModelForImageClassification.from_pretrained(
        base_ref, config=config, ignore_mismatched_sizes=True, use_safetensors=True, trust_remote_code=False
    )
    merged = PeftModel.from_pretrained(base, str(folder)).merge_and_unload()
    target = Path(tempfile.mkdtemp(prefix="loupe-merged-"))
    merged.save_pretrained(target, safe_serialization=True)
    return target


def _save_model(project: Project, run_id: int, method, ctx: MethodContext, prepared, processor) -> str:
    models = project.paths.models_dir
    models.mkdir(parents=True, exist_ok=True)
    final = models / f"run-{run_id}"
    temporary = Path(tempfile.mkdtemp(prefix=f"run-{run_id}.", suffix=".partial", dir=models))
    try:
        method.save(ctx, prepared, temporary)
        if processor is not None:
            processor.save_pretrained(temporary)
        if final.exists():
            shutil.rmtree(final)
        os.replace(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    return final.relative_to(project.paths.root).as_posix()


def _learning_rate(config: TrainConfig, preset, method) -> float:
    """The user's, else the preset's (when training with the method it suggests), else the method's."""
    if config.lr:
        return config.lr
    if preset is not None and preset.lr and preset.method == config.method:
        return preset.lr
    return method.default_lr


def _parameter_counts(method: str, model: torch.nn.Module, trained: torch.nn.Module) -> dict:
    """How many weights the run trained, of how many: LoRA's point is a small fraction."""
    trainable = sum(p.numel() for p in trained.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    if method == "linear":
        total += trainable  # the head trained on features sits beside the frozen backbone
    return {"trainable": trainable, "total": total}


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
    if config.method not in METHODS:
        raise LoupeError(f"unknown method '{config.method}'; choose {', '.join(METHODS)}")
    dist = distributed.context_from_env()
    choice = choose_device(config.device)
    device = torch.device(f"cuda:{dist.local_rank}") if choice.device.type == "cuda" and dist.enabled else choice.device
    distributed.start(dist, device.type)
    if dist.is_main:
        project.require_writable()
        mark_interrupted_runs(project)
        training_set = collect_training_set(project, config.val_fraction, config.seed)
    distributed.barrier()  # rank 0 has stored the splits; the others read the same ones
    if not dist.is_main:
        training_set = collect_training_set(project, config.val_fraction, config.seed)

    seed_everything(config.seed)
    labels = [name for _, name in training_set.classes]
    model, settings, source, processor, preset = _load_model(project, config, labels)
    method = METHODS[config.method]()
    device_text = choice.description + (f" × {dist.world_size} processes" if dist.enabled else "")
    run_id = create_run(project, config, training_set, device_text) if dist.is_main else None
    recorder = _MetricRecorder(project, run_id, on_progress if dist.is_main else (lambda event: None))
    try:
        ctx = MethodContext(
            model=model, training_set=training_set, image_settings=settings, config=config, device=device,
            cache_dir=project.paths.cache_dir, backbone_key=backbone_key(source, model.config),
            bands=band_choice(project), dist=dist, on_progress=recorder, should_stop=should_stop,
        )  # fmt: skip
        prepared = method.prepare(ctx)
        loop_settings = LoopSettings(
            epochs=config.epochs, lr=_learning_rate(config, preset, method), weight_decay=config.weight_decay,
            warmup_fraction=config.warmup_fraction, grad_clip=config.grad_clip,
            label_smoothing=config.label_smoothing, patience=config.patience, max_nonfinite=config.max_nonfinite,
            device=device, autocast_dtype=choice.autocast_dtype,
            class_weights=training_set.class_weights() if config.class_weights else None, num_classes=len(labels),
        )  # fmt: skip
        outcome = run_loop(prepared.module, prepared.forward, prepared.data, loop_settings,
                           LoopCallbacks(recorder, should_stop, before_step), config.batch_size)  # fmt: skip
        recorder.flush()
        if outcome.best_state is None:
            if dist.is_main:
                finish_run(project, run_id, outcome.status, message=outcome.message)
            return RunResult(run_id or 0, outcome.status, None, None, None, outcome.message)
        prepared.module.load_state_dict(outcome.best_state, strict=False)
        prepared.module.eval()
        _, _, _, truth, predicted, probabilities = evaluate(
            prepared.forward, prepared.data.val(), device, choice.autocast_dtype, len(labels)
        )
        report = make_report(truth, predicted, labels) if len(truth) else None
        if report is not None:
            report["parameters"] = _parameter_counts(config.method, ctx.model, prepared.module)
            report["best_epoch"] = outcome.best_epoch
            report["val_predictions"] = [
                {"image_id": image_id, "label": int(t), "predicted": int(p), "confidence": float(probs[p])}
                for image_id, t, p, probs in zip(prepared.val_image_ids, truth, predicted, probabilities)
            ]
        model_dir = None
        if dist.is_main:
            model_dir = _save_model(project, run_id, method, ctx, prepared, processor)
            finish_run(project, run_id, outcome.status, message=outcome.message, model_dir=model_dir, report=report)
        distributed.barrier()
        return RunResult(run_id or 0, outcome.status, report and report["accuracy"], report and report["macro_f1"],
                         model_dir, outcome.message)  # fmt: skip
    except Cancelled as exc:
        if dist.is_main:
            finish_run(project, run_id, "cancelled", message=str(exc))
        return RunResult(run_id or 0, "cancelled", None, None, None, str(exc))
    except BaseException as exc:
        if dist.is_main:
            finish_run(project, run_id, "failed", message=str(exc) or type(exc).__name__)
        raise
    finally:
        if dist.enabled:
            distributed.stop()
