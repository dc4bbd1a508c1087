"""The command line's contract under hostile arguments and damaged files (issue 19): numbers out
of range and unusable outputs are bad arguments (exit 2) found before any work; a damaged run
folder, model folder or project file is one `loupe: error:` line naming it and what to do (exit
1), never `unexpected error`; Loupe's own log records go to the log file, not the terminal."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.labelling.labels import label_images
from app.core.project.settings import get_setting
from app.core.project.store import Project
from app.core.training.config import TRAIN_FORM
from app.core.training.runs import get_run, list_runs
from tests.core.test_messages import FIXTURE_PROJECTS, linear_and_lora_runs
from tests.predict_runs import new_images, project_copy
from tests.tiny_models import write_colour_images

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory, tiny_vit) -> tuple[Path, dict[str, int]]:
    return linear_and_lora_runs(tmp_path_factory.mktemp("runs"), tiny_vit)


@pytest.fixture
def copy(template, tmp_path) -> Path:
    return project_copy(template[0], tmp_path / "p")


def error_line(capsys) -> str:
    """The message of the one `loupe: error:` line that ends the command's stderr (progress
    notices such as "Loading the model…" may come before it)."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert err.endswith("\n") and lines[-1].startswith("loupe: error: "), err
    assert sum(line.startswith("loupe: error:") for line in lines) == 1, err
    assert "unexpected error" not in err and "Traceback" not in err
    return lines[-1].removeprefix("loupe: error: ")


def _simulate(tmp_path: Path, *extra: str) -> list[str]:
    write_colour_images(tmp_path / "labelled", per_class=2)
    return ["simulate", str(tmp_path / "labelled"), "--model", "no-model-is-loaded", "--out", str(tmp_path / "sim")]


@pytest.mark.parametrize(
    "extra, said",
    [
        (["--mc-passes", "0"], "mc-passes must be at least 1 (got 0)"),
        (["--mc-passes", "-2"], "mc-passes must be at least 1 (got -2)"),
        (["--rounds", "0"], "rounds must be at least 1 (got 0)"),
    ],
)
def test_simulation_numbers_out_of_range_are_bad_arguments_before_any_work(tmp_path, capsys, extra, said):
    assert main([*_simulate(tmp_path), *extra]) == 2
    assert said in error_line(capsys)
    assert not (tmp_path / "sim").exists()


def _a_file(tmp_path: Path) -> Path:
    (tmp_path / "notes.txt").write_text("the user's notes\n")
    return tmp_path / "notes.txt"


def _a_full_folder(tmp_path: Path) -> Path:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "keep.txt").write_text("keep me\n")
    return tmp_path / "mine"


@pytest.mark.parametrize(
    "make_out, said",
    [
        (_a_file, "is a file; give a new or empty folder"),
        (lambda tmp: _a_file(tmp) / "sim", "is a file, not a folder"),
        (_a_full_folder, "is not an empty folder"),
    ],
)
def test_simulation_out_is_checked_before_any_work(tmp_path, capsys, make_out, said):
    out = make_out(tmp_path)
    argv = _simulate(tmp_path)
    assert main([*argv[:-1], str(out)]) == 2
    assert said in error_line(capsys)
    assert not (tmp_path / "sim").exists()
    if (tmp_path / "mine").exists():
        assert [p.name for p in (tmp_path / "mine").iterdir()] == ["keep.txt"]


def test_simulation_may_write_again_where_an_earlier_one_wrote(tmp_path):
    from app.cli.commands.simulate import check_out

    (tmp_path / "sim" / "work" / "seed-0").mkdir(parents=True)
    (tmp_path / "sim" / "results.csv").write_text("strategy,seed,labels,accuracy,macro_f1\n")
    (tmp_path / "sim" / "learning_curves.png").write_bytes(b"\x89PNG")
    assert check_out(tmp_path / "sim") == tmp_path / "sim"


def test_a_negative_suggestion_seed_is_a_bad_argument(copy, capsys):
    assert main(["suggest", str(copy), "--seed", "-1", "--device", "cpu"]) == 2
    assert error_line(capsys) == "--seed must be at least 0 (got -1)"


def _run_folder(project_file: Path, run_id: int) -> Path:
    with Project.open(project_file, read_only=True) as project:
        return project.paths.root / get_run(project, run_id).model_dir


@pytest.mark.parametrize(
    "command, status",
    [("predict", 1), ("export", 1), ("suggest", 1), ("train", 2), ("runs", 1)],
)
def test_a_run_folder_with_garbage_weights_is_named_by_every_command(copy, tmp_path, tiny_vit, capsys, command, status):
    run_id = 1
    folder = _run_folder(copy, run_id)
    (folder / "model.safetensors").write_bytes(os.urandom(4096))
    argv = {
        "predict": ["predict", copy, *new_images(tmp_path / "new", per_colour=1), "--run", "1", "--device", "cpu"],
        "export": ["export", copy, "--run", "1", "--format", "hf", "--out", tmp_path / "hf"],
        "suggest": ["suggest", copy, "--run", "1", "-n", "2", "--device", "cpu"],
        "train": ["train", copy, "--model", tiny_vit, "--init-from", "1", "--workers", "0", "--device", "cpu"],
        "runs": ["runs", copy, "--activate", "1"],
    }[command]
    assert main([str(arg) for arg in argv]) == status
    message = error_line(capsys)
    assert f"run 1's model folder {folder} is damaged (model.safetensors cannot be read" in message
    assert "train the run again" in message


