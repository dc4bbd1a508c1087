"""Loading a CLIP-family model for zero-shot labels, whatever format it ships in.

Two formats, one registry (`FORMATS`), chosen by the files a model folder holds:

- `transformers`: config.json of a `CLIPModel` or `SiglipModel` (openai/clip-vit-base-patch32,
  google/siglip-base-patch16-224, vinid/plip), loaded with the Auto classes, safetensors only,
  `trust_remote_code=False`.
- `open_clip`: open_clip's hub layout, `open_clip_config.json` beside the weights (BiomedCLIP,
  QuiltNet and most domain models), built by open_clip itself from that config and filled from a
  safetensors file only (`open_clip_model.safetensors` or any `*.safetensors`): a pickle
  (`open_clip_pytorch_model.bin`) can run code when loaded, so it is refused, never unpickled.

Every format gives the same `ZeroShotModel`: normalised image and text embeddings, the model's own
logit scale (and SigLIP's bias), and the image settings its encoder expects, so scoring never asks
which format it has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError, LoupeError
from app.core.zeroshot.loaded import SIGMOID, SOFTMAX, ZeroShotModel, read_json, safetensors_weights  # noqa: F401

#: The marker file of each format, in the order they are tried.
MARKERS = {"transformers": "config.json", "open_clip": "open_clip_config.json"}


@dataclass(frozen=True)
class ZeroShotFormat:
    """One way of shipping a model: the file that marks it and the function that loads it."""

    name: str
    marker: str
    load: Callable[[Path, str, str], ZeroShotModel]  # (folder, cache key, device) -> model


def _load_transformers(folder: Path, key: str, device: str) -> ZeroShotModel:
    from app.core.zeroshot.transformers_format import load

    return load(folder, key, device)


def _load_open_clip(folder: Path, key: str, device: str) -> ZeroShotModel:
    from app.core.zeroshot.open_clip_format import load

    return load(folder, key, device)


FORMATS: dict[str, ZeroShotFormat] = {
    fmt.name: fmt
    for fmt in (
        ZeroShotFormat("transformers", MARKERS["transformers"], _load_transformers),
        ZeroShotFormat("open_clip", MARKERS["open_clip"], _load_open_clip),
    )
}


def format_of(folder: Path) -> ZeroShotFormat:
    """The format a model folder is in, from its marker file (open_clip first: an open_clip
    repository may carry a config.json for its text tower too)."""
    for fmt in sorted(FORMATS.values(), key=lambda f: f.name != "open_clip"):
        if (folder / fmt.marker).is_file():
            return fmt
    raise ConfigError(
        f"{folder} holds neither config.json (a transformers CLIP or SigLIP) nor open_clip_config.json "
        "(an open_clip model): it is not a zero-shot model Loupe can load"
    )


def model_folder(ref: str) -> Path:
    """The folder a model reference loads from: a zero-shot preset's or a hub id's snapshot in the
    Hugging Face cache (downloaded first by the caller: `hub.ensure_downloaded`), or a folder."""
    from app.core.hub.cache import model_on_disk
    from app.core.training.presets import PRESETS

    ref = ref.strip()
    if not ref:
        raise ConfigError("choose a zero-shot model (a preset, a hub id or a model folder)")
    preset = PRESETS.get(ref.lower())
    folder = Path(ref).expanduser()
    if preset is None and folder.is_dir():
        return folder.resolve()
    hub_id = preset.hub_id if preset else ref
    if preset is not None and preset.unavailable:
        raise LoupeError(f"{preset.name}: {preset.unavailable}")
    if preset is None and (ref.count("/") != 1 or ref.startswith((".", "/", "~"))):
        raise ConfigError(f"the model folder {folder} does not exist (moved or deleted?); choose another model")
    found = model_on_disk(hub_id)
    if found is None:
        raise LoupeError(f"'{ref}' is not on this machine: `loupe models download {ref}` fetches it")
    return found.path


def weights_key(folder: Path, fmt: str) -> str:
    """The embedding cache's key for a model's image features: its format, folder and weights
    files (size and time), so changed weights in the same folder never reuse stale features."""
    stamp = ";".join(
        f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in sorted(folder.glob("*.safetensors"))
    )
    return f"zeroshot:{fmt}:{folder}|{stamp}"


def load_zeroshot_model(ref: str, device: str = "cpu") -> ZeroShotModel:
    """The model `ref` names (preset, hub id or folder), loaded in eval mode on `device`."""
    from app.core.training import preload

    preload.before_use()  # a window may be loading torch in the background right now
    from app.core.training.device import choose_device

    folder = model_folder(ref)
    fmt = format_of(folder)
    chosen = str(choose_device(device).device)
    return fmt.load(folder, weights_key(folder, fmt.name), chosen)
