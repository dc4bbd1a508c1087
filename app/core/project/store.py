"""The project: one SQLite file `NAME.loupe`, plus its rebuildable cache and its models folder.

    with create_project("scans.loupe", classes=["normal", "nodule"]) as project: ...  # labelling.classes
    with Project.open("scans.loupe") as project:
        project.db["images"].count

A project is opened for writing by one process at a time: a second Loupe (or `loupe` command)
gets it read-only, with `read_only_reason` saying why. Each thread gets its own SQLite connection
(`project.db`); connections are never shared between threads.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from app.core.errors import ProjectError, ProjectReadOnlyError
from app.core.file_names import real_name, shown
from app.core.project.lockfile import LockFile
from app.core.project.recovery import recover_after_crash
from app.core.project.schema import APPLICATION_ID, LATEST_VERSION, migrate, schema_problem, schema_version
from app.core.user_folders import user_cache_dir

SUFFIX = ".loupe"
#: How long a write waits for another connection's write to finish before failing.
BUSY_TIMEOUT_S = 10.0
_SQLITE_MAGIC = b"SQLite format 3\x00"


def project_file(path: str | os.PathLike) -> Path:
    """The project file for a user-given path: `scans` and `scans.loupe` mean the same project.
    Absolute, so that every path made from it (image paths, outputs, messages) is absolute too,
    whatever folder a command was started in."""
    path = Path(os.path.abspath(Path(path).expanduser()))
    return path if path.suffix == SUFFIX else path.with_name(path.name + SUFFIX)


@dataclass(frozen=True)
class ProjectPaths:
    """Where a project's parts live, all beside the project file."""

    file: Path

    @property
    def root(self) -> Path:
        """The folder image paths are stored relative to."""
        return self.file.parent

    @property
    def cache_dir(self) -> Path:
        """Thumbnails, embeddings and ONNX files: rebuildable, safe to delete. Beside the project
        file; when that cannot be written (a read-only share, a DVD, a colleague's folder), in
        the user's cache folder, one per project (`user_cache_dir`)."""
        beside = self.file.with_name(self.file.name + "-cache")
        if _can_write(beside):
            return beside
        digest = hashlib.sha256(os.fsencode(self.file)).hexdigest()[:12]
        return user_cache_dir() / "projects" / f"{self.file.stem}-{digest}"

    @property
    def models_dir(self) -> Path:
        return self.file.with_name(self.file.name + "-models")

    @property
    def sqlite_companions(self) -> tuple[Path, Path]:
        """SQLite's write-ahead log and shared-memory index: they hold the latest changes until
        they are checkpointed into the file; never delete them by hand."""
        return self.file.with_name(self.file.name + "-wal"), self.file.with_name(self.file.name + "-shm")

    @property
    def lock_file(self) -> Path:
        return self.file.with_name(self.file.name + "-lock")

    def backup_file(self, version: int) -> Path:
        return self.file.with_name(f"{self.file.name}.v{version}.bak")


def _can_write(folder: Path) -> bool:
    """Whether `folder` can be written, or made in its parent."""
    if folder.is_dir():
        return os.access(folder, os.W_OK | os.X_OK)
    return not folder.exists() and os.access(folder.parent, os.W_OK | os.X_OK)


