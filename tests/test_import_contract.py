"""The import contract: no circles anywhere in `app`, and the core's packages in layers, each
importing only those below it (docs/architecture.md draws them).

Imports are read from the source, every one of them: at the top of a module and inside
functions (where the core imports torch-heavy modules lazily, and where a circle hides best).
Only the imports under `if TYPE_CHECKING:` are left out: they never run.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The core's layers, bottom first. A module may import its own layer's modules and any layer
#: below; the flat modules at the bottom import nothing of the project.
CORE_LAYERS: tuple[tuple[str, ...], ...] = (
    (
        "app.core.errors",
        "app.core.atomic_files",
        "app.core.torch_threads",
        "app.core.resource_files",
        "app.core.user_folders",
        "app.core.file_names",
    ),
    ("app.core.imaging",),
    ("app.core.project",),
    ("app.core.labelling",),
    ("app.core.importing",),
    ("app.core.sources",),  # whole slides and scenes cut into tiles
    ("app.core.training",),
    ("app.core.hub",),  # model downloads: the presets (training) and errors only
    ("app.core.export",),
    ("app.core.inference",),
    ("app.core.active",),
    ("app.core.zeroshot",),  # pre-labels from class names (CLIP-family models)
    ("app.core.quality",),  # labels that look wrong, near-duplicate images
)
#: Above the core, side by side: neither imports the other.
FRONTS = ("app.cli", "app.gui")
QT_MODULES = ("PySide6", "shiboken6", "qasync", "pyqtgraph")


def module_files(root: Path, package: str = "app") -> dict[str, Path]:
    """Module name -> file, for every module under `root/package`."""
    modules = {}
    for path in (root / package).rglob("*.py"):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking_block(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return isinstance(node, ast.If) and (
        (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING")
        or (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
    )


def _import_nodes(tree: ast.AST):
    """Every import statement, at any depth, except those under `if TYPE_CHECKING:`."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if _is_type_checking_block(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def imported_names(module: str, path: Path) -> set[str]:
    """The dotted names one module imports (`from a.b import c` gives `a.b.c`: a submodule or a
    name in `a.b`, which `imports` resolves)."""
    names = set()
    for node in _import_nodes(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
            package = package[: len(package) - (node.level - 1)]
            base = ".".join(package + ([node.module] if node.module else []))
        names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module -> the project's modules it imports."""
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in modules.items():
        for name in imported_names(module, path):
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                graph[module].add(name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected sets of two or more modules (Tarjan, without recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
    return found


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def core_layer(module: str) -> int | None:
    for level, prefixes in enumerate(CORE_LAYERS):
        if any(_within(module, prefix) for prefix in prefixes):
            return level
    return None


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    """Each import that goes up the core's layers, from the core to a front, between the two
    fronts, or (in the core) to Qt."""
    broken = []
    for module, targets in sorted(graph.items()):
        level = core_layer(module)
        for target in sorted(targets):
            target_level = core_layer(target)
            if level is not None and target_level is None:
                broken.append(f"{module} -> {target}: the core imports a front")
            elif level is not None and target_level > level:
                broken.append(f"{module} -> {target}: an upward import (layer {level} -> {target_level})")
            for front in FRONTS:
                other = [f for f in FRONTS if f != front]
                if _within(module, front) and any(_within(target, o) for o in other):
                    broken.append(f"{module} -> {target}: one front imports the other")
    return broken


def qt_imports(modules: dict[str, Path]) -> list[str]:
    return [
        f"{module} imports {name}"
        for module, path in sorted(modules.items())
        if core_layer(module) is not None
        for name in sorted(imported_names(module, path))
        if name.split(".")[0] in QT_MODULES
    ]


# -- the contract on the real tree -------------------------------------------------------------


@pytest.fixture(scope="module")
def app_modules():
    return module_files(ROOT)


def test_every_core_module_has_a_layer(app_modules):
    unplaced = [m for m in app_modules if _within(m, "app.core") and m != "app.core" and core_layer(m) is None]
    assert unplaced == [], "add these to CORE_LAYERS (and to docs/architecture.md)"


def test_no_import_circles(app_modules):
    assert circles(imports(app_modules)) == []


def test_imports_follow_the_layers(app_modules):
    assert broken_rules(imports(app_modules)) == []


def test_the_core_names_no_qt(app_modules):
    assert qt_imports(app_modules) == []


def test_the_core_has_few_flat_modules(app_modules):
    flat = [p for p in (ROOT / "app" / "core").glob("*.py") if p.name != "__init__.py"]
    assert len(flat) <= 6, sorted(p.name for p in flat)


def test_the_window_layer_holds_no_sql(app_modules):
    """Queries and writes are core calls (which the command line can make too), run in lanes."""
    sql = ("SELECT ", "INSERT ", "UPDATE ", "DELETE FROM", ".execute(", ".executemany(")
    found = [
        f"{module}: {line.strip()}"
        for module, path in sorted(app_modules.items())
        if _within(module, "app.gui")
        for line in path.read_text(encoding="utf-8").splitlines()
        if any(word in line for word in sql)
    ]
    assert found == []


# -- the checker itself catches what it is for -------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return module_files(tmp_path)


def test_a_circle_hidden_in_a_function_is_found(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/project/__init__.py": "",
            "app/core/project/store.py": "def f():\n    from app.core.project import summary\n",
            "app/core/project/summary.py": "from app.core.project.store import f\n",
        },
    )
    assert circles(imports(modules)) == [["app.core.project.store", "app.core.project.summary"]]


def test_type_checking_imports_are_not_a_circle(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/a.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app.core.b import X\n",
            "app/core/b.py": "from app.core.a import Y\n",
        },
    )
    assert circles(imports(modules)) == []


def test_an_upward_import_and_a_front_in_the_core_are_found(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/gui/__init__.py": "",
            "app/gui/window.py": "",
            "app/core/__init__.py": "",
            "app/core/project/__init__.py": "",
            "app/core/project/settings.py": "def f():\n    from app.core.training.config import C\n",
            "app/core/training/__init__.py": "",
            "app/core/training/config.py": "import PySide6.QtCore\nfrom app.gui import window\n",
        },
    )
    broken = broken_rules(imports(modules))
    assert any("project.settings -> app.core.training.config: an upward import" in line for line in broken)
    assert any("training.config -> app.gui.window: the core imports a front" in line for line in broken)
    assert qt_imports(modules) == ["app.core.training.config imports PySide6.QtCore"]


def test_relative_imports_resolve(tmp_path):
    modules = _tree(
        tmp_path,
        {
            "app/__init__.py": "",
            "app/core/__init__.py": "",
            "app/core/imaging/__init__.py": "from . import decoded\n",
            "app/core/imaging/decoded.py": "from ..imaging import budget\n",
            "app/core/imaging/budget.py": "",
        },
    )
    assert imports(modules)["app.core.imaging"] == {"app.core.imaging.decoded"}
    assert imports(modules)["app.core.imaging.decoded"] == {"app.core.imaging.budget"}


if __name__ == "__main__":  # print today's circles and broken rules
    graph = imports(module_files(ROOT))
    for circle in circles(graph):
        print("circle:", " ".join(circle))
    print("\n".join(broken_rules(graph)))
    sys.exit(0)
