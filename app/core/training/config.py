"""The training config: one dataclass, every field with its help text (the GUI's form and the
command line's flags are built from it)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields


def _help(text: str) -> dict:
    return {"help": text}


@dataclass
class TrainConfig:
    model: str = field(default="dinov2-small", metadata=_help("Backbone: a preset name, a Hugging Face hub id, or a local folder."))
    method: str = field(default="linear", metadata=_help("linear (frozen backbone, seconds), lora (adapters, minutes) or full (all weights)."))
    epochs: int = field(default=10, metadata=_help("Passes over the training images."))
    batch_size: int = field(default=16, metadata=_help("Images per step (halved automatically if the GPU runs out of memory)."))
    lr: float | None = field(default=None, metadata=_help("Learning rate; default: the preset's for its suggested method, else the method's (1e-3 linear, 5e-4 LoRA, 5e-5 full)."))
    weight_decay: float = field(default=0.01, metadata=_help("AdamW weight decay."))
    warmup_fraction: float = field(default=0.1, metadata=_help("Share of steps spent warming the learning rate up."))
    val_fraction: float = field(default=0.2, metadata=_help("Share of each class's labelled images held out for validation."))
    seed: int = field(default=0, metadata=_help("Random seed (split of new images, initialisation, shuffling)."))
    device: str = field(default="auto", metadata=_help("auto, cpu, cuda or mps."))
    augment: bool = field(default=True, metadata=_help("Random crops, flips and small rotations while training."))
    label_smoothing: float = field(default=0.0, metadata=_help("Cross-entropy label smoothing (0 = off)."))
    class_weights: bool = field(default=True, metadata=_help("Weight the loss by inverse class frequency (imbalanced classes)."))
    patience: int = field(default=3, metadata=_help("Stop after this many epochs without a better validation loss (0 = never)."))
    grad_clip: float = field(default=1.0, metadata=_help("Clip the gradient norm to this (0 = off)."))
    workers: int = field(default=2, metadata=_help("DataLoader worker processes (0 = load in the training thread)."))
    lora_rank: int = field(default=8, metadata=_help("LoRA rank r."))
    init_from: int | None = field(default=None, metadata=_help("Continue from the model of this earlier run."))
    max_nonfinite: int = field(default=5, metadata=_help("Stop after this many non-finite losses in a row."))

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "TrainConfig":
        data = json.loads(text)
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

