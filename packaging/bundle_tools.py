"""`python packaging/bundle_tools.py --check`: exit 0 when this Python has the bundle extra's
tools at the versions constraints.txt pins (PyInstaller and pyinstaller-hooks-contrib), else 1
with a line saying what is missing, so a build script installs the extra only when needed."""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ("pyinstaller", "pyinstaller-hooks-contrib")


def pinned(constraints: Path = ROOT / "constraints.txt") -> dict[str, str]:
    """The exact versions constraints.txt gives the bundle's tools."""
    pins = {}
    for line in constraints.read_text(encoding="utf-8").splitlines():
        name, _, version = line.split("#")[0].strip().partition("==")
        if name.strip().lower() in TOOLS and version:
            pins[name.strip().lower()] = version.strip()
    return pins


def missing() -> list[str]:
    wrong = []
    for name, version in pinned().items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} (not installed; {version} wanted)")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} ({version} wanted)")
    return wrong


if __name__ == "__main__":
    if sys.argv[1:] != ["--check"]:
        sys.exit(__doc__)
    wrong = missing()
    if wrong:
        print("bundle tools missing: " + ", ".join(wrong))
    sys.exit(1 if wrong else 0)
