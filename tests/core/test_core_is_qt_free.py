"""app.core must never import Qt, directly or through another module of the project."""

import pkgutil
import subprocess
import sys

import app.core

QT_MODULES = ("PySide6", "qasync", "pyqtgraph", "shiboken6")


def core_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(app.core.__path__, prefix="app.core."))


def test_core_modules_exist():
    assert "app.core.project.store" in core_modules() and "app.core.importing.importer" in core_modules()


def test_importing_every_core_module_loads_no_qt():
    # A fresh interpreter, so nothing the test runner imported counts.
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"app.core pulled in Qt: {result.stdout.strip()}"


def test_the_check_catches_a_qt_import(tmp_path):
    """The guard itself works: a module that imports PySide6 is reported."""
    (tmp_path / "leaky.py").write_text("import PySide6.QtCore\n")
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import leaky\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "PySide6" in result.stdout
