"""What the core says when a run folder, a model folder or a project file is not what it should
be (issue 19): one plain line naming the thing and what to do, never a library's error."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from app.core.active.simulate import check_settings
from app.core.errors import ConfigError, LoupeError, ProjectError
from app.core.project.settings import ACTIVE_RUN, set_setting
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from app.core.training.backbones import resolve
from app.core.training.runs import get_run
from app.core.training.saved_models import load_run
from tests.predict_runs import project_copy
from tests.tiny_models import make_colour_project

FIXTURE_PROJECTS = Path(__file__).resolve().parents[1] / "fixtures" / "projects"


def linear_and_lora_runs(folder: Path, vit: Path) -> tuple[Path, dict[str, int]]:
    """The colour project (3 classes × 3 images) with a linear and a LoRA run of `vit`, one pass
    each, the linear one active: (project file, {method: run id}). Tests change copies of it."""
    path = make_colour_project(folder, per_class=3)
    settings = dict(model=str(vit), epochs=1, batch_size=8, workers=0, device="cpu", patience=0)
    with Project.open(path) as project:
        runs = {method: train(project, TrainConfig(method=method, **settings)).run for method in ("linear", "lora")}
        set_setting(project, ACTIVE_RUN, runs["linear"])
    return path, runs


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_vit) -> tuple[Path, dict[str, int]]:
    return linear_and_lora_runs(tmp_path_factory.mktemp("runs"), tiny_vit)


def _run_folder(project_file: Path, run_id: int) -> Path:
    with Project.open(project_file, read_only=True) as project:
        return project.paths.root / get_run(project, run_id).model_dir


def _one_line(text: str) -> bool:
    return "\n" not in text and text == text.strip()


@pytest.mark.parametrize(
    "name, content, said",
    [
        ("model.safetensors", os.urandom(256), "model.safetensors cannot be read"),
        ("model.safetensors", b"", "model.safetensors cannot be read"),
        ("config.json", b'{"model_type": "vit", ', "config.json is not valid JSON"),
        ("preprocessor_config.json", b"[1, 2", "preprocessor_config.json is not valid JSON"),
    ],
)
def test_a_damaged_run_folder_is_named_with_its_file_and_what_to_do(template, tmp_path, name, content, said):
    path = project_copy(template[0], tmp_path / "p")
    run_id = template[1]["linear"]
    folder = _run_folder(path, run_id)
    (folder / name).write_bytes(content)
    with Project.open(path, read_only=True) as project, pytest.raises(LoupeError) as caught:
        load_run(project, run_id)
    message = str(caught.value)
    assert message.startswith(f"run {run_id}'s model folder {folder} is damaged ({said}")
    assert "train the run again" in message and _one_line(message)


def test_a_run_whose_base_model_is_gone_names_the_base_and_is_a_failure_not_a_setting(template, tmp_path):
    path = project_copy(template[0], tmp_path / "p")
    run_id, base = template[1]["lora"], tmp_path / "moved" / "vit"
    with Project.open(path) as project:  # its base folder was here once: the run saved only its adapters
        project.conn.execute("UPDATE runs SET model_ref = ? WHERE id = ?", (str(base), run_id))
        project.conn.commit()
    with Project.open(path, read_only=True) as project, pytest.raises(LoupeError) as caught:
        load_run(project, run_id)
    assert not isinstance(caught.value, ConfigError)  # the command line exits 1 for it, not 2
    message = str(caught.value)
    assert f"base model in {base}" in message and "missing" in message and _one_line(message)


def test_a_model_folder_that_is_not_readable_is_refused_before_loading(tiny_vit, tmp_path):
    folder = shutil.copytree(tiny_vit, tmp_path / "model")
    (folder / "config.json").write_text("{nope")
    with pytest.raises(ConfigError, match=r"^cannot load the model in .*model: config.json is not valid JSON"):
        resolve(str(folder))


def _with_auto_map(tiny_vit: Path, folder: Path, model_type: str) -> Path:
    shutil.copytree(tiny_vit, folder)
    config = json.loads((folder / "config.json").read_text())
    config["model_type"] = model_type
    config["auto_map"] = {"AutoModelForImageClassification": "modeling_mine.MineForImageClassification"}
    (folder / "config.json").write_text(json.dumps(config))
    (folder / "modeling_mine.py").write_text("raise SystemExit('this code must never run')\n")
    return folder


def test_a_model_that_needs_its_own_code_is_refused_in_one_line(tiny_vit, tmp_path):
    folder = _with_auto_map(tiny_vit, tmp_path / "custom", "mine")
    with pytest.raises(ConfigError) as caught:
        resolve(str(folder))
    message = str(caught.value)
    assert "needs its own Python code" in message and "trust_remote_code stays off" in message
    assert "natively" in message and "https://" not in message and _one_line(message)
    # auto_map beside an architecture transformers has: its own classes load it, no code runs
    native = _with_auto_map(tiny_vit, tmp_path / "native", "vit")
    assert resolve(str(native)) == (str(native.resolve()), None)


def _make_project_file(tmp_path: Path) -> Path:
    Project.create(tmp_path / "p.loupe").close()
    return tmp_path / "p.loupe"


def test_a_dropped_table_is_damage_found_when_the_project_opens(tmp_path):
    path = _make_project_file(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE labels")
    conn.close()
    with pytest.raises(ProjectError, match=r"is damaged \(table labels is missing\); restore"):
        Project.open(path)


@pytest.mark.parametrize("version", [0, 3])
def test_a_schema_version_set_by_hand_is_not_migrated_again(tmp_path, version):
    path = _make_project_file(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    with pytest.raises(ProjectError) as caught:
        Project.open(path)
    assert f"is damaged (its schema version says v{version}, but it already has" in str(caught.value)
    with sqlite3.connect(path) as conn:  # left as it was: no migration ran, no backup was made
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
    conn.close()
    assert not list(tmp_path.glob("*.bak"))


def test_an_old_project_opened_read_only_says_how_to_upgrade_it(tmp_path):
    path = Path(shutil.copy(FIXTURE_PROJECTS / "v3.loupe", tmp_path / "old.loupe"))
    with pytest.raises(ProjectError) as caught:
        Project.open(path, read_only=True)
    message = str(caught.value)
    assert "needs an upgrade" in message and f"`loupe info {path}`" in message
    assert "old.loupe.v3.bak" in message and _one_line(message)


def test_only_a_missing_table_or_column_counts_as_damage_not_a_lock():
    from app.core.project.schema import is_schema_damage

    assert is_schema_damage(sqlite3.OperationalError("no such table: labels"))
    assert is_schema_damage(sqlite3.OperationalError("no such column: deleted"))
    assert not is_schema_damage(sqlite3.OperationalError("database is locked"))


def test_training_when_every_labelled_file_is_missing_counts_them(template, tmp_path, tiny_vit):
    path = project_copy(template[0], tmp_path / "p")
    shutil.rmtree(path.parent / "images")
    config = TrainConfig(model=str(tiny_vit), method="linear", workers=0, device="cpu")
    with Project.open(path) as project, pytest.raises(LoupeError) as caught:
        train(project, config)
    message = str(caught.value)
    assert message.startswith("the files of 9 of the 9 labelled images are missing")
    assert f"`loupe check {path}`" in message and "relink" in message and _one_line(message)


@pytest.mark.parametrize(
    "change, said",
    [
        (dict(rounds=0), "rounds must be at least 1"),
        (dict(mc_passes=0), "mc-passes must be at least 1"),
        (dict(mc_passes=-3), "mc-passes must be at least 1"),
    ],
)
def test_simulation_settings_are_checked_before_anything_runs(change, said):
    settings = dict(initial=4, step=2, rounds=1, seeds=1, test_fraction=0.2, mc_passes=None) | change
    with pytest.raises(ConfigError, match=said):
        check_settings(["random"], **settings)


def test_a_file_system_error_is_said_in_words():
    import errno

    from app.core.errors import in_words

    error = OSError(errno.EROFS, "Read-only file system")
    error.filename = "/scans/p.loupe-cache"
    assert in_words(error) == "/scans/p.loupe-cache: read-only file system"
