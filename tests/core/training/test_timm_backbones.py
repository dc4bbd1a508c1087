"""timm-format backbones (most pathology foundation models: transformers' `TimmWrapper`) through
the whole loop, on tiny timm models saved in the hub's timm layout: a ViT (`qkv`, `proj`, `fc1`,
`fc2`) and an EfficientNet (BatchNorm, depthwise and pointwise convolutions). Head and adapter
targets come from the module tree; preprocessing from the checkpoint's `pretrained_cfg`; every
method's run exports to ONNX with PyTorch's logits and to a folder plain transformers loads to
Loupe's predictions; heatmaps peak on the planted evidence; a run names the backbone's revision.
(`test_methods.py` trains, saves and reloads every method on both with the other families.)"""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from transformers import AutoModelForImageClassification

from app.core.export.models import export_hf, export_onnx
from app.core.inference.heatmaps import forget_cached_models, heatmap_for_file
from app.core.inference.predict import classify_files
from app.core.inference.run_model import load_run_model
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import adapter_targets, image_settings, load_classifier
from app.core.training.data import build_transforms
from app.core.training.heads import head_module_name
from app.core.training.methods import METHODS
from app.core.training.runs import get_run
from app.core.training.saved_models import BASE_MODEL_FILE
from tests.core.test_heatmaps import CLASSES as SQUARE_CLASSES
from tests.core.test_heatmaps import SIZE as SQUARE_SIZE
from tests.core.test_heatmaps import near_square, square_image
from tests.tiny_models import IMAGE_SIZE, TIMM_PRETRAINED_CFG, make_colour_project, save_tiny_timm

FAMILIES = ("vit", "cnn")
LR = {"linear": 1e-2, "bitfit": 1e-2, "ia3": 1e-2, "full": 2e-3}


@pytest.fixture(scope="module")
def backbones(tmp_path_factory):
    root = tmp_path_factory.mktemp("timm")
    return {family: save_tiny_timm(root / family, family) for family in FAMILIES}


def test_head_and_adapter_targets_come_from_the_module_tree(backbones):
    """timm says where its head is; the adapted layers are every Linear outside it (ViT) or
    every channel-mixing convolution where the head is the only Linear (EfficientNet)."""
    vit = load_classifier(str(backbones["vit"]), ["a", "b", "c"])
    assert head_module_name(vit) == "timm_model.head" and vit.timm_model.head.out_features == 3
    targets = adapter_targets(vit)
    assert {name.rsplit(".", 1)[-1] for name in targets} == {"qkv", "proj", "fc1", "fc2"}
    assert not any(name.startswith("timm_model.head") for name in targets)

    cnn = load_classifier(str(backbones["cnn"]), ["a", "b", "c"])
    assert head_module_name(cnn) == "timm_model.classifier" and cnn.timm_model.classifier.out_features == 3
    modules = dict(cnn.named_modules())
    targets = adapter_targets(cnn)
    assert targets and all(isinstance(modules[n], torch.nn.Conv2d) and modules[n].groups == 1 for n in targets)
    depthwise = [n for n, m in modules.items() if isinstance(m, torch.nn.Conv2d) and m.groups > 1]
    assert depthwise and not set(depthwise) & set(targets)
    # A recent timm writes num_classes into model_args; transformers would pass it twice.
    assert "num_classes" in json.loads((backbones["cnn"] / "config.json").read_text())["model_args"]


def test_preprocessing_is_the_checkpoints_own(backbones):
    """Size, mean, std and interpolation (bicubic here) from `pretrained_cfg`; the whole image is
    kept (its centre-crop fraction is not applied: a label may sit at the border)."""
    model = load_classifier(str(backbones["vit"]), ["a", "b"])
    settings = image_settings(None, model.config, None)
    assert settings.size == IMAGE_SIZE and settings.interpolation == "bicubic"
    assert settings.mean == tuple(TIMM_PRETRAINED_CFG["mean"]) and settings.std == tuple(TIMM_PRETRAINED_CFG["std"])
    _, evaluation = build_transforms(settings, augment=False, grey=False)
    image = Image.fromarray(np.random.default_rng(0).integers(0, 255, (50, 70, 3), dtype=np.uint8))
    expected = torch.nn.functional.interpolate(
        torch.from_numpy(np.array(image)).permute(2, 0, 1)[None].float() / 255,
        size=(IMAGE_SIZE, IMAGE_SIZE),
        mode="bicubic",
        antialias=True,
        align_corners=False,
    )[0]
    got = evaluation(image) * 0.25 + 0.5
    assert got.shape == (3, IMAGE_SIZE, IMAGE_SIZE)
    assert float((got - expected.clamp(0, 1)).abs().max()) < 0.02  # uint8 rounding inside torchvision