class Project:
    """An open project. Use `Project.create` or `Project.open`; close it (or use `with`)."""

    def __init__(self, paths: ProjectPaths, lock: LockFile | None, read_only_reason: str | None):
        self.paths = paths
        self._lock = lock
        self.read_only_reason = read_only_reason
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()
        self.closed = False

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: str | os.PathLike, fill: Callable[[Project], None] = lambda project: None) -> Project:
        """A new, empty project, then `fill(project)` (e.g. its first classes). All or nothing: a
        failure part-way, in `fill` too, removes what was made (no half-created project is left
        behind). `labelling.classes.create_project` makes one with classes."""
        file = project_file(path)
        if file.exists():
            raise ProjectError(f"{file} already exists; open it instead of creating it")
        if not file.parent.is_dir():
            raise ProjectError(f"folder {file.parent} does not exist")
        project = None
        try:
            conn = sqlite3.connect(file, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                migrate(conn)
            finally:
                conn.close()
            project = cls.open(file)
            fill(project)
            return project
        except BaseException:
            if project is not None:
                project.close()
            paths = ProjectPaths(file)
            for leftover in (file, paths.lock_file, *paths.sqlite_companions):
                leftover.unlink(missing_ok=True)
            raise

    @classmethod
    def open(cls, path: str | os.PathLike, *, read_only: bool = False) -> Project:
        paths = ProjectPaths(project_file(path))
        _check_is_project_file(paths.file)
        reason = "opened read-only on request" if read_only else None
        lock = None
        if not read_only and paths.lock_file.is_dir():
            raise ProjectError(
                f"{paths.lock_file} is a folder, but Loupe keeps the project's lock file under that name: "
                "move or rename the folder, then open the project again"
            )
        if not read_only and not os.access(paths.root, os.W_OK):  # SQLite writes its -wal and -shm beside the file
            read_only, reason = True, f"the folder {paths.root} is not writable; opened read-only"
        elif not read_only and not os.access(paths.file, os.W_OK):
            read_only, reason = True, f"{paths.file.name} itself is read-only (its permissions); opened read-only"
        if not read_only:
            lock = LockFile(paths.lock_file)
            try:
                acquired = lock.acquire()
            except OSError:  # e.g. a read-only folder: the file cannot be written either
                acquired = False
                reason = f"the folder {paths.root} is not writable; opened read-only"
            if not acquired:
                reason = reason or (f"{paths.file.name} is open in another Loupe ({lock.holder()}); opened read-only")
                lock = None
        project = cls(paths, lock, reason)
        try:
            try:
                project._prepare()
                if not project.read_only:
                    recover_after_crash(project.conn, paths.models_dir)  # this process alone writes: earlier ones ended
                    project.checkpoint()  # changes a crash left in the WAL go into the file now
            except sqlite3.OperationalError:
                raise
            except sqlite3.DatabaseError as exc:  # not a database, malformed
                raise ProjectError(damaged_message(paths, exc)) from exc
            except UnicodeDecodeError as exc:  # SQLite's message quoted bytes of a damaged schema page
                raise ProjectError(damaged_message(paths, "its table list is unreadable")) from exc
        except BaseException:
            project.close()
            raise
        return project

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the project file (and empty it)."""
        if not self.read_only:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _prepare(self) -> None:
        """Check the file, back it up and migrate it when it is from an older Loupe."""
        _check_not_truncated(self.paths)
        conn = self._connect()
        version = schema_version(conn)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise ProjectError(f"{self.paths.file} is an SQLite file but not a Loupe project")
        if version > LATEST_VERSION:
            raise ProjectError(
                f"{self.paths.file.name} was written by a newer Loupe (schema v{version}; this "
                f"Loupe reads up to v{LATEST_VERSION}); update Loupe to open it"
            )
        problem = schema_problem(conn, version)
        if problem:  # a table dropped, or a version changed by hand: never migrate what is not that version
            raise ProjectError(damaged_message(self.paths, problem))
        if version < LATEST_VERSION:
            if self.read_only:
                raise ProjectError(
                    f"{self.paths.file.name} needs an upgrade (schema v{version} to v{LATEST_VERSION}) but is "
                    f"read-only here ({self.read_only_reason}); open it once for writing to upgrade it — "
                    f"`loupe info {self.paths.file}` or the Loupe window, which keep a backup "
                    f"{self.paths.backup_file(version).name} — then try again"
                )
            backup = self.paths.backup_file(version)
            target = sqlite3.connect(backup)
            try:
                conn.backup(target)
            finally:
                target.close()
            conn.isolation_level = None
            try:
                migrate(conn)
            finally:
                conn.isolation_level = ""

    # -- connections ---------------------------------------------------------------------------

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def file(self) -> Path:
        return self.paths.file

    def _connect(self) -> sqlite3.Connection:
        if self.closed:
            raise ProjectError(f"{self.paths.file.name} is closed")
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self.read_only:
            conn = sqlite3.connect(self._read_only_uri(), uri=True, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        else:
            conn = sqlite3.connect(self.paths.file, timeout=BUSY_TIMEOUT_S, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")  # a committed label survives a power cut
        self._local.conn = conn
        self._local.db = sqlite_utils.Database(conn, execute_plugins=False)
        with self._connections_lock:
            self._connections.append(conn)
        return conn

    def _read_only_uri(self) -> str:
        """SQLite's read-only mode still writes the `-shm` index beside the file. In a folder
        this process cannot write, the file opens `immutable` instead — possible only when no
        write-ahead log holds changes that would have to be folded in first."""
        uri = "file:" + urllib.parse.quote(str(self.paths.file.resolve()))
        wal, shm = self.paths.sqlite_companions
        if os.access(self.paths.root, os.W_OK) or shm.exists():
            return uri + "?mode=ro"
        if wal.exists() and wal.stat().st_size > 0:
            raise ProjectError(
                f"{self.paths.file.name} has recent changes in {wal.name} that must be folded into it, and the "
                f"folder {self.paths.root} is read-only: make the folder writable, or copy the project's files "
                f"({self.paths.file.name} and {wal.name}) to a writable folder and open that copy"
            )
        return uri + "?immutable=1"

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection to the project file."""
        return self._connect()

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's sqlite-utils view of the project file."""
        self._connect()
        return self._local.db

    def require_writable(self) -> None:
        if self.read_only:
            raise ProjectReadOnlyError(f"cannot change {self.paths.file.name}: {self.read_only_reason}")

    def close(self) -> None:
        """Close every thread's connection (after folding the write-ahead log into the file) and
        release the write lock."""
        if not self.closed and not self.read_only:
            try:
                self.checkpoint()
            except (sqlite3.Error, UnicodeDecodeError):  # busy or damaged: SQLite checkpoints at the last close
                pass
        with self._connections_lock:
            connections, self._connections = self._connections, []
        for conn in connections:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        if self._lock is not None:
            self._lock.release()
        self.closed = True

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- image paths ---------------------------------------------------------------------------

    def stored_path(self, path: str | os.PathLike) -> str:
        """How an image path is stored: relative (posix) when under the project folder, else
        absolute. Relative paths let a project folder move to another disk or machine. A name
        that is not UTF-8 is stored as `file_names.shown` writes it (`\\xff`): SQLite takes
        only valid text, and one such name used to fail the whole batch it was imported in."""
        absolute = Path(os.path.abspath(path))
        root = Path(os.path.abspath(self.paths.root))
        try:
            return shown(absolute.relative_to(root).as_posix())
        except ValueError:
            return shown(absolute)

    def resolve_path(self, stored: str) -> Path:
        """The file on disk for a stored image path: the name as stored, or, when no file has
        that name and the stored one holds `\\xNN` escapes, the name with those bytes."""
        path = self._resolved(stored)
        if "\\x" in stored and not os.path.lexists(path):
            real = self._resolved(real_name(stored))
            if os.path.lexists(real):
                return real
        return path

    def _resolved(self, stored: str) -> Path:
        path = Path(stored)
        return path if path.is_absolute() else self.paths.root / path


def damaged_message(paths: ProjectPaths, exc: Exception) -> str:
    """One line for a project file SQLite cannot read: what is wrong and what to do."""
    backups = sorted(paths.file.parent.glob(f"{paths.file.name}.v*.bak"))
    restore = (
        f"restore the backup {backups[-1].name} (copy it to {paths.file.name})"
        if backups
        else "restore a copy you trust"
    )
    return (
        f"{paths.file} is damaged ({exc}); {restore}, or salvage what is readable with "
        f"`sqlite3 {paths.file.name} .recover | sqlite3 {paths.file.stem}-recovered.loupe`"
    )


def _check_not_truncated(paths: ProjectPaths) -> None:
    """A file shorter than its header says (a copy cut short, a full disk) is refused here,
    before a query meets the missing pages."""
    with open(paths.file, "rb") as handle:
        header = handle.read(100)
    if len(header) < 100:
        raise ProjectError(damaged_message(paths, "the file is shorter than an SQLite header"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    header_valid = header[24:28] == header[92:96]  # the page count is valid when these agree
    wal = paths.sqlite_companions[0]
    if (
        header_valid
        and pages
        and not (wal.exists() and wal.stat().st_size)
        and paths.file.stat().st_size < pages * page_size
    ):
        raise ProjectError(
            damaged_message(paths, f"the file is cut short: {paths.file.stat().st_size} of {pages * page_size} bytes")
        )


def _check_is_project_file(file: Path) -> None:
    if not file.exists():
        raise ProjectError(f"no project at {file}; create one with `loupe new {file}`")
    if file.is_dir():
        raise ProjectError(f"{file} is a folder, not a project file")
    if not file.is_file():  # a pipe would block the open below forever
        raise ProjectError(f"{file} is not a regular file (a pipe or a device), not a project file")
    try:
        with open(file, "rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise ProjectError(f"cannot read {file}: {exc.strerror}") from exc
    if head != _SQLITE_MAGIC:
        raise ProjectError(f"{file} is not a Loupe project (not an SQLite file)")
