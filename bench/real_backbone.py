"""A real pretrained backbone through Loupe, beside scikit-learn: EfficientNet-Lite0 (ImageNet
weights, a timm-format folder) on scikit-learn's handwritten digits.

    python bench/real_backbone.py [--quick] [--model FOLDER] [--methods linear,lora,full]
                                  [--lora-epochs 2] [--full-epochs 1] [--probe-only] [--no-crop-probe]

The model folder is what `python bench/build_efficientnet_lite0.py` writes (default
~/.cache/loupe-bench/efficientnet-lite0); nothing is installed or downloaded here.

Data: the 1,797 8×8 digits of `sklearn.datasets.load_digits`, brought up to the model's input
size (224 px, bilinear) as RGB PNG files (`--quick`: 20 per class). A seeded stratified 20 % is
set aside as the test set and never imported; the other 80 % are imported into a real Loupe
project, labelled by folder (digit0 … digit9), and Loupe splits them itself with its stored,
stratified split (validation share 0.25 of them: 60/20/20 overall). Loupe's config cannot take
an outside split, so the baselines use Loupe's: the same training and validation images.

Compared, each scored on the same held-out test images:
- scikit-learn's `LogisticRegression` (standardised features, max_iter 5000, C chosen on the
  validation images from 1e-3 … 1e2; and with its default C = 1) on the backbone's pooled
  features — the very features Loupe's linear probe fits: the model loaded by Loupe's
  `load_classifier`, images through Loupe's decoder and evaluation transform (`image_settings`,
  `build_transforms`), features taken at the head's input (`FeatureExtractor`). Also on timm's
  own preprocessing of the checkpoint (`pretrained_cfg`: its centre crop), to show what Loupe's
  whole-image choice costs.
- Loupe's `linear`, `lora` and `full` methods, run by Loupe's `train` as `loupe train` runs it
  (defaults, except: augmentation `none` — a turned or cropped digit can be another digit —,
  device cpu, and a few epochs for lora and full to fit a 2-core CPU), then the run's model
  scored by Loupe's prediction call (`classify_files`, as `loupe predict` does).

`--quick` (20 digits per class: 120 train / 40 val / 40 test, about 1.5 minutes on an idle
machine) is a smoke test that every step runs: lora and full then make 8 optimizer steps and
score near chance, and one test image is 2.5 points.

Prints a table: test accuracy, the difference to the scikit-learn probe (goal for `linear`:
within 1 point), Loupe's validation accuracy, training wall time, and prediction time per image.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

DEFAULT_MODEL = Path.home() / ".cache" / "loupe-bench" / "efficientnet-lite0"
CLASSES = [f"digit{d}" for d in range(10)]
TEST_SHARE = 0.2
#: Loupe's validation share of the imported 80 %: 20 % of all images.
VAL_FRACTION = 0.25
C_GRID = (1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


def check_model(folder: Path) -> None:
    if not (folder / "config.json").is_file() or not any(folder.glob("*.safetensors")):
        print(
            f"error: no model folder at {folder}; build it first with\n"
            f"    python bench/build_efficientnet_lite0.py --out {folder}",
            file=sys.stderr,
        )
        raise SystemExit(2)


def model_size(folder: Path) -> int:
    import json

    config = json.loads((folder / "config.json").read_text())
    return int((config.get("pretrained_cfg") or {}).get("input_size", [3, 224, 224])[-1])


def write_digits(root: Path, size: int, per_class: int | None, seed: int) -> tuple[list, list]:
    """The digits as `size`-pixel RGB PNGs: (pool rows, test rows) of (path, class name), the
    test rows in root/test, the others (imported) in root/labelled."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    indices = np.arange(len(digits.target))
    if per_class:
        rng = np.random.default_rng(seed)
        indices = np.sort(
            np.concatenate([rng.permutation(np.flatnonzero(digits.target == d))[:per_class] for d in range(10)])
        )
    pool, test = train_test_split(
        indices, test_size=TEST_SHARE, stratify=digits.target[indices], random_state=seed, shuffle=True
    )
    rows = {"labelled": [], "test": []}
    for part, chosen in (("labelled", pool), ("test", test)):
        for i in chosen:
            name = CLASSES[digits.target[i]]
            grey = Image.fromarray((digits.images[i] * (255 / 16)).astype(np.uint8))
            path = root / part / name / f"{i:04}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            grey.resize((size, size), Image.Resampling.BILINEAR).convert("RGB").save(path)
            rows[part].append((path, name))
    return rows["labelled"], rows["test"]


