"""Which method? Every training method on the same small task, with the same two backbones, at
several label budgets, beside scikit-learn's logistic regression on the same features.

    python bench/method_comparison.py [--budgets 10,30,100] [--seeds 3] [--methods linear,lora,...]
                                      [--sweep lora,full] [--out bench/out/method_comparison.md]

This machine cannot download pretrained weights, so it makes its own stand-ins: a small ResNet
(BatchNorm) and a small ViT (dropout) are trained here on scikit-learn's digits 0–4 (32 px) and
saved as Hugging Face model folders. Each method then learns the *other* digits, 5–9, from a
budget of labels per class (`--budgets`: 10, 30, 100 per class are 50, 150 and 500 labels, drawn
afresh for each seed; 20 % of them validate), through Loupe's own `train` with its **defaults**
(no learning rate or epochs given: what a user who presses Train gets) with the augmentation
preset a user picks for digits (`none`: a cropped or turned digit can be another digit), and is
scored on every remaining image of 5–9 (never seen in training) with Loupe's own run loader and
prediction code.

Beside them, the simplest peer: scikit-learn's `LogisticRegression()` (its defaults, C = 1) on
the standardised features of the same backbone (what its head receives), fitted on the same
training images the runs trained on, scored on the same test images.

`--sweep` methods also run a small grid on the first seed — the default, then one change at a
time: learning rate ×⅓ or ×3, or the `general` augmentation preset instead of `none` — and the best test accuracy of the grid is
printed beside the default's (an upper bound: chosen on the test images). Calibration: the
expected calibration error on the test images before (the temperature taken back out) and after
the run's temperature scaling.
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
#: The project's augmentation preset: digits change class when cropped or turned ("None: documents,
#: digits"), so a user picks none; every other setting is Loupe's default.
DOMAIN_AUGMENTATION = "none"


def digit_images() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 1,797 digits as 32×32 RGB uint8 images, and their labels."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    images = []
    for pixels in digits.images:
        grey = Image.fromarray((pixels * (255 / 16)).astype(np.uint8)).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
        images.append(np.stack([np.asarray(grey)] * 3, axis=-1))
    return np.stack(images), digits.target


def backbones(folder: Path, images: np.ndarray, labels: np.ndarray, epochs: int, only: set[str]) -> dict[str, Path]:
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
        if only and not any(word in name.lower() for word in only):
            continue
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


def _pixels(transform, files) -> torch.Tensor:
    return torch.stack([transform(Image.open(path).convert("RGB")) for _, path, _ in files])


def run_method(project_path, backbone: Path, method: str, seed: int, test_files, **settings) -> dict:
    """One run with Loupe's defaults (`settings` overrides some), scored on the test images."""
    from app.core.inference.run_model import load_run_model, probabilities
    from app.core.project.store import Project
    from app.core.training import TrainConfig, train
    from app.core.training.calibration import expected_calibration_error, with_temperature
    from app.core.training.metrics import summary_scores
    from app.core.training.runs import get_run

    settings = {"augment": DOMAIN_AUGMENTATION, **settings}
    config = TrainConfig(model=str(backbone), method=method, seed=seed, workers=0, device="cpu", **settings)
    started = time.perf_counter()
    with Project.open(project_path) as project:
        result = train(project, config)
        seconds = time.perf_counter() - started
        run = get_run(project, result.run)
        run_model = load_run_model(project, result.run, device="cpu")
    p = probabilities(run_model, _pixels(run_model.transform, test_files)).numpy()
    names = [entry["name"] for entry in run.classes]
    truth = np.array([names.index(shown) for _, _, shown in test_files])
    accuracy, macro = summary_scores(truth, p.argmax(axis=1))
    temperature = (run.report or {}).get("calibration", {}).get("temperature", 1.0)
    return {
        "val": result.accuracy,
        "test": accuracy,
        "macro_f1": macro,
        "ece_before": expected_calibration_error(with_temperature(p, 1 / temperature), truth),
        "ece_after": expected_calibration_error(p, truth),
        "temperature": temperature,
        "seconds": seconds,
        "share": result.cost["parameters"]["trainable_share"],
        "bytes": result.cost["saved_bytes"],
        "notices": result.notices,
        "C": (run.report or {}).get("fit", {}).get("C"),
    }


