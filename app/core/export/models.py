"""A run's model, out of Loupe: as a Hugging Face folder, or as ONNX.

    report = export_hf(project, Path("out"), run_id=3)     # run None: the project's active run
    report = export_onnx(project, Path("out.onnx-folder"))

Both start from the one run loader (`saved_models.load_run`), so every method comes out the same
way: adapters (LoRA and its kin) merged into the weights, BitFit's biases in place, a whole plain
classifier whose config names the run's classes in order. Beside it goes the image processor
that prepares an image exactly as Loupe did for this run (resize to S×S, rescale 1/255, mean/std),
and a README.md that says what the model is.

`onnx` exports the classifier's logits for `pixel_values` (float32, N×3×S×S, any N) and then runs
the file with onnxruntime on a batch beside PyTorch: a model whose logits differ by more than
`ONNX_TOLERANCE` of the largest logit (at least 1) is not handed over. Every folder is written under a temporary name beside `out`
and renamed when complete: a failure or a stop never leaves half a folder under the name asked for.

The exporter: torch 2.14's default (`dynamo=True`, torch.export + onnxscript) failed on a Swin
backbone with a dynamic batch in our trials, while the TorchScript exporter (deprecated, still
shipped) exported every preset's architecture ten times faster and as exactly. It goes first;
the dynamo exporter is tried when it fails or its file does not match (`ONNX_EXPORTERS`).
"""

from __future__ import annotations

import contextlib
import io
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.atomic_files import written_folder
from app.core.errors import Cancelled, ConfigError, LoupeError
from app.core.export.report import ExportReport
from app.core.project.outputs import NEW_FOLDER, check_output
from app.core.project.store import Project
from app.core.training.events import Notice

#: The largest difference of logits allowed between the ONNX file (onnxruntime) and PyTorch, as
#: a share of the largest logit (at least 1): float32 carries about seven digits, so a linear
#: probe on a real backbone, whose folded standardisation gives logits over 100 on the check's
#: random images, differs by a few 1e-4 where a tiny model's logits near 1 differ by 1e-6.
ONNX_TOLERANCE = 1e-4
#: ONNX operator set: 17 has LayerNormalization as one operator; 18 is what both exporters write well.
ONNX_OPSET = 18
#: Batch sizes of the example the exporter traces and of the check (different: proves the batch is dynamic).
_EXAMPLE_BATCH, _CHECK_BATCH = 2, 3
#: Above this many bytes of weights an ONNX file keeps them in a separate `.data` file (protobuf's 2 GB limit).
_EXTERNAL_DATA_BYTES = 1_800_000_000


@dataclass
class LoadedRun:
    run: object  # RunRecord
    model: object  # torch.nn.Module: a plain transformers classifier, eval mode, CPU, float32
    processor: object  # the image processor written beside it
    settings: object  # ImageSettings: size, mean, std


# -- What both formats share ---------------------------------------------------------------------


def run_to_export(project: Project, run_id: int | None):
    """The run to export (None: the project's active run) with its model folder checked; one-line
    LoupeError when there is no such run, no active one, or the run saved no model."""
    from app.core.project.settings import active_run
    from app.core.training.runs import get_run
    from app.core.training.saved_models import run_folder

    if run_id is None:
        run_id = active_run(project)
        if run_id is None:
            raise LoupeError(
                "no model to export: no run is active in this project (train one, or choose one with --run)"
            )
    run = get_run(project, run_id)
    run_folder(project, run)  # no model, a moved folder, or pickles: said before anything loads
    return run


def _load(project: Project, run_id: int | None, on_progress: Callable[[object], None]) -> LoadedRun:
    from app.core.training.backbones import PRESETS, image_settings
    from app.core.training.saved_models import load_run

    run = run_to_export(project, run_id)
    on_progress(Notice(f"Loading the model of run {run.id} ({run.method} on {run.model_ref})…"))
    model, processor, run = load_run(project, run.id)
    model = model.float().eval()
    names = [entry["name"] for entry in run.classes]
    model.config.id2label = dict(enumerate(names))
    model.config.label2id = {name: i for i, name in enumerate(names)}
    # As training chose them: the run's processor, else the model's config, else its preset.
    settings = image_settings(processor, model.config, PRESETS.get(run.model_ref.lower()))
    return LoadedRun(run, model, export_processor(processor, settings), settings)


