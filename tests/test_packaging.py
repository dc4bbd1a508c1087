"""The app bundle's recipe, checked without building it (a build takes 10-20 minutes and
`make bundle-check` runs the result): every data file packaging/loupe.spec hands PyInstaller
exists and lands where `resource_dir()` looks, the desktop entry is well formed, the icons are
real images, the Makefile has the targets, and bundle-check's picture test tells a painted
window from a blank one."""

import ast
import configparser
import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def load(name: str):
    """A module of packaging/ by file (`packaging` itself is the PyPI library's name)."""
    spec = importlib.util.spec_from_file_location(f"loupe_packaging_{name}", PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bundle_data = load("bundle_data")


def test_every_file_the_bundle_needs_exists():
    assert bundle_data.missing() == []
    pairs = bundle_data.data_files()
    missing = [source for source, _ in pairs if not Path(source).is_file()]
    assert missing == []
    names = {Path(source).name for source, _ in pairs}
    assert {"loupe.png", "loupe.ico", "loupe.icns", "loupe_zh_CN.qm", "loupe_en.qm"} <= names
    assert (ROOT / bundle_data.DESKTOP_FILE).is_file()


def test_the_sample_images_all_go_in():
    pairs = bundle_data.data_files()
    samples = [source for source, _ in pairs if "/sample/" in Path(source).as_posix()]
    on_disk = list((ROOT / "resources" / "sample").rglob("*.jpg"))
    assert len(samples) == len(on_disk) == 60
    assert {Path(source).parent.name for source in samples} == {"healthy", "irregular", "no-cells", "unlabelled"}


def test_data_lands_where_resource_dir_finds_it_installed():
    """In the bundle the files sit under app/resources/, mirroring resources/, as in an installed
    wheel, where app.core.resource_files.resource_dir() looks first."""
    resources = ROOT / "resources"
    for source, destination in bundle_data.data_files():
        relative = Path(source).relative_to(resources)
        assert Path(destination) / relative.name == Path("app/resources") / relative


def test_the_spec_takes_its_data_from_bundle_data_and_names_both_executables():
    text = (PACKAGING / "loupe.spec").read_text(encoding="utf-8")
    ast.parse(text)  # valid Python
    assert "bundle_data.data_files(ROOT)" in text and "bundle_data.missing(ROOT)" in text
    assert 'WINDOW_NAME = "Loupe"' in text
    # Windows and macOS file names ignore case: the command line cannot be `loupe` beside `Loupe`.
    assert 'CLI_NAME = "loupe-cli" if (IS_WIN or IS_MAC) else "loupe"' in text
    assert 'bundle_identifier="org.loupe.Loupe"' in text
    for entry in ("entry_window.py", "entry_cli.py"):
        assert (PACKAGING / entry).is_file() and entry in text
        assert "multiprocessing.freeze_support()" in (PACKAGING / entry).read_text(encoding="utf-8")


def test_the_desktop_entry_is_well_formed():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(ROOT / bundle_data.DESKTOP_FILE, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] == "Loupe" and desktop["Name[zh_CN]"] == "Loupe"
    assert desktop["Comment"] and re.search(r"[\u4e00-\u9fff]", desktop["Comment[zh_CN]"])
    assert desktop["Exec"].split()[0] == "Loupe" and desktop["Icon"] == "loupe"
    assert {"Graphics", "Science", "MedicalSoftware"} <= set(desktop["Categories"].strip(";").split(";"))
    assert desktop["Terminal"] == "false"


@pytest.mark.parametrize(("name", "size"), [("loupe.png", 512), ("loupe-256.png", 256)])
def test_the_icons_are_square_pictures(name, size):
    with Image.open(bundle_data.icon(name)) as picture:
        assert picture.size == (size, size) and picture.mode == "RGBA"
        alpha = np.asarray(picture)[..., 3]
        assert alpha[0, 0] == 0 and alpha[size // 2, size // 2] == 255  # rounded corners, solid middle


def test_the_windows_and_macos_icons_hold_the_sizes_they_need():
    with Image.open(bundle_data.icon("loupe.ico")) as ico:
        assert (256, 256) in ico.info["sizes"] and (16, 16) in ico.info["sizes"]
    with Image.open(bundle_data.icon("loupe.icns")) as icns:
        assert icns.format == "ICNS" and max(icns.info["sizes"])[0] >= 512


def test_the_makefile_builds_and_checks_bundles_but_the_tests_do_not():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = dict(re.findall(r"^([\w-]+):(.*)$", text, re.MULTILINE))
    assert "bundle" in targets and "bundle-check" in targets
    recipe_of_test = re.search(r"^test:.*\n((?:\t.*\n)+)", text, re.MULTILINE).group(1)
    assert "bundle" not in recipe_of_test and "PyInstaller" not in recipe_of_test


def test_the_bundle_tools_are_pinned():
    tools = load("bundle_tools")
    assert set(tools.pinned()) == {"pyinstaller", "pyinstaller-hooks-contrib"}


def test_bundle_check_tells_a_painted_window_from_a_blank_one():
    check = load("check_bundle")
    painted = np.asarray(Image.open(ROOT / "docs" / "sample-project.png").convert("RGB"))
    assert check.check_picture(painted)["grid_rows_with_cells"] >= 10
    with pytest.raises(check.CheckFailed, match="distinct colours"):
        check.check_picture(np.full((800, 1280, 3), 240, np.uint8))
    empty_grid = painted.copy()
    empty_grid[:, 350:820] = 230  # the window as painted, but the grid's tiles never were
    with pytest.raises(check.CheckFailed, match="thumbnails are not painted"):
        check.check_picture(empty_grid)
