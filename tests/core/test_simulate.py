"""Scoring files with a run's model (probabilities, features, MC dropout) and the active-learning
replay `simulate`, on tiny models and colour images (seconds on a CPU)."""

import csv
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from app.core.active.run_scoring import active_dropout, mc_dropout, score_files
from app.core.active.simulate import RESULT_COLUMNS, SimulationProgress, read_folder, simulate
from app.core.errors import Cancelled, ConfigError
from app.core.imaging import DecodeOptions, decode
from app.core.inference.run_model import RunModel
from app.core.project.store import Project
from app.core.training.config import TrainConfig
from app.core.training.embeddings import FeatureExtractor
from app.core.training.heads import head_linear
from tests.tiny_models import save_tiny_resnet, save_tiny_vit, write_colour_images


def _run_model(folder: Path) -> RunModel:
    """A saved tiny model as the predict code would load it (eval mode, its evaluation transform)."""
    from transformers import AutoModelForImageClassification

    from app.core.training.backbones import image_settings
    from app.core.training.data import build_transforms

    model = AutoModelForImageClassification.from_pretrained(folder).eval()
    processor = None
    if (folder / "preprocessor_config.json").exists():
        from transformers import AutoImageProcessor

        processor = AutoImageProcessor.from_pretrained(folder)
    settings = image_settings(processor, model.config, None)
    _, transform = build_transforms(settings, augment=False, grey=False)
    classes = [{"id": k, "name": str(k)} for k in range(model.config.num_labels)]
    return RunModel(model, transform, classes, torch.device("cpu"), settings.size)


@pytest.fixture(scope="module")
def colour_files(tmp_path_factory) -> list[Path]:
    return write_colour_images(tmp_path_factory.mktemp("colours"), per_class=4)


@pytest.fixture(scope="module")
def resnet(tmp_path_factory) -> Path:
    return save_tiny_resnet(tmp_path_factory.mktemp("resnet"))


