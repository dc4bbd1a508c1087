"""What a run must never do, and what it must always keep: an unreadable image skips, never
fails a run; a run never overwrites another's model; nothing half-written is left behind; a
linear probe gives the same result from a cold or a warm feature cache; continuing from an
earlier run keeps what it learned, also when classes were added since."""

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
import torch

from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import image_settings, load_image_processor
from app.core.training.data import ImageDataset, build_transforms, collect_training_set
from app.core.training.embeddings import EmbeddingCache, compute_embeddings
from app.core.training.heads import head_linear
from app.core.training.runs import get_run, list_runs, run_metrics
from app.core.training.saved_models import load_run_model, starting_point
from app.core.training.trainer import RunResult
from tests.tiny_models import make_colour_project


def fit(project_path, model, method="linear", **overrides) -> RunResult:
    values = dict(model=str(model), method=method, epochs=3, batch_size=8, lr=1e-2, workers=0, device="cpu", patience=0)
    values.update(overrides)
    with Project.open(project_path) as project:
        return train(project, TrainConfig(**values))


def image_path(project_path, image_id):
    with Project.open(project_path, read_only=True) as project:
        stored = project.conn.execute("SELECT path FROM images WHERE id = ?", (image_id,)).fetchone()[0]
        return project.resolve_path(stored)


@pytest.mark.parametrize("method", ["full", "linear"])
def test_unreadable_images_are_skipped_named_and_marked_missing(colour_project, tiny_vit, method):
    gone, damaged = image_path(colour_project, 1), image_path(colour_project, 30)
    gone.unlink()
    damaged.write_bytes(damaged.read_bytes()[:60])  # a truncated PNG
    result = fit(colour_project, tiny_vit, method, workers=2)  # the default: decoded in worker processes
    assert result.status == "done", result
    assert any(str(gone) in notice and "file not found" in notice for notice in result.notices)
    assert any(str(damaged) in notice and "truncated" in notice for notice in result.notices)
    with Project.open(colour_project, read_only=True) as project:
        status = dict(project.conn.execute("SELECT id, status FROM images").fetchall())
        assert status[1] == status[30] == "missing" and list(status.values()).count("missing") == 2
        assert get_run(project, result.run).notices == result.notices
        used = {
            row[0] for row in project.conn.execute("SELECT image_id FROM run_labels WHERE run_id = ?", (result.run,))
        }
        assert 1 not in used and len(used) == 59  # a missing file is left out before the run starts


def test_an_unreadable_image_in_a_worker_is_one_line_in_the_terminal(colour_project, tiny_vit):
    damaged = image_path(colour_project, 5)
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "train",
            str(colour_project),
            "--model",
            str(tiny_vit),
            "--method",
            "full",
            "--epochs",
            "1",
            "--device",
            "cpu",
            "--workers",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "DataLoader worker" not in result.stderr
    notices = json.loads(result.stdout)["notices"]
    assert len(notices) == 1 and str(damaged) in notices[0]


def test_a_linear_probe_is_the_same_from_a_cold_or_a_warm_feature_cache(colour_project, tiny_vit_dropout):
    runs = [fit(colour_project, tiny_vit_dropout, epochs=4) for _ in range(2)]  # cold, then warm
    with Project.open(colour_project) as project:
        curves = [[v for _, _, v in run_metrics(project, r.run, "val_loss")] for r in runs]
        losses = [[v for _, _, v in run_metrics(project, r.run, "train_loss")] for r in runs]
    assert runs[0].accuracy == runs[1].accuracy
    assert curves[0] == pytest.approx(curves[1], abs=1e-6) and losses[0] == pytest.approx(losses[1], abs=1e-6)


def test_cached_features_equal_freshly_computed_ones(colour_project, tiny_vit_dropout):
    result = fit(colour_project, tiny_vit_dropout, epochs=1)
    with Project.open(colour_project) as project:
        items = collect_training_set(project, 0.2, 0).items
        start = starting_point(project, str(tiny_vit_dropout), None, [(1, "a"), (2, "b"), (3, "c")])
        cache = EmbeddingCache(project.paths.cache_dir)
        (key,) = {row[0] for row in cache.conn.execute("SELECT backbone FROM embeddings")}
        cached = cache.get_many(key, [item.sha256 for item in items])
        cache.close()
    settings = image_settings(load_image_processor(str(tiny_vit_dropout)), start.model.config, None)
    _, eval_tf = build_transforms(settings, False, False)
    dataset = ImageDataset(items, eval_tf, settings.size)
    batch = [dataset[i] for i in range(7)]  # another batch size than training used
    inputs = torch.stack([s.pixels for s in batch])
    fresh = compute_embeddings(
        start.model, [(inputs, None, torch.tensor([s.image_id for s in batch]))], torch.device("cpu")
    )
    by_id = {item.image_id: item.sha256 for item in items}
    assert result.status == "done" and len(cached) == 60
    for image_id, vector in fresh.items():
        assert np.allclose(vector, cached[by_id[image_id]], atol=1e-5)
    assert not head_linear(start.model)._forward_pre_hooks  # the feature hook is gone


