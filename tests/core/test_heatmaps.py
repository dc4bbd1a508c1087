"""Heatmaps: they have the decoded image's shape, values in [0, 1], and peak on the region that
decides the class, for a CNN with BatchNorm and for a ViT trained with Loupe's own train(); a
chosen class, a LoRA run and a peft-wrapped model work; the model is left exactly as it was.

The data: 48-pixel images of dark noise with one small bright square at a random place; the
class is the square's colour, so the square is the only evidence there is. Images with no
square form a class of their own: without it a model may learn one colour as the default (what
is neither of the others), and a map for that class would have no evidence to show."""

import copy
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.core.errors import ConfigError, LoupeError
from app.core.importing.importer import ImportOptions, import_paths
from app.core.inference.heatmaps import (
    BY_ARCHITECTURE,
    EXPLAINERS,
    colormap,
    explainers_for,
    forget_cached_models,
    heatmap_for_file,
    heatmap_for_image,
    overlay,
    patch_grid,
)
from app.core.inference.predict import predict_files
from app.core.inference.run_model import load_run_model
from app.core.labelling.classes import add_class
from app.core.project.settings import ACTIVE_RUN, set_setting
from app.core.project.store import Project
from app.core.training import TrainConfig, train

SIZE = 48
SIDE = 10
CLASSES = {"red": (230, 40, 40), "blue": (40, 60, 230), "green": (40, 210, 60), "empty": None}
COLOURS = ("red", "blue", "green")


#: Image sizes (width, height), in turn: the model sees a square input whatever the file's shape.
SHAPES = ((SIZE, SIZE), (64, 40), (40, 56))


def square_image(colour: str, seed: int, width: int = SIZE, height: int = SIZE) -> tuple[Image.Image, tuple[int, int]]:
    """Dark noise and a `SIDE`-pixel square of the class's colour (none for "empty");
    (image, square's top-left x, y)."""
    rng = np.random.default_rng(seed)
    pixels = np.clip(40 + rng.normal(0, 20, (height, width, 3)), 0, 255)
    x, y = int(rng.integers(0, width - SIDE)), int(rng.integers(0, height - SIDE))
    if CLASSES[colour] is not None:
        pixels[y : y + SIDE, x : x + SIDE] = np.array(CLASSES[colour]) + rng.normal(0, 10, (SIDE, SIDE, 3))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)), (x, y)


def save_square_vit(folder: Path) -> Path:
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    config = ViTConfig(
        image_size=SIZE,
        patch_size=4,
        hidden_size=48,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=96,
        num_labels=len(CLASSES),
    )
    torch.manual_seed(0)
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": SIZE, "width": SIZE}).save_pretrained(folder)
    return folder


def save_square_resnet(folder: Path) -> Path:
    """A ResNet with BatchNorm after every convolution; its last feature map is 6 × 6."""
    import torch
    from transformers import ResNetConfig, ResNetForImageClassification

    config = ResNetConfig(
        embedding_size=8, hidden_sizes=[16, 16], depths=[1, 1], num_labels=len(CLASSES), image_size=SIZE
    )
    torch.manual_seed(0)
    ResNetForImageClassification(config).save_pretrained(folder)
    return folder


@pytest.fixture(scope="module")
def square_project(tmp_path_factory):
    """A project of 20 labelled images per class, and a full run of each model family
    trained on it (augmentation off: a random crop could cut the square out)."""
    folder = tmp_path_factory.mktemp("squares")
    for name in CLASSES:
        for i in range(20):
            path = folder / "images" / name / f"{i:02}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            square_image(name, 1000 * list(CLASSES).index(name) + i, *SHAPES[i % 3])[0].save(path)
    project_path = folder / "squares.loupe"
    runs = {}
    with Project.create(project_path) as project:
        for name in CLASSES:
            add_class(project, name)
        import_paths(project, [folder / "images"], ImportOptions(labels_from_folders=True))
        settings = dict(epochs=20, workers=0, device="cpu", augment=False, patience=0, seed=0)
        for family, save, lr, epochs in (("resnet", save_square_resnet, 1e-2, 20), ("vit", save_square_vit, 1e-3, 40)):
            model = save(folder / family)
            result = train(
                project, TrainConfig(model=str(model), method="full", lr=lr, **{**settings, "epochs": epochs})
            )
            assert result.status == "done" and result.accuracy >= 0.8, (family, result)
            runs[family] = result.run
        lora = train(
            project,
            TrainConfig(
                model=str(folder / "vit"), method="lora", init_from=runs["vit"], lr=1e-3, **{**settings, "epochs": 2}
            ),
        )
        assert lora.status == "done", lora
        runs["lora"] = lora.run
        class_ids = dict(project.conn.execute("SELECT name, id FROM classes").fetchall())
    yield project_path, runs, class_ids
    forget_cached_models()