def test_mc_dropout_switches_on_dropout_alone_and_keeps_batchnorm_statistics(resnet, colour_files):
    run_model = _run_model(resnet)
    model = run_model.model
    norms = [m for m in model.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert norms
    before = [(m.running_mean.clone(), m.running_var.clone(), int(m.num_batches_tracked)) for m in norms]
    dropout = torch.nn.Dropout(0.5)
    model.classifier.insert(0, dropout)  # a dropout where a head would have one
    with mc_dropout(model) as active:
        assert active == 1 and dropout.training
        assert not any(m.training for m in norms) and not model.training
    scores = score_files(run_model, colour_files, mc_passes=4)
    assert not any(m.training for m in model.modules())  # every mode restored: eval throughout
    for m, (mean, var, count) in zip(norms, before):
        assert (
            torch.equal(m.running_mean, mean)
            and torch.equal(m.running_var, var)
            and int(m.num_batches_tracked) == count
        )
    assert scores.mc_probabilities.shape == (4, len(colour_files), 2)
    assert not np.allclose(scores.mc_probabilities[0], scores.mc_probabilities[1])  # passes differ
    assert np.allclose(scores.mc_probabilities.sum(axis=2), 1, atol=1e-5)
    assert scores.notices == []


def test_mc_passes_vary_with_dropout_and_agree_without(tmp_path, colour_files):
    with_dropout = _run_model(save_tiny_vit(tmp_path / "drop", dropout=0.3))
    without = _run_model(save_tiny_vit(tmp_path / "plain", dropout=0.0))
    assert active_dropout(with_dropout.model) and not active_dropout(without.model)
    varied = score_files(with_dropout, colour_files, mc_passes=3, seed=1)
    assert np.abs(varied.mc_probabilities - varied.probabilities[None]).max() > 1e-4
    again = score_files(with_dropout, colour_files, mc_passes=3, seed=1)
    assert np.array_equal(varied.mc_probabilities, again.mc_probabilities)  # seeded
    same = score_files(without, colour_files, mc_passes=3)
    assert np.allclose(same.mc_probabilities, same.probabilities[None], atol=1e-6)
    assert any("no dropout" in text for text in same.notices)  # said, not hidden: BALD is zero here


def test_scores_are_probabilities_and_the_heads_input(resnet, colour_files, tmp_path):
    run_model = _run_model(resnet)
    broken = tmp_path / "broken.png"
    broken.write_text("not an image")
    scores = score_files(run_model, [*colour_files, broken], batch_size=5)
    assert list(scores.rows) == list(range(len(colour_files))) and list(scores.failed) == [len(colour_files)]
    assert scores.probabilities.shape == (len(colour_files), 2)
    assert np.allclose(scores.probabilities.sum(axis=1), 1, atol=1e-5)
    assert scores.features.shape == (len(colour_files), head_linear(run_model.model).in_features)
    assert scores.mc_probabilities is None
    with FeatureExtractor(run_model.model) as extract:  # the same features the linear probe caches
        x = torch.stack([run_model.transform(decode(p, DecodeOptions()).rgb) for p in colour_files[:3]])
        assert np.allclose(extract(x).numpy(), scores.features[:3], atol=1e-5)


# -- simulate ------------------------------------------------------------------------------------


def _config(model: Path) -> TrainConfig:
    return TrainConfig(
        model=str(model), method="linear", epochs=2, lr=0.05, workers=0, device="cpu", augment=False, batch_size=8
    )


def test_simulate_writes_every_round_and_never_labels_the_test_images(tmp_path, resnet):
    folder = tmp_path / "labelled"
    write_colour_images(folder, per_class=10)
    events = []
    rows = simulate(
        folder,
        _config(resnet),
        ["random", "margin"],
        initial=6,
        step=4,
        rounds=2,
        seeds=1,
        out=tmp_path / "out",
        on_progress=events.append,
    )

    with open(tmp_path / "out" / "results.csv", newline="") as f:
        table = list(csv.reader(f))
    assert tuple(table[0]) == RESULT_COLUMNS == ("strategy", "seed", "labels", "accuracy", "macro_f1")
    assert len(table) - 1 == len(rows) == 2 * 1 * (2 + 1)
    assert [(r.strategy, r.labels) for r in rows] == [
        ("random", 6),
        ("random", 10),
        ("random", 14),
        ("margin", 6),
        ("margin", 10),
        ("margin", 14),
    ]
    assert all(0 <= r.accuracy <= 1 and 0 <= r.macro_f1 <= 1 for r in rows)
    progress = [e for e in events if isinstance(e, SimulationProgress)]
    assert [e.done for e in progress] == list(range(7)) and {e.total for e in progress} == {6}

    everything = {str(p.resolve()) for p in folder.rglob("*.png")}
    first_labels = {}
    for strategy in ("random", "margin"):
        with Project.open(tmp_path / "out" / "work" / "seed-0" / f"{strategy}.loupe", read_only=True) as project:
            images = {
                image_id: str(project.resolve_path(path).resolve())
                for image_id, path in project.conn.execute("SELECT id, path FROM images")
            }
            labelled = project.conn.execute(
                "SELECT l.image_id, c.name FROM labels l JOIN classes c ON c.id = l.class_id"
            ).fetchall()
            first = project.conn.execute(
                "SELECT image_id FROM label_history WHERE action = (SELECT min(id) FROM label_actions)"
            ).fetchall()
            models = list(project.paths.models_dir.glob("run-*"))
        test = everything - set(images.values())
        assert len(test) == 6  # 20 % of each class, held out: not even in the project
        assert len(labelled) == 14 and all(Path(images[i]).parent.name == name for i, name in labelled)  # the oracle
        assert not test & {images[i] for i, _ in labelled}
        first_labels[strategy] = {images[i] for (i,) in first}
        assert models == []  # each round's model deleted once scored
    assert len(first_labels["random"]) == 6 and first_labels["random"] == first_labels["margin"]  # same start


def test_both_scorers_pick_their_budget_from_the_unlabelled_pool(tmp_path, resnet):
    """The window's way (a head refitted over the model's features) and the trained model's own
    probabilities (BALD with its dropout layers) each pick `step` new images per round."""
    folder = tmp_path / "labelled"
    write_colour_images(folder, per_class=8)
    for scorer in ("head", "model"):
        rows = simulate(
            folder,
            _config(resnet),
            ["bald", "coreset"],
            initial=5,
            step=3,
            rounds=1,
            seeds=1,
            out=tmp_path / scorer,
            scorer=scorer,
        )
        assert [(r.strategy, r.labels) for r in rows] == [("bald", 5), ("bald", 8), ("coreset", 5), ("coreset", 8)]
        for strategy in ("bald", "coreset"):
            with Project.open(tmp_path / scorer / "work" / "seed-0" / f"{strategy}.loupe", read_only=True) as project:
                assert project.conn.execute("SELECT count(*) FROM labels").fetchone()[0] == 8
    with pytest.raises(ConfigError, match="unknown scorer 'nope'"):
        simulate(folder, _config(resnet), ["random"], 4, 2, 1, 1, tmp_path / "x", scorer="nope")


def test_simulate_refuses_bad_settings_before_training_and_stops_when_asked(tmp_path, resnet):
    folder = tmp_path / "labelled"
    write_colour_images(folder, per_class=5, classes=("red", "green"))
    with pytest.raises(ConfigError, match="unknown strategy 'nope'"):
        simulate(folder, _config(resnet), ["random", "nope"], 4, 2, 1, 1, tmp_path / "out")
    with pytest.raises(ConfigError, match="pool has 8 images"):
        simulate(folder, _config(resnet), ["random"], 4, 2, 3, 1, tmp_path / "out")
    assert not (tmp_path / "out").exists()  # nothing trained, nothing written
    stop = []
    with pytest.raises(Cancelled):
        simulate(
            folder,
            _config(resnet),
            ["random"],
            4,
            2,
            2,
            1,
            tmp_path / "out",
            on_progress=lambda e: stop.append(1) if isinstance(e, SimulationProgress) and e.done else None,
            should_stop=lambda: bool(stop),
        )
    lines = (tmp_path / "out" / "results.csv").read_text().splitlines()
    assert lines[0] == ",".join(RESULT_COLUMNS) and len(lines) == 2  # the round measured before the stop is kept


def test_the_oracle_is_the_class_folders_without_duplicates_or_the_output(tmp_path):
    folder = tmp_path / "labelled"
    files = write_colour_images(folder, per_class=3)
    (folder / "blue" / "again.png").write_bytes(files[0].read_bytes())  # a red image copied into blue
    (folder / "sim").mkdir()
    (folder / "sim" / "learning_curves.png").write_bytes(files[1].read_bytes())  # an earlier run's output
    Image.new("RGB", (8, 8)).save(folder / "sim" / "other.png")
    names, images = read_folder(folder, exclude=folder / "sim")
    assert names == ["blue", "green", "red"]
    assert len(images) == 9 and all(names[image.label] == image.path.parent.name for image in images)
    paths = {str(image.path) for image in images}
    assert (str((folder / "blue" / "again.png").resolve()) in paths) != (str(files[0].resolve()) in paths)  # one copy