def make_project(root: Path, seed: int):
    """A Loupe project with the pool imported and labelled by folder; (project path, its
    training items, its validation items) — Loupe's own split, stored as training stores it."""
    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class
    from app.core.project.store import Project
    from app.core.training.data import collect_training_set

    path = root / "digits.loupe"
    with Project.create(path) as project:
        for name in CLASSES:
            add_class(project, name)
        import_paths(project, [root / "labelled"], ImportOptions(labels_from_folders=True))
        training_set = collect_training_set(project, VAL_FRACTION, seed)
    return path, training_set


# -- The scikit-learn probe ---------------------------------------------------------------------


def loupe_features(folder: Path, paths: list[Path], batch: int = 32) -> np.ndarray:
    """The features Loupe's linear probe fits: Loupe's model loading, decoder and evaluation
    transform, the head's input (`FeatureExtractor`)."""
    import torch

    from app.core.imaging import DecodeOptions, decode
    from app.core.training.backbones import image_settings, load_classifier, load_image_processor
    from app.core.training.data import build_transforms
    from app.core.training.embeddings import FeatureExtractor

    model = load_classifier(str(folder), CLASSES).eval()
    settings = image_settings(load_image_processor(str(folder)), model.config, None)
    _, transform = build_transforms(settings, "none", False)
    options = DecodeOptions(draft_size=settings.size * 2)
    out = []
    with FeatureExtractor(model) as extract:
        for start in range(0, len(paths), batch):
            pixels = torch.stack([transform(decode(p, options).rgb) for p in paths[start : start + batch]])
            out.append(extract(pixels).numpy())
    return np.concatenate(out)


def timm_features(folder: Path, paths: list[Path], batch: int = 32) -> np.ndarray:
    """The same pooled features with timm's own preprocessing of the checkpoint (the folder's
    `pretrained_cfg`: bicubic resize to size / crop_pct, centre crop)."""
    import torch
    from timm.data import create_transform

    from app.core.training.backbones import load_classifier
    from app.core.training.embeddings import FeatureExtractor

    model = load_classifier(str(folder), CLASSES).eval()
    cfg = model.config.pretrained_cfg
    keys = ("input_size", "interpolation", "mean", "std", "crop_pct", "crop_mode")
    transform = create_transform(**{key: cfg[key] for key in keys if key in cfg})
    out = []
    with FeatureExtractor(model) as extract:
        for start in range(0, len(paths), batch):
            pixels = torch.stack([transform(Image.open(p).convert("RGB")) for p in paths[start : start + batch]])
            out.append(extract(pixels).numpy())
    return np.concatenate(out)


def sklearn_probe(x: dict, y: dict) -> dict:
    """LogisticRegression on standardised features: C chosen on the validation images (by
    accuracy, then log-loss), refitted on the training images; and C = 1 (its default)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def fit(c: float):
        return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000)).fit(x["train"], y["train"])

    started = time.perf_counter()
    scored = []
    for c in C_GRID:
        model = fit(c)
        val = float((model.predict(x["val"]) == y["val"]).mean())
        scored.append((val, -log_loss(y["val"], model.predict_proba(x["val"]), labels=range(10)), c, model))
    val, _, best_c, best = max(scored, key=lambda row: row[:2])
    default = fit(1.0)
    return {
        "C": best_c,
        "val": val,
        "test": float((best.predict(x["test"]) == y["test"]).mean()),
        "test_default_c": float((default.predict(x["test"]) == y["test"]).mean()),
        "seconds": time.perf_counter() - started,
    }


def diagnose(x: dict, y: dict, loupe_c: float | None) -> list[str]:
    """Where a gap between Loupe's linear probe and scikit-learn's comes from: Loupe's own fit
    (`fit_logistic`: C by cross-validation on the training images) on this bench's features,
    and scikit-learn at the C Loupe chose (balanced classes, as Loupe weighs them)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from app.core.training.logistic import fit_logistic

    fitted = fit_logistic(x["train"], y["train"], 10, balanced=True, seed=0)
    own = float((fitted.head.logits(x["test"]).argmax(1) == y["test"]).mean())
    lines = [
        f"# diagnosis: Loupe's fit_logistic on this bench's features: C {fitted.c:g}, test {own:.4f} "
        f"(same as Loupe linear's test accuracy when the features are the same)"
    ]
    for c in filter(None, {loupe_c, fitted.c}):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000, class_weight="balanced"))
        model.fit(x["train"], y["train"])
        lines.append(
            f"# diagnosis: scikit-learn at C {c:g} (balanced): test {(model.predict(x['test']) == y['test']).mean():.4f}"
        )
    return lines


