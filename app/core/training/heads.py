"""Where a classifier's head is, for every architecture: the module a parameter-efficient method
trains and saves beside its adapters, and the final Linear layer whose input is the image's
feature vector (the linear probe's features) and whose rows are the classes.

Most transformers image classifiers call their head `classifier` (a Linear, or a small
Sequential ending in one); architectures that differ get an entry in `HEAD_MODULES` instead of a
test of their name elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from app.core.training.timm_models import TIMM_MODEL_TYPE, timm_head_name

#: model_type -> dotted path of the head module where it is not `classifier`, or a function of
#: the model that finds it (timm names its head per family and says which).
HEAD_MODULES: dict[str, str | Callable[[nn.Module], str]] = {TIMM_MODEL_TYPE: timm_head_name}
DEFAULT_HEAD = "classifier"


def _unwrap(model: nn.Module) -> nn.Module:
    """The transformers model inside a peft or DistributedDataParallel wrapper."""
    while True:
        inner = getattr(model, "module", None) if isinstance(model, nn.parallel.DistributedDataParallel) else None
        if inner is None and hasattr(model, "get_base_model"):
            inner = model.get_base_model()
        if inner is None or inner is model:
            return model
        model = inner


def head_module_name(model: nn.Module) -> str:
    model = _unwrap(model)
    found = HEAD_MODULES.get(getattr(getattr(model, "config", None), "model_type", ""), DEFAULT_HEAD)
    return found(model) if callable(found) else found


def head_module(model: nn.Module) -> nn.Module:
    model = _unwrap(model)
    try:
        return model.get_submodule(head_module_name(model))
    except AttributeError:
        raise ValueError(f"{type(model).__name__} has no classifier head at '{head_module_name(model)}'") from None


def head_linear(model: nn.Module) -> nn.Linear:
    """The final Linear layer of the classifier head."""
    head = head_module(model)
    linears = [head] if isinstance(head, nn.Linear) else [m for m in head.modules() if isinstance(m, nn.Linear)]
    if not linears:
        raise ValueError(f"{type(_unwrap(model)).__name__} has no linear layer in its classifier head")
    return linears[-1]


def head_linear_name(model: nn.Module) -> str:
    """The dotted name of the head's final Linear layer (`classifier`, `classifier.1`…): what
    the peft methods train and save beside their adapters (peft's merge cannot unwrap a saved
    Sequential head)."""
    target = head_linear(model)
    return next(name for name, module in _unwrap(model).named_modules() if module is target)


def replace_head_linear(model: nn.Module, new: nn.Linear) -> None:
    name = head_linear_name(model)
    model = _unwrap(model)
    parent_name, _, attribute = name.rpartition(".")
    setattr(model.get_submodule(parent_name) if parent_name else model, attribute, new)


def scale_head(model: nn.Module, factor: float) -> None:
    """Multiply the head's logits by `factor` (its final Linear's weight and bias): how a run's
    temperature is folded into its model."""
    head = head_linear(model)
    with torch.no_grad():
        head.weight.mul_(factor)
        if head.bias is not None:
            head.bias.mul_(factor)


def set_class_names(model: nn.Module, names: list[str]) -> None:
    config = _unwrap(model).config
    config.num_labels = len(names)
    config.id2label = dict(enumerate(names))
    config.label2id = {name: i for i, name in enumerate(names)}


def adapt_head(model: nn.Module, old_classes: list[dict], new_classes: list[tuple[int, str]]) -> nn.Module:
    """Give `model` a head for `new_classes` ((id, name) in order), keeping the trained rows of
    the classes it already knew (matched by class id, so a renamed class keeps its row) and
    starting the others afresh: continuing a run as classes are added forgets nothing."""
    old = head_linear(model)
    known = {entry["id"]: row for row, entry in enumerate(old_classes)}
    new = nn.Linear(old.in_features, len(new_classes), device=old.weight.device, dtype=old.weight.dtype)
    with torch.no_grad():
        for row, (class_id, _) in enumerate(new_classes):
            if class_id in known:
                new.weight[row] = old.weight[known[class_id]]
                new.bias[row] = old.bias[known[class_id]]
    replace_head_linear(model, new)
    set_class_names(model, [name for _, name in new_classes])
    return model


def freeze_norm_statistics(module: nn.Module) -> None:
    """Put every BatchNorm layer in eval mode: it normalises with the running statistics it has
    and does not update them (for methods that do not save them)."""
    for layer in module.modules():
        if isinstance(layer, nn.modules.batchnorm._BatchNorm):
            layer.eval()
