"""The classes of a project: names, colours, order, the 1–9 shortcuts, the zero-shot description.

Shortcuts follow the order: the first nine classes get keys 1–9, renumbered whenever classes are
added, moved or deleted, so what the user sees always matches what the keys do.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from app.core.errors import ConfigError, LoupeError
from app.core.labelling.labels import ActionResult, delete_class_action, renumber_shortcuts
from app.core.project.store import Project

#: Colours given to new classes in turn: Okabe and Ito's set, told apart by people with any
#: common colour-vision deficiency (about 1 man in 12), then a grey; black is left out (text).
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#d55e00",
    "#56b4e9",
    "#cc79a7",
    "#f0e442",
    "#999999",
)
_COLUMNS = "id, name, colour, shortcut, description, position"


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    colour: str
    shortcut: str | None
    description: str
    position: int


def list_classes(project: Project) -> list[ClassInfo]:
    rows = project.conn.execute(f"SELECT {_COLUMNS} FROM classes WHERE deleted = 0 ORDER BY position, id")
    return [ClassInfo(*row) for row in rows]


def find_class(project: Project, name: str) -> ClassInfo | None:
    row = project.conn.execute(
        f"SELECT {_COLUMNS} FROM classes WHERE name = ? COLLATE NOCASE AND deleted = 0", (name,)
    ).fetchone()
    return ClassInfo(*row) if row else None


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LoupeError("a class name cannot be empty")
    return cleaned


def check_new_names(names: list[str]) -> list[str]:
    """The names cleaned, or ConfigError if any is empty or two are the same class. Class names
    are compared without regard to case everywhere ('Cat' and 'cat' are one class), as the
    project file itself compares them."""
    cleaned, seen = [], {}
    for name in names:
        clean = " ".join(name.split())
        if not clean:
            raise ConfigError("a class name cannot be empty")
        if clean.casefold() in seen:
            raise ConfigError(
                f"'{seen[clean.casefold()]}' and '{clean}' are the same class: class names are "
                "compared without regard to case"
            )
        seen[clean.casefold()] = clean
        cleaned.append(clean)
    return cleaned


def add_class(project: Project, name: str, colour: str | None = None, description: str = "") -> ClassInfo:
    """Add a class at the end, with the next palette colour."""
    project.require_writable()
    name = _clean_name(name)
    if find_class(project, name) is not None:
        raise LoupeError(f"there is already a class named '{name}'")
    conn = project.conn
    with conn:
        # A deleted class of that name only waited for an undo; a new class replaces it.
        conn.execute("DELETE FROM classes WHERE name = ? COLLATE NOCASE AND deleted = 1", (name,))
        count, position = conn.execute(
            "SELECT count(*), coalesce(max(position) + 1, 0) FROM classes WHERE deleted = 0"
        ).fetchone()
        colour = colour or PALETTE[count % len(PALETTE)]
        cursor = conn.execute(
            "INSERT INTO classes (name, colour, description, position) VALUES (?, ?, ?, ?)",
            (name, colour, description, position),
        )
        renumber_shortcuts(conn)
    return _get(project, cursor.lastrowid)


def create_project(path: str | os.PathLike, classes: tuple[str, ...] | list[str] = ()) -> Project:
    """A new project with these classes. All or nothing: the names are checked before anything
    is made, and a failure part-way removes what was made."""
    names = check_new_names(list(classes))

    def add_classes(project: Project) -> None:
        for name in names:
            add_class(project, name)

    return Project.create(path, fill=add_classes)


def _get(project: Project, class_id: int) -> ClassInfo:
    row = project.conn.execute(f"SELECT {_COLUMNS} FROM classes WHERE id = ?", (class_id,)).fetchone()
    if row is None:
        raise LoupeError(f"there is no class with id {class_id}")
    return ClassInfo(*row)


def ensure_class(project: Project, name: str) -> ClassInfo:
    """The class called `name`, created if the project does not have it yet."""
    return find_class(project, _clean_name(name)) or add_class(project, name)


def rename_class(project: Project, class_id: int, name: str) -> ClassInfo:
    project.require_writable()
    name = _clean_name(name)
    other = find_class(project, name)
    if other is not None and other.id != class_id:
        raise LoupeError(f"there is already a class named '{name}'")
    with project.conn as conn:
        conn.execute("DELETE FROM classes WHERE name = ? COLLATE NOCASE AND deleted = 1", (name,))
        conn.execute("UPDATE classes SET name = ? WHERE id = ?", (name, class_id))
    return _get(project, class_id)


def recolour_class(project: Project, class_id: int, colour: str) -> ClassInfo:
    project.require_writable()
    with project.conn as conn:
        conn.execute("UPDATE classes SET colour = ? WHERE id = ?", (colour, class_id))
    return _get(project, class_id)


def move_class(project: Project, class_id: int, new_index: int) -> list[ClassInfo]:
    """Move a class to `new_index` in the order (shortcuts follow)."""
    project.require_writable()
    ids = [c.id for c in list_classes(project)]
    if class_id not in ids:
        raise LoupeError(f"there is no class with id {class_id}")
    ids.remove(class_id)
    ids.insert(max(0, min(new_index, len(ids))), class_id)
    with project.conn as conn:
        conn.executemany("UPDATE classes SET position = ? WHERE id = ?", [(i, cid) for i, cid in enumerate(ids)])
        renumber_shortcuts(conn)
    return list_classes(project)


def delete_class(project: Project, class_id: int) -> ActionResult:
    """Delete a class; its images become unlabelled. Undo (labels.undo) brings both back."""
    return delete_class_action(project, class_id)
