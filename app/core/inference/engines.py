"""What runs a CPU job's forward passes: the torch model itself, or onnxruntime on the run's model
exported to ONNX, chosen by name from a batch plan (`ENGINES`), never by if/else.

The ONNX file is exported once per run by `export.models` into the project's cache (rebuildable),
checked against the torch model on a job's first batch, and torch takes over whenever anything
about it fails (with a log line). Measured on a shared 2-core machine, one thread per pass,
batches of 8, the model alone: ResNet-18 1.16x the images/s of torch, ViT-S/16 1.9x
(onnxruntime's fused attention and GELU).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from app.core.errors import LoupeError, one_line
from app.core.inference.run_model import BatchPlan, RunModel, batch_plan, probabilities
from app.core.project.store import Project

log = logging.getLogger(__name__)


#: Largest difference of probabilities allowed between an engine and the torch model on a job's first batch.
ENGINE_TOLERANCE = 1e-4
#: A job of fewer files than this exports no model (it uses one already in the cache): exporting
#: takes 0.6 s (ResNet-18, 44 MB) to 1.3 s (ViT-S/16, 86 MB) on 2 cores, and saves 3 to 40 ms
#: per image, so a small job of a ResNet would lose time.
ENGINE_MIN_FILES = 200


@dataclass
class OnnxEngine:
    """onnxruntime running the run's model exported to ONNX (pixel_values -> logits). One
    session serves every forward thread: `run` is thread-safe and releases the GIL, and with one
    intra-op thread it computes on the calling thread, as the single-thread torch passes do."""

    session: object  # onnxruntime.InferenceSession
    path: Path
    name: str = "onnxruntime"
    checked: bool = False  # its probabilities matched the torch model's on a job's first batch

    def logits(self, pixels):
        import numpy as np
        import torch

        x = np.ascontiguousarray(pixels.numpy(), dtype=np.float32)
        return torch.from_numpy(self.session.run(["logits"], {"pixel_values": x})[0])


def onnx_cache_file(project: Project, run) -> Path:
    """Where run `run`'s ONNX file is kept in the project's cache (rebuildable): named by the
    run id and a digest of what it was made from (the content of every file of the run's model
    folder, the method, the backbone, the opset), so a changed model is exported again and an
    old file is never used for it, whatever happened to the folder's dates."""
    from app.core.export.models import ONNX_OPSET
    from app.core.training.saved_models import run_folder

    identity = [run.method, run.model_ref, ONNX_OPSET, len(run.classes), folder_digest(run_folder(project, run))]
    digest = hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16]
    return project.paths.cache_dir / "onnx" / f"run-{run.id}-{digest}.onnx"


#: Digests of model folders already read in this process, by their files' names, sizes and times.
_FOLDER_DIGESTS: dict[tuple, str] = {}


