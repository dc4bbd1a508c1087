"""Training-loop overhead: Loupe's loop against a bare PyTorch loop, same model, data, batches.

    python bench/train_overhead.py [--steps 60] [--repeat 3]

Part 1: a small ViT (random weights, 64 px) trained for the same number of steps on the same
tensors, through `app.core.training.loop.run_loop` (learning-rate schedule, gradient clipping,
finite-loss checks, progress events, cancel checks) and through a bare loop (forward, loss,
backward, AdamW step). Prints seconds per step for both and the ratio (goal <= 1.10x).
Part 2: training the linear-probe head on 10,000 cached 384-dimensional embeddings, 10 epochs
(goal < 2 s on a CPU).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.training.loop import LoopCallbacks, LoopData, LoopSettings, run_loop  # noqa: E402

BATCH = 16
CLASSES = 4


def small_vit() -> nn.Module:
    from transformers import ViTConfig, ViTForImageClassification

    torch.manual_seed(0)
    config = ViTConfig(
        image_size=64,
        patch_size=8,
        hidden_size=128,
        num_hidden_layers=4,
        num_attention_heads=4,
        intermediate_size=256,
        num_labels=CLASSES,
    )
    return ViTForImageClassification(config)


def batches(steps: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    generator = torch.Generator().manual_seed(0)
    return [
        (torch.randn(BATCH, 3, 64, 64, generator=generator), torch.randint(0, CLASSES, (BATCH,), generator=generator))
        for _ in range(steps)
    ]


def bare(steps: list) -> float:
    model = small_vit().train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    loss_fn = nn.CrossEntropyLoss()
    started = time.perf_counter()
    for inputs, targets in steps:
        loss = loss_fn(model(pixel_values=inputs).logits, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return (time.perf_counter() - started) / len(steps)


def loupe(steps: list) -> float:
    model = small_vit()
    with_ids = [(inputs, targets, None) for inputs, targets in steps]  # the loop's batches carry image ids
    data = LoopData(
        train=lambda batch_size, epoch: with_ids, val=lambda: [], train_size=len(steps) * BATCH, has_val=False
    )
    settings = LoopSettings(epochs=1, lr=1e-4, patience=0, num_classes=CLASSES)
    started = time.perf_counter()
    result = run_loop(model, lambda x: model(pixel_values=x).logits, data, settings, LoopCallbacks(), BATCH)
    elapsed = time.perf_counter() - started
    assert result.steps == len(steps), result
    return elapsed / len(steps)


def linear_head_seconds(n: int = 10_000, dim: int = 384, epochs: int = 10) -> float:
    generator = torch.Generator().manual_seed(0)
    centres = torch.randn(CLASSES, dim, generator=generator)
    labels = torch.randint(0, CLASSES, (n,), generator=generator)
    features = centres[labels] + torch.randn(n, dim, generator=generator)
    ids = torch.arange(n)
    head = nn.Linear(dim, CLASSES)
    data = LoopData(
        train=lambda batch_size, epoch: DataLoader(
            TensorDataset(features, labels, ids), batch_size=batch_size, shuffle=True
        ),
        val=lambda: DataLoader(TensorDataset(features[:1000], labels[:1000], ids[:1000]), batch_size=1024),
        train_size=n,
        has_val=True,
    )
    started = time.perf_counter()
    run_loop(
        head, head, data, LoopSettings(epochs=epochs, lr=1e-2, patience=0, num_classes=CLASSES), LoopCallbacks(), 256
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    steps = batches(args.steps)
    bare(steps[:5])  # warm up kernels and allocator
    bare_s = min(bare(steps) for _ in range(args.repeat))
    loupe_s = min(loupe(steps) for _ in range(args.repeat))
    head_s = min(linear_head_seconds() for _ in range(args.repeat))
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, batch {BATCH}, steps {args.steps}")
    print(f"bare PyTorch loop   : {bare_s * 1000:8.2f} ms/step")
    print(f"Loupe training loop : {loupe_s * 1000:8.2f} ms/step")
    print(f"ratio (Loupe / bare): {loupe_s / bare_s:8.3f}x   (goal <= 1.10x)")
    print(f"linear head, 10,000 cached embeddings x 10 epochs: {head_s:.2f} s   (goal < 2 s)")


if __name__ == "__main__":
    main()
