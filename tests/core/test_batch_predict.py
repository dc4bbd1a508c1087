"""Batch prediction of files and folders (predict.classify_files and what it runs on): folders
expand as the importer finds images, every file comes back in order (unreadable ones with their
reason), top-k is sorted, flip TTA is the mean of an image and its mirror, cancel stops and leaves
no thread, decoding stays a few batches ahead, and every training method's run predicts."""

from __future__ import annotations

import csv
import threading
import time
import warnings
from pathlib import Path

import pytest
from PIL import Image

from app.core.errors import Cancelled, LoupeError
from app.core.imaging import DecodeOptions
from app.core.inference.decode_queue import decoded_batches
from app.core.inference.predict import classify_files, expand_inputs, predicted_batches, write_predictions_csv
from app.core.inference.run_model import BatchPlan, load_run_model
from app.core.labelling.classes import create_project
from app.core.project.store import Project
from tests import synthetic
from tests.predict_runs import new_images, project_copy, trained_project


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """(project file, {method: run}) with a linear run (active) and a LoRA run of a tiny ViT."""
    return trained_project(tmp_path_factory.mktemp("predict"), ("linear", "lora"))


@pytest.fixture
def images(tmp_path) -> list[Path]:
    return new_images(tmp_path / "new")


def _loupe_threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name.startswith(("loupe-decode", "loupe-model"))]


def test_folders_expand_to_image_files_recursively_as_the_importer_finds_them(tmp_path):
    root = tmp_path / "in"
    synthetic.save(synthetic.random_rgb(seed=1), root / "b.png")
    synthetic.save(synthetic.random_rgb(seed=2), root / "a.jpg")
    synthetic.save(synthetic.random_rgb(seed=3), root / "deep" / "er" / "c.tif")
    synthetic.save(synthetic.random_rgb(seed=4), root / "no-extension", "PNG")  # found by its content
    synthetic.save(synthetic.random_rgb(seed=5), root / ".hidden.png")
    synthetic.save(synthetic.random_rgb(seed=6), root / ".thumbs" / "d.png")
    synthetic.save(synthetic.random_rgb(seed=7), root / "p.loupe-cache" / "e.png")
    (root / "notes.txt").write_text("not an image")
    named = tmp_path / "named.txt"
    named.write_text("named explicitly: kept, the decoder will say why it cannot be read")

    files, rejected = expand_inputs([root, named, tmp_path / "missing"])

    assert files == [root / "a.jpg", root / "b.png", root / "no-extension", root / "deep" / "er" / "c.tif", named]
    assert rejected == [{"path": str(tmp_path / "missing"), "reason": "no such file or folder"}]


def test_every_file_comes_back_in_order_with_sorted_consistent_top_k(trained, images, tmp_path):
    path, runs = trained
    broken = tmp_path / "new" / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    inputs = [images[0], broken, tmp_path / "missing.png", *images[1:]]
    with Project.open(path, read_only=True) as project:  # predicting writes nothing
        result = classify_files(project, inputs, device="cpu", top_k=3)
    assert result.run_id == runs["linear"] and not result.cancelled  # the active run
    assert [p.path for p in result.predictions] == [str(p) for p in inputs]
    failed = {p.path: p.reason for p in result.predictions if p.class_id is None}
    assert set(failed) == {str(broken), str(tmp_path / "missing.png")}
    assert all(failed.values()) and failed[str(tmp_path / "missing.png")] == "no such file or folder"
    good = [p for p in result.predictions if p.class_id is not None]
    assert len(good) == len(images)
    for p in good:
        assert len(p.top) == 3 and p.top[0] == (p.class_id, p.label, p.confidence) and not p.reason
        probabilities = [prob for _, _, prob in p.top]
        assert probabilities == sorted(probabilities, reverse=True) and sum(probabilities) == pytest.approx(1, abs=1e-5)
        assert {name for _, name, _ in p.top} == {"red", "green", "blue"}
    assert sum(p.label in Path(p.path).name for p in good) >= 7  # the run learned the colours
    with Project.open(path, read_only=True) as project:
        one = classify_files(project, images, device="cpu", top_k=1).predictions
        many = classify_files(project, images, device="cpu", top_k=10).predictions
    assert all(len(p.top) == 1 for p in one) and all(len(p.top) == 3 for p in many)
    assert [p.top[0] for p in one] == [p.top[0] for p in good]