#: Interpolation name -> PIL's resample code, as transformers' image processors store it.
PIL_RESAMPLE = {"nearest": 0, "bilinear": 2, "bicubic": 3}


def export_processor(processor, settings):
    """The image processor of the exported model: the run's own when it prepares an image as
    Loupe's evaluation transform does (resize to exactly S×S with the backbone's interpolation, rescale 1/255, the run's
    mean and std), else one built from the run's image settings that does (a backbone's processor
    that resizes the short side and crops the centre would not give Loupe's predictions)."""
    from transformers import ViTImageProcessor

    if processor is not None and _prepares_as_loupe(processor.to_dict(), settings):
        return processor
    return ViTImageProcessor(
        do_resize=True,
        size={"height": settings.size, "width": settings.size},
        resample=PIL_RESAMPLE[settings.interpolation],
        do_rescale=True,
        rescale_factor=1 / 255,
        do_normalize=True,
        image_mean=list(settings.mean),
        image_std=list(settings.std),
    )


def _prepares_as_loupe(config: dict, settings) -> bool:
    def same(values, expected) -> bool:
        return values is not None and len(values) == 3 and all(abs(a - b) < 1e-9 for a, b in zip(values, expected))

    return (
        config.get("do_resize", True)
        and dict(config.get("size") or {}) == {"height": settings.size, "width": settings.size}
        and config.get("resample", PIL_RESAMPLE["bilinear"]) == PIL_RESAMPLE[settings.interpolation]
        and not config.get("do_center_crop")
        and not config.get("do_pad")
        and config.get("do_rescale", True)
        and abs(config.get("rescale_factor", 1 / 255) - 1 / 255) < 1e-12
        and config.get("do_normalize", True)
        and same(config.get("image_mean"), settings.mean)
        and same(config.get("image_std"), settings.std)
    )


def _write_folder(out: Path, write: Callable[[Path], list[str]]) -> list[str]:
    """`write(folder)` into a temporary folder renamed to `out` when complete (`atomic_files`).
    Returns the absolute paths of the files written."""
    names = written_folder(out, write)
    return [str(out.resolve() / name) for name in names]


def _stop_point(should_stop: Callable[[], bool]) -> None:
    if should_stop():
        raise Cancelled("export stopped; nothing was written")


def _example(settings, batch: int, seed: int):
    """Normalised pixels of random images (uniform in [0, 1] before mean/std, as real ones are)."""
    import torch

    generator = torch.Generator().manual_seed(seed)
    pixels = torch.rand(batch, 3, settings.size, settings.size, generator=generator)
    mean, std = torch.tensor(settings.mean).view(1, 3, 1, 1), torch.tensor(settings.std).view(1, 3, 1, 1)
    return (pixels - mean) / std


def _logits(model, pixels):
    import torch

    with torch.inference_mode():
        return model(pixel_values=pixels).logits.float()


# -- README texts ------------------------------------------------------------------------------


def _about(loaded: LoadedRun) -> list[str]:
    """What the model is, for both READMEs: backbone, method, run, classes, how good it was."""
    from app.core.training.methods import METHODS
    from app.core.training.metrics import wilson_interval

    run, lines = loaded.run, []
    info = METHODS.get(run.method)
    how = f"{info.title} ({info.summary})" if info else run.method
    lines.append(
        f"- Backbone: `{run.model_ref}`, fine-tuned by Loupe with {how}. Whatever the method trained is in "
        "these weights (adapters merged): no peft and no Loupe needed to use it."
    )
    finished = f", finished {run.finished_at}" if run.finished_at else ""
    lines.append(f"- Loupe run {run.id}, started {run.created_at}{finished}; {len(run.classes)} classes.")
    if run.accuracy is not None:
        seen = sum(entry.get("support", 0) for entry in (run.report or {}).get("classes", []))
        scores = f"- Validation accuracy {run.accuracy:.1%}"
        scores += f", macro-F1 {run.macro_f1:.1%}" if run.macro_f1 is not None else ""
        if seen:
            low, high = wilson_interval(round(run.accuracy * seen), seen)
            scores += f" on {seen} validation images (95 % range of the accuracy {low:.0%}–{high:.0%})"
        lines.append(scores + ".")
    else:
        lines.append("- No validation score was recorded for this run.")
    return lines


def _classes_table(loaded: LoadedRun) -> list[str]:
    rows = ["| index | class |", "| ---: | --- |"]
    rows += [f"| {i} | {entry['name']} |" for i, entry in enumerate(loaded.run.classes)]
    return rows


