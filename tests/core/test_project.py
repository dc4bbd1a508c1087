"""The project file: settings, migrations with a backup, one writer, portable image paths."""

import os
import sqlite3
import subprocess
import sys
import textwrap
import threading

import pytest

from app.core.errors import LoupeError, ProjectError, ProjectReadOnlyError
from app.core.labelling.classes import add_class, create_project, list_classes
from app.core.labelling.labels import set_labels
from app.core.project.schema import LATEST_VERSION, MIGRATIONS, migrate
from app.core.project.store import Project, project_file
from app.core.project.summary import summarize


def test_new_project_settings(tmp_path):
    with create_project(tmp_path / "scans", classes=["normal", "nodule"]) as project:
        assert project.file == tmp_path / "scans.loupe"
        conn = project.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert [(c.name, c.shortcut) for c in list_classes(project)] == [("normal", "1"), ("nodule", "2")]
        assert not project.read_only
    assert project_file("scans") == project_file("scans.loupe")


def test_create_refuses_to_overwrite(tmp_path):
    Project.create(tmp_path / "p.loupe").close()
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(tmp_path / "p.loupe")


@pytest.mark.parametrize(
    "content, message",
    [(None, "no project at"), (b"just text", "not a Loupe project"), ("sqlite", "not a Loupe project")],
)
def test_open_gives_clear_errors(tmp_path, content, message):
    path = tmp_path / "x.loupe"
    if content == "sqlite":
        sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    elif content is not None:
        path.write_bytes(content)
    with pytest.raises(ProjectError, match=message):
        Project.open(path)


def make_project_at_version(path, version):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=version)
    return conn


def test_previous_schema_version_opens_migrates_and_is_backed_up(tmp_path):
    path = tmp_path / "old.loupe"
    conn = make_project_at_version(path, LATEST_VERSION - 1)
    conn.execute("INSERT INTO classes (name, colour, position) VALUES ('tumour', '#ff0000', 0)")
    conn.execute(
        "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
        " VALUES ('a.png', 'abc', 10, 'png', 4, 4, 8, 3, 'rgb')"
    )
    conn.execute("INSERT INTO labels (image_id, class_id, source) VALUES (1, 1, 'human')")
    conn.close()

    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert summarize(project).classes == {"tumour": 1}  # data survived
        tables = set(project.db.table_names())
        assert {"splits", "settings", "rejected_files", "duplicate_files"} <= tables

    backup = tmp_path / f"old.loupe.v{LATEST_VERSION - 1}.bak"
    assert backup.exists()
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION - 1
        assert old.execute("SELECT count(*) FROM labels").fetchone()[0] == 1


