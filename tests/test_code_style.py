"""One formatter and one lint rule set for the whole tree (pyproject.toml's [tool.ruff]): the
suite fails on a file `ruff format` would change or a finding of `ruff check`, so no layout is
argued over in review and no comment that switches the formatter off is needed to keep one."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", str(ROOT)], capture_output=True, text=True, cwd=ROOT
    )


def test_the_tree_is_formatted():
    result = ruff("format", "--check")
    assert result.returncode == 0, f"run `ruff format .`:\n{result.stdout}{result.stderr}"


def test_the_tree_passes_the_lint_rules():
    result = ruff("check", "--output-format", "concise")
    assert result.returncode == 0, f"run `ruff check --fix .`:\n{result.stdout}{result.stderr}"


def test_no_formatter_markers_are_left():
    markers = ("fmt" + ": skip", "fmt" + ": off")  # spelled apart, so this file does not hold them
    files = subprocess.run(["git", "ls-files", "*.py"], capture_output=True, text=True, cwd=ROOT, check=True)
    marked = [
        f"{name}:{number}"
        for name in files.stdout.split()
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if any(marker in line for marker in markers)
    ]
    assert marked == []
