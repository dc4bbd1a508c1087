"""The stored split, the `loupe train` command, and several processes through torchrun."""

import contextlib
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.core.project.store import Project
from app.core.training.runs import list_runs
from app.core.training.splits import assign_splits


def test_split_is_stratified_stored_and_stable_as_labels_arrive(colour_project):
    with Project.open(colour_project) as project:
        first = assign_splits(project, 0.2, seed=0)
        classes = dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())
        per_class = Counter((classes[i], split) for i, split in first.items())
        assert all(per_class[(c, "val")] == 4 and per_class[(c, "train")] == 16 for c in set(classes.values()))
        assert assign_splits(project, 0.5, seed=7) == first  # assigned splits never move

        # Images that lose their split (as new images have none) get one again; the rest keep theirs.
        project.conn.execute("DELETE FROM splits WHERE image_id IN (1, 2, 3)")  # as if never split
        project.conn.commit()
        again = assign_splits(project, 0.2, seed=0)
        assert {k: v for k, v in again.items() if k not in (1, 2, 3)} == {
            k: v for k, v in first.items() if k not in (1, 2, 3)
        }
        red = [i for i, c in classes.items() if c == classes[1]]
        assert Counter(again[i] for i in red) == Counter({"train": 16, "val": 4})


def test_split_of_new_images_is_deterministic(colour_project, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    copy.mkdir()
    shutil.copy(colour_project, copy / "train.loupe")
    splits = []
    for path in (colour_project, copy / "train.loupe"):
        with Project.open(path) as project:
            splits.append(assign_splits(project, 0.3, seed=3))
    assert splits[0] == splits[1]


def loupe(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "app", *map(str, args)], capture_output=True, text=True, cwd=cwd)


def test_loupe_train_json(colour_project, tiny_vit):
    result = loupe(
        "train",
        colour_project,
        "--model",
        tiny_vit,
        "--method",
        "linear",
        "--epochs",
        "20",
        "--lr",
        "0.01",
        "--workers",
        "0",
        "--device",
        "cpu",
        "--json",
        cwd=colour_project.parent,
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert {"run", "status", "accuracy", "macro_f1", "model_dir", "cost", "notices"} <= document.keys()
    assert document["status"] == "done" and document["accuracy"] > 0.6
    model_dir = Path(document["model_dir"])
    assert model_dir.is_absolute() and (model_dir / "config.json").is_file()  # usable as given, from anywhere
    assert document["cost"]["parameters"]["trainable"] == 3 * 64 + 3  # the head of the tiny ViT
    assert set(document["cost"]["latency_ms_per_image"]) == {"1", "32"}
    assert "Traceback" not in result.stderr


BAD_ARGUMENTS = [
    (["--method", "nope"], "unknown method 'nope'"),
    (["--model", "no-such-preset"], "unknown model 'no-such-preset'"),
    (["--device", "quantum"], "unknown device 'quantum'"),
    (["--val-fraction", "1.5"], "val-fraction must be above 0 and below 1"),
    (["--val-fraction", "0"], "val-fraction must be above 0 and below 1"),
    (["--epochs", "0"], "epochs must be at least 1"),
    (["--batch-size", "0"], "batch-size must be at least 1"),
    (["--lora-rank", "0"], "lora-rank must be at least 1"),
    (["--lr", "-0.1"], "lr must be above 0"),
    (["--lr", "inf"], "lr must be a finite number"),
    (["--workers", "-1"], "workers must be at least 0"),
    (["--epochs", "two"], "invalid int value: 'two'"),
    (["--init-from", "9"], "cannot continue from run 9"),
]


@pytest.mark.parametrize("arguments, message", BAD_ARGUMENTS, ids=[" ".join(a) for a, _ in BAD_ARGUMENTS])
def test_bad_train_arguments_exit_2_with_one_line_and_leave_no_trace(
    colour_project, tiny_vit, capsys, arguments, message
):
    from app.cli import main

    with pytest.raises(SystemExit) if "two" in arguments else contextlib.nullcontext() as exited:
        status = main(["train", str(colour_project), "--model", str(tiny_vit), "--device", "cpu", *arguments])
    status = exited.value.code if exited else status
    err = capsys.readouterr().err
    assert status == 2, err
    assert message in err and err.count("\n") == 1 and err.startswith("loupe: error: ")
    with Project.open(colour_project) as project:  # no run recorded, no split stored
        assert project.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0
        assert project.conn.execute("SELECT count(*) FROM splits").fetchone()[0] == 0


def test_train_help_lists_every_method_with_its_cost(capsys):
    from app.cli import main
    from app.core.training.methods import METHODS

    with pytest.raises(SystemExit) as exited:
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert exited.value.code == 0
    assert all(f"{name}: {info.summary}, {info.cost}" in text for name, info in METHODS.items())


def test_a_bad_train_argument_is_one_line_from_the_shell(colour_project):
    result = loupe("train", colour_project, "--model", "no-such-preset", "--device", "cpu")
    assert result.returncode == 2
    assert result.stderr.startswith("loupe: error: unknown model 'no-such-preset'") and result.stderr.count("\n") == 1


def test_torchrun_two_cpu_processes_record_one_run(colour_project, tiny_vit):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
            "-m",
            "app",
            "train",
            str(colour_project),
            "--model",
            str(tiny_vit),
            "--method",
            "full",
            "--epochs",
            "2",
            "--workers",
            "0",
            "--device",
            "cpu",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)  # only rank 0 printed
    assert document["status"] == "done"
    with Project.open(colour_project) as project:
        runs = list_runs(project)
        assert len(runs) == 1 and runs[0].status == "done" and "2 processes" in runs[0].device
        assert (project.paths.root / runs[0].model_dir / "model.safetensors").exists()


def test_torchrun_goes_on_when_a_process_has_a_batch_with_no_readable_image(colour_project, tiny_vit):
    with Project.open(colour_project, read_only=True) as project:
        stored = project.conn.execute("SELECT path FROM images WHERE id = 7").fetchone()[0]
        project.resolve_path(stored).write_bytes(b"not an image any more")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node=2",
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
            "--batch-size",
            "1",
            "--workers",
            "0",
            "--device",
            "cpu",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    document = json.loads(result.stdout)
    assert document["status"] == "done" and len(document["notices"]) == 1


def test_planned_validation_size_matches_the_plan(colour_project):
    from app.core.training.splits import plan_splits, planned_validation_size

    with Project.open(colour_project) as project:
        for fraction in (0.0, 0.05, 0.2, 0.5):
            splits, _ = plan_splits(project, fraction)
            assert planned_validation_size(project, fraction) == Counter(splits.values())["val"]
        assign_splits(project, 0.2)
        project.conn.execute("DELETE FROM splits WHERE image_id IN (1, 2, 3, 25)")  # some unassigned again
        project.conn.commit()
        splits, _ = plan_splits(project, 0.3)
        assert planned_validation_size(project, 0.3) == Counter(splits.values())["val"]
