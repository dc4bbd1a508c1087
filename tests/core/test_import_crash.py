"""`kill -9` in the middle of an import: the project still opens, is intact, and a second import
completes it."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from app.core.importing.importer import import_paths
from app.core.project.store import Project
from app.core.project.summary import summarize
from tests import synthetic

N_IMAGES = 600


def committed_images(path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM images").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_kill_9_during_import_loses_nothing_committed(tmp_path):
    folder = tmp_path / "images"
    for i in range(N_IMAGES):
        synthetic.save(synthetic.random_rgb(320, 240, seed=i), folder / f"{i:04}.jpg", quality=90)
    project_path = tmp_path / "crash.loupe"
    Project.create(project_path).close()

    importer = subprocess.Popen(
        [sys.executable, "-m", "app", "import", str(project_path), str(folder), "--workers", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while committed_images(project_path) == 0 and time.monotonic() < deadline:
        time.sleep(0.005)
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait()
    assert importer.returncode == -signal.SIGKILL

    with Project.open(project_path) as project:
        assert not project.read_only  # the dead process's lock is gone
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        survived = summarize(project).images
        assert 0 < survived < N_IMAGES, "the import finished before it could be killed"
        report = import_paths(project, [folder])
        assert report.unchanged == survived
        assert report.added == N_IMAGES - survived
        assert summarize(project).images == N_IMAGES
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
