"""Backbones: named presets of pretrained Hugging Face vision models, and loading any of them
(or any hub id, or a local folder in Hugging Face format) as an image classifier.

Weights load from safetensors only and `trust_remote_code` stays False: a model folder can never
run code or unpickle data on the user's machine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError, LoupeError, one_line
from app.core.training.presets import CLASSIFY, PRESETS, BackbonePreset, task_problem  # noqa: F401 (re-exported)
from app.core.training.timm_models import (
    TIMM_MODEL_TYPE,
    build_args,
    restore_args,
    timm_adapter_targets,
    timm_preprocessing,
)

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


#: Per-architecture layers the adapter methods (LoRA and its kin, IA³) adapt, where
#: "all-linear" does not fit (convolutional models): a list of layer names, or a function of the
#: model that finds them in its module tree (timm models: one entry for every family).
ADAPTER_TARGETS: dict[str, list[str] | str | Callable] = {
    "resnet": ["convolution"],
    TIMM_MODEL_TYPE: timm_adapter_targets,
}


def adapter_targets(model) -> list[str] | str:
    """The layers an adapter method adapts in `model` ("all-linear" unless its architecture says)."""
    targets = ADAPTER_TARGETS.get(model.config.model_type, "all-linear")
    return targets(model) if callable(targets) else targets


@dataclass(frozen=True)
class ImageSettings:
    """What the backbone expects: square input size, normalisation, and the interpolation that
    brings an image to that size (a timm checkpoint states its own, often bicubic). The whole
    image is always squeezed to the square, never centre-cropped (see `timm_preprocessing`)."""

    size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    interpolation: str = "bilinear"


def resolve(ref: str) -> tuple[str, BackbonePreset | None]:
    """(what transformers loads — a hub id or a folder —, the preset if `ref` names one)."""
    preset = PRESETS.get(ref.lower())
    problem = task_problem(ref, CLASSIFY)
    if problem:
        raise ConfigError(problem)
    if preset is not None:
        return preset.hub_id, preset
    folder = Path(ref).expanduser()
    if folder.exists():
        if not (folder / "config.json").exists():
            raise ConfigError(f"{ref} is not a Hugging Face model folder (no config.json in it)")
        if not any(folder.glob("*.safetensors")):
            raise ConfigError(_pickles_only_message(folder))
        problem = model_folder_problem(folder)
        if problem:
            raise ConfigError(f"cannot load the model in {folder.resolve()}: {problem}")
        problem = custom_code_problem(folder_config(folder), str(folder.resolve()))
        if problem:
            raise ConfigError(problem)
        return str(folder.resolve()), None
    if ref.count("/") == 1 and not ref.startswith((".", "/", "~")):
        problem = custom_code_problem(_cached_hub_config(ref), ref)
        if problem:
            raise ConfigError(problem)
        return ref, None
    if ref.startswith((".", "/", "~")) or "\\" in ref or ref.count("/") > 1:
        raise ConfigError(f"the model folder {folder} does not exist (moved or deleted?); choose another model")
    raise ConfigError(f"unknown model '{ref}': give a preset ({', '.join(PRESETS)}), a hub id, or a model folder")


def _json_file(path: Path) -> dict:
    """A JSON object from a file; ValueError (with what is wrong) when it is not one."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ValueError(f"it holds a JSON {type(data).__name__}, not an object")
    return data


def model_folder_problem(folder: Path) -> str | None:
    """What makes a model folder unreadable, in a few words (None: nothing found): a JSON file
    that is not JSON, a safetensors file whose header cannot be read (random bytes, cut short).
    Looked for before any loader runs, because the loaders say it as library errors
    (`SafetensorError: header too large`, a multi-line OSError) that name neither the folder nor
    what to do. Cheap: each safetensors file's header only, never its weights."""
    from safetensors import SafetensorError, safe_open

    for path in sorted(folder.glob("*.json")):  # the model's, its image processor's, a method's own
        try:
            _json_file(path) if path.name == "config.json" else json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
            return f"{path.name} is not valid JSON: {one_line(exc)}"
    for path in sorted(folder.glob("*.safetensors")):
        try:
            with safe_open(str(path), framework="numpy") as weights:
                weights.keys()
        except (OSError, ValueError, SafetensorError) as exc:
            return f"{path.name} cannot be read: {one_line(exc)}"
    return None


