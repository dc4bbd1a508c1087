"""The parameter-efficient methods of the peft library, one registry entry each over one shared
implementation: adapters (or scaling vectors) on the backbone's layers, the classifier head
trained and saved beside them (`modules_to_save`), and only those saved — a folder that plain
peft loads onto the backbone:

    base = AutoModelForImageClassification.from_pretrained(BASE, config=AutoConfig.from_pretrained(RUN),
                                                           ignore_mismatched_sizes=True)
    model = PeftModel.from_pretrained(base, RUN)

Which layers are adapted: every linear layer ("all-linear", the head excluded), or the
architecture's entry in `ADAPTER_TARGETS` (convolutional backbones). BatchNorm statistics stay
as loaded (see the package docstring).
"""

from __future__ import annotations

import math
import warnings
from abc import abstractmethod
from collections.abc import Callable
from pathlib import Path

import torch
from torch import nn

from app.core.errors import LoupeError
from app.core.training.backbones import adapter_targets
from app.core.training.heads import head_linear_name
from app.core.training.methods.base import MethodContext, Prepared, TrainingMethod, fine_tuning

#: Adapter dropout of the LoRA-style methods (regularises small label sets).
DROPOUT = 0.1


class PeftMethod(TrainingMethod):
    """A peft method: subclasses give the peft config."""

    @abstractmethod
    def peft_config(self, ctx: MethodContext, targets, head: list[str]):
        """The peft config for this run (`targets`: layers to adapt; `head`: modules to save)."""

    def prepare(self, ctx: MethodContext) -> Prepared:
        from peft import get_peft_model

        targets = adapter_targets(ctx.model)
        config = self.peft_config(ctx, targets, [head_linear_name(ctx.model)])
        try:
            with warnings.catch_warnings():  # peft calls a transformers API deprecated for v6
                warnings.simplefilter("ignore", FutureWarning)
                peft_model = get_peft_model(ctx.model, config).to(ctx.device)
        except (ValueError, TypeError) as exc:
            others = " or ".join(name for name in ("lora", "full") if name != self.name)
            raise LoupeError(f"{self.info.title} cannot adapt this backbone ({exc}); try {others}") from exc
        return self.prepared(ctx, peft_model)

    def prepared(self, ctx: MethodContext, peft_model) -> Prepared:
        return fine_tuning(ctx, peft_model, keep_norm_statistics=True)

    def save(self, prepared: Prepared, folder: Path) -> None:
        prepared.model.save_pretrained(folder, safe_serialization=True)  # the adapter and the head only
        prepared.model.get_base_model().config.save_pretrained(folder)  # class names, for loaders

    def load(self, folder: Path, starting_model: Callable[[], nn.Module]) -> nn.Module:
        from peft import PeftModel

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            # AdaLoRA's saved rank pattern names its pruned vectors, which peft does not match on
            # load; the pruned entries are saved as zeros, so the model is the same either way.
            warnings.filterwarnings("ignore", message="The following rank_pattern keys", category=RuntimeWarning)
            return PeftModel.from_pretrained(starting_model(), str(folder)).merge_and_unload().eval()


class LoRA(PeftMethod):
    use_dora = False

    def peft_config(self, ctx, targets, head):
        from peft import LoraConfig

        rank = ctx.config.lora_rank
        return LoraConfig(
            r=rank,
            lora_alpha=2 * rank,
            lora_dropout=DROPOUT,
            target_modules=targets,
            modules_to_save=head,
            use_dora=self.use_dora,
        )


class DoRA(LoRA):
    use_dora = True


class LoHa(PeftMethod):
    def peft_config(self, ctx, targets, head):
        from peft import LoHaConfig

        rank = ctx.config.lora_rank
        return LoHaConfig(r=rank, alpha=2 * rank, module_dropout=DROPOUT, target_modules=targets, modules_to_save=head)


