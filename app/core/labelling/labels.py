"""Labels: one class per image, each change committed at once and recorded in the history.

Every call that changes labels is one *action* (labelling ten selected images is one action;
deleting a class is one action), recorded in `label_actions` with its changes in
`label_history`. Undo and redo are actions too, so the history stays append-only (an audit of
who changed what) and the undo/redo stacks can be rebuilt from the file after reopening.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.core.errors import LoupeError, plural
from app.core.project.store import Project

#: Where a label came from: made by hand, imported from folder names, a prediction or a zero-shot
#: pre-label accepted, or changed in the Check labels review.
SOURCES = ("human", "imported", "accepted-prediction", "zero-shot", "review")


@dataclass(frozen=True)
class ActionResult:
    """What an action, undo or redo changed: for the GUI to refresh exactly those tiles."""

    action: int
    description: str
    image_ids: tuple[int, ...]
    classes_changed: bool = False


def _new_action(conn, kind: str, description: str = "", target=None, deleted_class_id=None) -> int:
    cursor = conn.execute(
        "INSERT INTO label_actions (kind, target, description, deleted_class_id) VALUES (?, ?, ?, ?)",
        (kind, target, description, deleted_class_id),
    )
    return cursor.lastrowid


def _write_label(conn, action: int, image_id: int, class_id: int | None, source: str) -> bool:
    """Set one image's label inside an open transaction; False when it already had it."""
    row = conn.execute("SELECT class_id FROM labels WHERE image_id = ?", (image_id,)).fetchone()
    old = row[0] if row else None
    if old == class_id:
        return False
    if class_id is None:
        conn.execute("DELETE FROM labels WHERE image_id = ?", (image_id,))
    else:
        conn.execute(
            """INSERT INTO labels (image_id, class_id, source) VALUES (?, ?, ?)
               ON CONFLICT (image_id) DO UPDATE SET class_id = excluded.class_id,
               source = excluded.source, updated_at = excluded.updated_at""",
            (image_id, class_id, source),
        )
    conn.execute(
        "INSERT INTO label_history (action, image_id, old_class_id, new_class_id, source) VALUES (?, ?, ?, ?, ?)",
        (action, image_id, old, class_id, source),
    )
    return True


def set_labels(
    project: Project,
    assignments: Iterable[tuple[int, int | None]],
    source: str = "human",
    description: str = "",
    conn: sqlite3.Connection | None = None,
) -> int:
    """Give each image its class (None clears the label), as one recorded action.

    Returns the action number (0 when nothing changed, and then nothing is recorded). With
    `conn`, the caller owns the transaction (the importer commits labels with their images).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown label source {source!r}")
    project.require_writable()
    own = conn is None
    conn = conn or project.conn
    try:
        action = _new_action(conn, "do", description)
        changed = sum(_write_label(conn, action, image_id, class_id, source) for image_id, class_id in assignments)
        if not changed:
            conn.execute("DELETE FROM label_actions WHERE id = ?", (action,))
            action = 0
        if own:
            conn.commit()
    except BaseException:
        if own:
            conn.rollback()
        raise
    return action


def label_images(project: Project, image_ids: Iterable[int], class_id: int | None) -> ActionResult:
    """The user labels (or clears, with None) these images: one undoable action, committed with
    one transaction (one fsync on the GUI thread per label, not two)."""
    ids = tuple(dict.fromkeys(image_ids))
    name = _class_name(project.conn, class_id) if class_id is not None else None
    what = plural(len(ids), "image")
    description = f"Label {what} as '{name}'" if name else f"Clear the label of {what}"
    conn = project.conn
    try:
        action = set_labels(project, ((i, class_id) for i in ids), "human", description, conn=conn)
        # Labelled by a person now: a flag that the file changed is answered.
        conn.execute(
            "UPDATE images SET changed_at = NULL WHERE changed_at IS NOT NULL AND id IN "
            "(SELECT value FROM json_each(?))",
            (json.dumps(ids),),
        )
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return ActionResult(action, description, ids if action else ())


#: The verbs a stored description starts with, as the window says them. The log keeps each action
#: as a command ("Label 3 images as 'cat'", also in projects made before this); the status bar says
#: what was done ("Labelled 3 images as 'cat'") and the Edit menu what Undo would take back ("Undo
#: labelling 3 images as 'cat'").
_VERBS = {
    "Label": ("labelling", "Labelled"),
    "Clear": ("clearing", "Cleared"),
    "Delete": ("deleting", "Deleted"),
    "Accept": ("accepting", "Accepted"),
    "Change": ("changing", "Changed"),
}


def doing(description: str) -> str:
    """An action as it follows Undo, Redo, Undid or Redid: "labelling 3 images as 'cat'", "labels
    from folder names"."""
    verb, _, rest = description.partition(" ")
    if verb in _VERBS and rest:
        return f"{_VERBS[verb][0]} {rest}"
    return description[:1].lower() + description[1:]