@pytest.fixture(scope="module")
def held_out(tmp_path_factory):
    """Images no run has seen, two thirds of them not square: (path, colour, the square's box
    x0, y0, x1, y1 in the file's pixels)."""
    folder = tmp_path_factory.mktemp("held-out")
    found = []
    for i in range(24):
        colour = COLOURS[i % 3]
        image, (x, y) = square_image(colour, 50_000 + i, *SHAPES[i % 4 % 3])
        path = folder / f"{i:02}.png"
        image.save(path)
        found.append((path, colour, (x, y, x + SIDE, y + SIDE)))
    return found


@pytest.fixture(scope="module")
def run_models(square_project):
    project_path, runs, _ = square_project
    with Project.open(project_path) as project:
        return {family: load_run_model(project, run, "cpu") for family, run in runs.items()}


def near_square(values: np.ndarray, box: tuple[int, int, int, int], slack: int = 3) -> bool:
    """Whether the heatmap's peak is on the square, or within `slack` pixels of it."""
    row, column = np.unravel_index(values.argmax(), values.shape)
    x0, y0, x1, y1 = box
    return x0 - slack <= column < x1 + slack and y0 - slack <= row < y1 + slack


@pytest.mark.parametrize(
    ("family", "method"),
    [("resnet", "grad-cam"), ("vit", "attention-gradient-rollout"), ("lora", "attention-gradient-rollout")],
)
def test_heatmaps_peak_on_the_square_that_decides_the_class(run_models, held_out, family, method):
    run_model = run_models[family]
    on_square = right = 0
    for path, colour, box in held_out:
        heat = heatmap_for_file(run_model, path)
        width, height = Image.open(path).size
        assert heat.values.shape == (height, width) and heat.values.dtype == np.float32
        assert 0.0 <= heat.values.min() and heat.values.max() <= 1.0 and heat.values.max() == pytest.approx(1.0)
        assert heat.method == method
        right += heat.class_name == colour
        on_square += near_square(heat.values, box)
    assert right >= 22, f"{family} predicted {right} of {len(held_out)} right"
    assert on_square >= 0.8 * len(held_out), f"{family}: the peak was on the square in {on_square} of {len(held_out)}"


def test_a_chosen_class_is_explained_with_its_own_probability(run_models, held_out, square_project):
    _, _, class_ids = square_project
    run_model = run_models["resnet"]
    path = next(path for path, colour, _ in held_out if colour == "red")
    predicted = heatmap_for_file(run_model, path)
    assert predicted.class_id == class_ids["red"] and predicted.probability > 0.5
    blue = heatmap_for_file(run_model, path, class_id=class_ids["blue"])
    assert (blue.class_id, blue.class_name) == (class_ids["blue"], "blue")
    assert blue.probability < 0.5
    assert blue.values.shape == predicted.values.shape and 0 <= blue.values.min() and blue.values.max() <= 1
    assert not np.allclose(blue.values, predicted.values)
    again = heatmap_for_file(run_model, path, class_id=class_ids["red"])
    np.testing.assert_allclose(again.values, predicted.values, atol=1e-6)
    with pytest.raises(ConfigError, match="does not know class 999"):
        heatmap_for_file(run_model, path, class_id=999)


@pytest.mark.parametrize("family", ["resnet", "vit"])
def test_the_model_is_left_as_it_was_and_predicts_the_same(run_models, held_out, family):
    run_model = run_models[family]
    model = run_model.model
    paths = [(None, path, str(path)) for path, *_ in held_out[:6]]
    before = predict_files(run_model, paths)
    requires = {name: p.requires_grad for name, p in model.named_parameters()}
    attention = model.config._attn_implementation
    for path, *_ in held_out[:3]:
        heatmap_for_file(run_model, path)
    assert all(p.grad is None for p in model.parameters())
    assert {name: p.requires_grad for name, p in model.named_parameters()} == requires
    assert not any(module.training for module in model.modules())
    assert model.config._attn_implementation == attention
    after = predict_files(run_model, paths)
    assert [(p.class_id, p.confidence) for p in after] == [(p.class_id, p.confidence) for p in before]