class LoKr(PeftMethod):
    def peft_config(self, ctx, targets, head):
        from peft import LoKrConfig

        rank = ctx.config.lora_rank
        return LoKrConfig(r=rank, alpha=2 * rank, module_dropout=DROPOUT, target_modules=targets, modules_to_save=head)


class IA3(PeftMethod):
    """(IA)³: one learned vector per adapted layer rescales its output (no layer is treated as
    a feed-forward input scaling: the names differ between architectures)."""

    def peft_config(self, ctx, targets, head):
        from peft import IA3Config

        return IA3Config(target_modules=targets, feedforward_modules=[], modules_to_save=head)


class AdaLoRA(PeftMethod):
    """AdaLoRA: adapters start at 1.5× the rank and the budget shrinks to `lora_rank` on
    average, moved to the layers whose updates matter most (by gradient-based importance,
    re-allocated after optimizer steps). Its orthogonality penalty is added to the loss."""

    ORTHOGONALITY_WEIGHT = 0.5

    def peft_config(self, ctx, targets, head):
        from peft import AdaLoraConfig

        rank = ctx.config.lora_rank
        train = len(ctx.training_set.split("train")) // max(ctx.dist.world_size, 1)
        # At least two steps: peft's final allocation needs importance scores from a step before it.
        total = max(2, ctx.epochs * math.ceil(train / ctx.config.batch_size))
        tinit, tfinal = total // 10, total // 5
        return AdaLoraConfig(
            init_r=math.ceil(1.5 * rank),
            target_r=rank,
            lora_alpha=2 * rank,
            lora_dropout=DROPOUT,
            tinit=tinit,
            tfinal=tfinal,
            deltaT=max(1, (total - tinit - tfinal) // 10),
            total_step=total,
            orth_reg_weight=self.ORTHOGONALITY_WEIGHT,
            target_modules=targets,
            modules_to_save=head,
        )

    def prepared(self, ctx: MethodContext, peft_model) -> Prepared:
        prepared = super().prepared(ctx, peft_model)
        prepared.after_step = peft_model.base_model.update_and_allocate
        prepared.regularizer = _orthogonality(peft_model, self.ORTHOGONALITY_WEIGHT)
        return prepared

    def save(self, prepared: Prepared, folder: Path) -> None:
        """peft trims each adapter to its config's rank pattern when saving; that pattern is the
        *last* step's, while the weights are the best epoch's. The pattern is set from the
        weights themselves first: a rank is kept where its singular value is not zero (a
        masked one is exactly zero, and dropping a zero changes nothing)."""
        model = prepared.model
        adapter = model.active_adapter
        pattern = {}
        for name, values in model.base_model.model.named_parameters():
            if f"lora_E.{adapter}" in name:
                keep = (values.detach() != 0).view(-1)
                keep[0] = True  # peft cannot save a rank of zero; a zero value keeps its meaning
                pattern[name] = keep.tolist()
        model.peft_config[adapter].rank_pattern = pattern
        super().save(prepared, folder)


def _orthogonality(model: nn.Module, weight: float) -> Callable[[], torch.Tensor]:
    """AdaLoRA's penalty keeping P and Q of each P·Λ·Q update near-orthogonal (what peft adds
    when the model computes its own loss; Loupe computes the loss itself)."""
    pairs = [
        (name, p) for name, p in model.named_parameters() if p.requires_grad and ("lora_A" in name or "lora_B" in name)
    ]

    def penalty() -> torch.Tensor:
        total = 0.0
        for name, p in pairs:
            flat = p.reshape(p.shape[0], -1) if "lora_A" in name else p.reshape(p.shape[0], p.shape[1])
            product = flat @ flat.T if "lora_A" in name else flat.T @ flat
            total = total + torch.linalg.matrix_norm(product - torch.eye(len(product), device=p.device, dtype=p.dtype))
        return weight * total / max(len(pairs), 1)

    return penalty