# -- Loupe's methods ------------------------------------------------------------------------------


class _Log(logging.Handler):
    """What the prediction engines said (onnxruntime used, or why not)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def run_method(project_path: Path, folder: Path, method: str, epochs: int | None, test: list, seed: int) -> dict:
    """`loupe train`'s call with this method, then `loupe predict`'s on the test images."""
    from app.core.inference.predict import classify_files
    from app.core.project.store import Project
    from app.core.training import TrainConfig, train
    from app.core.training.runs import get_run

    config = TrainConfig(model=str(folder), method=method, epochs=epochs, augment="none", device="cpu", seed=seed)
    log = _Log()
    logging.getLogger("app.core.inference").addHandler(log)
    logging.getLogger("app.core.inference").setLevel(logging.INFO)
    try:
        with Project.open(project_path) as project:
            started = time.perf_counter()
            result = train(project, config)
            seconds = time.perf_counter() - started
            if result.status != "done":
                raise RuntimeError(f"run {result.run} {result.status}: {result.message}")
            run = get_run(project, result.run)
            stamps: list[tuple[float, int]] = []
            started = time.perf_counter()
            predicted = classify_files(
                project,
                [project_path.parent / "test"],
                run_id=result.run,
                device="cpu",
                on_progress=lambda event: stamps.append((time.perf_counter(), event.done)),
            )
            predict_seconds = time.perf_counter() - started
    finally:
        logging.getLogger("app.core.inference").removeHandler(log)
    truth = {str(path): name for path, name in test}
    right = [p.label == truth[str(Path(p.path))] for p in predicted.predictions]
    unread = [p for p in predicted.predictions if p.class_id is None]
    (t1, d1), (t2, d2) = stamps[0], stamps[-1]
    return {
        "test": float(np.mean(right)),
        "tested": len(right),
        "unread": len(unread),
        "val": result.accuracy,
        "seconds": seconds,
        "ms_per_image": predict_seconds / max(len(right), 1) * 1000,
        "ms_steady": (t2 - t1) / (d2 - d1) * 1000 if d2 > d1 else float("nan"),
        "fit": (run.report or {}).get("fit", {}),
        "share": (result.cost or {}).get("parameters", {}).get("trainable_share"),
        "notices": result.notices,
        "engine": log.lines,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 20 images per class, 1 epoch each (about 1.5-3 minutes)"
    )
    parser.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL, help=f"timm model folder (default {DEFAULT_MODEL})"
    )
    parser.add_argument("--methods", default="linear,lora,full")
    parser.add_argument("--lora-epochs", type=int, default=None, help="default 2 (--quick: 1)")
    parser.add_argument("--full-epochs", type=int, default=None, help="default 1")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--probe-only", action="store_true", help="only the scikit-learn probes (no Loupe runs)")
    parser.add_argument(
        "--no-crop-probe", action="store_true", help="skip the probe on timm's own (centre-crop) preprocessing"
    )
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    folder = args.model.expanduser().resolve()
    check_model(folder)

    import torch
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    epochs = {
        "linear": None,  # the linear probe has no epochs: fitted to convergence
        "lora": args.lora_epochs or (1 if args.quick else 2),
        "full": args.full_epochs or 1,
    }
    methods = [] if args.probe_only else [m for m in args.methods.split(",") if m]
    begun = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="loupe-real-backbone-") as tmp:
        root = Path(tmp)
        size = model_size(folder)
        pool, test = write_digits(root, size, 20 if args.quick else None, args.seed)
        project_path, training_set = make_project(root, args.seed)
        splits = {name: training_set.split(name) for name in ("train", "val")}
        print(
            f"# {folder.name}: {folder}\n# torch {torch.__version__}, {torch.get_num_threads()} CPU threads; "
            f"digits at {size} px: {len(splits['train'])} train / {len(splits['val'])} val (Loupe's stored split "
            f"of the {len(pool)} imported images) / {len(test)} test (held out, never imported); seed {args.seed}",
            flush=True,
        )
        paths = {name: [item.path for item in items] for name, items in splits.items()}
        paths["test"] = [path for path, _ in test]
        y = {name: np.array([CLASSES.index(item.path.parent.name) for item in items]) for name, items in splits.items()}
        y["test"] = np.array([CLASSES.index(name) for _, name in test])
        probes, features = {}, {}
        extractors = {"Loupe's preprocessing": loupe_features, "timm's pretrained_cfg": timm_features}
        if args.no_crop_probe:
            del extractors["timm's pretrained_cfg"]
        for label, extract in extractors.items():
            started = time.perf_counter()
            everything = extract(folder, paths["train"] + paths["val"] + paths["test"])
            cut = np.cumsum([len(paths["train"]), len(paths["val"])])
            x = features[label] = dict(zip(("train", "val", "test"), np.split(everything, cut)))
            probes[label] = {**sklearn_probe(x, y), "features_s": time.perf_counter() - started}
            p = probes[label]
            print(
                f"# scikit-learn probe, {label}: test {p['test']:.4f} (C {p['C']:g} chosen on val, val {p['val']:.4f}); "
                f"C = 1: {p['test_default_c']:.4f}; features {p['features_s']:.0f} s "
                f"({len(everything) / p['features_s']:.1f} images/s), fits {p['seconds']:.1f} s",
                flush=True,
            )
        baseline = probes["Loupe's preprocessing"]["test"]
        results = {}
        for method in methods:
            print(f"# running Loupe {method} (epochs: {epochs.get(method) or 'n/a'})…", flush=True)
            try:
                results[method] = run_method(project_path, folder, method, epochs.get(method), test, args.seed)
                r = results[method]
                print(
                    f"#   {method}: test {r['test']:.4f} ({r['tested']} images, {r['unread']} unread), val {r['val']}, "
                    f"train {r['seconds']:.0f} s, predict {r['ms_per_image']:.1f} ms/image "
                    f"({r['ms_steady']:.1f} after the first batch); fit {r['fit'] or '-'}",
                    flush=True,
                )
                for line in r["notices"] + r["engine"]:
                    print(f"#     {line}", flush=True)
            except Exception:  # noqa: BLE001 - a failing method is a result: its traceback is printed
                results[method] = {"error": traceback.format_exc()}
                print(f"#   {method} FAILED:\n{results[method]['error']}", flush=True)

    print()
    print(
        f"| method | test accuracy ({len(test)} images) | vs scikit-learn probe | Loupe val accuracy | train time | "
        "predict ms/image (all / after 1st batch) |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for label, p in probes.items():
        print(
            f"| scikit-learn LogisticRegression, {label} (C {p['C']:g} on val) | {p['test']:.4f} | "
            f"{(p['test'] - baseline) * 100:+.1f} pt | ({p['val']:.4f}) | {p['seconds']:.1f} s + features "
            f"{p['features_s']:.0f} s | — |"
        )
        print(
            f"| scikit-learn LogisticRegression, {label} (C 1) | {p['test_default_c']:.4f} | "
            f"{(p['test_default_c'] - baseline) * 100:+.1f} pt | — | — | — |"
        )
    for method, r in results.items():
        if "error" in r:
            last = r["error"].strip().splitlines()[-1]
            print(f"| Loupe {method} | FAILED: {last} | — | — | — | — |")
            continue
        what = f", {epochs[method]} epoch{'s' * (epochs[method] != 1)}" if epochs.get(method) else ""
        if r["fit"].get("C") is not None:
            what += f", C {r['fit']['C']:g} by {r['fit'].get('folds')}-fold CV"
        val = "—" if r["val"] is None else f"{r['val']:.4f}"
        print(
            f"| Loupe {method}{what} | {r['test']:.4f} | {(r['test'] - baseline) * 100:+.1f} pt | {val} | {r['seconds']:.0f} s | "
            f"{r['ms_per_image']:.1f} / {r['ms_steady']:.1f} |"
        )
    if "linear" in results and "error" not in results["linear"]:
        for line in diagnose(features["Loupe's preprocessing"], y, results["linear"]["fit"].get("C")):
            print(line)
        gap = (results["linear"]["test"] - baseline) * 100
        verdict = "within" if gap >= -1.0 else "MORE than"
        print(f"\nLoupe linear vs the scikit-learn probe on the same features: {gap:+.1f} points ({verdict} 1 point)")
    print(f"# total {time.perf_counter() - begun:.0f} s")
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
