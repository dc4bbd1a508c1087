"""What each method's model costs, as every run records it: weights trained of all the weights,
size of what it saved, peak memory while training, milliseconds per image at batch 1 and 32.

    python bench/method_costs.py [--epochs 1] [--device cpu] [--model vit-s16|resnet-50]

One run of each method, each `loupe train ... --json` in a process of its own (so no run's memory
is counted in another's), on a backbone of real size built here with
random weights (this machine cannot download pretrained ones; the cost does not depend on the
weights' values): ViT-S/16 (22 M weights, 224 px) or ResNet-50 (24 M weights, BatchNorm), on 60
synthetic images in 3 classes. The numbers are the run's own record (`loupe train --json` →
`cost`). On a CPU, peak memory is the command's resident memory, sampled at every step; the
seconds include the command's start (loading torch and transformers, about 3 s here).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402


def backbone(folder: Path, name: str) -> Path:
    from transformers import (
        ResNetConfig,
        ResNetForImageClassification,
        ViTConfig,
        ViTForImageClassification,
        ViTImageProcessor,
    )

    torch.manual_seed(0)
    if name == "resnet-50":
        ResNetForImageClassification(ResNetConfig(num_labels=3)).save_pretrained(folder)
    else:
        config = ViTConfig(
            hidden_size=384, num_hidden_layers=12, num_attention_heads=6, intermediate_size=1536, num_labels=3
        )
        ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 224, "width": 224}).save_pretrained(folder)
    return folder


def main() -> int:
    from app.core.training.cost import describe
    from app.core.training.methods import METHODS
    from tests.tiny_models import make_colour_project

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--model", choices=("vit-s16", "resnet-50"), default="vit-s16")
    parser.add_argument("--methods", default=",".join(METHODS))
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        model = backbone(folder / "backbone", args.model)
        project = make_colour_project(folder, per_class=20)
        print(
            f"{args.model} (random weights), 224 px, 60 images, {args.epochs} epoch(s), batch 8, {args.device}, "
            f"torch {torch.__version__}, {torch.get_num_threads()} threads"
        )
        for method in args.methods.split(","):
            started = time.perf_counter()
            result = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "app",
                    "train",
                    str(project),
                    "--model",
                    str(model),
                    "--method",
                    method,
                    "--epochs",
                    str(args.epochs),
                    "--batch-size",
                    "8",
                    "--workers",
                    "0",
                    "--device",
                    args.device,
                    "--patience",
                    "0",
                    "--json",
                ],
                capture_output=True,
                text=True,
                cwd=ROOT,
            )
            seconds = time.perf_counter() - started
            if result.returncode != 0:
                print(f"{METHODS[method].title:14} failed: {result.stderr.strip()[-300:]}")
                continue
            cost = json.loads(result.stdout)["cost"]
            print(f"{METHODS[method].title:14} {seconds:6.1f} s  {describe(cost)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
