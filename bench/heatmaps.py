"""How long does a heatmap take, against a prediction of the same image?

    OMP_NUM_THREADS=1 python bench/heatmaps.py [--repeats 20] [--device cpu]

Random-weight models (no network): the tests' tiny ViT and ResNet (32 px), a ResNet-18-shaped and
a ViT-S/16-shaped model at 224 px. Both sides start from the same decoded 640 × 480 RGB image
(PIL) and run the same evaluation transform, after the same 3 warm-up calls:

- heatmap: `heatmap_for_rgb` (transform, one forward with hidden states — and attention
  probabilities for the ViTs, which switches them to eager attention for the pass —, one
  backward to the feature map, the map upsampled to 640 × 480 and scaled);
- prediction: the transform and one forward under `torch.inference_mode()` (what
  `predict_files` does per image, batch of one).

Printed: milliseconds per image (median of the repeats) for each, and heatmap / prediction.

Measured 2026-11-29 on the shared 2-core CPU machine, one torch thread (`OMP_NUM_THREADS=1`; with
two, the other engineers' jobs made every number 5-30× worse), 20 repeats:

| model | heatmap ms | prediction ms | ratio | method |
| --- | --- | --- | --- | --- |
| tiny ViT (32 px) | 2.8 | 0.8 | 3.5× | attention-gradient-rollout |
| tiny ResNet (32 px) | 1.8 | 0.7 | 2.7× | grad-cam |
| ResNet-18-like (224 px) | 32.6 | 30.6 | 1.1× | grad-cam |
| ViT-S/16-like (224 px) | 222.4 | 102.8 | 2.2× | attention-gradient-rollout |

Grad-CAM's backward pass stops at the last feature map (through the pooling and the head only),
so a CNN's heatmap costs about a prediction; the rollout needs every layer's attention gradient
and eager attention, about twice one.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def models():
    import transformers as t

    yield (
        "tiny ViT (32 px)",
        32,
        t.ViTConfig(
            image_size=32,
            patch_size=8,
            hidden_size=64,
            num_hidden_layers=2,
            num_attention_heads=2,
            intermediate_size=128,
            num_labels=3,
        ),
    )
    yield "tiny ResNet (32 px)", 32, t.ResNetConfig(embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], num_labels=3)
    yield (
        "ResNet-18-like (224 px)",
        224,
        t.ResNetConfig(layer_type="basic", hidden_sizes=[64, 128, 256, 512], depths=[2, 2, 2, 2], num_labels=3),
    )
    yield (
        "ViT-S/16-like (224 px)",
        224,
        t.ViTConfig(
            image_size=224,
            patch_size=16,
            hidden_size=384,
            num_hidden_layers=12,
            num_attention_heads=6,
            intermediate_size=1536,
            num_labels=3,
        ),
    )


def median_ms(call, repeats: int) -> float:
    for _ in range(3):
        call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args()

    import numpy as np
    import torch
    from PIL import Image
    from transformers import AutoModelForImageClassification

    from app.core.inference.heatmaps import heatmap_for_rgb
    from app.core.inference.run_model import RunModel
    from app.core.training.backbones import IMAGENET_MEAN, IMAGENET_STD, ImageSettings
    from app.core.training.data import build_transforms

    device = torch.device(args.device)
    image = Image.fromarray(np.random.default_rng(0).integers(0, 256, (480, 640, 3), dtype=np.uint8))
    classes = [{"id": i + 1, "name": f"class {i}"} for i in range(3)]
    print(
        f"| model | heatmap ms | prediction ms | ratio | method |  (torch threads: {torch.get_num_threads()}, {device})"
    )
    print("| --- | --- | --- | --- | --- |")
    for name, size, config in models():
        torch.manual_seed(0)
        model = AutoModelForImageClassification.from_config(config).to(device).eval()
        _, transform = build_transforms(ImageSettings(size, IMAGENET_MEAN, IMAGENET_STD), augment=False, grey=False)
        run_model = RunModel(model, transform, classes, device, size)

        def predict():
            with torch.inference_mode():
                model(pixel_values=transform(image)[None].to(device)).logits.cpu()

        heat_ms = median_ms(lambda: heatmap_for_rgb(run_model, image), args.repeats)
        predict_ms = median_ms(predict, args.repeats)
        method = heatmap_for_rgb(run_model, image).method
        print(f"| {name} | {heat_ms:.1f} | {predict_ms:.1f} | {heat_ms / predict_ms:.1f}× | {method} |", flush=True)


if __name__ == "__main__":
    main()
