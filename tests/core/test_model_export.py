"""A run's model out of Loupe (`model_export.py`): ONNX files that onnxruntime runs to PyTorch's
logits, and Hugging Face folders that plain transformers loads to Loupe's own predictions — for
both architecture families (a ViT; a CNN with BatchNorm) and both kinds of saved run (a whole
model: linear; an adapter merged on load: LoRA). Tiny models, 32-px images, one epoch."""

from pathlib import Path

import numpy as np
import onnxruntime
import pytest
import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoModelForImageClassification

from app.core.errors import Cancelled, ConfigError, LoupeError
from app.core.export.models import export_hf, export_onnx
from app.core.importing.importer import ImportOptions, import_paths
from app.core.inference.predict import classify_files
from app.core.inference.run_model import load_run_model
from app.core.labelling.classes import add_class
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from tests.tiny_models import COLOURS, IMAGE_SIZE, colour_image, save_tiny_resnet, save_tiny_vit

CLASSES = ("red", "green", "blue")
RUNS = [("vit", "linear"), ("vit", "lora"), ("resnet", "linear"), ("resnet", "lora")]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A project of 32-px colour images (the tiny models' size: the processors' resize is then
    the identity on both sides) and one run of each case in `RUNS`: (project file, images, runs)."""
    root = tmp_path_factory.mktemp("model-export")
    images = root / "images"
    for c, name in enumerate(CLASSES):
        (images / name).mkdir(parents=True)
        for i in range(6):
            colour_image(COLOURS[name], seed=100 * c + i, size=IMAGE_SIZE).save(images / name / f"{i}.png")
    path = root / "p.loupe"
    backbones = {"vit": save_tiny_vit(root / "vit"), "resnet": save_tiny_resnet(root / "resnet")}
    runs = {}
    with Project.create(path) as project:
        for name in CLASSES:
            add_class(project, name)
        import_paths(project, [images], ImportOptions(labels_from_folders=True))
        for backbone, method in RUNS:
            config = TrainConfig(
                model=str(backbones[backbone]),
                method=method,
                epochs=2,
                batch_size=8,
                lr=1e-2,
                workers=0,
                device="cpu",
                patience=0,
            )
            result = train(project, config)
            assert result.status == "done", result
            runs[backbone, method] = result.run
    return path, images, runs


def image_files(images: Path) -> list[Path]:
    return sorted(images.rglob("*.png"))


@pytest.mark.parametrize("backbone,method", RUNS)
def test_onnx_gives_pytorchs_logits_for_any_batch(trained, tmp_path, backbone, method):
    path, images, runs = trained
    out = tmp_path / "onnx"
    with Project.open(path, read_only=True) as project:
        report = export_onnx(project, out, runs[backbone, method])
        loupe = load_run_model(project, runs[backbone, method], device="cpu")
    assert report.run == runs[backbone, method] and report.out == str(out)
    assert {Path(f).name for f in report.files} == {"model.onnx", "preprocessor_config.json", "README.md"}
    assert all(Path(f).is_absolute() and Path(f).is_file() for f in report.files)
    assert report.details["max_abs_difference"] <= 1e-4 and report.details["opset"] >= 17
    assert report.details["classes"] == list(CLASSES)

    session = onnxruntime.InferenceSession(str(out / "model.onnx"), providers=["CPUExecutionProvider"])
    (given,), (produced,) = session.get_inputs(), session.get_outputs()
    assert (given.name, given.type, produced.name) == ("pixel_values", "tensor(float)", "logits")
    assert isinstance(given.shape[0], str) and given.shape[1:] == [3, IMAGE_SIZE, IMAGE_SIZE]  # a free batch
    # Real images through Loupe's own decoder and evaluation transform, in batches of 5 and 1
    pixels = torch.stack([loupe.transform(Image.open(f).convert("RGB")) for f in image_files(images)[:5]])
    for batch in (pixels, pixels[:1]):
        with torch.inference_mode():
            expected = loupe.model(pixel_values=batch).logits.numpy()
        got = session.run(["logits"], {"pixel_values": batch.numpy()})[0]
        assert got.shape == (len(batch), 3) and np.abs(got - expected).max() <= 1e-4

    readme = (out / "README.md").read_text()
    assert "softmax" in readme and "pixel_values" in readme and "| 2 | blue |" in readme
    assert f"{IMAGE_SIZE} × {IMAGE_SIZE}" in readme and "1/255" in readme and "onnxruntime" in readme


@pytest.mark.parametrize("backbone", ["vit", "resnet"])
def test_the_dynamo_exporter_matches_too(trained, tmp_path, backbone):
    """The exporter tried when the TorchScript one fails gives the same file's worth on its own."""
    path, _, runs = trained
    with Project.open(path, read_only=True) as project:
        report = export_onnx(project, tmp_path / "onnx", runs[backbone, "lora"], exporters=("dynamo",))
    assert report.details["exporter"] == "dynamo" and report.details["max_abs_difference"] <= 1e-4
    session = onnxruntime.InferenceSession(str(tmp_path / "onnx" / "model.onnx"), providers=["CPUExecutionProvider"])
    pixels = np.random.default_rng(0).normal(size=(4, 3, IMAGE_SIZE, IMAGE_SIZE)).astype(np.float32)
    assert session.run(["logits"], {"pixel_values": pixels})[0].shape == (4, 3)


