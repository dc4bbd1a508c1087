"""BitFit: only the biases of the backbone train, and the head. Saved as those tensors alone in
`bitfit.safetensors` (its metadata names the backbone) beside the config with the class names:

    model = AutoModelForImageClassification.from_pretrained(BASE, config=AutoConfig.from_pretrained(RUN),
                                                            ignore_mismatched_sizes=True)
    model.load_state_dict(safetensors.torch.load_file(RUN / "bitfit.safetensors"), strict=False)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from torch import nn

from app.core.errors import LoupeError
from app.core.training.heads import head_module
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod, fine_tuning, trainable_parameters

WEIGHTS = "bitfit.safetensors"


class BitFit(TrainingMethod):
    def prepare(self, ctx: MethodContext) -> Prepared:
        model = ctx.model.to(ctx.device)
        head = {id(p) for p in head_module(model).parameters()}
        for name, parameter in model.named_parameters():
            parameter.requires_grad_(name.endswith("bias") or id(parameter) in head)
        return fine_tuning(ctx, model, keep_norm_statistics=True)

    def save(self, prepared: Prepared, folder: Path) -> None:
        from safetensors.torch import save_file

        model = prepared.model
        tensors = {name: p.detach().cpu().contiguous() for name, p in trainable_parameters(model).items()}
        save_file(
            tensors, folder / WEIGHTS, metadata={"format": "pt", "base_model_name_or_path": str(model.name_or_path)}
        )
        model.config.save_pretrained(folder)

    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        from safetensors.torch import load_file

        model = starting_model()
        _, unexpected = model.load_state_dict(load_file(folder / WEIGHTS), strict=False)
        if unexpected:
            raise LoupeError(f"{folder / WEIGHTS} does not fit this backbone ({len(unexpected)} unknown tensors)")
        return model.eval()