def done(description: str) -> str:
    """An action once made, for the status bar: "Labelled 3 images as 'cat'"."""
    verb, _, rest = description.partition(" ")
    return f"{_VERBS[verb][1]} {rest}" if verb in _VERBS and rest else description


def live_labels(project: Project) -> tuple[dict[int, int], list[tuple[int, str]]]:
    """Image id -> class id of every label of a class not deleted, and those classes that have a
    label, as (id, name) in the classes' order: what a fit on the labels learns from (active
    learning's head, the label-error review)."""
    labels = dict(
        project.conn.execute(
            "SELECT l.image_id, l.class_id FROM labels l JOIN classes c ON c.id = l.class_id WHERE c.deleted = 0"
        ).fetchall()
    )
    used = set(labels.values())
    classes = [
        (cid, name)
        for cid, name in project.conn.execute("SELECT id, name FROM classes WHERE deleted = 0 ORDER BY position, id")
        if cid in used
    ]
    return labels, classes


def current_labels(project: Project, image_ids: Iterable[int]) -> dict[int, int | None]:
    """Each of these images' class now (None: unlabelled), for images still in the project; any
    number of ids (one JSON parameter, not one SQL variable each)."""
    return dict(
        project.conn.execute(
            "SELECT i.id, l.class_id FROM images i LEFT JOIN labels l ON l.image_id = i.id"
            " WHERE i.id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(image_ids)),),
        ).fetchall()
    )


def _class_name(conn, class_id: int) -> str:
    row = conn.execute("SELECT name FROM classes WHERE id = ?", (class_id,)).fetchone()
    if row is None:
        raise LoupeError(f"there is no class with id {class_id}")
    return row[0]


@dataclass(frozen=True)
class UndoStep:
    """What Undo or Redo would do next: for the menu text, and to ask before a bulk change."""

    action: int
    description: str
    image_count: int


@dataclass
class UndoHistory:
    """The undo and redo stacks (action ids), kept in memory while a project is open.

    Read from the append-only action log once, when the project opens; after that `catch_up`
    reads only the actions appended since its last read (one indexed range read), so a label or
    an undo costs the same with 30 actions in the log as with 30,000. Actions written by other
    connections (an import's "labels from folder names") are found by the same catch-up.
    """

    undo: list[int] = field(default_factory=list)
    redo: list[int] = field(default_factory=list)
    #: The newest action applied to the stacks.
    last_read: int = 0

    @classmethod
    def read(cls, conn: sqlite3.Connection) -> UndoHistory:
        history = cls()
        history.catch_up(conn)
        return history

    def catch_up(self, conn: sqlite3.Connection) -> bool:
        """Apply the actions appended since the last read; True when there were any. Action ids
        grow in commit order (SQLite has one writer at a time), so none is ever skipped."""
        rows = conn.execute(
            "SELECT id, kind, target FROM label_actions WHERE id > ? ORDER BY id", (self.last_read,)
        ).fetchall()
        for action, kind, target in rows:
            if kind == "do":
                self.undo.append(action)
                self.redo.clear()
            elif kind == "undo" and self.undo and self.undo[-1] == target:
                self.redo.append(self.undo.pop())
            elif kind == "redo" and self.redo and self.redo[-1] == target:
                self.undo.append(self.redo.pop())
        if rows:
            self.last_read = rows[-1][0]
        return bool(rows)

    def copy(self) -> UndoHistory:
        """Another thread's own copy (each thread catches up its copy with its own connection)."""
        return UndoHistory(list(self.undo), list(self.redo), self.last_read)

    def next_step(self, conn: sqlite3.Connection, kind: str) -> UndoStep | None:
        """What `kind` ('undo' or 'redo') would take back or re-apply, and on how many images."""
        stack = self.undo if kind == "undo" else self.redo
        if not stack:
            return None
        action = stack[-1]
        description, images = conn.execute(
            "SELECT description, (SELECT count(*) FROM label_history WHERE action = a.id) FROM label_actions a"
            " WHERE id = ?",
            (action,),
        ).fetchone()
        return UndoStep(action, description or f"action {action}", images)


def read_history(project: Project) -> UndoHistory:
    """The project's undo history, read with the calling thread's connection (the window reads
    it in a job as it opens: a replay of the whole log, 13 ms with 30,000 actions)."""
    return UndoHistory.read(project.conn)


def undo_stacks(conn: sqlite3.Connection) -> tuple[list[int], list[int]]:
    """(undo stack, redo stack) of action ids, rebuilt by replaying the whole action log."""
    history = UndoHistory.read(conn)
    return history.undo, history.redo


