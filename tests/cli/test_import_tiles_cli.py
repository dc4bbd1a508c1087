"""`loupe import PROJECT SOURCE... --tiles SIZE [--mpp M | --level L] [--min-tissue F]`."""

from __future__ import annotations

import json

import pytest

from app.cli import main
from tests.slides import georef_scene, pyramid_slide, scene_pixels, slide_pixels


@pytest.fixture
def slides(tmp_path):
    folder = tmp_path / "slides"
    folder.mkdir()
    pyramid_slide(folder / "a.tif", slide_pixels(1024, 768, [(256, 256, 512, 256)]))
    georef_scene(folder / "scene.tif", scene_pixels(512, 384, border=64))
    (folder / ".hidden.tif").write_bytes(b"not looked at")
    assert main(["new", str(tmp_path / "p.loupe")]) == 0
    return folder


def run(capsys, *args) -> tuple[int, str, str]:
    status = main([*map(str, args)])
    out, err = capsys.readouterr()
    return status, out, err


def test_a_folder_of_sources_is_cut_into_tiles_and_reported(tmp_path, slides, capsys):
    capsys.readouterr()
    status, out, _ = run(capsys, "import", tmp_path / "p.loupe", slides, "--tiles", 128, "--level", 0, "--json")
    assert status == 0
    report = json.loads(out)
    by_name = {s["path"].rsplit("/", 1)[-1]: s for s in report["sources"]}
    assert set(by_name) == {"a.tif", "scene.tif"} and report["rejected"] == []
    assert by_name["a.tif"]["path"] == str(slides / "a.tif")  # absolute, as every --json path
    assert (by_name["a.tif"]["kind"], by_name["a.tif"]["tiles_added"]) == ("slide", 8)  # 4×2 tiles of tissue
    assert (by_name["scene.tif"]["kind"], by_name["scene.tif"]["crs"]) == ("scene", "EPSG:32633")
    # 4×3 tiles; a 64-pixel nodata border: the corners are a quarter data (skipped), the edges half (kept)
    assert by_name["scene.tif"]["tiles_added"] == 8
    assert report["tiles_added"] == report["added"] == 16 and report["skipped_background"] == (48 - 8) + (12 - 8)

    status, out, _ = run(capsys, "import", tmp_path / "p.loupe", slides / "a.tif", "--tiles", 128, "--level", 0)
    assert status == 0 and "0 tiles added" in out and "8 already in the project" in out

    status, out, _ = run(capsys, "info", tmp_path / "p.loupe")
    assert status == 0 and "16 images" in out
    assert "slides/a.tif: slide 1024×768, 8 tiles (0 labelled), 40 skipped as background" in out
    assert "slides/scene.tif: scene 512×384, 8 tiles (0 labelled), 4 skipped as no data" in out


def test_resolution_in_microns_and_the_tissue_share(tmp_path, slides, capsys):
    capsys.readouterr()
    status, out, _ = run(
        capsys, "import", tmp_path / "p.loupe", slides / "a.tif", "--tiles", 64, "--mpp", 0.5, "--min-tissue", 0.9
    )
    assert status == 0
    assert "64 px at 0.50 µm/px" in out and "8 tiles added" in out  # 128 level-0 pixels a tile


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--mpp", "0.5"], "--mpp only means something with --tiles SIZE"),
        (["--tiles", "8"], "a tile of 8 pixels: choose a size from 16 to 4096"),
        (["--tiles", "128", "--min-tissue", "2"], "the tissue share must be from 0 to 1"),
        (["--tiles", "128", "--mpp", "0.5", "--level", "1"], "not allowed with argument"),
        (["--tiles", "128", "--frames", "first"], "--frames is for multi-frame DICOM files"),
    ],
)
def test_bad_tile_options_exit_2_with_one_line(tmp_path, slides, capsys, extra, message):
    capsys.readouterr()
    try:
        status = main(["import", str(tmp_path / "p.loupe"), str(slides / "a.tif"), *extra])
    except SystemExit as exc:  # argparse's own refusals (two exclusive options)
        status = exc.code
    assert status == 2 and message in capsys.readouterr().err