@pytest.mark.filterwarnings("ignore:`is_gradient_checkpointing` is deprecated:FutureWarning")  # peft's call
def test_a_peft_wrapped_model_gives_the_same_heatmap(run_models, held_out):
    """An adapter that starts as zero changes nothing: through peft's wrapper, the same map."""
    from dataclasses import replace

    from peft import LoraConfig, get_peft_model

    run_model = run_models["vit"]
    wrapped = get_peft_model(copy.deepcopy(run_model.model), LoraConfig(r=4, target_modules="all-linear")).eval()
    path = held_out[0][0]
    plain, through = heatmap_for_file(run_model, path), heatmap_for_file(replace(run_model, model=wrapped), path)
    assert through.method == plain.method and through.class_id == plain.class_id
    np.testing.assert_allclose(through.values, plain.values, atol=1e-4)
    assert all(p.grad is None for p in wrapped.parameters())


def test_the_explainer_comes_from_the_registry_else_the_probe(run_models, held_out, monkeypatch):
    vit, resnet = run_models["vit"], run_models["resnet"]
    assert explainers_for(resnet.model)[0].name == "grad-cam"
    assert explainers_for(vit.model)[0].name == "attention-gradient-rollout"
    path = held_out[0][0]
    assert heatmap_for_file(vit, path, method="vit-token-grad-cam").method == "vit-token-grad-cam"
    with pytest.raises(LoupeError, match="no heatmap method fits"):
        heatmap_for_file(vit, path, method="grad-cam")  # a ViT has no 4-D feature map
    with pytest.raises(ConfigError, match="unknown heatmap method"):
        heatmap_for_file(vit, path, method="nonsense")
    # Architectures nobody declared are probed, in the registry's order.
    monkeypatch.delitem(BY_ARCHITECTURE, "vit")
    monkeypatch.delitem(BY_ARCHITECTURE, "resnet")
    assert heatmap_for_file(vit, path).method == "attention-gradient-rollout"
    assert heatmap_for_file(resnet, path).method == "grad-cam"
    assert set(BY_ARCHITECTURE.values()) <= set(EXPLAINERS)


def test_patch_tokens_are_told_from_extra_tokens_by_count():
    assert patch_grid(197) == (1, 14)  # ViT-B/16: CLS + 14 × 14
    assert patch_grid(198) == (2, 14)  # DeiT: CLS, distillation
    assert patch_grid(261) == (5, 16)  # DINOv2 with 4 registers
    assert patch_grid(49) == (0, 7)  # no extra token
    assert patch_grid(3) is None and patch_grid(5000) is None


def test_heatmap_for_an_image_of_the_project_uses_the_active_run(square_project):
    project_path, runs, class_ids = square_project
    with Project.open(project_path) as project:
        with pytest.raises(LoupeError, match="no active run"):
            heatmap_for_image(project, 1)
        set_setting(project, ACTIVE_RUN, runs["resnet"])
        image_id, stored = project.conn.execute("SELECT id, path FROM images ORDER BY id LIMIT 1").fetchone()
        heat = heatmap_for_image(project, image_id, device="cpu")
        assert heat.values.shape == (SIZE, SIZE) and heat.method == "grad-cam"
        chosen = heatmap_for_image(project, image_id, run_id=runs["vit"], class_id=class_ids["green"], device="cpu")
        assert chosen.class_name == "green" and chosen.method == "attention-gradient-rollout"
        with pytest.raises(LoupeError, match="no image 9999"):
            heatmap_for_image(project, 9999, device="cpu")


def test_overlay_blends_a_colour_map_over_the_image():
    rgb = np.full((5, 7, 3), 100, np.uint8)
    heat = np.zeros((5, 7), np.float32)
    heat[2, 3] = 1.0
    np.testing.assert_array_equal(overlay(rgb, heat, alpha=0.0), rgb)
    shown = overlay(rgb, heat, alpha=1.0)
    assert shown.shape == (5, 7, 3) and shown.dtype == np.uint8
    jet = colormap("jet")
    assert jet.shape == (256, 3) and tuple(jet[0]) == (0, 0, 128) and tuple(jet[-1]) == (128, 0, 0)
    assert tuple(shown[2, 3]) == (128, 0, 0) and tuple(shown[0, 0]) == (0, 0, 128)
    half = overlay(rgb, heat, alpha=0.5)
    assert tuple(half[2, 3]) == (114, 50, 50)
    assert tuple(overlay(rgb, heat, 1.0, cmap="inferno")[2, 3]) == (252, 255, 164)
    grey = overlay(np.full((5, 7), 100, np.uint8), heat, alpha=0.0)
    assert grey.shape == (5, 7, 3)
    with pytest.raises(ValueError, match="heatmap is 7×5"):
        overlay(np.zeros((6, 7, 3), np.uint8), heat, 0.5)
    with pytest.raises(ConfigError, match="unknown colour map"):
        colormap("viridis-ish")


