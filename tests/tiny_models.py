"""Tiny vision models built in the tests (a few small layers, seeded random weights), saved with
`save_pretrained` and loaded by path: no network, seconds to train. Both architecture families
the presets use are here: a ViT (optionally with dropout) and a CNN with BatchNorm. The data is
seeded too (never `hash(name)`, which changes from process to process)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.classes import add_class
from app.core.project.store import Project

IMAGE_SIZE = 32


def save_tiny_vit(folder: Path, dropout: float = 0.0, seed: int = 0) -> Path:
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    config = ViTConfig(
        image_size=IMAGE_SIZE,
        patch_size=8,
        hidden_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=128,
        num_labels=2,
        hidden_dropout_prob=dropout,
        attention_probs_dropout_prob=dropout,
    )
    torch.manual_seed(seed)
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}).save_pretrained(folder)
    return folder


def save_tiny_resnet(folder: Path, seed: int = 0) -> Path:
    """A ResNet with BatchNorm after every convolution."""
    import torch
    from transformers import ResNetConfig, ResNetForImageClassification

    config = ResNetConfig(
        num_channels=3, embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], num_labels=2, image_size=IMAGE_SIZE
    )
    torch.manual_seed(seed)
    ResNetForImageClassification(config).save_pretrained(folder)
    return folder


def save_tiny_clip(folder: Path, seed: int = 0) -> Path:
    import torch
    from transformers import CLIPConfig, CLIPForImageClassification

    config = CLIPConfig(
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        },
        text_config={
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            "vocab_size": 100,
        },
        projection_dim=16,
        num_labels=2,
    )
    torch.manual_seed(seed)
    CLIPForImageClassification(config).save_pretrained(folder)
    return folder


COLOURS = {"red": (200, 40, 40), "green": (40, 180, 60), "blue": (40, 60, 200)}


def colour_image(colour: tuple[int, int, int], seed: int, size: int = 40) -> Image.Image:
    """A learnable synthetic image: one dominant colour, noise, and a random bright square."""
    rng = np.random.default_rng(seed)
    pixels = np.clip(np.array(colour) + rng.normal(0, 30, (size, size, 3)), 0, 255)
    x, y = rng.integers(0, size - 10, 2)
    pixels[y : y + 10, x : x + 10] = 255
    return Image.fromarray(pixels.astype(np.uint8), "RGB")


def write_colour_images(images: Path, per_class: int = 20, classes=("red", "green", "blue")) -> list[Path]:
    """`per_class` images of each colour in `images/<colour>/`, the same pixels on every run."""
    paths = []
    for name in classes:
        for i in range(per_class):
            path = images / name / f"{name}{i:03}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            colour_image(COLOURS[name], seed=list(COLOURS).index(name) * 1000 + i).save(path)
            paths.append(path)
    return paths


def make_colour_project(folder: Path, per_class: int = 20, classes=("red", "green", "blue")) -> Path:
    """A project with `per_class` labelled images of each colour class."""
    images = folder / "images"
    write_colour_images(images, per_class, classes)
    project_path = folder / "train.loupe"
    with Project.create(project_path) as project:
        for name in classes:
            add_class(project, name)
        import_paths(project, [images], ImportOptions(labels_from_folders=True))
    return project_path


def copy_project(template: Path, folder: Path, name: str = "train.loupe") -> Path:
    """A fresh copy of a project made by `make_colour_project` (its images beside it), for one test."""
    import shutil

    shutil.copytree(template.parent / "images", folder / "images")
    shutil.copy(template, folder / name)
    return folder / name


#: What a timm checkpoint states about its preprocessing (here: bicubic, not ImageNet's mean).
TIMM_PRETRAINED_CFG = {
    "input_size": [3, IMAGE_SIZE, IMAGE_SIZE],
    "interpolation": "bicubic",
    "mean": [0.5, 0.5, 0.5],
    "std": [0.25, 0.25, 0.25],
    "crop_pct": 0.875,
}

#: Tiny timm models, each family's layer names as the hub's checkpoints have them: a ViT (`qkv`,
#: `proj`, `fc1`, `fc2`, head `head`) with dropout, and an EfficientNet (BatchNorm, depthwise and
#: pointwise convolutions, head `classifier`).
TIMM_ARCHITECTURES = {
    "vit": (
        "vit_tiny_patch16_224",
        dict(img_size=IMAGE_SIZE, patch_size=8, embed_dim=32, depth=2, num_heads=2, drop_rate=0.1, attn_drop_rate=0.1),
    ),
    "cnn": ("test_efficientnet", dict()),
    # A ResNet-like CNN whose evidence stays local (EfficientNet's squeeze-excitation spreads a
    # colour over the whole map): the heatmap tests' CNN.
    "resnet": ("test_byobnet", dict()),
}


def save_tiny_timm(folder: Path, family: str, seed: int = 0, num_classes: int = 2, **model_args) -> Path:
    """A tiny timm model saved in the hub's timm layout (`config.json` with `architecture`,
    `model_args`, `pretrained_cfg`; `model.safetensors`) by timm's own `save_for_hf`, as a
    recent timm exports it: with `num_classes` among the model_args (which transformers, left
    alone, would pass twice)."""
    import timm
    import torch

    architecture, args = TIMM_ARCHITECTURES[family]
    args = {**args, **model_args, "num_classes": num_classes}
    torch.manual_seed(seed)
    model = timm.create_model(architecture, pretrained=False, **args)
    model.pretrained_cfg = {**model.pretrained_cfg, **TIMM_PRETRAINED_CFG}
    timm.models.save_for_hf(model, folder, model_args=args, safe_serialization=True)
    return folder