def test_continuing_with_new_classes_keeps_the_old_rows_of_the_head(tmp_path, tiny_vit):
    path = make_colour_project(tmp_path, per_class=12)
    with Project.open(path) as project:  # first only red and green are labelled
        blue = project.conn.execute("SELECT id FROM classes WHERE name = 'blue'").fetchone()[0]
        blue_images = [r[0] for r in project.conn.execute("SELECT image_id FROM labels WHERE class_id = ?", (blue,))]
        label_images(project, blue_images, None)
    first = fit(path, tiny_vit, "lora", lr=5e-3)
    with Project.open(path) as project:
        label_images(project, blue_images, blue)
        classes = [tuple(row) for row in project.conn.execute("SELECT id, name FROM classes ORDER BY position")]
        earlier = load_run_model(project, get_run(project, first.run))
        continued = starting_point(project, "ignored", first.run, classes).model
    old, new = head_linear(earlier), head_linear(continued)
    assert new.out_features == 3 and continued.config.id2label == {0: "red", 1: "green", 2: "blue"}
    assert torch.equal(new.weight[:2], old.weight) and torch.equal(new.bias[:2], old.bias)
    assert not torch.equal(new.weight[2], torch.zeros_like(new.weight[2]))

    leftovers = set(Path(tempfile.gettempdir()).glob("loupe-*"))
    second = fit(path, tiny_vit, "lora", lr=5e-3, init_from=first.run)
    third = fit(path, tiny_vit, "bitfit", init_from=second.run)  # a chain: each loads the one before
    assert second.status == third.status == "done"
    assert set(Path(tempfile.gettempdir()).glob("loupe-*")) == leftovers  # no temporary models
    with Project.open(path, read_only=True) as project:
        run = get_run(project, third.run)
        model = load_run_model(project, run)
        assert run.model_ref == str(tiny_vit) and model.config.num_labels == 3


def test_a_run_never_overwrites_another_runs_model_after_a_restore(colour_project, tiny_vit):
    first = fit(colour_project, tiny_vit)
    backup = colour_project.with_name("backup.loupe")
    shutil.copy(colour_project, backup)
    second = fit(colour_project, tiny_vit, method="full", epochs=1)
    files = {p.name: p.read_bytes() for p in Path(second.model_dir).iterdir()}
    shutil.copy(backup, colour_project)  # the user restores the older copy: run ids start again at 2
    for suffix in ("-wal", "-shm"):
        colour_project.with_name(colour_project.name + suffix).unlink(missing_ok=True)
    third = fit(colour_project, tiny_vit, epochs=1)
    assert third.run == second.run == 2 and third.model_dir != second.model_dir
    assert {p.name: p.read_bytes() for p in Path(second.model_dir).iterdir()} == files
    assert first.model_dir not in (second.model_dir, third.model_dir)


