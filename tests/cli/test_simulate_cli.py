"""`loupe simulate` end to end on a tiny model and colour images: results.csv, a real PNG, the
JSON contract, and a one-line exit 2 for a strategy that does not exist."""

import csv
import json

from PIL import Image

from app.cli import main
from tests.tiny_models import save_tiny_resnet, write_colour_images


def test_simulate_writes_results_and_learning_curves(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative arguments; the JSON paths are absolute all the same
    write_colour_images(tmp_path / "labelled", per_class=8)
    save_tiny_resnet(tmp_path / "resnet")
    status = main(
        [
            "simulate",
            "labelled",
            "--model",
            "resnet",
            "--method",
            "linear",
            "--epochs",
            "2",
            "--lr",
            "0.05",
            "--workers",
            "0",
            "--device",
            "cpu",
            "--no-augment",
            "--strategies",
            "random,coreset",
            "--initial",
            "4",
            "--step",
            "3",
            "--rounds",
            "2",
            "--seeds",
            "2",
            "--out",
            "sim",
            "--json",
        ]
    )
    captured = capsys.readouterr()
    assert status == 0, captured.err
    document = json.loads(captured.out)
    assert document["results"] == str(tmp_path / "sim" / "results.csv")
    assert document["plot"] == str(tmp_path / "sim" / "learning_curves.png")
    assert len(document["rows"]) == 2 * 2 * 3
    assert set(document["rows"][0]) == {"strategy", "seed", "labels", "accuracy", "macro_f1"}
    with open(document["results"], newline="") as f:
        table = list(csv.DictReader(f))
    assert [(r["strategy"], r["seed"], int(r["labels"])) for r in table] == [
        (row["strategy"], str(row["seed"]), row["labels"]) for row in document["rows"]
    ]
    with Image.open(document["plot"]) as picture:
        picture.load()
        assert picture.format == "PNG" and picture.size == (1000, 650)
        assert len(picture.convert("RGB").getcolors(1_000_000)) > 50  # lines, text and bands, not a blank page


def test_plain_output_is_a_table_and_the_paths(tmp_path, capsys):
    write_colour_images(tmp_path / "labelled", per_class=5, classes=("red", "blue"))
    save_tiny_resnet(tmp_path / "resnet")
    assert (
        main(
            [
                "simulate",
                str(tmp_path / "labelled"),
                "--model",
                str(tmp_path / "resnet"),
                "--epochs",
                "1",
                "--workers",
                "0",
                "--device",
                "cpu",
                "--strategies",
                "random,margin",
                "--initial",
                "3",
                "--step",
                "2",
                "--rounds",
                "1",
                "--seeds",
                "1",
                "--out",
                str(tmp_path / "sim"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:3] == ["strategy", "labels", "test"]
    assert out[1].split()[:2] == ["random", "5"] and out[2].split()[:2] == ["margin", "5"]
    assert out[-2] == f"Results: {tmp_path / 'sim' / 'results.csv'}"
    assert out[-1] == f"Learning curves: {tmp_path / 'sim' / 'learning_curves.png'}"


def test_an_unknown_strategy_is_one_line_and_exit_2(tmp_path, capsys):
    write_colour_images(tmp_path / "labelled", per_class=2)
    status = main(
        [
            "simulate",
            str(tmp_path / "labelled"),
            "--model",
            "whatever",
            "--strategies",
            "random,best",
            "--out",
            str(tmp_path / "sim"),
        ]
    )
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("loupe: error: unknown strategy 'best'; choose random,")
    assert not (tmp_path / "sim").exists()
