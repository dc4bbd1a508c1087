"""What every zero-shot format loads into (`ZeroShotModel`) and the checks they share: the
weights as safetensors only, JSON files read with a sentence for what is wrong. Kept apart from
`models` (the registry), which imports the formats, so that no import goes in a circle."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import ConfigError

#: How class probabilities come from the logits: "softmax" (CLIP: one class of many) or "sigmoid"
#: (SigLIP: trained with a sigmoid per image-text pair; see scoring.probabilities).
SOFTMAX = "softmax"
SIGMOID = "sigmoid"


@dataclass
class ZeroShotModel:
    """A loaded CLIP-family model behind one interface. `encode_images` takes a batch of pixels
    (N × 3 × size × size, normalised with `mean`/`std`) and `encode_texts` a list of prompts;
    both return L2-normalised float32 rows."""

    key: str  # identifies the weights, for the embedding cache
    format: str
    encode_images: Callable[[object], object]
    encode_texts: Callable[[list[str]], object]
    logit_scale: float  # already exp()'d: the multiplier of the cosine similarity
    logit_bias: float | None
    kind: str  # SOFTMAX or SIGMOID
    size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    device: object = field(default=None, repr=False)


def safetensors_weights(folder: Path, preferred: tuple[str, ...] = ()) -> Path:
    """The safetensors file to load (a preferred name first); a folder with only pickles is refused
    with a sentence saying why."""
    for name in preferred:
        if (folder / name).is_file():
            return folder / name
    found = sorted(folder.glob("*.safetensors"))
    if found:
        return found[0]
    pickles = sorted(p.name for p in folder.iterdir() if p.suffix in (".bin", ".pt", ".pth", ".pkl"))
    if pickles:
        raise ConfigError(
            f"{folder} has its weights only as a pickle ({', '.join(pickles)}), which can run code when loaded: "
            "Loupe loads safetensors only. Convert them once with a trusted tool (docs/zeroshot.md says how)."
        )
    raise ConfigError(f"{folder} has no weights (no *.safetensors file)")


def read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path.name} in {path.parent} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path.name} in {path.parent} is not a JSON object")
    return data
