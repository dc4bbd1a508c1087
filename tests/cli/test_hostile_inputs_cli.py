"""Every input name and file kind handled (issue 19), through the real `loupe` command in a
fresh process: a named pipe among the images no longer hangs `predict` or `import` (each run
has a deadline), and a name whose bytes are not UTF-8, or that holds a tab or a newline, no
longer loses the whole job or breaks its output.

The commands run with PYTHONIOENCODING=utf-8, as under a UTF-8 desktop locale, where Python
refuses to print such a name (`predict` classified everything, then failed); the runs that
cannot hang run in this process, whose captured output is as strict."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.core.labelling.classes import create_project
from tests.predict_runs import active_linear_run, new_images

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and byte names are POSIX")

ROOT = Path(__file__).resolve().parents[2]
PIPE_REASON = "not a regular file (a named pipe)"


@pytest.fixture(scope="module")
def trained(tmp_path_factory, tiny_vit) -> Path:
    """The colour project with an active linear run (predict opens it read-only: shared)."""
    path, _ = active_linear_run(tmp_path_factory.mktemp("hostile") / "project", tiny_vit, per_class=4, epochs=2)
    return path


def loupe(*args: str | os.PathLike, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command line in a fresh process, its output as bytes; TimeoutExpired (the
    process killed) when it has not ended by `timeout`."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "app", *map(os.fspath, args)], capture_output=True, timeout=timeout, cwd=ROOT, env=env
    )


def with_pipes(folder: Path, given: Path) -> None:
    """Named pipes where images are looked for: one named as an image, one not, one given by name."""
    os.mkfifo(folder / "x.png")
    os.mkfifo(folder / "stream")
    os.mkfifo(given)


def odd_names(folder: Path) -> list[tuple[str, str]]:
    """Images under names that are not UTF-8, or hold a tab and a newline: (how Loupe shows the
    path in words, JSON and CSV; how it writes it in a TSV field) for each."""
    images = new_images(folder, per_colour=1)
    images[0].rename(folder / os.fsdecode(b"\xff\xfe.png"))
    images[1].rename(folder / "new\nline\there.png")
    return [
        (f"{folder}/\\xff\\xfe.png", f"{folder}/\\xff\\xfe.png"),
        (f"{folder}/new\nline\there.png", f"{folder}/new\\nline\\there.png"),
        (str(images[2]), str(images[2])),
    ]


def test_predict_names_a_named_pipe_and_classifies_the_rest(trained, tmp_path):
    folder = tmp_path / "in"
    images = new_images(folder, per_colour=1)
    with_pipes(folder, tmp_path / "given")

    result = loupe("predict", trained, folder, tmp_path / "given", "--device", "cpu")

    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.decode().splitlines()] == sorted(map(str, images))
    errors = result.stderr.decode()
    assert f"{folder / 'x.png'}: {PIPE_REASON}" in errors
    assert f"{tmp_path / 'given'}: {PIPE_REASON}" in errors
    assert "stream" not in errors  # not named as an image: not an image file, as import skips it


def test_import_names_a_named_pipe_and_imports_the_rest(tmp_path):
    create_project(tmp_path / "p.loupe", ["a"]).close()
    folder = tmp_path / "in"
    images = new_images(folder, per_colour=1)
    with_pipes(folder, tmp_path / "given")

    result = loupe("import", tmp_path / "p.loupe", folder, tmp_path / "given", "--json", timeout=60)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["added"] == len(images)
    assert report["rejected"] == [
        {"path": str(folder / "x.png"), "reason": PIPE_REASON},
        {"path": str(tmp_path / "given"), "reason": PIPE_REASON},
    ]


def test_predict_prints_every_name_as_one_escaped_tsv_line(trained, tmp_path, capsysbinary):
    """In this process: pytest's capture, like a UTF-8 terminal, takes UTF-8 text only."""
    names = odd_names(tmp_path / "in")

    assert main(["predict", str(trained), str(tmp_path / "in"), "--device", "cpu"]) == 0

    captured = capsysbinary.readouterr()
    lines = captured.out.decode("utf-8").splitlines()  # strict: valid UTF-8
    assert all(len(line.split("\t")) == 3 for line in lines)
    assert sorted(line.split("\t")[0] for line in lines) == sorted(tsv for _, tsv in names)
    assert b"Classified 3 images" in captured.err


def test_predict_json_and_csv_hold_every_name_as_utf8(trained, tmp_path, capsysbinary):
    names = odd_names(tmp_path / "in")
    out = tmp_path / "out.csv"

    status = main(["predict", str(trained), str(tmp_path / "in"), "--device", "cpu", "--json", "--out", str(out)])

    assert status == 0, capsysbinary.readouterr().err
    document = json.loads(capsysbinary.readouterr().out.decode("utf-8"))
    shown = sorted(name for name, _ in names)
    assert sorted(p["path"] for p in document["predictions"]) == shown and document["failed"] == []
    with out.open(newline="", encoding="utf-8") as f:  # strict: valid UTF-8
        assert sorted(row["path"] for row in csv.DictReader(f)) == shown


def test_import_takes_every_name_and_reports_it_as_utf8(tmp_path):
    create_project(tmp_path / "p.loupe", ["a"]).close()
    names = odd_names(tmp_path / "in")

    result = loupe("import", tmp_path / "p.loupe", tmp_path / "in", "--json", timeout=60)

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.decode("utf-8"))
    assert report["added"] == len(names) and report["rejected"] == []  # one such name failed the batch
    again = json.loads(loupe("import", tmp_path / "p.loupe", tmp_path / "in", "--json", timeout=60).stdout)
    assert again["unchanged"] == len(names) and again["added"] == 0