def _tiny_config(family: str):
    """A few-layer random model of each architecture family the presets use, at 64 pixels."""
    import transformers as t

    vit = dict(
        image_size=64,
        patch_size=8,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        num_labels=2,
    )
    return {
        "resnet": lambda: t.ResNetConfig(embedding_size=8, hidden_sizes=[8, 16], depths=[1, 1], num_labels=2),
        "convnext": lambda: t.ConvNextConfig(num_stages=2, hidden_sizes=[8, 16], depths=[1, 1], num_labels=2),
        "swin": lambda: t.SwinConfig(
            image_size=64, patch_size=4, embed_dim=16, depths=[1, 1], num_heads=[2, 2], window_size=4, num_labels=2
        ),
        "mobilevit": lambda: t.MobileViTConfig(
            image_size=64, hidden_sizes=[16, 16, 16], num_labels=2, neck_hidden_sizes=[8, 8, 8, 8, 8, 16, 32]
        ),
        "vit": lambda: t.ViTConfig(**vit),
        "deit": lambda: t.DeiTConfig(**vit),
        "dinov2": lambda: t.Dinov2Config(**vit),
        "dinov2_with_registers": lambda: t.Dinov2WithRegistersConfig(**vit, num_register_tokens=4),
        "beit": lambda: t.BeitConfig(**vit, use_mean_pooling=True),
        "clip": lambda: t.CLIPConfig(
            vision_config={k: v for k, v in vit.items() if k != "num_labels"},
            text_config=dict(
                hidden_size=32,
                num_hidden_layers=1,
                num_attention_heads=2,
                intermediate_size=64,
                vocab_size=100,
                bos_token_id=0,
                eos_token_id=1,
                pad_token_id=1,
            ),
            projection_dim=16,
            num_labels=2,
        ),
    }[family]()


@pytest.mark.parametrize(
    ("family", "method"),
    [
        ("resnet", "grad-cam"),
        ("convnext", "grad-cam"),
        ("swin", "grad-cam"),
        ("mobilevit", "grad-cam"),
        ("vit", "attention-gradient-rollout"),
        ("deit", "attention-gradient-rollout"),
        ("dinov2", "attention-gradient-rollout"),
        ("dinov2_with_registers", "attention-gradient-rollout"),
        ("beit", "attention-gradient-rollout"),
        ("clip", "attention-gradient-rollout"),
    ],
)
def test_every_preset_family_gets_a_heatmap_and_keeps_its_predictions(family, method):
    import torch
    from torch import nn
    from transformers import AutoModelForImageClassification, DeiTForImageClassification

    from app.core.inference.heatmaps import heatmap_for_rgb
    from app.core.inference.run_model import RunModel
    from app.core.training.backbones import ImageSettings
    from app.core.training.data import build_transforms

    torch.manual_seed(0)
    config = _tiny_config(family)
    model = (
        DeiTForImageClassification(config) if family == "deit" else AutoModelForImageClassification.from_config(config)
    )
    for module in model.modules():  # random init zeroes some BatchNorm scales: every map would be empty
        if isinstance(module, nn.BatchNorm2d):
            nn.init.ones_(module.weight)
    model.eval()
    _, transform = build_transforms(ImageSettings(64, (0.5,) * 3, (0.5,) * 3), augment=False, grey=False)
    run_model = RunModel(model, transform, [{"id": 7, "name": "a"}, {"id": 9, "name": "b"}], torch.device("cpu"), 64)
    image = Image.fromarray(np.random.default_rng(0).integers(0, 256, (50, 70, 3), dtype=np.uint8))
    pixels = transform(image)[None]
    with torch.no_grad():
        before = model(pixel_values=pixels).logits
    attention = model.config._attn_implementation
    heat = heatmap_for_rgb(run_model, image)
    assert heat.method == method and heat.class_id in (7, 9)
    assert heat.values.shape == (50, 70) and heat.values.dtype == np.float32
    assert heat.values.min() >= 0 and heat.values.max() == pytest.approx(1.0)
    assert all(p.grad is None for p in model.parameters()) and not model.training
    assert model.config._attn_implementation == attention
    with torch.no_grad():
        torch.testing.assert_close(model(pixel_values=pixels).logits, before)
