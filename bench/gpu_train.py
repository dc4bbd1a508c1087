"""GPU training throughput: a ViT-B/16-sized model (config only, random weights), 224 px, bf16,
trained with `full` and with `lora` through Loupe's loop, next to a bare PyTorch loop.

    python bench/gpu_train.py [--batch 64] [--steps 30]          # needs a CUDA GPU
    python bench/gpu_train.py --smoke --device cpu               # a tiny check that it runs

Both sides are timed the same way: one optimizer for all steps; the first `--warmup` steps
(kernel selection, the allocator, AdamW's state) run before the clock starts; the clock starts
after the device is synchronised before step warmup+1 and stops after it is synchronised after
the last step, so nothing else (Loupe's end-of-epoch evaluation, the model's creation) is timed.
- bare: forward under autocast, cross-entropy, backward, AdamW step.
- Loupe: `run_loop` — the same, plus what every Loupe run does per step: the learning-rate
  schedule, a finite-loss check, gradient clipping, a cancel check and a progress event (which
  reads the loss, a device synchronisation).
Prints images/s for each and the ratio Loupe / bare (same model, batches and precision).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.training.events import StepProgress  # noqa: E402
from app.core.training.loop import LoopCallbacks, LoopData, LoopSettings, run_loop  # noqa: E402

CLASSES = 10


def vit(smoke: bool) -> nn.Module:
    from transformers import ViTConfig, ViTForImageClassification

    torch.manual_seed(0)
    if smoke:
        config = ViTConfig(
            image_size=32,
            patch_size=8,
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=128,
            num_labels=CLASSES,
        )
    else:
        config = ViTConfig(
            image_size=224,
            patch_size=16,
            hidden_size=768,
            num_hidden_layers=12,
            num_attention_heads=12,
            intermediate_size=3072,
            num_labels=CLASSES,
        )
    return ViTForImageClassification(config)


def with_lora(model: nn.Module) -> nn.Module:
    from peft import LoraConfig, get_peft_model

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return get_peft_model(
            model, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", modules_to_save=["classifier"])
        )


def make_batches(n: int, batch: int, size: int, device) -> list:
    generator = torch.Generator().manual_seed(0)
    return [
        (
            torch.randn(batch, 3, size, size, generator=generator).to(device),
            torch.randint(0, CLASSES, (batch,), generator=generator).to(device),
        )
        for _ in range(n)
    ]


def synchronize(device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


class Clock:
    """Starts before step `first` (1-based) and stops after step `last`, device synchronised."""

    def __init__(self, device, first: int, last: int):
        self.device, self.first, self.last = device, first, last
        self.started = self.stopped = None

    def before(self, step: int) -> None:
        if step == self.first:
            synchronize(self.device)
            self.started = time.perf_counter()

    def after(self, step: int) -> None:
        if step == self.last:
            synchronize(self.device)
            self.stopped = time.perf_counter()

    def seconds(self) -> float:
        return self.stopped - self.started


def bare(model: nn.Module, batches: list, device, dtype, warmup: int) -> float:
    clock = Clock(device, warmup + 1, len(batches))
    model.train()
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    for step, (inputs, targets) in enumerate(batches, start=1):
        clock.before(step)
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            loss = loss_fn(model(pixel_values=inputs).logits.float(), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        clock.after(step)
    return (len(batches) - warmup) * len(batches[0][1]) / clock.seconds()


def loupe(model: nn.Module, batches: list, device, dtype, warmup: int) -> float:
    clock = Clock(device, warmup + 1, len(batches))
    with_ids = [(inputs, targets, None) for inputs, targets in batches]
    data = LoopData(lambda batch_size, epoch: with_ids, lambda: [], len(batches) * len(batches[0][1]), False)

    def on_progress(event) -> None:
        if isinstance(event, StepProgress):
            clock.after(event.step)

    settings = LoopSettings(epochs=1, lr=1e-4, patience=0, device=device, autocast_dtype=dtype, num_classes=CLASSES)
    run_loop(
        model,
        lambda x: model(pixel_values=x).logits,
        data,
        settings,
        LoopCallbacks(on_progress, before_step=lambda step, size, module: clock.before(step)),
        len(batches[0][1]),
    )
    return (len(batches) - warmup) * len(batches[0][1]) / clock.seconds()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--device", default="cuda")
    parser.add_argument("--smoke", action="store_true", help="a tiny model, to check the script runs")
    args = parser.parse_args()
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        print("no CUDA GPU here: nothing measured (use --smoke --device cpu to check the script)")
        return 0
    dtype = torch.bfloat16 if device.type == "cuda" else None
    size = 32 if args.smoke else 224
    batches = make_batches(args.steps + args.warmup, args.batch, size, device)
    name = torch.cuda.get_device_name(0) if device.type == "cuda" else "CPU"
    print(f"{name}, torch {torch.__version__}, batch {args.batch}, {size} px, {dtype or 'fp32'}")
    for method, build in (("full", lambda: vit(args.smoke)), ("lora", lambda: with_lora(vit(args.smoke)))):
        bare_rate = bare(build().to(device), batches, device, dtype, args.warmup)
        loupe_rate = loupe(build().to(device), batches, device, dtype, args.warmup)
        print(
            f"{method:5} bare {bare_rate:9.1f} img/s   Loupe {loupe_rate:9.1f} img/s   ratio {loupe_rate / bare_rate:5.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