def _input_lines(settings) -> list[str]:
    mean = ", ".join(f"{v:g}" for v in settings.mean)
    std = ", ".join(f"{v:g}" for v in settings.std)
    return [
        "1. Decode to RGB (channel order R, G, B; greyscale repeated in all three), 8 bits per channel. Loupe "
        "trained on 16-bit, DICOM and multi-band images as it shows them: windowed to 8 bits, the chosen bands as RGB.",
        f"2. Resize to {settings.size} × {settings.size} pixels, {settings.interpolation} "
        "(the aspect ratio is not kept, nothing is cropped).",
        "3. Rescale to [0, 1]: multiply by 1/255.",
        f"4. Normalise each channel: (x − mean) / std with mean = ({mean}) and std = ({std}).",
        f"5. Lay out as float32 N × 3 × {settings.size} × {settings.size} (channels first).",
    ]


def _hf_readme(loaded: LoadedRun) -> str:
    name = f"Loupe run {loaded.run.id}"
    return "\n".join(
        [
            f"# {name}: an image classifier",
            "",
            *_about(loaded),
            "",
            "A plain transformers model (safetensors weights, no code of its own):",
            "",
            "```python",
            "import torch",
            "from PIL import Image",
            "from transformers import AutoImageProcessor, AutoModelForImageClassification",
            "",
            'model = AutoModelForImageClassification.from_pretrained("THIS_FOLDER").eval()',
            'processor = AutoImageProcessor.from_pretrained("THIS_FOLDER")',
            'inputs = processor(images=Image.open("image.png").convert("RGB"), return_tensors="pt")',
            "with torch.inference_mode():",
            "    probabilities = model(**inputs).logits.softmax(-1)[0]",
            "print(model.config.id2label[int(probabilities.argmax())], float(probabilities.max()))",
            "```",
            "",
            "## Classes (the order of the logits)",
            "",
            *_classes_table(loaded),
            "",
            "## What the image processor does (as Loupe did for this run)",
            "",
            *_input_lines(loaded.settings),
            "",
        ]
    )


def _onnx_readme(loaded: LoadedRun, files: list[str], check: dict) -> str:
    s = loaded.settings.size
    names = [entry["name"] for entry in loaded.run.classes]
    # Weights over protobuf's 2 GB limit go to files of their own beside model.onnx.
    data = [name for name in files if name not in ("model.onnx", "preprocessor_config.json")]
    weights = f", its weights in {', '.join(data)} beside it (keep them together)" if data else ""
    return "\n".join(
        [
            f"# Loupe run {loaded.run.id}: an image classifier in ONNX",
            "",
            *_about(loaded),
            "",
            f"`model.onnx` (opset {check['opset']}{weights}):",
            f"- input `pixel_values`: float32, N × 3 × {s} × {s} (N, the batch, is free);",
            f"- output `logits`: float32, N × {len(names)}, one score per class in the order below. They are **not**",
            "  probabilities: apply a softmax over the last axis for those (left to you, so the scores stay available).",
            "",
            f"Checked when exported: onnxruntime's logits on a batch of {check['batch']} differed from PyTorch's by at most "
            f"{check['max_abs_difference']:.1e} (the limit is {check['limit']:.1e}: {ONNX_TOLERANCE:g} of the largest logit, "
            "at least 1).",
            "",
            "## Preparing an image",
            "",
            *_input_lines(loaded.settings),
            "",
            "`preprocessor_config.json` holds the same steps for transformers' `AutoImageProcessor`.",
            "",
            "## Classes (the order of the logits)",
            "",
            *_classes_table(loaded),
            "",
            "## Running it",
            "",
            "```python",
            "import numpy as np",
            "import onnxruntime as ort",
            "from PIL import Image",
            "",
            f"CLASSES = {names!r}",
            f"MEAN = np.array({list(loaded.settings.mean)!r}, dtype=np.float32).reshape(3, 1, 1)",
            f"STD = np.array({list(loaded.settings.std)!r}, dtype=np.float32).reshape(3, 1, 1)",
            "",
            "def prepare(path):",
            f'    image = Image.open(path).convert("RGB").resize(({s}, {s}), Image.{loaded.settings.interpolation.upper()})',
            "    x = np.asarray(image, dtype=np.float32).transpose(2, 0, 1) / 255.0",
            "    return (x - MEAN) / STD",
            "",
            'session = ort.InferenceSession("model.onnx", providers=["CPUExecutionProvider"])',
            'batch = np.stack([prepare("image.png")]).astype(np.float32)',
            'logits = session.run(["logits"], {"pixel_values": batch})[0]',
            "probabilities = np.exp(logits - logits.max(1, keepdims=True))",
            "probabilities /= probabilities.sum(1, keepdims=True)",
            "print(CLASSES[int(probabilities[0].argmax())], float(probabilities[0].max()))",
            "```",
            "",
        ]
    )


