"""Labels: one class per image, each change committed at once and recorded in the history.

Every call here is one user action (labelling ten selected images is one action), so undo can
take back exactly what the user did, also after the project is reopened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from app.core.project import Project

SOURCES = ("human", "imported", "accepted-prediction")


def _next_action(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT coalesce(max(action), 0) + 1 FROM label_history").fetchone()[0]


def set_labels(
    project: Project,
    assignments: Iterable[tuple[int, int | None]],
    source: str = "human",
    conn: sqlite3.Connection | None = None,
) -> int:
    """Give each image its class (None clears the label), as one recorded action.

    Returns the action number (0 when nothing changed). With `conn`, the caller owns the
    transaction (the importer batches label writes with the images they belong to).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown label source {source!r}")
    project.require_writable()
    own = conn is None
    conn = conn or project.conn
    try:
        action = _next_action(conn)
        changed = 0
        for image_id, class_id in assignments:
            row = conn.execute("SELECT class_id FROM labels WHERE image_id = ?", (image_id,)).fetchone()
            old = row[0] if row else None
            if old == class_id:
                continue
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
                "INSERT INTO label_history (action, image_id, old_class_id, new_class_id, source)"
                " VALUES (?, ?, ?, ?, ?)",
                (action, image_id, old, class_id, source),
            )
            changed += 1
        if own:
            conn.commit()
    except BaseException:
        if own:
            conn.rollback()
        raise
    return action if changed else 0