def test_every_migration_applies_in_order_from_empty(tmp_path):
    conn = make_project_at_version(tmp_path / "p.loupe", 0)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    assert migrate(conn) == [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert migrate(conn) == []  # idempotent


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "future.loupe"
    conn = make_project_at_version(path, LATEST_VERSION)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(ProjectError, match="newer Loupe"):
        Project.open(path)


HOLDER = textwrap.dedent(
    """
    import sys
    from app.core.project.store import Project
    project = Project.open(sys.argv[1])
    print("read-only" if project.read_only else "writable", flush=True)
    sys.stdin.readline()
    """
)


def hold_open(path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "writable"
    return holder


def test_second_process_gets_read_only_with_a_clear_message(tmp_path):
    path = tmp_path / "shared.loupe"
    with create_project(path, classes=["a"]):
        pass
    holder = hold_open(path)
    try:
        with Project.open(path) as second:
            assert second.read_only
            assert "open in another Loupe" in second.read_only_reason
            assert f"process {holder.pid}" in second.read_only_reason
            assert summarize(second).classes == {"a": 0}  # reading works
            with pytest.raises(ProjectReadOnlyError, match="cannot change"):
                add_class(second, "b")
    finally:
        holder.communicate("\n")
    with Project.open(path) as third:  # the holder has gone: writable again
        assert not third.read_only


def test_killed_holder_does_not_leave_the_project_locked(tmp_path):
    path = tmp_path / "p.loupe"
    Project.create(path).close()
    holder = hold_open(path)
    holder.kill()
    holder.wait()
    with Project.open(path) as project:
        assert not project.read_only


def test_second_open_in_the_same_process_is_read_only(project):
    with Project.open(project.file) as again:
        assert again.read_only


def test_each_thread_has_its_own_connection(project):
    seen = []
    thread = threading.Thread(target=lambda: seen.append(project.conn))
    thread.start()
    thread.join()
    assert seen[0] is not project.conn


def test_image_paths_are_relative_below_the_project_folder(tmp_path, project):
    inside = tmp_path / "images" / "a.png"
    assert project.stored_path(inside) == "images/a.png"
    assert project.resolve_path("images/a.png") == inside
    outside = tmp_path.parent / "elsewhere.png"
    assert project.stored_path(outside) == str(outside)


def test_labels_are_recorded_in_history_and_clearable(project):
    cls = add_class(project, "cat")
    project.conn.execute(
        "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
        " VALUES ('a.png', 'abc', 10, 'png', 4, 4, 8, 3, 'rgb')"
    )
    project.conn.commit()
    first = set_labels(project, [(1, cls.id)])
    assert set_labels(project, [(1, cls.id)]) == 0  # no change, no action
    second = set_labels(project, [(1, None)])
    history = project.conn.execute(
        "SELECT action, old_class_id, new_class_id FROM label_history ORDER BY id"
    ).fetchall()
    assert history == [(first, None, cls.id), (second, cls.id, None)]
    assert summarize(project).labelled == 0


def test_duplicate_class_names_are_refused(project):
    add_class(project, "Nodule")
    with pytest.raises(LoupeError, match="already a class"):
        add_class(project, "nodule ")


def _damaged_copies(tmp_path):
    """A good project, then copies damaged the ways files get damaged."""
    import os
    import random

    good = tmp_path / "good.loupe"
    with create_project(good, classes=["a", "b"]) as project:
        with project.conn:
            project.conn.executemany("INSERT INTO settings VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(2000)])
    data = good.read_bytes()
    corrupted = bytearray(data)
    rng = random.Random(1)
    for i in range(40000, len(corrupted), 997):
        corrupted[i] = rng.randrange(256)
    return {
        "header then garbage": b"SQLite format 3\x00" + os.urandom(8192),
        "cut short": data[: len(data) // 2],
        "pages overwritten": bytes(corrupted),
    }


@pytest.mark.parametrize("damage", ["header then garbage", "cut short", "pages overwritten"])
def test_a_damaged_project_file_is_one_line_that_says_what_to_do(tmp_path, damage):
    path = tmp_path / "scans.loupe"
    path.write_bytes(_damaged_copies(tmp_path)[damage])
    (tmp_path / "scans.loupe.v4.bak").write_bytes(b"an older copy")
    result = subprocess.run([sys.executable, "-m", "app", "info", str(path)], capture_output=True, text=True)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "scans.loupe is damaged" in result.stderr and "unexpected" not in result.stderr
    assert "restore the backup scans.loupe.v4.bak" in result.stderr and ".recover" in result.stderr


def test_a_folder_where_the_lock_file_goes_is_named(tmp_path):
    Project.create(tmp_path / "p.loupe").close()
    (tmp_path / "p.loupe-lock").unlink(missing_ok=True)
    (tmp_path / "p.loupe-lock").mkdir()
    with pytest.raises(ProjectError, match="p.loupe-lock is a folder"):
        Project.open(tmp_path / "p.loupe")


def _as_another_user(script: str, folder):
    """Run `script` in a process that cannot write to `folder`: the folder is made read-only,
    and root (whom permissions do not stop) runs without its power to override them."""
    import os
    from pathlib import Path

    folder.chmod(0o555)
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-c", script]
    if os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    try:
        return subprocess.run(
            command, capture_output=True, text=True, cwd=root, env={**os.environ, "PYTHONPATH": str(root)}
        )
    finally:
        folder.chmod(0o755)


@pytest.fixture
def world_readable_folder(tmp_path):
    folder = tmp_path / "project"
    folder.mkdir()
    return folder


def test_a_project_in_a_read_only_folder_opens_read_only(world_readable_folder):
    with create_project(world_readable_folder / "p.loupe", classes=["a", "b"]):
        pass
    result = _as_another_user(
        "from app.core.project.store import Project\n"
        f"with Project.open({str(world_readable_folder / 'p.loupe')!r}) as p:\n"
        "    print(p.read_only, [r[0] for r in p.conn.execute('SELECT name FROM classes ORDER BY id')])",
        world_readable_folder,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True ['a', 'b']"


def test_a_read_only_folder_with_unfolded_changes_says_so(world_readable_folder):
    path = world_readable_folder / "p.loupe"
    create_project(path, classes=["a"]).close()
    # A process that dies with changes still in the write-ahead log (as after a crash).
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sqlite3\n"
            f"c = sqlite3.connect({str(path)!r}); c.execute(\"INSERT INTO settings VALUES ('x', '1')\"); c.commit()\n"
            "os._exit(0)",
        ],
        check=True,
    )
    assert path.with_name("p.loupe-wal").stat().st_size > 0
    path.with_name("p.loupe-shm").unlink()
    result = _as_another_user(
        f"from app.cli import main; raise SystemExit(main(['info', {str(path)!r}]))", world_readable_folder
    )
    assert (
        result.returncode == 1 and "recent changes in p.loupe-wal" in result.stderr and result.stderr.count("\n") == 1
    )


def test_the_write_ahead_log_is_folded_in_on_open_and_on_close(tmp_path):
    path = tmp_path / "p.loupe"
    create_project(path, classes=["a"]).close()
    wal = path.with_name("p.loupe-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sqlite3\n"
            f"c = sqlite3.connect({str(path)!r}); c.execute(\"INSERT INTO settings VALUES ('x', '1')\"); c.commit()\n"
            "os._exit(0)",
        ],
        check=True,
    )
    assert wal.stat().st_size > 0  # a crash left the change in the log only
    with Project.open(path) as project:
        assert wal.stat().st_size == 0  # folded into the file as the project opened
        assert project.conn.execute("SELECT value FROM settings WHERE key = 'x'").fetchone() == ("1",)


@pytest.mark.parametrize("version", range(1, LATEST_VERSION + 1))
def test_a_project_from_every_schema_version_opens_and_migrates(tmp_path, version):
    """Files as each version of Loupe wrote them (tests/fixtures/make_projects.py made them)."""
    import shutil
    from pathlib import Path

    from app.core.training.runs import list_runs

    fixture = Path(__file__).parents[1] / "fixtures" / "projects" / f"v{version}.loupe"
    path = tmp_path / "old.loupe"
    shutil.copy(fixture, path)
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert summarize(project).classes == {"tumour": 1}
        runs = list_runs(project)
        assert [(r.status, r.accuracy, r.config.epochs) for r in runs] == ([("done", 0.9, 3)] if version >= 4 else [])
    assert (tmp_path / f"old.loupe.v{version}.bak").exists() == (version < LATEST_VERSION)


def test_an_installed_loupe_carries_the_sample_project(tmp_path):
    """The wheel pip builds holds the sample images (they lived outside the package before)."""
    import zipfile
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("loupe-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    images = [n for n in names if n.startswith("app/resources/sample/") and n.endswith(".jpg")]
    assert len(images) == 60 and "app/core/importing/sample.py" in names
    # Installed from the wheel, Loupe finds them (the checkout's resources/ is not on its path).
    target = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    script = "from app.core.importing.sample import SAMPLE_IMAGES; print(SAMPLE_IMAGES, len(list(SAMPLE_IMAGES.rglob('*.jpg'))))"
    found = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert found.returncode == 0, found.stderr[-2000:]
    folder, count = found.stdout.split()
    assert Path(folder) == target / "app" / "resources" / "sample" and count == "60"


def test_version_10_keeps_every_label_and_takes_the_zero_shot_and_review_sources(tmp_path):
    """The labels table is rebuilt for its wider CHECK: labels, their sources and times stay,
    the new sources are accepted, an unknown one is still refused, and deleting an image
    still deletes its label (the foreign keys came along)."""
    import shutil
    import sqlite3
    from pathlib import Path

    from app.core.labelling.labels import set_labels

    path = tmp_path / "old.loupe"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "projects" / "v9.loupe", path)
    before = sqlite3.connect(path).execute("SELECT image_id, class_id, source, updated_at FROM labels").fetchall()
    with Project.open(path) as project:
        assert project.conn.execute("SELECT image_id, class_id, source, updated_at FROM labels").fetchall() == before
        set_labels(project, [(1, 1)], source="zero-shot")  # same class: nothing changes
        project.conn.execute("UPDATE labels SET source = 'review' WHERE image_id = 1")
        with pytest.raises(sqlite3.IntegrityError):
            project.conn.execute("UPDATE labels SET source = 'guess' WHERE image_id = 1")
        project.conn.execute("DELETE FROM images WHERE id = 1")
        assert project.conn.execute("SELECT count(*) FROM labels").fetchone() == (0,)
        assert project.conn.execute("SELECT count(*) FROM near_duplicates").fetchone() == (0,)