def test_a_folder_is_classified_with_a_named_run_and_no_run_is_an_error(trained, images, tmp_path):
    path, runs = trained
    with Project.open(path, read_only=True) as project:
        result = classify_files(project, [images[0].parent], run_id=runs["lora"], device="cpu")
    assert result.run_id == runs["lora"]  # a LoRA run (adapter folder) predicts too
    assert sorted(p.path for p in result.predictions) == sorted(str(p) for p in images)
    assert all(p.class_id is not None and 0 < p.confidence <= 1 for p in result.predictions)
    with create_project(tmp_path / "empty.loupe", classes=["a", "b"]) as empty:
        with pytest.raises(LoupeError, match="no run is active"):
            classify_files(empty, images, device="cpu")


def test_tta_is_the_mean_of_the_image_and_its_mirror(trained, images, tmp_path):
    path, _ = trained
    mirrors = []
    for image in images:
        mirror = tmp_path / "mirror" / image.name
        mirror.parent.mkdir(exist_ok=True)
        Image.open(image).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(mirror)
        mirrors.append(mirror)
    with Project.open(path, read_only=True) as project:
        plain = classify_files(project, images + mirrors, device="cpu", top_k=3).predictions
        tta = classify_files(project, images, device="cpu", top_k=3, tta=True).predictions
    for k, p in enumerate(tta):
        original, mirrored = (
            dict((c, q) for c, _, q in plain[k].top),
            dict((c, q) for c, _, q in plain[k + len(images)].top),
        )
        assert {c: q for c, _, q in p.top} == pytest.approx(
            {c: (original[c] + mirrored[c]) / 2 for c in original}, abs=1e-5
        )
        assert original != pytest.approx(mirrored, rel=0.05)  # the mirror is a different input to this model


def test_cancel_keeps_what_was_classified_and_leaves_no_thread(trained, tmp_path):
    path, _ = trained
    files = new_images(tmp_path / "many", per_colour=30)
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 2  # two batches may start, then stop

    with Project.open(path, read_only=True) as project:
        result = classify_files(project, files, device="cpu", should_stop=should_stop)
    assert result.cancelled and 0 < len(result.predictions) < len(files)
    assert [p.path for p in result.predictions] == [str(f) for f in files[: len(result.predictions)]]
    assert all(p.class_id is not None for p in result.predictions)
    assert _loupe_threads() == []


def test_parallel_forward_passes_give_the_numbers_of_one(trained, images):
    path, _ = trained
    with Project.open(path, read_only=True) as project:
        run_model = load_run_model(project, 1, "cpu")
        serial = [
            p for _, made in predicted_batches(run_model, images * 3, plan=BatchPlan(32, 1, 1, 0)) for _, p in made
        ]
        spread = [
            p for _, made in predicted_batches(run_model, images * 3, plan=BatchPlan(2, 3, 2, 1)) for _, p in made
        ]
    assert [p.path for p in spread] == [p.path for p in serial]
    for a, b in zip(serial, spread):
        assert [(c, n) for c, n, _ in a.top] == [(c, n) for c, n, _ in b.top]
        assert [q for _, _, q in a.top] == pytest.approx([q for _, _, q in b.top], abs=1e-5)
    assert _loupe_threads() == []


def test_decoding_stays_a_few_batches_ahead_of_the_model(tmp_path):
    files = [synthetic.save(synthetic.random_rgb(16, 16, seed=i), tmp_path / f"{i:03}.png") for i in range(200)]
    decoded = []

    def transform(image):
        decoded.append(1)
        return __import__("torch").zeros(3, 4, 4)

    batches = decoded_batches(files, transform, DecodeOptions(), batch_size=10, workers=4, ahead=2)
    first = next(batches)
    time.sleep(0.3)  # the model is slow: the decoders must wait for it, not run through every file
    assert first.rows == list(range(10)) and first.done == 10
    assert len(decoded) <= 30  # the batch in use and the two queued behind it (`ahead`), nothing more
    rest = list(batches)
    assert [b.done for b in rest] == list(range(20, 201, 10)) and len(decoded) == 200
    assert _loupe_threads() == []