def _caught_up(project: Project, history: UndoHistory | None) -> UndoHistory:
    """The caller's history brought up to date, or (without one) the whole log read afresh."""
    if history is None:
        return UndoHistory.read(project.conn)
    history.catch_up(project.conn)
    return history


def undo_redo_descriptions(project: Project, history: UndoHistory | None = None) -> tuple[str | None, str | None]:
    """(what Undo would take back, what Redo would re-apply). Pass the open project's `history`
    to avoid replaying the log."""
    history = _caught_up(project, history)
    steps = (history.next_step(project.conn, kind) for kind in ("undo", "redo"))
    return tuple(step.description if step else None for step in steps)


def peek(project: Project, kind: str, history: UndoHistory | None = None) -> UndoStep | None:
    """What `kind` ('undo' or 'redo') would change next, with the log as this connection sees it."""
    return _caught_up(project, history).next_step(project.conn, kind)


def next_undo(project: Project) -> str | None:
    """What Undo would take back, as stored ("Label 3 images as 'cat'"; `doing` words it for a
    menu), or None."""
    return undo_redo_descriptions(project)[0]


def next_redo(project: Project) -> str | None:
    return undo_redo_descriptions(project)[1]


def _replay(project: Project, kind: str, history: UndoHistory | None) -> ActionResult | None:
    project.require_writable()
    conn = project.conn
    history = _caught_up(project, history)
    stack = history.undo if kind == "undo" else history.redo
    if not stack:
        return None
    target = stack[-1]
    description, deleted_class = conn.execute(
        "SELECT description, deleted_class_id FROM label_actions WHERE id = ?", (target,)
    ).fetchone()
    changes = conn.execute(
        "SELECT image_id, old_class_id, new_class_id, source FROM label_history WHERE action = ? ORDER BY id",
        (target,),
    ).fetchall()
    try:
        action = _new_action(conn, kind, f"{kind.capitalize()} {description}", target)
        if deleted_class is not None:
            _set_class_deleted(conn, deleted_class, deleted=(kind == "redo"))
        ordered = reversed(changes) if kind == "undo" else changes
        touched = []
        for image_id, old, new, source in ordered:
            value = old if kind == "undo" else new
            if value is not None and conn.execute("SELECT 1 FROM classes WHERE id = ?", (value,)).fetchone() is None:
                raise LoupeError(f"cannot {kind} {doing(description)}: a class it used has been removed")
            if conn.execute("SELECT 1 FROM images WHERE id = ?", (image_id,)).fetchone() is None:
                continue  # the image has left the project since
            if _write_label(conn, action, image_id, value, source if kind == "redo" else "human"):
                touched.append(image_id)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    history.catch_up(conn)
    in_action_order = tuple(reversed(touched)) if kind == "undo" else tuple(touched)
    return ActionResult(action, description, in_action_order, classes_changed=deleted_class is not None)


def undo(project: Project, history: UndoHistory | None = None) -> ActionResult | None:
    """Take back the latest action (None when there is nothing to undo). With the open
    project's `history`, the stacks are not rebuilt from the log, and it stays up to date."""
    return _replay(project, "undo", history)


def redo(project: Project, history: UndoHistory | None = None) -> ActionResult | None:
    """Re-apply the latest undone action (None when there is nothing to redo)."""
    return _replay(project, "redo", history)


def renumber_shortcuts(conn: sqlite3.Connection) -> None:
    """Keys 1–9 to the first nine live classes in order; none for the rest or deleted ones."""
    ids = [row[0] for row in conn.execute("SELECT id FROM classes WHERE deleted = 0 ORDER BY position, id")]
    conn.execute("UPDATE classes SET shortcut = NULL")
    conn.executemany(
        "UPDATE classes SET shortcut = ? WHERE id = ?", [(str(key), cid) for key, cid in enumerate(ids[:9], 1)]
    )


def _set_class_deleted(conn, class_id: int, deleted: bool) -> None:
    conn.execute("UPDATE classes SET deleted = ? WHERE id = ?", (int(deleted), class_id))
    renumber_shortcuts(conn)


def delete_class_action(project: Project, class_id: int) -> ActionResult:
    """Delete a class as one undoable action: its images become unlabelled, the class hidden."""
    project.require_writable()
    conn = project.conn
    name = _class_name(conn, class_id)
    image_ids = [row[0] for row in conn.execute("SELECT image_id FROM labels WHERE class_id = ?", (class_id,))]
    description = f"Delete class '{name}'"
    try:
        action = _new_action(conn, "do", description, deleted_class_id=class_id)
        for image_id in image_ids:
            _write_label(conn, action, image_id, None, "human")
        _set_class_deleted(conn, class_id, deleted=True)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    return ActionResult(action, description, tuple(image_ids), classes_changed=True)