def custom_code_problem(config: dict | None, source: str) -> str | None:
    """A model whose config names its own Python classes (`auto_map`) for an architecture
    transformers does not know: loading it would mean running that code, which Loupe never does
    (remote code stays off). Said here in one line, before transformers says it in three, with
    a URL made from a folder name and advice to switch remote code on. A
    config with `auto_map` for a known architecture loads with transformers' own classes."""
    if not config or "auto_map" not in config:
        return None
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    kind = config.get("model_type")
    return None if kind in CONFIG_MAPPING_NAMES else custom_code_message(source, kind)


def custom_code_message(source: str, kind: str | None = None) -> str:
    what = f"model type '{kind}', custom classes in its config.json" if kind else "custom classes in its config.json"
    return (
        f"'{source}' needs its own Python code to load ({what}), and Loupe never runs code that comes "
        "with a model (trust_remote_code stays off); choose a model transformers supports natively, "
        f"e.g. a preset ({', '.join(PRESETS)})"
    )


def folder_config(folder: Path) -> dict | None:
    """A model folder's config.json as a dict; None when it cannot be read (said elsewhere)."""
    try:
        return _json_file(folder / "config.json")
    except (OSError, ValueError):
        return None


def _cached_hub_config(hub_id: str) -> dict | None:
    """A hub model's config.json when it is in the Hugging Face cache (None otherwise)."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(hub_id, "config.json")
        return _json_file(Path(found)) if isinstance(found, str) else None
    except (OSError, ValueError):
        return None  # transformers will say what is wrong with it


def local_weights_bytes(ref: str) -> int | None:
    """Bytes of the model's safetensors weights on this machine — a model folder, or a preset or
    hub id already in the Hugging Face cache — or None when they would have to be downloaded.
    Says whether a preset is downloaded, and how big a model is before anything loads."""
    try:
        source, _ = resolve(ref)
    except ConfigError:
        return None
    folder = Path(source) if Path(source).is_dir() else hub_snapshot(source)
    if folder is None:
        return None
    return sum(f.stat().st_size for f in folder.glob("*.safetensors")) or None


def hub_snapshot(hub_id: str) -> Path | None:
    """The folder of a hub model in the Hugging Face cache (`…/snapshots/<commit>`), where its
    config.json is, or None when it was never downloaded. Its name is the commit it came from."""
    from huggingface_hub import try_to_load_from_cache

    try:
        found = try_to_load_from_cache(hub_id, "config.json")
    except ValueError:  # not a hub id
        return None
    return Path(found).parent if isinstance(found, str) else None


def backbone_origin(source: str, model_ref: str) -> dict:
    """What a run was trained from, exactly: the name it was asked for, and a hub model's id and
    the revision (commit) in the cache, or a folder's absolute path. Recorded with the run, so a
    run names the very weights it started from, whatever the hub's `main` points to later."""
    if Path(source).is_dir():
        return {"model": model_ref, "folder": str(Path(source).resolve()), "hub_id": None, "revision": None}
    snapshot = hub_snapshot(source)
    return {"model": model_ref, "folder": None, "hub_id": source, "revision": snapshot.name if snapshot else None}


#: Weight files in Python's pickle format: loading one can run any code it carries.
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


def pickled_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix.lower() in PICKLE_SUFFIXES)


def _pickles_only_message(folder: Path) -> str:
    found = pickled_files(folder)
    held = f"holds its weights only as {', '.join(found)} (pickle files" if found else "has no weights file ("
    return (
        f"{folder} {held}, which can run code when loaded); Loupe loads safetensors only: save the model with "
        "`save_pretrained(..., safe_serialization=True)` or convert it to model.safetensors"
    )


def _offline_message(source: str, exc: Exception) -> str:
    return (
        f"cannot load '{source}': it is not on this machine and cannot be downloaded now "
        f"({type(exc).__name__}). Connect once to download it, or give a local model folder."
    )


