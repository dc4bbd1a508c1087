"""The classes of a project: names, colours, the 1–9 shortcuts, and the zero-shot description."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import LoupeError
from app.core.project import Project

#: Colours given to new classes in turn: distinct, and readable on light and dark backgrounds.
PALETTE = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip


@dataclass(frozen=True)
class ClassInfo:
    id: int
    name: str
    colour: str
    shortcut: str | None
    description: str
    position: int


def list_classes(project: Project) -> list[ClassInfo]:
    rows = project.db.query("SELECT * FROM classes ORDER BY position, id")
    return [ClassInfo(**row) for row in rows]


def find_class(project: Project, name: str) -> ClassInfo | None:
    rows = list(project.db.query("SELECT * FROM classes WHERE name = ? COLLATE NOCASE", [name]))
    return ClassInfo(**rows[0]) if rows else None


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise LoupeError("a class name cannot be empty")
    return cleaned


def add_class(project: Project, name: str, colour: str | None = None, description: str = "") -> ClassInfo:
    """Add a class at the end; it takes the next free shortcut 1–9 and the next palette colour."""
    project.require_writable()
    name = _clean_name(name)
    if find_class(project, name) is not None:
        raise LoupeError(f"there is already a class named '{name}'")
    conn = project.conn
    with conn:
        count, next_position = conn.execute(
            "SELECT count(*), coalesce(max(position) + 1, 0) FROM classes"
        ).fetchone()
        used = {row[0] for row in conn.execute("SELECT shortcut FROM classes")}
        shortcut = next((str(key) for key in range(1, 10) if str(key) not in used), None)
        colour = colour or PALETTE[count % len(PALETTE)]
        cursor = conn.execute(
            "INSERT INTO classes (name, colour, shortcut, description, position) VALUES (?, ?, ?, ?, ?)",
            (name, colour, shortcut, description, next_position),
        )
    return ClassInfo(cursor.lastrowid, name, colour, shortcut, description, next_position)


def ensure_class(project: Project, name: str) -> ClassInfo:
    """The class called `name`, created if the project does not have it yet."""
    return find_class(project, _clean_name(name)) or add_class(project, name)