def folder_digest(folder: Path) -> str:
    """SHA-256 of the names and content of every file in `folder` (read once per process while
    the files' sizes and times stay the same: a ViT-B's 350 MB take about half a second)."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    stamp = tuple((str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
    if stamp not in _FOLDER_DIGESTS:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.relative_to(folder).as_posix().encode("utf-8", "surrogateescape") + b"\0")
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        _FOLDER_DIGESTS[stamp] = digest.hexdigest()
    return _FOLDER_DIGESTS[stamp]


def _exported_onnx(run_model: RunModel, project: Project, run, should_stop: Callable[[], bool]) -> Path:
    """The run's model as ONNX in the cache, exported now if it is not there yet, by
    `export.models` (its TorchScript exporter, checked with onnxruntime within ONNX_TOLERANCE of
    the torch logits), into a temporary folder then renamed into place; older files of the run go."""
    from app.core.export.models import LoadedRun, export_checked

    path = onnx_cache_file(project, run)
    if path.is_file():
        return path
    if run_model.settings is None:
        raise LoupeError("the run model has no image settings to export with")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".partial", dir=path.parent))
    try:
        export_checked(
            LoadedRun(run, run_model.model, None, run_model.settings),
            temporary,
            ("torchscript",),
            lambda event: None,
            should_stop,
        )
        os.replace(temporary / "model.onnx", path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    for older in path.parent.glob(f"run-{run.id}-*.onnx"):
        if older != path:
            older.unlink(missing_ok=True)
    return path


def _torch_engine(
    run_model: RunModel,
    project: Project,
    run,
    files: int,
    plan: BatchPlan,
    min_files: int,
    should_stop: Callable[[], bool],
) -> None:
    """The torch model itself (GPUs, and any engine's fallback)."""
    return None


def _onnxruntime_engine(
    run_model: RunModel,
    project: Project,
    run,
    files: int,
    plan: BatchPlan,
    min_files: int,
    should_stop: Callable[[], bool],
) -> OnnxEngine | None:
    """onnxruntime on the CPU, graph optimisations all on, `plan.threads_per_model` threads per
    pass; None (torch) for a job of fewer than `min_files` files while nothing is cached."""
    import onnxruntime

    cached_any = any((project.paths.cache_dir / "onnx").glob(f"run-{run.id}-*.onnx"))
    if files < min_files and (not cached_any or not onnx_cache_file(project, run).is_file()):
        return None  # a small job reads no model folder just to find that nothing is cached
    path = _exported_onnx(run_model, project, run, should_stop)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = plan.threads_per_model
    options.inter_op_num_threads = 1
    try:
        session = _checked_session(path, options, len(run.classes))
    except Exception as exc:  # noqa: BLE001 - a cached file that is broken or not this run's: made again, once
        log.warning("the cached ONNX file %s cannot be used (%s); exporting it again", path, one_line(exc))
        path.unlink(missing_ok=True)
        path = _exported_onnx(run_model, project, run, should_stop)
        session = _checked_session(path, options, len(run.classes))
    return OnnxEngine(session, path)


def _checked_session(path: Path, options, classes: int):
    """An onnxruntime session on `path`, whose graph takes pixel_values and gives one logit per
    class of the run; LoupeError when it does not."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if [i.name for i in inputs] != ["pixel_values"] or [o.name for o in outputs] != ["logits"]:
        raise LoupeError("its inputs and outputs are not pixel_values and logits")
    if outputs[0].shape[-1] != classes:
        raise LoupeError(f"it gives {outputs[0].shape[-1]} logits per image, the run has {classes} classes")
    return session


#: What can run a job's forward passes, by the name a BatchPlan gives: (run model, project, run
#: record, files in the job, plan, min_files, should_stop) -> an engine, or None for the torch model.
ENGINES: dict[str, Callable[..., object]] = {"torch": _torch_engine, "onnxruntime": _onnxruntime_engine}


def use_engine(
    run_model: RunModel,
    project: Project,
    run_id: int,
    files: int,
    plan: BatchPlan | None = None,
    min_files: int = ENGINE_MIN_FILES,
    should_stop: Callable[[], bool] = lambda: False,
) -> str:
    """Give `run_model` the engine its plan names for a job of `files` files; the torch model
    (and a log line saying why) when that engine cannot be made. Returns the engine's name."""
    from app.core.training.runs import get_run

    plan = plan or batch_plan(run_model.device)
    run_model.engine = None
    try:
        run_model.engine = ENGINES[plan.engine](
            run_model, project, get_run(project, run_id), files, plan, min_files, should_stop
        )
    except Exception as exc:  # noqa: BLE001 - an export, a missing package, a full disk: torch predicts the same
        log.warning("%s not used for run %s (%s); predicting with PyTorch", plan.engine, run_id, one_line(exc))
    if run_model.engine is None:
        return "torch"
    log.info("predicting run %s with %s (%s)", run_id, run_model.engine.name, run_model.engine.path)
    return run_model.engine.name


def check_engine(run_model: RunModel, pixels) -> None:
    """On a job's first batch, the engine's probabilities beside the torch model's: further
    apart than ENGINE_TOLERANCE and the job goes back to torch, with a log line saying so."""

    engine = run_model.engine
    if engine is None or engine.checked:
        return
    expected = probabilities(replace(run_model, engine=None), pixels)
    got = probabilities(run_model, pixels)
    if run_model.engine is None:  # it failed, and said so
        return
    if got.shape != expected.shape:
        problem = f"{engine.name} gives probabilities of shape {tuple(got.shape)}, PyTorch {tuple(expected.shape)}"
    else:
        difference = float((got - expected).abs().max())
        if difference <= ENGINE_TOLERANCE:
            engine.checked = True
            return
        problem = (
            f"{engine.name}'s probabilities differ from PyTorch's by {difference:.1e} (more than {ENGINE_TOLERANCE:g})"
        )
    # Torch predicts this job. A file of another shape is not this run's model: made again next
    # time. One merely further apart (a borderline model) is kept: exporting it again would not help.
    log.warning("%s on the first batch; predicting with PyTorch", problem)
    if got.shape != expected.shape:
        engine.path.unlink(missing_ok=True)
    run_model.engine = None