def _quiet_transformers() -> None:
    """Loupe reports loading itself; transformers' load reports and bars would only be noise."""
    from huggingface_hub.utils import disable_progress_bars
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    disable_progress_bars()


#: A backbone with more than this share of its weights missing from its file is refused.
MOST_WEIGHTS_MISSING = 0.5


def check_loaded_weights(model, loading: dict, source: str) -> str:
    """Refuse a backbone whose weights file held little or none of what its architecture needs (a
    file of another model, or an empty one: it would train from random weights and say nothing);
    a notice when some backbone weights were missing. The head is not counted: it is new anyway."""
    from app.core.training.heads import head_module_name

    head = head_module_name(model) + "."
    expected = [key for key in model.state_dict() if not key.startswith(head)]
    absent = set(loading.get("missing_keys", ())) | {key for key, *_ in loading.get("mismatched_keys", ())}
    missing = [key for key in expected if key in absent]
    kind = getattr(model.config, "model_type", "") or type(model).__name__
    if expected and len(missing) > MOST_WEIGHTS_MISSING * len(expected):
        raise LoupeError(
            f"'{source}' does not hold the weights of its model: {len(missing)} of the {len(expected)} weights its "
            f"{kind} backbone needs are missing or of the wrong shape in its weights file (a file of another "
            "model, or an empty one?). Training would start from random weights; choose the folder of the "
            "model these weights belong to."
        )
    if missing:
        return (
            f"{len(missing)} of the {len(expected)} backbone weights were not in the weights file of '{source}' "
            f"and start from random values (first: {missing[0]})"
        )
    return ""


def load_classifier(
    source: str, labels: list[str], notices: list[str] | None = None, preset: BackbonePreset | None = None
):
    """An image-classification model with a fresh head for `labels` (safetensors only); what
    the user should know about its weights is appended to `notices`. A timm preset's card
    arguments complete the checkpoint's config (`timm_models.build_args`)."""
    from transformers import AutoConfig, AutoModelForImageClassification

    _quiet_transformers()
    try:
        config = AutoConfig.from_pretrained(
            source,
            num_labels=len(labels),
            id2label=dict(enumerate(labels)),
            label2id={name: i for i, name in enumerate(labels)},
            trust_remote_code=False,
        )
        saved_args = build_args(config, preset.model_args if preset else None)
        model, loading = AutoModelForImageClassification.from_pretrained(
            source,
            config=config,
            ignore_mismatched_sizes=True,
            use_safetensors=True,
            trust_remote_code=False,
            output_loading_info=True,
        )
        restore_args(model, saved_args)
    except OSError as exc:
        if Path(source).is_dir():  # on this machine: not a download problem
            raise LoupeError(f"cannot load the model in {source}: {one_line(exc)}") from exc
        raise LoupeError(_offline_message(source, exc)) from exc
    except ValueError as exc:
        if "trust_remote_code" in str(exc):  # a model whose config was not looked at first
            raise LoupeError(custom_code_message(source)) from exc
        raise LoupeError(f"'{source}' cannot be used as an image classifier: {one_line(exc)}") from exc
    notice = check_loaded_weights(model, loading, source)
    if notice and notices is not None:
        notices.append(notice)
    _fresh_head(model, loading)
    return model


def _fresh_head(model, loading: dict) -> None:
    """Re-initialise the head's layers that came from the checkpoint. transformers keeps a
    checkpoint's head whenever its size happens to fit (a 5-class model for 5 new classes): its
    rows would start as *other* classes. A head that did not fit (or was missing) is already new."""
    from torch import nn

    from app.core.training.heads import head_module, head_module_name

    renewed = {key for key, *_ in loading.get("mismatched_keys", ())} | set(loading.get("missing_keys", ()))
    prefix = head_module_name(model)
    for name, module in head_module(model).named_modules():
        key = ".".join(filter(None, (prefix, name, "weight")))
        if isinstance(module, nn.Linear) and key not in renewed:
            module.reset_parameters()


_FINGERPRINTS: dict[tuple, str] = {}