def test_stopping_the_decoding_raises_and_leaves_no_thread(tmp_path):
    files = [synthetic.save(synthetic.random_rgb(16, 16, seed=i), tmp_path / f"{i:03}.png") for i in range(60)]
    asked = []
    with pytest.raises(Cancelled, match="enough"):
        for _ in decoded_batches(
            files,
            lambda image: __import__("torch").zeros(1),
            DecodeOptions(),
            batch_size=10,
            should_stop=lambda: bool(asked.append(1)) or len(asked) > 1,
            stopped="enough",
        ):
            pass
    assert len(asked) == 2 and _loupe_threads() == []
    abandoned = decoded_batches(files, lambda image: __import__("torch").zeros(1), DecodeOptions(), batch_size=10)
    next(abandoned)
    abandoned.close()  # a caller that stops iterating: the generator's pool is shut down too
    assert _loupe_threads() == []


def test_the_csv_has_absolute_paths_top_k_columns_and_errors(trained, images, tmp_path, monkeypatch):
    path, _ = trained
    monkeypatch.chdir(tmp_path)
    with Project.open(path, read_only=True) as project:
        predictions = classify_files(
            project, [Path("new") / images[0].name, Path("nothing.png")], device="cpu"
        ).predictions
    out = tmp_path / "out" / "predictions.csv"
    write_predictions_csv(predictions, out, top_k=3)
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "path",
        "class",
        "confidence",
        "top_2_class",
        "top_2_probability",
        "top_3_class",
        "top_3_probability",
        "error",
    ]
    assert rows[0]["path"] == str(images[0]) and rows[0]["class"] == predictions[0].label
    assert float(rows[0]["confidence"]) == pytest.approx(predictions[0].confidence, abs=1e-6)
    assert rows[0]["top_3_class"] == predictions[0].top[2][1] and rows[0]["error"] == ""
    assert rows[1] == {
        **{key: "" for key in rows[1]},
        "path": str(tmp_path / "nothing.png"),
        "error": "no such file or folder",
    }
    assert not (out.parent / "predictions.csv.partial").exists()


def test_batch_norms_fold_into_their_convolutions_with_the_same_outputs(tmp_path):
    import torch
    from transformers import AutoModelForImageClassification

    from app.core.inference.run_model import RunModel, fold_batch_norms
    from tests.tiny_models import IMAGE_SIZE, save_tiny_resnet

    model = AutoModelForImageClassification.from_pretrained(save_tiny_resnet(tmp_path / "resnet")).eval()
    for module in model.modules():  # trained-looking statistics, so that folding has something to do
        if isinstance(module, torch.nn.BatchNorm2d):
            (
                module.running_mean.uniform_(-0.5, 0.5),
                module.running_var.uniform_(0.5, 2.0),
                module.weight.data.uniform_(0.5, 1.5),
            )
    x = torch.rand(4, 3, IMAGE_SIZE, IMAGE_SIZE, generator=torch.Generator().manual_seed(1))
    with torch.inference_mode():
        before = model(pixel_values=x).logits
    norms = sum(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    assert fold_batch_norms(RunModel(model, None, [], torch.device("cpu"), IMAGE_SIZE)) == norms > 0
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in model.modules())
    with torch.inference_mode():
        assert torch.allclose(model(pixel_values=x).logits, before, atol=1e-5)


def test_a_norm_registered_after_a_convolution_but_used_before_it_is_left_alone():
    from types import SimpleNamespace

    import torch

    from app.core.inference.run_model import RunModel, fold_batch_norms

    class NormThenConv(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 3, 3)
            self.norm = torch.nn.BatchNorm2d(3)
            self.norm.running_mean.fill_(0.7)

        def forward(self, pixel_values):
            return SimpleNamespace(logits=self.conv(self.norm(pixel_values)).mean(dim=(2, 3)))

    model = NormThenConv().eval()
    assert fold_batch_norms(RunModel(model, None, [], torch.device("cpu"), 8)) == 0
    assert isinstance(model.norm, torch.nn.BatchNorm2d) and isinstance(model.conv, torch.nn.Conv2d)


# -- The onnxruntime engine of CPU jobs ---------------------------------------------------------


@pytest.fixture
def no_onnx_cache(trained):
    """The shared project's ONNX cache removed after the test (other tests see torch-only jobs)."""
    import shutil

    yield
    shutil.rmtree(trained[0].with_name(trained[0].name + "-cache") / "onnx", ignore_errors=True)