@pytest.fixture(scope="module")
def timm_runs(backbones, tmp_path_factory):
    """One short run of every method on each family, on 5 images a class (quality is
    `test_methods.py`'s business)."""
    path = make_colour_project(tmp_path_factory.mktemp("timm-runs"), per_class=5)
    runs = {}
    with Project.open(path) as project:
        for family, folder in backbones.items():
            for method in METHODS:
                config = TrainConfig(
                    model=str(folder),
                    method=method,
                    epochs=1,
                    batch_size=16,
                    lr=LR.get(method, 5e-3),
                    workers=0,
                    device="cpu",
                    patience=0,
                )
                result = train(project, config)
                assert result.status == "done", (family, method, result)
                runs[family, method] = result.run
    return path, runs


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("method", list(METHODS))
def test_each_method_exports_to_onnx_and_to_a_folder_plain_transformers_loads(timm_runs, tmp_path, family, method):
    path, runs = timm_runs
    run_id = runs[family, method]
    images = sorted((path.parent / "images").rglob("*.png"))[::2]
    with Project.open(path, read_only=True) as project:
        onnx = export_onnx(project, tmp_path / "onnx", run_id)
        export_hf(project, tmp_path / "hf", run_id)
        loupe = classify_files(project, images, run_id, device="cpu", top_k=3)
        run = get_run(project, run_id)
    assert onnx.details["max_abs_difference"] <= 1e-4

    model = AutoModelForImageClassification.from_pretrained(tmp_path / "hf", use_safetensors=True).eval()
    assert model.config.model_type == "timm_wrapper" and not any("lora" in k for k in model.state_dict())
    transform = load_run_model_transform(path, run_id)
    with torch.inference_mode():
        pixels = torch.stack([transform(Image.open(f).convert("RGB")) for f in images])
        probabilities = torch.softmax(model(pixel_values=pixels).logits, dim=1)
    names = [entry["name"] for entry in run.classes]
    by_path = {Path(p.path): p for p in loupe.predictions}
    for f, row in zip(images, probabilities):
        assert names[int(row.argmax())] == by_path[f].label
        for _, name, probability in by_path[f].top:
            assert abs(float(row[names.index(name)]) - probability) <= 1e-4


def load_run_model_transform(path: Path, run_id: int):
    with Project.open(path, read_only=True) as project:
        return load_run_model(project, run_id, device="cpu").transform


def test_a_run_names_its_backbone_and_continues_from_an_earlier_one(timm_runs, backbones):
    """The backbone is recorded exactly (a folder here: its absolute path; a hub model: id and
    revision); a run started from an earlier one keeps that origin; suggestions work on it."""
    from app.core.active.pool import EmbeddingSource
    from app.core.active.suggest import suggest

    path, runs = timm_runs
    with Project.open(path) as project:
        first = get_run(project, runs["vit", "full"])
        origin = first.report["backbone"]
        assert origin == {
            "model": str(backbones["vit"]),
            "folder": str(backbones["vit"]),
            "hub_id": None,
            "revision": None,
        }
        record = json.loads((project.paths.root / first.model_dir / BASE_MODEL_FILE).read_text())
        assert record["folder"] == str(backbones["vit"]) and len(record["sha256"]) == 64
        result = train(
            project,
            TrainConfig(
                model=str(backbones["vit"]), method="lora", init_from=first.id, epochs=1, workers=0, device="cpu"
            ),
        )
        assert result.status == "done" and get_run(project, result.run).report["backbone"] == origin
        project.conn.execute("DELETE FROM labels WHERE image_id IN (SELECT id FROM images LIMIT 6)")
        project.conn.commit()
        unlabelled = {row[0] for row in project.conn.execute("SELECT id FROM images LIMIT 6")}
        picked = suggest(project, n=3, source=EmbeddingSource.from_run(result.run), device="cpu")
        from_backbone = suggest(project, n=3, source=EmbeddingSource.from_model(str(backbones["cnn"])), device="cpu")
    for found in (picked, from_backbone):
        assert found.refresh.suggestions and {s.image_id for s in found.refresh.suggestions} <= unlabelled


@pytest.fixture(scope="module")
def square_runs(tmp_path_factory):
    """A timm ViT and a timm ResNet-like CNN (dilated: a 6 × 6 last feature map) trained on the
    heatmap tests' planted squares."""
    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class

    folder = tmp_path_factory.mktemp("timm-squares")
    for name in SQUARE_CLASSES:
        for i in range(20):
            path = folder / "images" / name / f"{i:02}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            square_image(name, 1000 * list(SQUARE_CLASSES).index(name) + i)[0].save(path)
    size = {"input_size": [3, SQUARE_SIZE, SQUARE_SIZE], "mean": [0.5] * 3, "std": [0.25] * 3}
    vit = save_tiny_timm(
        folder / "vit", "vit", num_classes=4, img_size=SQUARE_SIZE, patch_size=4, drop_rate=0.0, attn_drop_rate=0.0
    )
    cnn = save_tiny_timm(folder / "cnn", "resnet", num_classes=4, output_stride=8)
    for model in (vit, cnn):
        config = json.loads((model / "config.json").read_text())
        config["pretrained_cfg"].update(size)
        (model / "config.json").write_text(json.dumps(config))
    runs = {}
    with Project.create(folder / "squares.loupe") as project:
        for name in SQUARE_CLASSES:
            add_class(project, name)
        import_paths(project, [folder / "images"], ImportOptions(labels_from_folders=True))
        for family, model, lr, epochs in (("vit", vit, 1e-3, 40), ("cnn", cnn, 1e-2, 20)):
            result = train(
                project,
                TrainConfig(
                    model=str(model),
                    method="full",
                    lr=lr,
                    epochs=epochs,
                    workers=0,
                    device="cpu",
                    augment=False,
                    patience=0,
                ),
            )
            assert result.status == "done" and result.accuracy >= 0.8, (family, result)
            runs[family] = load_run_model(project, result.run, "cpu")
    yield runs
    forget_cached_models()


