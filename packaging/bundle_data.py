"""What the bundle carries besides code: the (source, destination folder) pairs loupe.spec hands
PyInstaller as `datas`, in one place so tests/test_packaging.py can check every source exists
without building anything.

Inside the bundle Loupe's own files go under `app/resources/`, where an installed Loupe has them
(setup.py maps the checkout's `resources/` there), so `app.core.resource_files.resource_dir()`
finds them frozen as installed: PyInstaller gives the package's modules a `__file__` under the
bundle's folder (`sys._MEIPASS/app/...`), and that folder beside them holds the data.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = "resources"
#: Where resource_dir() looks inside the bundle (as in an installed wheel).
BUNDLED_RESOURCES = "app/resources"

#: The app icon: the window's (setWindowIcon), the executables' and the .desktop file's.
ICONS = ("loupe.png", "loupe-256.png", "loupe.ico", "loupe.icns")
#: The interface's languages; every other loupe_*.qm found is carried too.
TRANSLATIONS = ("loupe_zh_CN.qm", "loupe_en.qm")
#: The sample project's images (as pyproject's package-data for app.resources).
SAMPLE_PATTERNS = ("sample/*/*/*.jpg", "sample/*/*.jpg")
#: The Linux desktop entry; build_linux.sh copies it into the bundle folder beside the icon.
DESKTOP_FILE = "packaging/linux/loupe.desktop"

#: Qt's own translations kept (standard buttons and dialogs), one per interface language;
#: the other 190-odd files are other Qt tools' (designer, linguist, assistant, qml…).
QT_TRANSLATIONS = tuple(f"qtbase_{language}.qm" for language in ("zh_CN", "en"))


def icon(name: str, root: Path = ROOT) -> Path:
    return root / RESOURCES / "icons" / name


def required_files(root: Path = ROOT) -> list[Path]:
    """Every file the bundle must have: named ones (which may be missing; the spec refuses to
    build then) and the sample images found (at least one)."""
    resources = root / RESOURCES
    files = [resources / "icons" / name for name in ICONS]
    files += [resources / "translations" / name for name in TRANSLATIONS]
    files.append(root / DESKTOP_FILE)
    return files


def sample_images(root: Path = ROOT) -> list[Path]:
    resources = root / RESOURCES
    return sorted(path for pattern in SAMPLE_PATTERNS for path in resources.glob(pattern))


def data_files(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, destination folder in the bundle) for every data file Loupe's code reads."""
    resources = root / RESOURCES
    sources = [resources / "icons" / name for name in ICONS]
    sources += sorted(
        {*(resources / "translations" / name for name in TRANSLATIONS)} | {*resources.glob("translations/loupe_*.qm")}
    )
    sources += sample_images(root)
    return [(str(path), str(Path(BUNDLED_RESOURCES) / path.parent.relative_to(resources))) for path in sources]


def missing(root: Path = ROOT) -> list[Path]:
    """The required files that are not there (empty when the bundle can be built)."""
    gone = [path for path in required_files(root) if not path.is_file()]
    if not sample_images(root):
        gone.append(root / RESOURCES / "sample")
    return gone