def test_a_file_that_cannot_be_tiled_is_rejected_with_its_reason(tmp_path, slides, capsys):
    capsys.readouterr()
    status, out, _ = run(capsys, "import", tmp_path / "p.loupe", slides / "a.tif", "--tiles", 128, "--level", 9)
    assert status == 1
    assert "a.tif: this file has 3 levels (0 to 2); there is no level 9" in out
    status, _, err = run(capsys, "import", tmp_path / "p.loupe", tmp_path / "nowhere.svs", "--tiles", 128)
    assert status == 2 and "no such file or folder" in err


@pytest.mark.parametrize(("frames", "added"), [("each", 4), ("first", 1), ("2", 1)])
def test_frames_of_a_multi_frame_dicom(tmp_path, capsys, frames, added):
    from tests.medical_dicom import frame_stack, write_medical_dicom

    write_medical_dicom(tmp_path / "scans" / "cine.dcm", frame_stack(4))
    assert main(["new", str(tmp_path / "p.loupe")]) == 0
    capsys.readouterr()
    status, out, _ = run(capsys, "import", tmp_path / "p.loupe", tmp_path / "scans", "--frames", frames, "--json")
    assert status == 0 and json.loads(out)["added"] == added


def test_a_bad_frames_choice_exits_2(tmp_path, capsys):
    assert main(["new", str(tmp_path / "p.loupe")]) == 0
    (tmp_path / "scans").mkdir()
    capsys.readouterr()
    status, _, err = run(capsys, "import", tmp_path / "p.loupe", tmp_path / "scans", "--frames", "middle")
    assert status == 2 and "frames must be 'each', 'first' or a frame number (0-based), not 'middle'" in err


def test_the_tissue_threshold_changes_the_mask(tmp_path, capsys):
    import numpy as np

    data = np.full((512, 768, 3), 245, np.uint8)
    data[128:384, 256:512] = (238, 226, 234)  # a faint stain
    pyramid_slide(tmp_path / "faint.tif", data, levels=2)
    assert main(["new", str(tmp_path / "p.loupe")]) == 0
    capsys.readouterr()
    args = ["import", tmp_path / "p.loupe", tmp_path / "faint.tif", "--tiles", 128, "--level", 0, "--json"]
    status, out, _ = run(capsys, *args)
    assert status == 0 and json.loads(out)["tiles_added"] == 0
    status, out, _ = run(capsys, *args, "--tissue-threshold", 0.02)
    assert status == 0 and json.loads(out)["tiles_added"] == 4
    status, _, err = run(capsys, "import", tmp_path / "p.loupe", tmp_path / "faint.tif", "--tissue-threshold", 0.02)
    assert status == 2 and "--tissue-threshold only means something with --tiles SIZE" in err


def test_relink_finds_a_moved_slide_and_its_tiles_follow(tmp_path, slides, capsys):
    import shutil

    from app.core.importing.file_check import check_files
    from app.core.project.store import Project

    project_file = tmp_path / "p.loupe"
    assert main(["import", str(project_file), str(slides / "a.tif"), "--tiles", "128", "--level", "0"]) == 0
    with Project.open(project_file) as project:
        label_ids = [i for (i,) in project.conn.execute("SELECT id FROM images LIMIT 3")]
    shutil.move(slides, tmp_path / "archive")
    capsys.readouterr()
    status, out, _ = run(capsys, "relink", project_file, tmp_path / "archive", "--json")
    assert status == 0
    [found] = json.loads(out)["sources"]
    assert found["path"] == str(tmp_path / "archive" / "a.tif") and found["tiles"] == 8
    with Project.open(project_file) as project:
        assert not check_files(project).missing
        paths = [project.conn.execute("SELECT path FROM images WHERE id = ?", (i,)).fetchone()[0] for i in label_ids]
    assert all(p.startswith("archive/a.tif::tile(") for p in paths)  # the same images, found again