@pytest.mark.parametrize(("family", "method"), [("vit", "timm-attention-rollout"), ("cnn", "grad-cam")])
def test_heatmaps_peak_on_the_planted_square(square_runs, tmp_path, family, method):
    run_model = square_runs[family]
    on_square = 0
    for i in range(12):
        image, (x, y) = square_image(("red", "blue", "green")[i % 3], 70_000 + i)
        image.save(tmp_path / f"{i}.png")
        heat = heatmap_for_file(run_model, tmp_path / f"{i}.png")
        assert heat.method == method and heat.values.shape == (SQUARE_SIZE, SQUARE_SIZE)
        on_square += near_square(heat.values, (x, y, x + 10, y + 10))
    assert on_square >= 10, f"timm {family}: the peak was on the square in {on_square} of 12"
    fused = [m for m in run_model.model.modules() if hasattr(m, "fused_attn")]
    assert all(m.fused_attn for m in fused)  # switched back after the pass


def test_a_cards_arguments_complete_a_config_that_lacks_them(tmp_path):
    """UNI2-h and Virchow2 are built with a SwiGLU MLP and SiLU that their config.json does not
    state: from the config alone the wrapper builds plain MLPs and the weights do not fit. The
    preset's `model_args` (layer names resolved to timm's classes) build the right model, whose
    config still saves as JSON and reloads with plain transformers."""
    import timm
    from timm.layers import SwiGLUPacked

    from app.core.training.backbones import load_saved_classifier
    from app.core.training.presets import BackbonePreset

    card = {"mlp_layer": "SwiGLUPacked", "act_layer": "silu", "num_classes": 0}
    shape = dict(img_size=IMAGE_SIZE, patch_size=8, embed_dim=32, depth=2, num_heads=2, mlp_ratio=2.0)
    torch.manual_seed(0)
    model = timm.create_model(
        "vit_tiny_patch16_224", pretrained=False, **shape, mlp_layer=SwiGLUPacked, act_layer="silu"
    )
    timm.models.save_for_hf(model, tmp_path / "hub", model_args={**shape, "mlp_layer": "-"}, safe_serialization=True)
    config = json.loads((tmp_path / "hub" / "config.json").read_text())
    config["model_args"] = shape  # as the hub has it: the shape, not the layers
    (tmp_path / "hub" / "config.json").write_text(json.dumps(config))

    wrong = []
    load_classifier(str(tmp_path / "hub"), ["a", "b"], wrong)  # the MLPs' weights do not fit
    assert len(wrong) == 1 and "start from random values" in wrong[0]
    preset = BackbonePreset("card", "org/card", "a card's model", format="timm", model_args=card)
    notices = []
    built = load_classifier(str(tmp_path / "hub"), ["a", "b"], notices, preset)
    assert notices == [] and any(type(m).__name__ == "GluMlp" for m in built.modules())
    assert built.config.model_args["mlp_layer"] == "SwiGLUPacked"
    built.save_pretrained(tmp_path / "run")  # JSON: the name, not the class
    again = load_saved_classifier(tmp_path / "run")
    pixels = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)
    with torch.inference_mode():
        assert torch.allclose(again.eval()(pixel_values=pixels).logits, built.eval()(pixel_values=pixels).logits)


def test_a_hub_model_is_recorded_with_its_revision(backbones, tmp_path, monkeypatch):
    """A hub id is recorded with the commit its cached snapshot came from, in the run's report
    (and its card's line) and beside its model."""
    import shutil

    from app.gui.run_words import origin_in_words

    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--loupe-tests--tiny-timm"
    shutil.copytree(backbones["vit"], repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(tmp_path / "hub"))
    path = make_colour_project(tmp_path / "project", per_class=4)
    with Project.open(path) as project:
        result = train(
            project,
            TrainConfig(model="loupe-tests/tiny-timm", method="linear", epochs=1, workers=0, device="cpu"),
        )
        run = get_run(project, result.run)
        record = json.loads((project.paths.root / run.model_dir / BASE_MODEL_FILE).read_text())
    origin = {"model": "loupe-tests/tiny-timm", "folder": None, "hub_id": "loupe-tests/tiny-timm", "revision": commit}
    assert result.status == "done" and run.report["backbone"] == origin
    assert record["revision"] == commit and record["hub_id"] == "loupe-tests/tiny-timm"
    assert origin_in_words(origin) == "Trained from loupe-tests/tiny-timm at revision 0123456"
