"""`loupe predict PROJECT SOURCE... --tiles SIZE [--mpp M | --level L] [--min-tissue F] --out FILE`:
the map written (CSV or GeoJSON by suffix), the --json summary, the exit codes and their one-line
messages, and checks made before any tile is classified."""

from __future__ import annotations

import csv
import json

import pytest

from app.cli import main
from app.core.project.store import Project
from tests.core.sources.test_maps import TILE, colour_slide_pixels
from tests.predict_runs import project_copy, trained_project
from tests.slides import pyramid_slide


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("map-cli")
    path, runs = trained_project(folder / "project")
    slide = pyramid_slide(folder / "slide.tif", colour_slide_pixels())
    return path, runs["linear"], slide


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([*map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_json_summary_and_the_map(trained, tmp_path, capsys, monkeypatch):
    path, run_id, slide = trained
    monkeypatch.chdir(tmp_path)
    before = path.read_bytes()
    status, out, _ = run(
        capsys,
        "predict",
        path,
        slide,
        "--tiles",
        TILE,
        "--level",
        0,
        "--out",
        "map.geojson",
        "--json",
        "--device",
        "cpu",
    )
    assert status == 0
    summary = json.loads(out)
    assert summary["out"] == str(tmp_path / "map.geojson") and summary["format"] == "GeoJSON"
    assert summary["run"] == run_id and summary["tiles"] == 12 and summary["failed"] == 0
    assert sum(summary["classes"].values()) == 12 and set(summary["classes"]) <= {"red", "green", "blue"}
    assert summary["tiles_per_second"] > 0 and summary["stored"] == 0  # the slide is not in the project
    (source,) = summary["sources"]
    assert (source["path"], source["tiles"], source["skipped"], source["level"]) == (str(slide), 12, 12, 0)
    assert len(json.loads((tmp_path / "map.geojson").read_text())["features"]) == 12
    assert path.read_bytes() == before  # none of its tiles: the project is only read


def test_words_and_a_csv_at_microns_per_pixel(trained, tmp_path, capsys):
    path, _, slide = trained
    out_file = tmp_path / "maps" / "map.csv"
    status, out, _ = run(capsys, "predict", path, slide, "--tiles", 64, "--mpp", 1.0, "--out", out_file)
    assert status == 0
    # 256 level-0 pixels a tile, read from level 2: 3×2 tiles, each half tissue (kept at the default 0.5)
    assert "slide.tif: 6 tiles, 0 skipped as background" in out
    assert f"CSV map written to {out_file}" in out
    with out_file.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6 and {(r["level"], r["width"]) for r in rows} == {("2", "256")}


def test_imported_tiles_keep_their_predictions_for_the_window(trained, tmp_path, capsys):
    template, _, slide = trained
    path = project_copy(template, tmp_path / "copy")
    assert main(["import", str(path), str(slide), "--tiles", str(TILE), "--level", "0"]) == 0
    capsys.readouterr()
    status, out, _ = run(capsys, "predict", path, slide, "--tiles", TILE, "--level", 0, "--out", tmp_path / "m.csv")
    assert status == 0 and "Kept the predictions of 12 tiles of the project for the window" in out
    with Project.open(path) as window:  # the window holds the project: the map is written, the predictions not kept
        assert not window.read_only
        status, out, _ = run(capsys, "predict", path, slide, "--tiles", TILE, "--level", 0, "--out", tmp_path / "m.csv")
    assert status == 0 and "were not kept: the project is read-only here" in out and "open in another Loupe" in out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mpp", "0.5"], "--mpp only means something with --tiles SIZE"),
        (["--min-tissue", "0.2", "--level", "1"], "--level, --min-tissue only mean something with --tiles SIZE"),
        (["--tiles", "128"], "--tiles writes a map: give --out"),
        (["--tiles", "128", "--out", "map.txt"], "is none of them"),
        (["--tiles", "8", "--out", "map.csv"], "choose a size from 16 to 4096"),
        (["--tiles", "128", "--min-tissue", "2", "--out", "map.csv"], "from 0 to 1"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(trained, tmp_path, capsys, extra, message):
    path, _, slide = trained
    status, out, err = run(capsys, "predict", path, slide, *[a.replace("map.", f"{tmp_path}/map.") for a in extra])
    assert status == 2 and message in err and "Traceback" not in err
    assert not list(tmp_path.glob("map.*"))


def test_the_map_never_lands_on_the_project(trained, capsys):
    path, _, slide = trained
    before = path.read_bytes()
    inside = path.parent / "train.loupe-models" / "map.geojson"
    status, _, err = run(capsys, "predict", path, slide, "--tiles", TILE, "--out", inside)
    assert status == 2 and "inside the project's models folder" in err
    assert path.read_bytes() == before and not inside.exists()


def test_microns_on_a_file_without_a_pixel_size_exit_2(trained, tmp_path, capsys):
    path, _, _ = trained
    no_mpp = pyramid_slide(tmp_path / "no-mpp.tif", colour_slide_pixels(), mpp=None)
    status, _, err = run(capsys, "predict", path, no_mpp, "--tiles", TILE, "--mpp", 0.5, "--out", tmp_path / "m.csv")
    assert status == 2 and "no-mpp.tif" in err and "--level" in err
    assert not (tmp_path / "m.csv").exists()


def test_an_unreadable_source_and_no_active_run_exit_1(trained, tmp_path, capsys):
    path, _, slide = trained
    broken = tmp_path / "broken.tif"
    broken.write_bytes(b"not a tiff at all")
    status, _, err = run(capsys, "predict", path, broken, "--tiles", TILE, "--out", tmp_path / "m.csv")
    assert status == 1 and "cannot read" in err and "broken.tif" in err and "Traceback" not in err
    assert main(["new", str(tmp_path / "empty.loupe")]) == 0
    capsys.readouterr()
    status, _, err = run(
        capsys, "predict", tmp_path / "empty.loupe", slide, "--tiles", TILE, "--out", tmp_path / "m.csv"
    )
    assert status == 1 and "no run is active" in err
    status, _, err = run(
        capsys, "predict", path, tmp_path / "nowhere.tif", "--tiles", TILE, "--out", tmp_path / "m.csv"
    )
    assert status == 2 and "no such file or folder" in err
    assert not (tmp_path / "m.csv").exists()


def test_a_tile_named_by_its_path_is_classified_without_tiles(trained, capsys):
    path, _, slide = trained
    tile = f"{slide}::tile(L0,512,128,128x128,128)"  # the blue tissue
    status, out, err = run(capsys, "predict", path, tile, "--device", "cpu")
    assert status == 0 and out.startswith(f"{tile}\tblue\t"), err
