"""What a process that died left half-done, put right when the next one opens the project for
writing (it holds the write lock, so no other process is training or saving).

Here, below training, because opening a project is what calls it: training only names the
suffix its half-written model folders carry."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

#: Suffix of a model folder being written; renamed when complete.
PARTIAL = ".partial"


def recover_after_crash(conn: sqlite3.Connection, models: Path) -> None:
    """Runs still 'running' were interrupted, and half-written model folders of a run killed
    while saving (in the project's `models` folder) are deleted."""
    with conn:
        conn.execute(
            "UPDATE runs SET status = 'failed', message = 'interrupted (the process ended while training)',"
            " finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE status = 'running'"
        )
    if models.is_dir():
        for leftover in models.glob(f"*{PARTIAL}"):
            shutil.rmtree(leftover, ignore_errors=True)