@pytest.mark.parametrize("backbone,method", [("vit", "lora"), ("resnet", "linear"), ("resnet", "lora")])
def test_hf_folder_loads_with_plain_transformers_to_loupes_predictions(trained, tmp_path, backbone, method):
    """The ViT keeps its own processor; the ResNet had none, so one is built from the run's settings."""
    path, images, runs = trained
    out = tmp_path / "hf"
    with Project.open(path, read_only=True) as project:
        report = export_hf(project, out, runs[backbone, method], on_progress=lambda event: None)
        loupe = classify_files(project, [images], runs[backbone, method], device="cpu", top_k=3)
    names = {p.name for p in out.iterdir()}
    assert names == {"config.json", "model.safetensors", "preprocessor_config.json", "README.md"}  # merged: no adapter
    assert sorted(report.files) == sorted(str(out / n) for n in names)

    model = AutoModelForImageClassification.from_pretrained(out, use_safetensors=True).eval()
    processor = AutoImageProcessor.from_pretrained(out)
    assert model.config.id2label == dict(enumerate(CLASSES)) and model.config.label2id == {
        n: i for i, n in enumerate(CLASSES)
    }
    assert not any("lora" in key for key in model.state_dict())
    files = image_files(images)
    inputs = processor(images=[Image.open(f).convert("RGB") for f in files], return_tensors="pt")
    with torch.inference_mode():
        probabilities = torch.softmax(model(**inputs).logits, dim=1)
    by_path = {Path(p.path): p for p in loupe.predictions}
    assert len(by_path) == len(files) == 18
    for f, row in zip(files, probabilities):
        prediction = by_path[f]
        assert model.config.id2label[int(row.argmax())] == prediction.label
        for _, name, probability in prediction.top:
            assert abs(float(row[CLASSES.index(name)]) - probability) <= 1e-4

    readme = (out / "README.md").read_text()
    assert f"run {runs[backbone, method]}" in readme and method.lower() in readme.lower()
    assert "Validation accuracy" in readme and "AutoModelForImageClassification" in readme


def test_an_onnx_file_that_does_not_match_is_not_handed_over(trained, tmp_path, monkeypatch):
    """Any difference above the limit fails the export (here: a limit no float meets) with a
    message, and nothing is left: neither the folder asked for nor a temporary one beside it."""
    import app.core.export.models as model_export

    path, _, runs = trained
    monkeypatch.setattr(model_export, "ONNX_TOLERANCE", -1.0)
    with Project.open(path, read_only=True) as project, pytest.raises(LoupeError, match="differ from PyTorch's by"):
        export_onnx(project, tmp_path / "onnx", runs["resnet", "lora"])
    assert list(tmp_path.iterdir()) == []


def test_refusals_and_a_stop_leave_nothing(trained, tmp_path):
    path, _, runs = trained
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with Project.open(path, read_only=True) as project:
        with pytest.raises(ConfigError, match="not an empty folder"):
            export_hf(project, busy, runs["vit", "linear"])
        with pytest.raises(LoupeError, match="no run is active"):
            export_onnx(project, tmp_path / "none")
        with pytest.raises(LoupeError, match="no run 99"):
            export_hf(project, tmp_path / "none", 99)
        with pytest.raises(Cancelled):
            export_onnx(project, tmp_path / "stopped", runs["vit", "linear"], should_stop=lambda: True)
        empty = tmp_path / "empty"
        empty.mkdir()
        export_hf(project, empty, runs["vit", "linear"])  # an empty folder is taken
    assert sorted(p.name for p in tmp_path.iterdir()) == ["busy", "empty"]
    assert [p.name for p in busy.iterdir()] == ["keep.txt"] and (empty / "model.safetensors").is_file()