def test_any_command_that_opens_the_project_cleans_up_after_a_killed_run(colour_project):
    with Project.open(colour_project) as project:
        project.conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes) VALUES "
            "('running', 'x', 'full', 0, ?, '[]')",
            (TrainConfig().to_json(),),
        )
        project.conn.commit()
        partial = project.paths.models_dir / "run-1-0a1b2c3d.k2j3.partial"
        (partial / "sub").mkdir(parents=True)
        (partial / "model.safetensors").write_bytes(b"half")
    result = subprocess.run([sys.executable, "-m", "app", "info", str(colour_project)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert not partial.exists()
    with Project.open(colour_project, read_only=True) as project:
        run = list_runs(project)[0]
        assert run.status == "failed" and "interrupted" in run.message


def test_the_config_names_every_problem_in_one_place():
    assert TrainConfig().problems() == []
    bad = TrainConfig(
        method="magic", epochs=0, val_fraction=1.5, lr=-1.0, device="tpu", lora_rank=0, warmup_fraction=1.0
    )
    problems = bad.problems()
    assert len(problems) == 7
    assert "unknown method 'magic'; choose linear, bitfit, ia3, lora, dora, adalora, loha, lokr, full" in problems
    assert "val-fraction must be above 0 and below 1 (got 1.5)" in problems
    assert "warmup-fraction must be below 1 (got 1)" in problems


def test_pillow_keeps_its_own_bomb_guard_and_loupe_applies_its_limit_per_call():
    import io

    from PIL import Image

    from app.core.errors import ImageError
    from app.core.imaging import DecodeOptions, pillow_decoder
    from tests.synthetic import png_bomb_header

    default = int(1024 * 1024 * 1024 // 4 // 3)
    assert Image.MAX_IMAGE_PIXELS == default  # untouched: the rest of the process stays protected
    big = png_bomb_header(15000, 13000)  # 195 MP: Pillow refuses it (> 2 × its limit), Loupe's limit is 250 MP
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(big))
    assert pillow_decoder._open(io.BytesIO(big), "png", DecodeOptions()).size == (15000, 13000)
    with pytest.raises(ImageError, match="above the 100-megapixel limit"):
        pillow_decoder._open(io.BytesIO(big), "png", DecodeOptions(max_pixels=100_000_000))


def test_a_class_whose_files_are_all_gone_is_left_out_of_the_run(colour_project, tiny_vit):
    with Project.open(colour_project, read_only=True) as project:
        blue = [
            project.resolve_path(p)
            for (p,) in project.conn.execute(
                "SELECT i.path FROM images i JOIN labels l ON l.image_id = i.id JOIN classes c ON c.id = l.class_id"
                " WHERE c.name = 'blue'"
            )
        ]
    for path in blue:
        path.unlink()
    result = fit(colour_project, tiny_vit, "full", lr=2e-3)
    with Project.open(colour_project, read_only=True) as project:
        run = get_run(project, result.run)
        model = load_run_model(project, run)
    assert result.status == "done" and [c["name"] for c in run.classes] == ["red", "green"]
    assert model.config.num_labels == 2 and len(run.report["classes"]) == 2
    assert result.macro_f1 == pytest.approx(np.mean([c["f1"] for c in run.report["classes"]]))
    assert len(result.notices) == 20


def test_a_run_whose_validation_images_are_all_unreadable_keeps_a_model_without_scores(colour_project, tiny_vit):
    with Project.open(colour_project) as project:
        items = collect_training_set(project, 0.2, 0).split("val")
    for item in items:
        item.path.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    result = fit(colour_project, tiny_vit, "full", lr=2e-3)
    assert result.status == "done" and result.model_dir and result.accuracy is None
    assert any("No validation image could be read" in n for n in result.notices)


def test_a_validation_loss_that_is_not_a_number_fails_the_run(colour_project, tiny_vit):
    def poison(step, batch_size, module):
        if step == 6:  # the last step of the first epoch: the weights the epoch ends with are NaN
            with torch.no_grad():
                for parameter in module.parameters():
                    parameter.fill_(float("nan"))

    with Project.open(colour_project) as project:
        result = train(
            project,
            TrainConfig(
                model=str(tiny_vit), method="full", epochs=3, batch_size=8, workers=0, device="cpu", max_nonfinite=100
            ),
            before_step=poison,
        )
        run = get_run(project, result.run)
    assert result.status == run.status == "failed" and "validation loss is not a finite number" in run.message
    assert run.model_dir is None


def test_continuing_a_linear_probe_starts_from_the_earlier_head(colour_project, tiny_vit):
    first = fit(colour_project, tiny_vit, "full", lr=2e-3, epochs=4)
    second = fit(colour_project, tiny_vit, "linear", lr=1e-9, epochs=1, init_from=first.run)  # barely moves
    assert first.accuracy >= 0.9 and second.accuracy == pytest.approx(first.accuracy, abs=0.1)


def test_a_model_folder_given_relative_to_the_working_folder_still_loads_from_elsewhere(colour_project, tiny_vit):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "app",
            "train",
            str(colour_project),
            "--model",
            tiny_vit.name,
            "--method",
            "lora",
            "--epochs",
            "1",
            "--workers",
            "0",
            "--device",
            "cpu",
            "--json",
        ],
        capture_output=True,
        text=True,
        cwd=tiny_vit.parent,
        env={**__import__("os").environ, "PYTHONPATH": str(Path.cwd())},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    with Project.open(colour_project, read_only=True) as project:  # this process works elsewhere
        run = get_run(project, json.loads(result.stdout)["run"])
        assert run.model_ref == str(tiny_vit.resolve())
        assert load_run_model(project, run).config.num_labels == 3


def test_a_failure_while_recording_leaves_no_model_folder(colour_project, tiny_vit):
    from app.core.training.methods import get_method
    from app.core.training.trainer import _save_model

    start = starting_point(None, str(tiny_vit), None, [(1, "a"), (2, "b")])

    class Prepared:  # what a method's save needs: the model
        model = start.model

    def record(folder, cost):
        raise OSError("disk full")

    with Project.open(colour_project) as project, pytest.raises(OSError, match="disk full"):
        _save_model(project, 1, get_method("full"), Prepared, start, lambda folder: {}, record)
    assert list((colour_project.parent / "train.loupe-models").iterdir()) == []