# -- hf ----------------------------------------------------------------------------------------


def export_hf(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """Run `run_id` (None: the active run) as a folder any transformers code loads with
    AutoModelForImageClassification and AutoImageProcessor: merged weights (safetensors only),
    the run's class names in its config, the processor, a README.md. Into a new or empty folder."""
    out = check_output(out, NEW_FOLDER, project.paths)
    loaded = _load(project, run_id, on_progress)
    _stop_point(should_stop)
    on_progress(Notice(f"Writing the Hugging Face folder {out}…"))

    def write(folder: Path) -> list[str]:
        from app.core.training.backbones import load_saved_classifier, pickled_files

        loaded.model.save_pretrained(folder, safe_serialization=True)
        loaded.processor.save_pretrained(folder)
        (folder / "README.md").write_text(_hf_readme(loaded), encoding="utf-8")
        if pickled_files(folder):  # never: save_pretrained writes safetensors here
            raise LoupeError(f"the export of run {loaded.run.id} wrote pickle files; nothing was exported")
        _stop_point(should_stop)
        # What a user will do first: load it back. Same weights, so the same logits.
        again = load_saved_classifier(folder).eval()
        pixels = _example(loaded.settings, _CHECK_BATCH, seed=0)
        difference = float((_logits(again, pixels) - _logits(loaded.model, pixels)).abs().max())
        if difference > ONNX_TOLERANCE:
            raise LoupeError(
                f"the exported folder of run {loaded.run.id} loads back different (logits differ by "
                f"{difference:.1e}); nothing was exported"
            )
        return sorted(p.name for p in folder.iterdir())

    return _model_report("hf", out, loaded, _write_folder(out, write))


def _model_report(format: str, out: Path, loaded: LoadedRun, files: list[str], **details) -> ExportReport:
    """What a model format wrote: the run, its files, and what a script needs to use them."""
    return ExportReport(
        format,
        str(out),
        run=loaded.run.id,
        files=files,
        details={
            "classes": [entry["name"] for entry in loaded.run.classes],
            "method": loaded.run.method,
            "backbone": loaded.run.model_ref,
            "image_size": loaded.settings.size,
            **details,
        },
    )


# -- onnx --------------------------------------------------------------------------------------


def _logits_module(model):
    """pixel_values -> logits: a plain tensor out (an ONNX graph has no ImageClassifierOutput)."""
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, classifier):
            super().__init__()
            self.classifier = classifier

        def forward(self, pixel_values):
            return self.classifier(pixel_values=pixel_values).logits

    return Logits(model).eval()  # eval: an exporter restores the mode it found, on the inner model too


def _torchscript(module, example, path: Path, external: bool) -> None:
    """The TorchScript exporter (traces the model): dynamic batch through `dynamic_axes`."""
    import torch

    torch.onnx.export(
        module,
        (example,),
        str(path),
        input_names=["pixel_values"],
        output_names=["logits"],
        opset_version=ONNX_OPSET,
        dynamo=False,
        dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
    )


def _dynamo(module, example, path: Path, external: bool) -> None:
    """The torch.export exporter (needs onnxscript): dynamic batch through `dynamic_shapes`."""
    import torch

    torch.onnx.export(
        module,
        (example,),
        str(path),
        input_names=["pixel_values"],
        output_names=["logits"],
        opset_version=ONNX_OPSET,
        dynamo=True,
        external_data=external,
        verbose=False,
        dynamic_shapes={"pixel_values": {0: torch.export.Dim("batch", min=1)}},
    )


#: Tried in this order until one writes a file whose logits match PyTorch's (see the module docstring).
ONNX_EXPORTERS: dict[str, Callable] = {"torchscript": _torchscript, "dynamo": _dynamo}


