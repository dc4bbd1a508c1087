"""Measuring the SQLite work a piece of code does, for tests that bound it as a project grows.

Wall-clock bounds flake on a shared machine; the number of SQLite virtual-machine steps and
statements does not, and it grows with the rows a query reads — so "this costs the same with
30,000 actions in the log" is a count, not a timing.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

#: The progress handler is called every this many VM steps (1 would slow the test down).
STEP_GRAIN = 10


class Work:
    """What was counted inside a `sqlite_work` block."""

    def __init__(self):
        self.steps = 0
        self.statements: list[str] = []


@contextmanager
def sqlite_work(conn: sqlite3.Connection):
    """Count the VM steps (to within STEP_GRAIN) and the statements run on `conn` in the block."""
    work = Work()

    def on_steps() -> int:
        work.steps += STEP_GRAIN
        return 0  # go on

    conn.set_progress_handler(on_steps, STEP_GRAIN)
    conn.set_trace_callback(work.statements.append)
    try:
        yield work
    finally:
        conn.set_progress_handler(None, STEP_GRAIN)
        conn.set_trace_callback(None)


def seed_label_actions(conn: sqlite3.Connection, count: int) -> None:
    """`count` past labelling actions in the log (no label changes: only the log's length matters)."""
    conn.executemany(
        "INSERT INTO label_actions (kind, description) VALUES ('do', ?)",
        [(f"Label 1 image as 'seeded {i}'",) for i in range(count)],
    )
    conn.commit()
