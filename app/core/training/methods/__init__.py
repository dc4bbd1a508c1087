"""Training methods by name: how much of a pretrained model a run trains, and how its result is
saved and loaded back.

This module is the catalogue: names, one-line descriptions and costs, default learning rates.
It imports no torch, so the form, `loupe train --help` and the config's validation can list the
methods at no cost; `get_method(name)` imports the implementation when a run needs it.

| name | trains | saved as |
| --- | --- | --- |
| linear | logistic regression on frozen, cached features, fitted to convergence | the whole model (the head in place) |
| bitfit | every bias, and the head | the biases and the head (safetensors) |
| ia3 | (IA)³ scaling vectors, and the head | a peft adapter |
| lora, dora, adalora, loha, lokr | low-rank adapters of each kind, and the head | a peft adapter |
| full | every weight | the whole model |

Parameter-efficient methods keep BatchNorm's running statistics as the backbone had them: they
save only what they trained, so statistics that drifted during training would be lost on reload.

The shares of the weights in the costs were counted on ViT-B/16, ResNet-50 and DINOv2-S with the
default rank 8; every run records its own exact count (`cost.py`).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.errors import ConfigError

if TYPE_CHECKING:
    from app.core.training.methods.base import TrainingMethod


@dataclass(frozen=True)
class MethodInfo:
    name: str
    title: str  # as the window shows it
    summary: str  # what trains, in a few words
    cost: str  # share of the weights and time, in a few words
    default_lr: float
    implementation: str  # "module:Class"
    #: Trains every weight of the backbone: hours on a CPU with a real backbone (warned about).
    trains_backbone: bool = False
    #: Leaves the backbone as it was: the run's features are the pretrained backbone's (so active
    #: learning can share the linear probe's cached embeddings instead of the run's model).
    frozen_features: bool = False

    @property
    def one_line(self) -> str:
        return f"{self.title} — {self.summary}: {self.cost}"


_PEFT = "app.core.training.methods.peft_family"

METHODS: dict[str, MethodInfo] = {
    info.name: info
    for info in (
        MethodInfo(
            "linear",
            "Linear probe",
            "frozen backbone, logistic regression on its cached features (fitted to convergence)",
            "only the head (< 0.05 % of the weights); seconds, even on a CPU",
            1e-3,
            "app.core.training.methods.linear:LinearProbe",
            frozen_features=True,
        ),
        MethodInfo(
            "bitfit",
            "BitFit",
            "the biases and the head",
            "≈0.1–0.3 % of the weights; minutes",
            1e-3,
            "app.core.training.methods.bitfit:BitFit",
        ),
        MethodInfo(
            "ia3",
            "IA³",
            "learned scaling vectors on the backbone's activations",
            "≈0.1–0.2 % of the weights; minutes",
            3e-3,
            f"{_PEFT}:IA3",
        ),
        MethodInfo(
            "lora",
            "LoRA",
            "low-rank adapters on the backbone's layers",
            "≈1.5–3 % of the weights at rank 8; minutes",
            5e-4,
            f"{_PEFT}:LoRA",
        ),
        MethodInfo(
            "dora",
            "DoRA",
            "LoRA plus a learned magnitude per weight column",
            "≈1.5–3.5 % of the weights; minutes, slower steps than LoRA",
            5e-4,
            f"{_PEFT}:DoRA",
        ),
        MethodInfo(
            "adalora",
            "AdaLoRA",
            "low-rank adapters whose rank budget moves to the layers that need it",
            "≈2–5 % of the weights, pruned to LoRA's budget as it trains; minutes",
            1e-3,
            f"{_PEFT}:AdaLoRA",
        ),
        MethodInfo(
            "loha",
            "LoHa",
            "low-rank Hadamard-product adapters",
            "≈3–6 % of the weights; minutes",
            5e-4,
            f"{_PEFT}:LoHa",
        ),
        MethodInfo(
            "lokr", "LoKr", "Kronecker-product adapters", "≈0.1–0.3 % of the weights; minutes", 1e-3, f"{_PEFT}:LoKr"
        ),
        MethodInfo(
            "full",
            "Full fine-tune",
            "every weight",
            "100 % of the weights; best with many labels, wants a GPU and the most memory",
            5e-5,
            "app.core.training.methods.full:FullFineTune",
            trains_backbone=True,
        ),
    )
}


def get_method(name: str) -> TrainingMethod:
    """The method called `name`, ready to prepare a run (methods hold no state between runs)."""
    info = METHODS.get(name)
    if info is None:
        raise ConfigError(f"unknown method '{name}'; choose {', '.join(METHODS)}")
    module_name, class_name = info.implementation.split(":")
    return getattr(importlib.import_module(module_name), class_name)(info)