def _predictions(run_model, files, tta=False, plan=BatchPlan(2, 2, 2, 1, "onnxruntime")):
    return [p for _, made in predicted_batches(run_model, files, top_k=3, tta=tta, plan=plan) for _, p in made]


def _same(a, b, tolerance=1e-4) -> None:
    assert [p.path for p in a] == [p.path for p in b]
    for x, y in zip(a, b):
        assert x.class_id == y.class_id and [(c, n) for c, n, _ in x.top] == [(c, n) for c, n, _ in y.top]
        assert [q for _, _, q in x.top] == pytest.approx([q for _, _, q in y.top], abs=tolerance)


def test_the_onnxruntime_engine_predicts_as_the_torch_model_and_its_export_is_cached(
    trained, images, caplog, no_onnx_cache, monkeypatch
):
    import logging

    from app.core.export import models as model_export
    from app.core.inference.engines import onnx_cache_file, use_engine
    from app.core.inference.run_model import BATCH_PLANS, fold_batch_norms
    from app.core.training.runs import get_run

    assert BATCH_PLANS["cpu"](2).engine == "onnxruntime" and BATCH_PLANS["cuda"](2).engine == "torch"
    path, runs = trained
    caplog.set_level(logging.INFO, logger="app.core.inference.engines")
    with Project.open(path, read_only=True) as project:
        run_model = load_run_model(project, runs["linear"], "cpu")
        fold_batch_norms(run_model)
        torch_plain, torch_tta = _predictions(run_model, images), _predictions(run_model, images, tta=True)
        cached = onnx_cache_file(project, get_run(project, runs["linear"]))
        # A small job exports nothing while nothing is cached (the export would cost more than it saves).
        assert use_engine(run_model, project, runs["linear"], files=len(images)) == "torch" and not cached.exists()
        assert use_engine(run_model, project, runs["linear"], files=len(images), min_files=0) == "onnxruntime"
        assert cached.is_file() and [p.name for p in cached.parent.iterdir()] == [cached.name]  # no partial left
        onnx_plain, onnx_tta = _predictions(run_model, images), _predictions(run_model, images, tta=True)
        assert run_model.engine is not None and run_model.engine.checked  # matched torch on the first batch
        _same(onnx_plain, torch_plain)
        _same(onnx_tta, torch_tta)
        # The second job reuses the file: no exporter runs (one that would fail proves it), nothing rewritten.
        written = cached.stat().st_mtime_ns
        monkeypatch.setitem(model_export.ONNX_EXPORTERS, "torchscript", _broken_exporter)
        caplog.clear()
        result = classify_files(project, images, run_id=runs["linear"], device="cpu")
        assert cached.stat().st_mtime_ns == written
    assert any("with onnxruntime" in r.getMessage() and str(cached) in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    _same(result.predictions, torch_plain)
    assert _loupe_threads() == []


def _linear_run_in_torch(project, runs, images):
    """The linear run's model, its torch predictions of `images` (one plain batch), and where
    its ONNX file is cached."""
    from app.core.inference.engines import onnx_cache_file
    from app.core.training.runs import get_run

    run_model = load_run_model(project, runs["linear"], "cpu")
    expected = _predictions(run_model, images, plan=BatchPlan(32, 1, 1, 0))
    return run_model, expected, onnx_cache_file(project, get_run(project, runs["linear"]))


def _broken_exporter(module, example, path, external):
    raise RuntimeError("the exporter broke")


def test_a_failed_export_or_a_different_onnx_file_falls_back_to_torch_and_says_so(
    trained, images, caplog, no_onnx_cache, monkeypatch
):
    import logging
    import shutil

    from app.core.export import models as model_export
    from app.core.inference.engines import use_engine

    path, runs = trained
    caplog.set_level(logging.INFO, logger="app.core.inference.engines")
    with Project.open(path, read_only=True) as project:
        run_model, expected, cached = _linear_run_in_torch(project, runs, images)
        with monkeypatch.context() as patch:
            patch.setitem(model_export.ONNX_EXPORTERS, "torchscript", _broken_exporter)
            assert use_engine(run_model, project, runs["linear"], files=1000) == "torch"
        assert run_model.engine is None and not cached.exists() and not list(cached.parent.iterdir())
        assert any(r.levelno == logging.WARNING and "the exporter broke" in r.getMessage() for r in caplog.records)
        _same(_predictions(run_model, images), expected, tolerance=1e-6)

        # The LoRA run's file under the linear run's name: another model, caught on the first batch.
        lora_model = load_run_model(project, runs["lora"], "cpu")
        assert use_engine(lora_model, project, runs["lora"], files=len(images), min_files=0) == "onnxruntime"
        shutil.copyfile(lora_model.engine.path, cached)
        caplog.clear()
        assert use_engine(run_model, project, runs["linear"], files=len(images)) == "onnxruntime"
        _same(_predictions(run_model, images), expected, tolerance=1e-6)
    assert run_model.engine is None
    assert any(r.levelno == logging.WARNING and "differ from PyTorch's" in r.getMessage() for r in caplog.records)


def test_a_job_on_the_onnxruntime_engine_stops_as_a_torch_job_does(trained, tmp_path, no_onnx_cache):
    from app.core.inference.engines import use_engine

    path, runs = trained
    files = new_images(tmp_path / "many", per_colour=10)
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 3

    with Project.open(path, read_only=True) as project:
        run_model = load_run_model(project, runs["linear"], "cpu")
        assert use_engine(run_model, project, runs["linear"], files=len(files), min_files=0) == "onnxruntime"
        made, plan = [], BatchPlan(2, 2, 2, 1, "onnxruntime")
        with pytest.raises(Cancelled):
            for _, batch in predicted_batches(run_model, files, should_stop=should_stop, plan=plan):
                made += batch
    assert run_model.engine is not None and run_model.engine.checked  # it ran the batches, torch did not take over
    assert 0 < len(made) < len(files) and [row for row, _ in made] == list(range(len(made)))
    assert all(p.class_id is not None for _, p in made) and _loupe_threads() == []


def _two_class_onnx(path: Path) -> None:
    """An ONNX file of the right inputs and outputs, but 2 logits per image: another run's model."""
    import torch

    class TwoLogits(torch.nn.Module):
        def forward(self, pixel_values):
            return pixel_values.mean(dim=(2, 3))[:, :2]

    with warnings.catch_warnings():  # the TorchScript exporter's own deprecation notice
        warnings.simplefilter("ignore")
        torch.onnx.export(
            TwoLogits(),
            (torch.zeros(2, 3, 8, 8),),
            str(path),
            input_names=["pixel_values"],
            output_names=["logits"],
            dynamo=False,
            dynamic_axes={"pixel_values": {0: "batch"}, "logits": {0: "batch"}},
        )


@pytest.mark.parametrize("stale", ["another class count", "garbage bytes"])
def test_a_stale_or_broken_cached_onnx_file_is_made_again(trained, images, caplog, no_onnx_cache, stale):
    import logging

    from app.core.inference.engines import use_engine

    path, runs = trained
    caplog.set_level(logging.INFO, logger="app.core.inference.engines")
    with Project.open(path, read_only=True) as project:
        run_model, expected, cached = _linear_run_in_torch(project, runs, images)
        cached.parent.mkdir(parents=True, exist_ok=True)
        if stale == "garbage bytes":
            cached.write_bytes(b"\x08\x07not an onnx file" * 10)
        else:
            _two_class_onnx(cached)
        assert use_engine(run_model, project, runs["linear"], files=len(images)) == "onnxruntime"
        _same(_predictions(run_model, images), expected)  # no "size of tensor a (2) must match…"
        assert run_model.engine is not None and run_model.engine.checked
        session_outputs = run_model.engine.session.get_outputs()
        assert session_outputs[0].shape[-1] == 3  # exported again from the run's own model
    assert any(r.levelno == logging.WARNING and "exporting it again" in r.getMessage() for r in caplog.records)


def test_the_onnx_cache_follows_the_models_content_not_its_dates(trained, tmp_path):
    import os

    from app.core.inference.engines import onnx_cache_file
    from app.core.training.runs import get_run
    from app.core.training.saved_models import run_folder

    copy = project_copy(trained[0], tmp_path / "copy")
    with Project.open(copy, read_only=True) as project:
        run = get_run(project, trained[1]["linear"])
        before = onnx_cache_file(project, run)
        folder = run_folder(project, run)
        for file in folder.rglob("*"):
            os.utime(file, ns=(1, 1))  # copied, restored from a backup: same content, other dates
        assert onnx_cache_file(project, run) == before
        config = folder / "config.json"
        config.write_text(config.read_text().replace("{", '{"edited": true, ', 1))
        assert onnx_cache_file(project, run) != before
