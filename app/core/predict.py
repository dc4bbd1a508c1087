"""Predictions of a trained run for images of the project (stored per run), or for any files
and folders (returned, not stored).

    predictions = predict_project(project, run_id, on_progress=..., should_stop=...)
    result = classify_files(project, [Path("new scans/")], top_k=3, tta=False)
    write_predictions_csv(result.predictions, Path("predictions.csv"))

The run's model is loaded by the one run loader (`training.saved_models`), whatever method
trained it, and images go through the same decoder and evaluation transform as in training,
with the model in eval mode under `torch.inference_mode()`.

How a batch job uses the machine (`predicted_batches`): files decode on one thread per core
(Pillow and torchvision release the GIL) while the model works on the batch before, through a
bounded queue (`decoded_batches`: a few batches ahead, so memory stays flat on 100,000 files);
on a GPU one stream of large batches under autocast (bf16 where supported, else fp16); on the
CPU, in float32, several single-thread forward passes side by side on their own small batches
(`BatchPlan`), with channels-last weights and BatchNorms folded into their convolutions.

On the CPU the forward passes run in onnxruntime (`ENGINES`, chosen by the plan's `engine`):
the run's model exported once by `model_export` to the project's cache, checked against the
torch model on a job's first batch, and torch whenever anything about it fails. Measured on a
shared 2-core machine, one thread per pass, batches of 8, the model alone: ResNet-18 1.16x the
images/s of torch, ViT-S/16 1.9x (onnxruntime's fused attention and GELU); end to end
(bench/predict_speed.py, decoding included): ResNet-18 96 against 84 images/s, ViT-S 31 against 19.
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, nullcontext
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from app.core.atomic_files import written_whole
from app.core.errors import Cancelled, LoupeError
from app.core.imaging import DecodeOptions, decode, looks_like_image_name, sniff_format
from app.core.imaging.formats import SNIFF_BYTES
from app.core.project import Project
from app.core.settings import band_choice
from app.core.torch_threads import TORCH_THREADS
from app.core.training import preload
from app.core.training.backbones import image_settings

BATCH = 32

log = logging.getLogger(__name__)


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


#: Batches decoded ahead of the one in use: enough to keep a model fed while the next ones
#: decode, few enough that memory stays flat however many files there are.
AHEAD = 2


def cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def decode_workers() -> int:
    """Threads that decode: one per core (Pillow, tifffile and torchvision release the GIL;
    measured on 2 cores: decoding 2.0x, decoding and the transform 1.7x with a second thread)."""
    return cores()


@contextmanager
def worker_pool(name: str, workers: int, torch_threads: int = 1) -> Iterator[ThreadPoolExecutor]:
    """A pool of `workers` threads, each running torch ops on `torch_threads` threads of its own
    (0: torch's default). One thread per decode: a transform's small ops gain nothing from a
    thread team, and idle team threads spin on the cores the model needs. The process's setting
    is put back when the last such pool closes (`torch_threads`)."""
    import torch

    if torch_threads:
        TORCH_THREADS.pool_opened(torch)
    pool = ThreadPoolExecutor(max(1, workers), name, (lambda: torch.set_num_threads(torch_threads)) if torch_threads else None)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if torch_threads:
            TORCH_THREADS.pool_closed(torch)


def _decoded(path: Path, transform, options: DecodeOptions):
    """One file through the decoder and the transform: a tensor, or the reason it cannot be read."""
    try:
        return transform(decode(path, options).rgb)
    except Exception as exc:  # noqa: BLE001 - ImageError, or a transform failing on odd data
        return _Unreadable(str(exc) or type(exc).__name__)


@dataclass(frozen=True)
class _Unreadable:
    reason: str


def decoded_batches(paths: list[Path], transform, options: DecodeOptions, batch_size: int = BATCH,
                    should_stop: Callable[[], bool] = lambda: False, stopped: str = "stopped",
                    workers: int | None = None, ahead: int = AHEAD) -> Iterator[DecodedBatch]:  # fmt: skip
    """The files through the one decoder and an evaluation transform, `batch_size` at a time, in
    order, for every model pass over files (predictions, image features, active-learning scores).
    A file that cannot be read is named with its reason and the rest goes on.

    Files decode on `workers` threads while the caller uses the batch before (decoding overlaps
    the model); while the caller holds a batch, at most the next `ahead` are decoding or decoded,
    so memory is a few batches however many files there are. `should_stop` is asked before each
    batch, in the calling thread only (Cancelled(`stopped`)); files not decoded yet are then
    dropped, and no thread is left running once the generator ends, however it ends."""
    import torch

    starts = iter(range(0, len(paths), batch_size))
    queued: deque[tuple[int, list[Future]]] = deque()
    with worker_pool("loupe-decode", workers or decode_workers()) as pool:

        def queue_next() -> None:
            start = next(starts, None)
            if start is not None:
                rows = range(start, min(start + batch_size, len(paths)))
                queued.append((start, [pool.submit(_decoded, paths[row], transform, options) for row in rows]))

        for _ in range(ahead + 1):
            queue_next()
        while queued:
            if should_stop():
                raise Cancelled(stopped)
            start, futures = queued.popleft()
            rows, tensors, failed = [], [], {}
            for row, future in enumerate(futures, start):
                outcome = future.result()
                if isinstance(outcome, _Unreadable):
                    failed[row] = outcome.reason
                else:
                    rows.append(row)
                    tensors.append(outcome)
            yield DecodedBatch(rows, torch.stack(tensors) if tensors else None, failed, start + len(futures))
            queue_next()


@dataclass(frozen=True)
class Prediction:
    image_id: int | None
    path: str
    class_id: int | None  # None when the image could not be read
    label: str
    confidence: float
    reason: str = ""  # why the file could not be read
    top: tuple[tuple[int, str, float], ...] = ()  # (class id, class name, probability), best first


@dataclass
class RunModel:
    """A run's model ready for inference (torch loads only when a model does)."""

    model: object  # torch.nn.Module
    transform: object
    classes: list[dict]  # label index -> {id, name}
    device: object  # torch.device
    size: int
    autocast_dtype: object = None  # torch.dtype of mixed precision on a GPU (bf16 where supported); None on the CPU
    settings: object = None  # ImageSettings (size, mean, std) as training used them
    engine: object = None  # what runs the forward passes instead of `model` (an OnnxEngine); None: the torch model


def load_run_model(project: Project, run_id: int, device: str = "auto") -> RunModel:
    """Run `run_id`'s classifier (through the one run loader), on `device`, in eval mode."""
    from app.core.training.data import build_transforms
    from app.core.training.device import choose_device
    from app.core.training.saved_models import load_run

    model, processor, run = load_run(project, run_id)
    chosen = choose_device(device)
    settings = image_settings(processor, model.config, None)
    _, transform = build_transforms(settings, augment=False, grey=False)
    return RunModel(model.to(chosen.device).eval(), transform, run.classes, chosen.device, settings.size,
                    chosen.autocast_dtype, settings)  # fmt: skip


@dataclass(frozen=True)
class BatchPlan:
    """How a batch job spreads over the machine."""

    batch_size: int = field(metadata={"help": "Images per forward pass."})
    decode_workers: int = field(metadata={"help": "Threads decoding files (Pillow and torchvision release the GIL)."})
    model_workers: int = field(metadata={"help": "Forward passes at once, each on its own batch."})
    threads_per_model: int = field(metadata={"help": "torch threads of each forward pass (CPU); 0 = torch's default."})
    engine: str = field(default="torch", metadata={"help": "What runs the forward passes, a name in ENGINES."})


def _cpu_plan(cores: int) -> BatchPlan:
    """On the CPU, forward passes side by side, each on its own batch and its own core or two,
    beat one pass spread over every core: small convolutions do not split well (measured on 2
    cores, ResNet-18 at 224 px: two single-thread passes of 8 images 95 images/s, one two-thread
    pass of 16 60, of 32 55; ViT-S/16 the same either way). Small batches stay in cache."""
    workers = cores if cores <= 4 else cores // 2
    return BatchPlan(batch_size=8, decode_workers=cores, model_workers=workers, threads_per_model=cores // workers,
                     engine="onnxruntime")  # fmt: skip


def _gpu_plan(cores: int) -> BatchPlan:
    """On a GPU one stream of large batches; every core decodes."""
    return BatchPlan(batch_size=64, decode_workers=cores, model_workers=1, threads_per_model=0)


#: The plan for each kind of device, by torch device type.
BATCH_PLANS: dict[str, Callable[[int], BatchPlan]] = {"cpu": _cpu_plan, "cuda": _gpu_plan, "mps": _gpu_plan}


def batch_plan(device) -> BatchPlan:
    return BATCH_PLANS.get(getattr(device, "type", str(device)), _gpu_plan)(cores())


def predicted_batches(run_model: RunModel, paths: list[Path], bands=None, top_k: int = 3, tta: bool = False,
                      should_stop: Callable[[], bool] = lambda: False,
                      plan: BatchPlan | None = None) -> Iterator[tuple[int, list[tuple[int, Prediction]]]]:  # fmt: skip
    """(files handled so far, [(row, prediction)] in row order) a batch at a time, for `paths`;
    unreadable files get a reason (and `image_id` None, `path` the file).

    Files decode on every core while the model works (`decoded_batches`); on the CPU several
    forward passes run at once, each on its own batch (`BatchPlan`). `should_stop` is asked before
    each batch: the batches already in the model are finished and yielded, then Cancelled."""
    plan = plan or batch_plan(run_model.device)
    _ready_for_batches(run_model)
    first = True
    options = DecodeOptions(bands=bands, draft_size=run_model.size * 2)
    in_model: deque[tuple[DecodedBatch, Future | None]] = deque()

    def finished(batch: DecodedBatch, scores) -> tuple[int, list[tuple[int, Prediction]]]:
        made = [(row, Prediction(None, str(paths[row]), None, "", 0.0, reason)) for row, reason in batch.failed.items()]
        if scores is not None:
            made += [(row, Prediction(None, str(paths[row]), top[0][0], top[0][1], top[0][2], top=top))
                     for row, top in zip(batch.rows, best_classes(run_model, scores, top_k))]  # fmt: skip
        return batch.done, sorted(made, key=lambda item: item[0])

    def oldest() -> tuple[int, list[tuple[int, Prediction]]]:
        batch, future = in_model.popleft()
        return finished(batch, future.result() if future else None)

    side_by_side = plan.model_workers > 1
    with (worker_pool("loupe-model", plan.model_workers, plan.threads_per_model) if side_by_side else nullcontext()) as forwards, \
            closing(decoded_batches(paths, run_model.transform, options, plan.batch_size, should_stop,
                                    "prediction cancelled", plan.decode_workers,
                                    max(AHEAD, plan.model_workers))) as batches:  # fmt: skip
        try:
            for batch in batches:
                if first and batch.pixels is not None:
                    _check_engine(run_model, batch.pixels)
                    first = False
                if not side_by_side:
                    yield finished(batch, None if batch.pixels is None else probabilities(run_model, batch.pixels, tta))
                    continue
                in_model.append((batch, None if batch.pixels is None else forwards.submit(probabilities, run_model, batch.pixels, tta)))
                while len(in_model) >= plan.model_workers or (in_model and in_model[0][1] is None):
                    yield oldest()
        except Cancelled:
            while in_model:  # what the model has started is kept
                yield oldest()
            raise
        while in_model:
            yield oldest()


def _ready_for_batches(run_model: RunModel) -> None:
    """Channels-last weights: convolutions run faster on CPUs (oneDNN) and GPU tensor cores; the
    same numbers, another memory layout."""
    import torch

    run_model.model.to(memory_format=torch.channels_last)


def fold_batch_norms(run_model: RunModel) -> int:
    """Fold each BatchNorm that directly follows a convolution into it (CNNs: ResNet, RegNet,
    EfficientNet, MobileViT): one pass over memory instead of two (ResNet-18 on one CPU core:
    7-12 % less time in the model). Only for a model this job owns: its modules change. Pairs are taken in the
    order modules are registered (conv then norm), which is how these models write them; a
    forward pass before and after checks it, and any difference puts every pair back. Returns
    the number of pairs folded."""
    import torch
    from torch.nn.utils.fusion import fuse_conv_bn_eval

    model = run_model.model
    pairs = []
    for module in model.modules():
        names = list(module._modules)
        for a, b in zip(names, names[1:]):
            conv, norm = module._modules[a], module._modules[b]
            if (type(conv) is torch.nn.Conv2d and type(norm) is torch.nn.BatchNorm2d and norm.track_running_stats
                    and conv.out_channels == norm.num_features):  # fmt: skip
                pairs.append((module, a, conv, b, norm))
    if not pairs or model.training:
        return 0
    probe = torch.randn(2, 3, run_model.size, run_model.size, generator=torch.Generator().manual_seed(0))
    # no_grad, not inference_mode: the folded weights are kept, and inference tensors would fail
    # later outside inference mode (the channels-last copy, a heatmap's backward pass).
    with torch.no_grad():
        probe = probe.to(run_model.device).contiguous(memory_format=torch.channels_last)
        before = model(pixel_values=probe).logits.float()
        for module, a, conv, b, norm in pairs:
            module._modules[a], module._modules[b] = fuse_conv_bn_eval(conv, norm), torch.nn.Identity()
        after = model(pixel_values=probe).logits.float()
    if torch.allclose(before, after, rtol=1e-3, atol=1e-4 * (1 + before.abs().max().item())):
        return len(pairs)
    for module, a, conv, b, norm in pairs:  # a pair that was not conv-then-norm in the forward pass
        module._modules[a], module._modules[b] = conv, norm
    return 0


def predict_files(
    run_model: RunModel,
    paths: list[tuple[int | None, Path, str]],
    bands=None,
    on_progress: Callable[[PredictionProgress], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    top_k: int = 3,
    tta: bool = False,
) -> list[Prediction]:
    """Predict (image id, file, shown path) triples, in their order; unreadable files get a
    reason. `tta` averages each image's probabilities with its mirror image's."""
    results: list[Prediction] = []
    files = [path for _, path, _ in paths]
    for done, made in predicted_batches(run_model, files, bands, top_k, tta, should_stop):
        results += [replace(p, image_id=paths[row][0], path=paths[row][2]) for row, p in made]
        on_progress(PredictionProgress(done, len(paths)))
    return results


def probabilities(run_model: RunModel, pixels, tta: bool = False):
    """Class probabilities (N × classes, float32, on the CPU) of a batch of transformed images,
    under mixed precision where the run model has it; with `tta`, the mean of each image's and
    its horizontal mirror's (one forward pass of both). Through the run model's `engine` when
    it has one; should the engine fail, the torch model takes over for good (a log line)."""
    import torch

    engine = run_model.engine
    if engine is not None:
        try:
            with torch.inference_mode():
                x = torch.cat([pixels, pixels.flip(-1)]) if tta else pixels
                return _mean_of_mirrors(torch.softmax(engine.logits(x).float(), dim=1), len(pixels), tta)
        except Exception as exc:  # noqa: BLE001 - any failure of the engine: torch gives the same numbers
            log.warning("%s failed (%s); predicting with PyTorch", engine.name, _one_line(exc))
            run_model.engine = None
    dtype = run_model.autocast_dtype
    device = run_model.device
    with torch.inference_mode(), torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
        x = pixels.to(device, non_blocking=True).contiguous(memory_format=torch.channels_last)
        if tta:
            x = torch.cat([x, x.flip(-1)])
        p = torch.softmax(run_model.model(pixel_values=x).logits.float(), dim=1)
        return _mean_of_mirrors(p, len(pixels), tta).cpu()


def _mean_of_mirrors(p, n: int, tta: bool):
    """With `tta`, rows [0, n) are the images and [n, 2n) their mirrors: the mean of each pair."""
    return (p[:n] + p[n:]) / 2 if tta else p


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300] or type(exc).__name__


# -- Engines: what runs a CPU job's forward passes ---------------------------------------------

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
    run id and a digest of what it was made from (the model folder's files, their sizes and
    modification times, the method, the backbone, the opset), so a changed folder is exported
    again and an old file is never used for it."""
    from app.core.model_export import ONNX_OPSET
    from app.core.training.saved_models import run_folder

    folder = run_folder(project, run)
    identity = [run.id, run.method, run.model_ref, ONNX_OPSET, str(folder.resolve())]
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        stat = path.stat()
        identity.append([path.relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns])
    digest = hashlib.sha256(json.dumps(identity).encode()).hexdigest()[:16]
    return project.paths.cache_dir / "onnx" / f"run-{run.id}-{digest}.onnx"


def _exported_onnx(run_model: RunModel, project: Project, run, should_stop: Callable[[], bool]) -> Path:
    """The run's model as ONNX in the cache, exported now if it is not there yet, by
    `model_export` (its TorchScript exporter, checked with onnxruntime within ONNX_TOLERANCE of
    the torch logits), into a temporary folder then renamed into place; older files of the run go."""
    from app.core.model_export import export_checked, LoadedRun

    path = onnx_cache_file(project, run)
    if path.is_file():
        return path
    if run_model.settings is None:
        raise LoupeError("the run model has no image settings to export with")
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{path.stem}.", suffix=".partial", dir=path.parent))
    try:
        export_checked(LoadedRun(run, run_model.model, None, run_model.settings), temporary, ("torchscript",),
                        lambda event: None, should_stop)  # fmt: skip
        os.replace(temporary / "model.onnx", path)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    for older in path.parent.glob(f"run-{run.id}-*.onnx"):
        if older != path:
            older.unlink(missing_ok=True)
    return path


def _torch_engine(run_model: RunModel, project: Project, run, files: int, plan: BatchPlan, min_files: int,
                  should_stop: Callable[[], bool]) -> None:  # fmt: skip
    """The torch model itself (GPUs, and any engine's fallback)."""
    return None


def _onnxruntime_engine(run_model: RunModel, project: Project, run, files: int, plan: BatchPlan, min_files: int,
                        should_stop: Callable[[], bool]) -> OnnxEngine | None:  # fmt: skip
    """onnxruntime on the CPU, graph optimisations all on, `plan.threads_per_model` threads per
    pass; None (torch) for a job of fewer than `min_files` files while nothing is cached."""
    import onnxruntime

    if files < min_files and not onnx_cache_file(project, run).is_file():
        return None
    path = _exported_onnx(run_model, project, run, should_stop)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = plan.threads_per_model
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return OnnxEngine(session, path)


#: What can run a job's forward passes, by the name a BatchPlan gives: (run model, project, run
#: record, files in the job, plan, min_files, should_stop) -> an engine, or None for the torch model.
ENGINES: dict[str, Callable[..., object]] = {"torch": _torch_engine, "onnxruntime": _onnxruntime_engine}


def use_engine(run_model: RunModel, project: Project, run_id: int, files: int, plan: BatchPlan | None = None,
               min_files: int = ENGINE_MIN_FILES, should_stop: Callable[[], bool] = lambda: False) -> str:  # fmt: skip
    """Give `run_model` the engine its plan names for a job of `files` files; the torch model
    (and a log line saying why) when that engine cannot be made. Returns the engine's name."""
    from app.core.training.runs import get_run

    plan = plan or batch_plan(run_model.device)
    run_model.engine = None
    try:
        run_model.engine = ENGINES[plan.engine](run_model, project, get_run(project, run_id), files, plan, min_files,
                                                should_stop)  # fmt: skip
    except Exception as exc:  # noqa: BLE001 - an export, a missing package, a full disk: torch predicts the same
        log.warning("%s not used for run %s (%s); predicting with PyTorch", plan.engine, run_id, _one_line(exc))
    if run_model.engine is None:
        return "torch"
    log.info("predicting run %s with %s (%s)", run_id, run_model.engine.name, run_model.engine.path)
    return run_model.engine.name


def _check_engine(run_model: RunModel, pixels) -> None:
    """On a job's first batch, the engine's probabilities beside the torch model's: further
    apart than ENGINE_TOLERANCE and the job goes back to torch, with a log line saying so."""
    engine = run_model.engine
    if engine is None or engine.checked:
        return
    expected = probabilities(replace(run_model, engine=None), pixels)
    got = probabilities(run_model, pixels)
    if run_model.engine is None:  # it failed, and said so
        return
    difference = float((got - expected).abs().max())
    if difference > ENGINE_TOLERANCE:
        log.warning("%s's probabilities differ from PyTorch's by %.1e (more than %g) on the first batch; "
                    "predicting with PyTorch", engine.name, difference, ENGINE_TOLERANCE)  # fmt: skip
        run_model.engine = None
        return
    engine.checked = True


def best_classes(run_model: RunModel, probabilities, top_k: int) -> list[tuple[tuple[int, str, float], ...]]:
    """Per image, the `top_k` most probable classes as (class id, class name, probability), best first."""
    import torch

    k = max(1, min(top_k, probabilities.shape[1]))
    values, indexes = torch.topk(probabilities, k, dim=1)
    classes = run_model.classes
    return [tuple((classes[i]["id"], classes[i]["name"], p) for i, p in zip(row_i, row_p))
            for row_i, row_p in zip(indexes.tolist(), values.tolist())]  # fmt: skip


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
    fold_batch_norms(run_model)
    rows = project.conn.execute("SELECT id, path FROM images ORDER BY id").fetchall()
    paths = [(image_id, project.resolve_path(path), path) for image_id, path in rows]
    use_engine(run_model, project, run_id, len(paths), should_stop=should_stop)
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


# -- Classifying files from outside the project (`loupe predict`, drag and drop) -------------------

#: Folder names a walk never enters: hidden ones, and a project's own cache and model folders.
_OWN_FOLDER_SUFFIXES = (".loupe-cache", ".loupe-models")


def _is_image_file(path: Path) -> bool:
    """An image by its name, else by its first bytes (DICOM files often have no extension),
    as the importer decides."""
    if looks_like_image_name(path):
        return True
    try:
        with path.open("rb") as f:
            return sniff_format(f.read(SNIFF_BYTES)) is not None
    except OSError:
        return False


def _expanded(inputs: list[Path]) -> list[tuple[Path, str]]:
    """(absolute file, "") for every file to classify, (path, reason) for an input that cannot
    be, in the order given; a folder's files sorted, its subfolders walked recursively."""
    found: list[tuple[Path, str]] = []
    for given in inputs:
        root = Path(os.path.abspath(given))
        if root.is_file():
            found.append((root, ""))  # named explicitly: the decoder says whether it is an image
            continue
        if not root.is_dir():
            found.append((root, "no such file or folder"))
            continue
        errors: list[OSError] = []
        for folder, dirs, files in os.walk(root, onerror=errors.append):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith(_OWN_FOLDER_SUFFIXES))
            found += [(Path(folder) / name, "") for name in sorted(files)
                      if not name.startswith(".") and _is_image_file(Path(folder) / name)]  # fmt: skip
        found += [(Path(error.filename or root), f"cannot list the folder ({error.strerror or error})") for error in errors]
    return found


def expand_inputs(inputs: list[Path]) -> tuple[list[Path], list[dict]]:
    """Files and folders (recursively, image files only, as the importer finds them) ->
    (files, rejected [{path, reason}]). Hidden files and a project's own folders are left out;
    a file named explicitly is kept whatever its name (the decoder gives the reason if it is not
    an image)."""
    files, rejected = [], []
    for path, reason in _expanded(inputs):
        if reason:
            rejected.append({"path": str(path), "reason": reason})
        else:
            files.append(path)
    return files, rejected


@dataclass
class ClassifyResult:
    run_id: int
    predictions: list[Prediction]  # one per input file, in input order; unreadable ones with reason
    cancelled: bool = False
    found: int = 0  # files the inputs named or held (more than the predictions when cancelled)


def classify_files(project: Project, inputs: list[Path], run_id: int | None = None, device: str = "auto",
                   top_k: int = 3, tta: bool = False,
                   on_progress: Callable[[PredictionProgress], None] = lambda event: None,
                   should_stop: Callable[[], bool] = lambda: False) -> ClassifyResult:  # fmt: skip
    """Classify files and folders with run `run_id` (None: the project's active run); nothing is
    stored, so a read-only project will do. Files that cannot be read come back with their reason
    and the rest goes on; a stop keeps the predictions made so far (`cancelled`)."""
    from app.core.settings import active_run
    from app.core.training.runs import get_run

    if run_id is None:
        run_id = active_run(project)
        if run_id is None:
            raise LoupeError("no model to predict with: no run is active in this project (train one, or choose one with --run)")
    get_run(project, run_id)  # an unknown run fails before the folders are walked
    found = _expanded(inputs)
    preload.before_use()
    run_model = load_run_model(project, run_id, device)
    fold_batch_norms(run_model)
    files = [path for path, reason in found if not reason]
    use_engine(run_model, project, run_id, len(files), should_stop=should_stop)
    predictions: list[Prediction] = []
    cancelled = False
    try:
        for done, made in predicted_batches(run_model, files, band_choice(project), top_k, tta, should_stop):
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
    """Columns: path (absolute), class, confidence, then top_2_class, top_2_probability, ... up to
    `top_k`, then error. Written to a temporary name then renamed (never half a file under the
    name asked for)."""
    out = Path(os.path.abspath(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    header = ["path", "class", "confidence"]
    for rank in range(2, top_k + 1):
        header += [f"top_{rank}_class", f"top_{rank}_probability"]
    with written_whole(out) as f:
        writer = csv.writer(f)
        writer.writerow(header + ["error"])
        for p in predictions:
            row = [os.path.abspath(p.path), p.label, f"{p.confidence:.6f}" if p.class_id is not None else ""]
            for rank in range(1, top_k):
                row += [p.top[rank][1], f"{p.top[rank][2]:.6f}"] if rank < len(p.top) else ["", ""]
            writer.writerow(row + [p.reason])