def test_an_emptied_run_folder_is_named_too(copy, tmp_path, capsys):
    folder = _run_folder(copy, 1)
    for path in folder.iterdir():
        path.unlink()
    image = new_images(tmp_path / "new", per_colour=1)[0]
    assert main(["predict", str(copy), str(image), "--run", "1", "--device", "cpu"]) == 1
    assert f"run 1's model folder {folder} is damaged (config.json is missing)" in error_line(capsys)


def test_a_run_to_continue_from_that_is_not_there_leaves_the_project_as_it_was(copy, tiny_vit, capsys):
    argv = ["train", str(copy), "--model", str(tiny_vit), "--init-from", "99", "--workers", "0", "--device", "cpu"]
    assert main(argv) == 2
    assert error_line(capsys) == "cannot continue from run 99: there is no run 99 in this project"
    with Project.open(copy, read_only=True) as project:  # not even remembered as the training settings
        assert get_setting(project, TRAIN_FORM) is None


def test_suggesting_more_images_than_there_are_gives_them_all(copy, capsys):
    with Project.open(copy) as project:
        label_images(project, [1, 2, 4], None)
    assert main(["suggest", str(copy), "-n", str(10**12), "--device", "cpu", "--json"]) == 0
    suggested = json.loads(capsys.readouterr().out)["suggestions"]
    assert sorted(s["image"] for s in suggested) == [1, 2, 4]


def test_a_garbage_model_folder_is_refused_before_a_run_is_recorded(copy, tiny_vit, tmp_path, capsys):
    model = Path(shutil.copytree(tiny_vit, tmp_path / "model"))
    (model / "config.json").write_text('{"model_type": "vit", ')
    assert main(["train", str(copy), "--model", str(model), "--workers", "0", "--device", "cpu"]) == 2
    assert error_line(capsys).startswith(f"cannot load the model in {model}: config.json is not valid JSON")
    with Project.open(copy, read_only=True) as project:
        assert len(list_runs(project, reports=False)) == 2  # the template's two: nothing recorded


def test_a_model_that_needs_its_own_code_is_one_line(copy, tiny_vit, tmp_path, capsys):
    model = Path(shutil.copytree(tiny_vit, tmp_path / "model"))
    config = json.loads((model / "config.json").read_text())
    config.update(model_type="mine", auto_map={"AutoModelForImageClassification": "modeling_mine.Mine"})
    (model / "config.json").write_text(json.dumps(config))
    assert main(["train", str(copy), "--model", str(model), "--workers", "0", "--device", "cpu"]) == 2
    message = error_line(capsys)
    assert "needs its own Python code" in message and "trust_remote_code stays off" in message
    assert "natively" in message


def test_a_missing_base_model_fails_with_its_folder_named(template, copy, tmp_path, capsys):
    base = tmp_path / "moved" / "vit"
    with Project.open(copy) as project:  # the base of the LoRA run is no longer where it was
        project.conn.execute("UPDATE runs SET model_ref = ? WHERE id = ?", (str(base), template[1]["lora"]))
        project.conn.commit()
    images = new_images(tmp_path / "new", per_colour=1)
    argv = ["predict", str(copy), *map(str, images), "--run", str(template[1]["lora"]), "--device", "cpu"]
    assert main(argv) == 1
    message = error_line(capsys)
    assert f"base model in {base}" in message and "put the base model back there" in message


def test_an_old_project_read_only_says_how_to_upgrade_it_and_that_works(tmp_path, capsys):
    path = Path(shutil.copy(FIXTURE_PROJECTS / "v3.loupe", tmp_path / "old.loupe"))
    image = new_images(tmp_path / "new", per_colour=1)[0]
    assert main(["predict", str(path), str(image)]) == 1
    message = error_line(capsys)
    assert f"open it once for writing to upgrade it — `loupe info {path}`" in message
    assert main(["info", str(path)]) == 0  # what it says to do
    capsys.readouterr()
    assert main(["predict", str(path), str(image)]) == 1
    assert "needs an upgrade" not in error_line(capsys)


def _drop_labels(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE labels")
    conn.close()


def _version_zero(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 0")
    conn.close()


@pytest.mark.parametrize(
    "damage, said",
    [(_drop_labels, "(table labels is missing)"), (_version_zero, "(its schema version says v0, but it already has")],
)
@pytest.mark.parametrize("command", ["info", "runs"])
def test_a_project_whose_tables_do_not_fit_its_version_is_damaged(tmp_path, capsys, damage, said, command):
    path = tmp_path / "p.loupe"
    Project.create(path).close()
    damage(path)
    assert main([command, str(path)]) == 1
    message = error_line(capsys)
    assert message.startswith(f"{path} is damaged {said}")


def test_training_with_every_labelled_file_missing_counts_them(copy, tiny_vit, capsys):
    shutil.rmtree(copy.parent / "images")
    assert main(["train", str(copy), "--model", str(tiny_vit), "--workers", "0", "--device", "cpu"]) == 1
    message = error_line(capsys)
    assert message.startswith("the files of 9 of the 9 labelled images are missing")
    assert f"`loupe check {copy}`" in message


def test_loupes_own_warnings_go_to_the_log_file_not_the_terminal(tmp_path):
    project = tmp_path / "p.loupe"
    Project.create(project).close()
    script = (
        "import logging, sys\n"
        "from app.cli import main\n"
        f"status = main(['info', {str(project)!r}]) + main(['info', {str(project)!r}])\n"
        "logging.getLogger('app.core.inference.engines').warning('onnxruntime not used for run 1; predicting with PyTorch')\n"
        "sys.exit(status)\n"
    )
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0 and result.stderr == ""
    log = (tmp_path / "data" / "loupe" / "loupe-cli.log").read_text().splitlines()
    written = [line for line in log if "onnxruntime not used" in line]
    assert len(written) == 1 and " app.core.inference.engines WARNING " in written[0]  # once: main ran twice