def weights_fingerprint(source: str) -> str | None:
    """SHA-256 of a backbone's safetensors files (a folder, or a hub id's cached snapshot), or
    None when they are not on this machine. Remembered per file size and time in this process:
    a large base is read once, not at every load of a run that depends on it."""
    folder = Path(source) if Path(source).is_dir() else hub_snapshot(source)
    if folder is None:
        return None
    files = sorted(folder.glob("*.safetensors"))
    if not files:
        return None
    stamp = tuple((str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files)
    if stamp not in _FINGERPRINTS:
        digest = hashlib.sha256()
        for path in files:
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
        _FINGERPRINTS[stamp] = digest.hexdigest()
    return _FINGERPRINTS[stamp]


def load_saved_classifier(folder) -> object:
    """A whole classifier saved in a folder (safetensors only). Its files are looked at first
    (`model_folder_problem`, custom code): LoupeError in one line rather than a library's error."""
    from transformers import AutoModelForImageClassification

    problem = model_folder_problem(Path(folder))
    if problem:
        raise LoupeError(f"cannot load the model in {folder}: {problem}")
    problem = custom_code_problem(folder_config(Path(folder)), str(folder))
    if problem:
        raise LoupeError(problem)
    from transformers import AutoConfig

    _quiet_transformers()
    config = AutoConfig.from_pretrained(str(folder), trust_remote_code=False)
    saved_args = build_args(config)
    model = AutoModelForImageClassification.from_pretrained(
        str(folder), config=config, use_safetensors=True, trust_remote_code=False
    )
    restore_args(model, saved_args)
    return model


def load_image_processor(source: str):
    """The model's image processor, or None when the folder has no preprocessor config."""
    from transformers import AutoImageProcessor

    try:
        return AutoImageProcessor.from_pretrained(source, trust_remote_code=False)
    except (OSError, ValueError):
        return None


def image_settings(processor, model_config, preset: BackbonePreset | None) -> ImageSettings:
    """What the backbone expects, from its processor or config (a timm checkpoint's own
    `pretrained_cfg` first: it is what the weights were trained with)."""
    if getattr(model_config, "model_type", "") == TIMM_MODEL_TYPE:
        stated = timm_preprocessing(model_config)
        return ImageSettings(
            stated.get("size") or (preset.image_size if preset else 224),
            stated.get("mean", IMAGENET_MEAN),
            stated.get("std", IMAGENET_STD),
            stated.get("interpolation", "bilinear"),
        )
    size = None
    if processor is not None:
        size_spec = getattr(processor, "crop_size", None) or getattr(processor, "size", None) or {}
        size_spec = dict(size_spec) if not isinstance(size_spec, int) else {"height": size_spec}
        size = size_spec.get("height") or size_spec.get("shortest_edge")
    vision = getattr(model_config, "vision_config", None)  # CLIP-like models nest it
    size = size or getattr(model_config, "image_size", None) or getattr(vision, "image_size", None)
    size = size or (preset.image_size if preset else 224)
    if isinstance(size, (list, tuple)):
        size = size[0]
    mean = tuple(getattr(processor, "image_mean", None) or IMAGENET_MEAN)
    std = tuple(getattr(processor, "image_std", None) or IMAGENET_STD)
    return ImageSettings(int(size), mean, std)


#: Config entries that describe the classification head, not the backbone's features.
_HEAD_CONFIG_KEYS = frozenset(
    {"id2label", "label2id", "num_labels", "problem_type", "architectures", "transformers_version", "_name_or_path"}
)


def backbone_key(source: str, model_config) -> str:
    """Identifies a backbone's weights, for the embedding cache: the same key means the same
    features. Local folders include their weights files' size and time, so retrained weights in
    the same folder do not reuse stale embeddings."""
    stamp = ""
    folder = Path(source)
    if folder.is_dir():
        stamp = ";".join(
            f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob("*.safetensors"))
        )
    # The head's classes are not part of the features: adding a class keeps the cached embeddings.
    body = {k: v for k, v in model_config.to_dict().items() if k not in _HEAD_CONFIG_KEYS}
    text = f"{source}|{json.dumps(body, sort_keys=True, default=str)}|{stamp}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]
