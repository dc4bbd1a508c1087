"""Which method? Every training method on the same small task, with the same two backbones.

    python bench/method_comparison.py [--seeds 3] [--labels-per-class 60] [--epochs 15]

This machine cannot download pretrained weights, so it makes its own stand-ins: a small ResNet
(BatchNorm) and a small ViT (dropout) are trained here on scikit-learn's digits 0–4 (32 px) and
saved as Hugging Face model folders. Each method then learns the *other* digits, 5–9, from a few
hundred labels (`--labels-per-class`, drawn afresh for each seed; 20 % of them validate), through
Loupe's own `train`, and is scored on every remaining image of 5–9 (never seen in training) with
Loupe's own run loader and prediction code.

Each method's learning rate is chosen once per backbone on the first seed, from its default ×
{1, 3, 10}, by validation accuracy (not test); the other seeds reuse it. Augmentation is off
(flipped digits are other digits). Printed: a Markdown table per backbone — test accuracy and
macro-F1 (mean ± standard deviation over seeds), share of weights trained, seconds per run
(training, saving and the cost measurement, on this CPU) and size of what the run saved.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torch import nn  # noqa: E402

SIZE = 32
PRETRAIN_DIGITS = (0, 1, 2, 3, 4)
TASK_DIGITS = (5, 6, 7, 8, 9)
LR_FACTORS = (1, 3, 10)


def digit_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 digits as 32×32 RGB uint8 images, and their labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = []
    for pixels in digits.images:
        grey = Image.fromarray((pixels * (255 / 16)).astype(np.uint8)).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
        images.append(np.stack([np.asarray(grey)] * 3, axis=-1))
    return np.stack(images), digits.target


def backbones(folder: Path, images: np.ndarray, labels: np.ndarray, epochs: int) -> dict[str, Path]:
    """The stand-in pretrained backbones: trained on digits 0–4 with a bare loop, then saved."""
    from transformers import (
        ResNetConfig,
        ResNetForImageClassification,
        ViTConfig,
        ViTForImageClassification,
        ViTImageProcessor,
    )

    configs = {
        "small ResNet (BatchNorm)": lambda: ResNetForImageClassification(
            ResNetConfig(num_channels=3, embedding_size=16, hidden_sizes=[16, 32, 64], depths=[1, 1, 1], num_labels=5)
        ),
        "small ViT (dropout 0.1)": lambda: ViTForImageClassification(
            ViTConfig(
                image_size=SIZE,
                patch_size=4,
                hidden_size=64,
                num_hidden_layers=4,
                num_attention_heads=4,
                intermediate_size=128,
                num_labels=5,
                hidden_dropout_prob=0.1,
                attention_probs_dropout_prob=0.1,
            )
        ),
    }
    chosen = np.isin(labels, PRETRAIN_DIGITS)
    mean, std = (0.5, 0.5, 0.5), (0.5, 0.5, 0.5)
    x = (torch.from_numpy(images[chosen]).permute(0, 3, 1, 2).float() / 255 - 0.5) / 0.5
    y = torch.from_numpy(labels[chosen]).long()
    out = {}
    for index, (name, build) in enumerate(configs.items()):
        torch.manual_seed(index)
        model = build()
        optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
        generator = torch.Generator().manual_seed(index)
        started = time.perf_counter()
        for _ in range(epochs):
            model.train()
            for batch in torch.randperm(len(y), generator=generator).split(64):
                loss = nn.functional.cross_entropy(model(pixel_values=x[batch]).logits, y[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
        model.eval()
        with torch.inference_mode():
            accuracy = (model(pixel_values=x).logits.argmax(1) == y).float().mean().item()
        path = folder / f"backbone-{index}"
        model.save_pretrained(path)
        ViTImageProcessor(size={"height": SIZE, "width": SIZE}, image_mean=mean, image_std=std).save_pretrained(path)
        print(
            f"# stand-in backbone: {name}, trained on digits 0–4 for {epochs} epochs in "
            f"{time.perf_counter() - started:.0f} s (training accuracy {accuracy:.3f})",
            flush=True,
        )
        out[name] = path
    return out


def task_project(folder: Path, images: np.ndarray, labels: np.ndarray, per_class: int, seed: int):
    """A project with `per_class` labelled images of each digit 5–9, and the rest as a test set."""
    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class
    from app.core.project.store import Project

    rng = np.random.default_rng(seed)
    chosen, test = [], []
    for digit in TASK_DIGITS:
        indices = rng.permutation(np.flatnonzero(labels == digit))
        chosen += [(i, digit) for i in indices[:per_class]]
        test += [(i, digit) for i in indices[per_class:]]
    root = folder / f"task-seed{seed}"
    for part, rows in (("labelled", chosen), ("test", test)):
        for i, digit in rows:
            path = root / part / f"digit{digit}" / f"{i:04}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            Image.fromarray(images[i]).save(path)
    project_path = root / "digits.loupe"
    with Project.create(project_path) as project:
        for digit in TASK_DIGITS:
            add_class(project, f"digit{digit}")
        import_paths(project, [root / "labelled"], ImportOptions(labels_from_folders=True))
    test_files = [(None, root / "test" / f"digit{d}" / f"{i:04}.png", f"digit{d}") for i, d in test]
    return project_path, test_files


def run_method(project_path, backbone: Path, method: str, lr: float, seed: int, epochs: int, test_files) -> dict:
    from app.core.inference.predict import predict_files
    from app.core.inference.run_model import load_run_model
    from app.core.project.store import Project
    from app.core.training import TrainConfig, train
    from app.core.training.metrics import summary_scores

    config = TrainConfig(
        model=str(backbone),
        method=method,
        lr=lr,
        epochs=epochs,
        batch_size=16,
        seed=seed,
        augment=False,
        workers=0,
        device="cpu",
        patience=5,
    )
    started = time.perf_counter()
    with Project.open(project_path) as project:
        result = train(project, config)
        seconds = time.perf_counter() - started
        run_model = load_run_model(project, result.run, device="cpu")
    predictions = predict_files(run_model, test_files)
    names = [f"digit{d}" for d in TASK_DIGITS]
    truth = np.array([names.index(shown) for _, _, shown in test_files])
    predicted = np.array([names.index(p.label) for p in predictions])
    accuracy, macro = summary_scores(truth, predicted)
    return {
        "val": result.accuracy,
        "test": accuracy,
        "macro_f1": macro,
        "seconds": seconds,
        "share": result.cost["parameters"]["trainable_share"],
        "bytes": result.cost["saved_bytes"],
    }


def mean_sd(values: list[float], scale: float = 1.0, digits: int = 3) -> str:
    mean = statistics.fmean(values) * scale
    sd = statistics.stdev(values) * scale if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def share_text(fraction: float) -> str:
    percent = fraction * 100
    return f"{percent:.2g} %" if percent < 10 else f"{percent:.0f} %"


def size_text(n: int) -> str:
    return f"{n / 1e6:.2f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def main() -> int:
    from app.core.training.methods import METHODS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--labels-per-class", type=int, default=60)
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--pretrain-epochs", type=int, default=30)
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    torch.set_num_threads(max(1, torch.get_num_threads()))
    images, labels = digit_images()
    methods = args.methods.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        models = backbones(folder, images, labels, args.pretrain_epochs)
        tasks = [task_project(folder, images, labels, args.labels_per_class, seed) for seed in range(args.seeds)]
        print(
            f"# task: digits 5–9, {args.labels_per_class} labels per class ({args.labels_per_class * 5} in all, "
            f"20 % for validation), {len(tasks[0][1])} test images; {args.seeds} seeds; {args.epochs} epochs, "
            f"early stopping after 5; torch {torch.__version__}, {torch.get_num_threads()} CPU threads\n",
            flush=True,
        )
        for backbone_name, backbone in models.items():
            rows = []
            for method in methods:
                default = METHODS[method].default_lr
                sweep = {}
                for factor in LR_FACTORS:  # chosen on validation accuracy, first seed
                    sweep[default * factor] = run_method(
                        tasks[0][0], backbone, method, default * factor, 0, args.epochs, tasks[0][1]
                    )
                lr = max(sweep, key=lambda rate: (sweep[rate]["val"] or 0, -rate))
                results = [sweep[lr]] + [
                    run_method(path, backbone, method, lr, seed, args.epochs, files)
                    for seed, (path, files) in enumerate(tasks[1:], start=1)
                ]
                row = (
                    f"| {METHODS[method].title} | {share_text(statistics.fmean(r['share'] for r in results))} | "
                    f"{lr:g} | {mean_sd([r['test'] for r in results])} | {mean_sd([r['macro_f1'] for r in results])} | "
                    f"{statistics.fmean(r['seconds'] for r in results):.1f} s | "
                    f"{size_text(int(statistics.fmean(r['bytes'] for r in results)))} |"
                )
                rows.append(row)
                print(f"# {backbone_name}: {row}", flush=True)
            print(f"\n**{backbone_name}**\n")
            print(
                "| method | weights trained | learning rate | test accuracy | test macro-F1 | seconds per run | saved |"
            )
            print("| --- | --- | --- | --- | --- | --- | --- |")
            print("\n".join(rows), flush=True)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