def onnx_difference(path: Path, model, pixels) -> tuple[float, float]:
    """(largest |logit difference| between onnxruntime running `path` and PyTorch's `model` on
    `pixels`, the largest |logit| PyTorch gives there)."""
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    inputs, outputs = [i.name for i in session.get_inputs()], [o.name for o in session.get_outputs()]
    if inputs != ["pixel_values"] or outputs != ["logits"]:
        raise LoupeError(f"the ONNX file has inputs {inputs} and outputs {outputs}, not pixel_values and logits")
    got = session.run(["logits"], {"pixel_values": pixels.numpy().astype(np.float32)})[0]
    expected = _logits(model, pixels).numpy()
    if got.shape != expected.shape:
        raise LoupeError(f"the ONNX file gives logits of shape {got.shape} for {expected.shape}")
    return float(np.abs(got - expected).max()), float(np.abs(expected).max())


def export_checked(loaded: LoadedRun, folder: Path, exporters: tuple[str, ...], on_progress, should_stop) -> dict:
    """model.onnx in `folder` from the first exporter whose file matches PyTorch within the
    tolerance; LoupeError saying what each exporter did when none does."""
    import onnx

    module = _logits_module(loaded.model)
    example = _example(loaded.settings, _EXAMPLE_BATCH, seed=1)
    check = _example(loaded.settings, _CHECK_BATCH, seed=2)
    external = sum(p.numel() * p.element_size() for p in loaded.model.parameters()) > _EXTERNAL_DATA_BYTES
    path = folder / "model.onnx"
    failures = []
    for name in exporters:
        _stop_point(should_stop)
        for leftover in folder.glob("model.onnx*"):
            leftover.unlink()
        on_progress(Notice(f"Exporting run {loaded.run.id} to ONNX ({name} exporter, opset {ONNX_OPSET})…"))
        started = time.perf_counter()
        try:
            # Exporters print their stages and warn about their own deprecation: not for the user's terminal.
            with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                warnings.simplefilter("ignore")
                ONNX_EXPORTERS[name](module, example, path, external)
            onnx.checker.check_model(str(path))
            seconds = time.perf_counter() - started
            on_progress(Notice(f"Checking the ONNX file with onnxruntime on a batch of {_CHECK_BATCH}…"))
            difference, scale = onnx_difference(path, loaded.model, check)
            limit = ONNX_TOLERANCE * max(1.0, scale)
        except Exception as exc:  # noqa: BLE001 - an exporter's failure is a reason to try the next
            failures.append(f"{name}: {' '.join(str(exc).split())[:200] or type(exc).__name__}")
            continue
        if difference <= limit:
            return {
                "exporter": name,
                "opset": ONNX_OPSET,
                "batch": _CHECK_BATCH,
                "max_abs_difference": difference,
                "limit": limit,
                "export_seconds": round(seconds, 3),
            }
        failures.append(
            f"{name}: onnxruntime's logits differ from PyTorch's by {difference:.1e} (more than {limit:.1e}: "
            f"{ONNX_TOLERANCE:g} of the largest logit, {scale:.3g})"
        )
    raise LoupeError(f"the ONNX export of run {loaded.run.id} failed, nothing was written ({'; '.join(failures)})")


def export_onnx(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    exporters: tuple[str, ...] = tuple(ONNX_EXPORTERS),
) -> ExportReport:
    """Run `run_id` (None: the active run) as model.onnx (pixel_values -> logits, dynamic batch),
    the image processor config and a README.md of the inputs, in a new or empty folder; checked
    against PyTorch with onnxruntime (at most `ONNX_TOLERANCE` apart) before it is handed over."""
    unknown = [name for name in exporters if name not in ONNX_EXPORTERS]
    if unknown or not exporters:
        raise ConfigError(f"unknown ONNX exporter {unknown}; choose from {', '.join(ONNX_EXPORTERS)}")
    out = check_output(out, NEW_FOLDER, project.paths)
    loaded = _load(project, run_id, on_progress)
    check: dict = {}

    def write(folder: Path) -> list[str]:
        check.update(export_checked(loaded, folder, exporters, on_progress, should_stop))
        loaded.processor.save_pretrained(folder)
        files = sorted(p.name for p in folder.iterdir())
        (folder / "README.md").write_text(_onnx_readme(loaded, files, check), encoding="utf-8")
        return sorted(files + ["README.md"])

    files = _write_folder(out, write)  # fills `check`
    return _model_report("onnx", out, loaded, files, input="pixel_values", output="logits", **check)