def sklearn_baseline(project_path, backbone: Path, seed: int, test_files) -> float:
    """scikit-learn's LogisticRegression (defaults) on the standardised features of the same
    backbone, fitted on the training split the runs used, scored on the test images."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from transformers import AutoModelForImageClassification

    from app.core.project.store import Project
    from app.core.training.backbones import image_settings, load_image_processor
    from app.core.training.data import build_transforms, collect_training_set
    from app.core.training.embeddings import FeatureExtractor

    model = AutoModelForImageClassification.from_pretrained(backbone).eval()
    _, transform = build_transforms(
        image_settings(load_image_processor(str(backbone)), model.config, None), "none", False
    )
    with Project.open(project_path, read_only=True) as project:
        items = collect_training_set(project, 0.2, seed).split("train")
    train_files = [(None, item.path, None) for item in items]
    with FeatureExtractor(model) as extract, torch.inference_mode():
        x_train = extract(_pixels(transform, train_files)).numpy()
        x_test = extract(_pixels(transform, test_files)).numpy()
    y_train = np.array([item.label for item in items])
    names = [f"digit{d}" for d in TASK_DIGITS]
    y_test = np.array([names.index(shown) for _, _, shown in test_files])
    baseline = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000)).fit(x_train, y_train)
    return float((baseline.predict(x_test) == y_test).mean())


def mean_sd(values: list[float], scale: float = 1.0, digits: int = 3) -> str:
    mean = statistics.fmean(values) * scale
    sd = statistics.stdev(values) * scale if len(values) > 1 else 0.0
    return f"{mean:.{digits}f} ± {sd:.{digits}f}"


def share_text(fraction: float) -> str:
    percent = fraction * 100
    return f"{percent:.2g} %" if percent < 10 else f"{percent:.0f} %"


def sweep(project_path, backbone, method: str, test_files) -> tuple[float, str]:
    """Best test accuracy of the default and one change at a time around it: learning rate ×⅓ or
    ×3, or the general augmentation preset instead of none."""
    from app.core.training.methods import METHODS

    default = METHODS[method].default_lr
    best = (-1.0, "")
    for factor, augment in ((1, "none"), (1 / 3, "none"), (3, "none"), (1, "general")):
        result = run_method(project_path, backbone, method, 0, test_files, lr=default * factor, augment=augment)
        best = max(best, (result["test"], f"lr {default * factor:.2g}, {augment}"))
    return best


def main() -> int:
    from app.core.training.methods import METHODS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budgets", default="10,30,100", help="labels per class, comma-separated")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--pretrain-epochs", type=int, default=30)
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--sweep", default="", help="methods to sweep on the first seed")
    parser.add_argument("--out", type=Path, default=None, help="also write the tables to this Markdown file")
    parser.add_argument("--backbones", default="", help="only these stand-ins: resnet, vit (default: both)")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (default: torch's)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    if args.threads:
        torch.set_num_threads(args.threads)
    images, labels = digit_images()
    methods = args.methods.split(",")
    swept = set(filter(None, args.sweep.split(",")))
    lines: list[str] = []

    def say(text: str = "") -> None:
        print(text, flush=True)
        lines.append(text)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        models = backbones(folder, images, labels, args.pretrain_epochs, set(filter(None, args.backbones.split(","))))
        say(f"# torch {torch.__version__}, {torch.get_num_threads()} CPU threads; {args.seeds} seeds; Loupe's defaults")
        for per_class in map(int, args.budgets.split(",")):
            tasks = [
                task_project(folder / f"budget{per_class}", images, labels, per_class, seed)
                for seed in range(args.seeds)
            ]
            for backbone_name, backbone in models.items():
                rows = []
                baseline = None
                for method in methods:
                    started = time.perf_counter()
                    results = [
                        run_method(path, backbone, method, seed, files) for seed, (path, files) in enumerate(tasks)
                    ]
                    if baseline is None:  # the runs have stored each seed's split
                        baseline = [
                            sklearn_baseline(path, backbone, seed, files) for seed, (path, files) in enumerate(tasks)
                        ]
                    best = sweep(tasks[0][0], backbone, method, tasks[0][1]) if method in swept else None
                    test = [r["test"] for r in results]
                    row = (
                        f"| {METHODS[method].title} | {share_text(statistics.fmean(r['share'] for r in results))} | "
                        f"{mean_sd(test)} | {statistics.fmean(test) - statistics.fmean(baseline):+.3f} | "
                        f"{mean_sd([r['ece_before'] for r in results])} → {mean_sd([r['ece_after'] for r in results])} | "
                        + (f"{best[0]:.3f} ({best[1]}) | " if best else "— | ")
                        + f"{statistics.fmean(r['seconds'] for r in results):.1f} s |"
                    )
                    rows.append(row)
                    print(
                        f"# {per_class}/class {backbone_name}: {row}  [{time.perf_counter() - started:.0f} s]"
                        + f" C = {[r['C'] for r in results]}",
                        flush=True,
                    )
                say(
                    f"\n**{backbone_name}, {per_class * len(TASK_DIGITS)} labels ({per_class} per class), "
                    f"{len(tasks[0][1])} test images** — scikit-learn LogisticRegression on the same features: "
                    f"{mean_sd(baseline)}\n"
                )
                say(
                    "| method | weights trained | test accuracy (defaults) | vs scikit-learn | test ECE before → after "
                    "calibration | best of sweep, seed 0 (setting) | seconds per run |"
                )
                say("| --- | --- | --- | --- | --- | --- | --- |")
                for row in rows:
                    say(row)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
