"""The project file's schema, as an ordered list of migrations.

The schema version is `PRAGMA user_version`: a project at version N has had migrations 1..N
applied. To change the schema, append a migration (never edit a released one) and add a fixture
test that opens a project at the previous version. Each migration runs in one transaction, so a
crash mid-migration leaves the file at the old version; the project module also copies the file
before migrating.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"

#: `PRAGMA application_id` of a Loupe project ("LOUP"), so another SQLite file is not mistaken
#: for one.
APPLICATION_ID = 0x4C4F5550


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "images, classes, labels and the label history",
        (
            f"""CREATE TABLE images (
                id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the history names ids
                path TEXT NOT NULL UNIQUE,  -- relative to the project folder (posix), else absolute
                sha256 TEXT NOT NULL UNIQUE,
                size_bytes INTEGER NOT NULL,
                mtime_ns INTEGER,
                format TEXT NOT NULL,
                width INTEGER NOT NULL,
                height INTEGER NOT NULL,
                bit_depth INTEGER NOT NULL,
                bands INTEGER NOT NULL,
                mode TEXT NOT NULL,
                frames INTEGER NOT NULL DEFAULT 1,
                status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'missing')),
                added_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            """CREATE TABLE classes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                name TEXT NOT NULL UNIQUE COLLATE NOCASE,
                colour TEXT NOT NULL,
                shortcut TEXT,
                description TEXT NOT NULL DEFAULT '',  -- also the zero-shot prompt
                position INTEGER NOT NULL
            )""",
            f"""CREATE TABLE labels (
                image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
                class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
                source TEXT NOT NULL CHECK (source IN ('human', 'imported', 'accepted-prediction')),
                updated_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "CREATE INDEX labels_by_class ON labels(class_id)",
            # Append-only: every label change, grouped by user action (undo, audit). No foreign
            # keys, so the record outlives deleted images and classes.
            f"""CREATE TABLE label_history (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                action INTEGER NOT NULL,
                image_id INTEGER NOT NULL,
                old_class_id INTEGER,
                new_class_id INTEGER,
                source TEXT NOT NULL,
                at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "CREATE INDEX label_history_by_action ON label_history(action)",
        ),
    ),
    Migration(
        2,
        "splits, settings, and the import's record of rejected and duplicate files",
        (
            f"""CREATE TABLE splits (
                image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
                split TEXT NOT NULL CHECK (split IN ('train', 'val', 'test')),
                assigned_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)  -- JSON values",
            f"""CREATE TABLE rejected_files (
                path TEXT PRIMARY KEY,
                reason TEXT NOT NULL,
                seen_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            f"""CREATE TABLE duplicate_files (
                path TEXT PRIMARY KEY,
                image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                seen_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
        ),
    ),
    Migration(
        3,
        "label actions (undo/redo that survives reopening) and undoable class deletion",
        (
            # One row per user action; label_history rows point at it. 'undo'/'redo' actions name
            # the action they take back or re-apply in `target`, so the undo and redo stacks can
            # be rebuilt from the file alone.
            f"""CREATE TABLE label_actions (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('do', 'undo', 'redo')),
                target INTEGER,
                description TEXT NOT NULL DEFAULT '',
                deleted_class_id INTEGER,  -- the class this action deleted (undo restores it)
                at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "INSERT INTO label_actions (id, kind) SELECT DISTINCT action, 'do' FROM label_history",
            # A deleted class stays (hidden) so that undo can bring it back with its colour.
            "ALTER TABLE classes ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0",
            # The grid's default order ("by name") on 100,000 images without a sort step.
            "CREATE INDEX images_by_path ON images(path COLLATE NOCASE, id)",
        ),
    ),
    Migration(
        4,
        "training runs: config, label snapshot, metrics and report",
        (
            f"""CREATE TABLE runs (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                created_at TEXT NOT NULL DEFAULT {_NOW},
                finished_at TEXT,
                status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed', 'cancelled')),
                model_ref TEXT NOT NULL,
                method TEXT NOT NULL,
                seed INTEGER NOT NULL,
                config TEXT NOT NULL,  -- JSON of the training config
                classes TEXT NOT NULL,  -- JSON list: class index -> {{id, name}}
                device TEXT NOT NULL DEFAULT '',
                model_dir TEXT,  -- relative to the project folder
                accuracy REAL,
                macro_f1 REAL,
                report TEXT,  -- JSON: per-class precision/recall/F1/support, confusion matrix
                message TEXT NOT NULL DEFAULT ''  -- why it failed or stopped early
            )""",
            # Which images with which labels (and split) the run learned from: reproducible
            # however the labels change afterwards.
            """CREATE TABLE run_labels (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                image_id INTEGER NOT NULL,
                class_id INTEGER NOT NULL,
                split TEXT NOT NULL,
                PRIMARY KEY (run_id, image_id)
            )""",
            """CREATE TABLE run_metrics (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                epoch REAL NOT NULL,
                name TEXT NOT NULL,  -- train_loss, lr, val_loss, val_accuracy, val_macro_f1
                value REAL NOT NULL
            )""",
            "CREATE INDEX run_metrics_by_run ON run_metrics(run_id, name, step)",
        ),
    ),
    Migration(
        5,
        "predictions of trained models",
        (
            f"""CREATE TABLE predictions (
                run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                class_id INTEGER NOT NULL,  -- the predicted class (project class id)
                confidence REAL NOT NULL,  -- softmax probability of that class
                made_at TEXT NOT NULL DEFAULT {_NOW},
                PRIMARY KEY (run_id, image_id)
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        6,
        "what a run cost (weights, size, memory, speed) and what it noticed (images skipped…)",
        (
            # JSON: parameters trained/total, bytes saved, peak memory, latency per image.
            "ALTER TABLE runs ADD COLUMN cost TEXT",
            # JSON list of sentences: images skipped, batch halved, early stop.
            "ALTER TABLE runs ADD COLUMN notices TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        7,
        "images whose file changed after import are flagged",
        (
            # When a check found other content at the image's path (its labels may no longer fit).
            "ALTER TABLE images ADD COLUMN changed_at TEXT",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        8,
        "active learning: each refresh of the suggestions, for the 'Am I done?' curve and stopping signal",
        (
            f"""CREATE TABLE active_rounds (
                id INTEGER PRIMARY KEY,
                made_at TEXT NOT NULL DEFAULT {_NOW},
                strategy TEXT NOT NULL,
                source TEXT NOT NULL,  -- whose features: a backbone or 'run N'
                labels INTEGER NOT NULL,  -- labelled images the head was fitted on
                unlabelled INTEGER NOT NULL,  -- images scored
                accuracy REAL,  -- estimated on the validation split (NULL: none yet)
                validation_images INTEGER NOT NULL DEFAULT 0,
                changed_share REAL  -- share of unlabelled images whose predicted class changed since the last round
            )""",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        9,
        "batches of files classified with a run, and their results (kept until deleted)",
        (
            f"""CREATE TABLE batches (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                run_id INTEGER REFERENCES runs(id) ON DELETE SET NULL,  -- the run that classified it
                created_at TEXT NOT NULL DEFAULT {_NOW},
                inputs TEXT NOT NULL,  -- JSON list of the absolute files and folders given
                status TEXT NOT NULL CHECK (status IN ('finished', 'cancelled')),
                top_k INTEGER NOT NULL DEFAULT 3,
                tta INTEGER NOT NULL DEFAULT 0,
                total INTEGER NOT NULL,  -- files found in the inputs (more than classified when cancelled)
                classified INTEGER NOT NULL,
                failed INTEGER NOT NULL  -- files that could not be read
            )""",
            # One row per file, in input order. Paths are absolute: the files stay where they are
            # and may not be in the project; `image_id` is set once a result is accepted as a label.
            """CREATE TABLE batch_results (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                batch_id INTEGER NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                path TEXT NOT NULL,
                class_id INTEGER,  -- the predicted project class; NULL when the file could not be read
                label TEXT NOT NULL DEFAULT '',  -- the class name as the run knew it
                confidence REAL NOT NULL DEFAULT 0,
                top TEXT NOT NULL DEFAULT '[]',  -- JSON [[class id, class name, probability], ...], best first
                reason TEXT NOT NULL DEFAULT '',  -- why the file could not be read
                image_id INTEGER REFERENCES images(id) ON DELETE SET NULL
            )""",
            "CREATE INDEX batch_results_by_batch ON batch_results(batch_id, position)",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        10,
        "labels you can trust: zero-shot and review label sources, near-duplicate groups",
        (
            # SQLite cannot change a CHECK constraint in place: the labels table is made anew
            # (same columns) with two more sources, 'zero-shot' (a pre-label accepted from class
            # names) and 'review' (changed in the Check labels queue).
            f"""CREATE TABLE labels_v10 (
                image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
                class_id INTEGER NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
                source TEXT NOT NULL CHECK (source IN ('human', 'imported', 'accepted-prediction', 'zero-shot', 'review')),
                updated_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "INSERT INTO labels_v10 (image_id, class_id, source, updated_at)"
            " SELECT image_id, class_id, source, updated_at FROM labels",
            "DROP TABLE labels",
            "ALTER TABLE labels_v10 RENAME TO labels",
            "CREATE INDEX labels_by_class ON labels(class_id)",
            # Groups of near-identical images (a rescan, a recompressed or resized copy), found
            # from image features: the split keeps each group on one side. Rebuilt whenever they
            # are looked for again; `features` says whose features found them.
            f"""CREATE TABLE near_duplicates (
                image_id INTEGER PRIMARY KEY REFERENCES images(id) ON DELETE CASCADE,
                group_id INTEGER NOT NULL,  -- the smallest image id of the group
                similarity REAL NOT NULL,  -- to the closest other member of its group (cosine)
                features TEXT NOT NULL,
                found_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "CREATE INDEX near_duplicates_by_group ON near_duplicates(group_id)",
        ),
    ),
)

MIGRATIONS += (
    Migration(
        11,
        "whole slides and scenes as sources of tiles",
        (
            # A whole slide or scene, too large to be one image: its tiles are the project's
            # images (`images.source_id`). The file is not copied or hashed whole (a slide is
            # gigabytes): `fingerprint` is the sha256 of its size and first and last MiB.
            f"""CREATE TABLE sources (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                path TEXT NOT NULL UNIQUE,  -- as images.path: relative to the project folder, else absolute
                fingerprint TEXT NOT NULL,
                size_bytes INTEGER NOT NULL,
                mtime_ns INTEGER,
                reader TEXT NOT NULL,  -- 'openslide' or 'tifffile'
                format TEXT NOT NULL,
                kind TEXT NOT NULL CHECK (kind IN ('slide', 'scene')),
                width INTEGER NOT NULL,  -- level 0
                height INTEGER NOT NULL,
                facts TEXT NOT NULL,  -- JSON: levels, mpp, bands, sample type, band names, georeferencing, nodata
                tile_size INTEGER NOT NULL,  -- the last cut: a tile's side as shown
                tile_level INTEGER NOT NULL,  -- read from this level
                tile_region INTEGER NOT NULL,  -- a tile's side in level-0 pixels
                tile_mpp REAL,  -- µm per pixel of the tiles, when the file says its own
                min_tissue REAL NOT NULL,
                overview BLOB,  -- JPEG of the source at about 2,000 px, what the window shows
                overview_downsample REAL,  -- level-0 pixels per overview pixel
                mask BLOB,  -- PNG, the overview's size: tissue or valid data (white)
                mask_threshold REAL,
                tiles INTEGER NOT NULL DEFAULT 0,
                skipped INTEGER NOT NULL DEFAULT 0,  -- whole tiles left out as background or no data
                added_at TEXT NOT NULL DEFAULT {_NOW}
            )""",
            "ALTER TABLE images ADD COLUMN source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE",
            # A tile's region in level-0 pixels, and the level it is read from (NULL for files).
            "ALTER TABLE images ADD COLUMN tile_level INTEGER",
            "ALTER TABLE images ADD COLUMN tile_x INTEGER",
            "ALTER TABLE images ADD COLUMN tile_y INTEGER",
            "ALTER TABLE images ADD COLUMN tile_w INTEGER",
            "ALTER TABLE images ADD COLUMN tile_h INTEGER",
            "CREATE INDEX images_by_source ON images(source_id, tile_y, tile_x)",
        ),
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


_CREATED_TABLE = re.compile(r"^\s*CREATE TABLE (\w+)", re.IGNORECASE)
_DROPPED_TABLE = re.compile(r"^\s*DROP TABLE (\w+)", re.IGNORECASE)
_RENAMED_TABLE = re.compile(r"^\s*ALTER TABLE (\w+) RENAME TO (\w+)", re.IGNORECASE)


def tables_at(version: int) -> dict[str, int]:
    """The tables a project at schema `version` has: name -> the version that created it. A
    table rebuilt under its own name (made anew, the old one dropped, the new one renamed)
    keeps the version that first created it: a file of any version has it."""
    tables: dict[str, int] = {}
    dropped: dict[str, int] = {}
    for migration in MIGRATIONS:
        if migration.version > version:
            break
        for statement in migration.statements:
            if match := _CREATED_TABLE.match(statement):
                tables[match.group(1)] = migration.version
            elif match := _DROPPED_TABLE.match(statement):
                dropped[match.group(1)] = tables.pop(match.group(1))
            elif match := _RENAMED_TABLE.match(statement):
                old, new = match.groups()
                created = tables.pop(old)
                tables[new] = dropped.pop(new, created)
    return tables


def schema_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """What does not fit schema `version` in this file, in a few words (None: its tables are
    those of that version). Looked at before a project is used or upgraded: a table someone
    dropped would otherwise surface as "no such table" in the middle of a command, and a
    `user_version` reset by hand (to 0, or any older number) would send the file through
    migrations that re-create tables it already has, or mis-migrate it."""
    present = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    expected = tables_at(version)
    missing = sorted(name for name in expected if name not in present)
    if missing:
        return f"{_tables(missing)} {'is' if len(missing) == 1 else 'are'} missing"
    later = sorted(name for name, created in tables_at(LATEST_VERSION).items() if created > version and name in present)
    if later:
        return (
            f"its schema version says v{version}, but it already has {_tables(later)} of a later "
            "version: the version was changed by hand, or the file comes from an unknown Loupe"
        )
    return None


def _tables(names: list[str], shown: int = 3) -> str:
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return f"table{'s' if len(names) > 1 else ''} {', '.join(names[:shown])}{more}"


def is_schema_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite's error means the file's tables are not what Loupe made (a table or column
    gone), as opposed to a passing state such as "database is locked"."""
    text = str(exc)
    return text.startswith(("no such table", "no such column"))


def migrate(conn: sqlite3.Connection, target: int = LATEST_VERSION) -> list[int]:
    """Apply the pending migrations up to `target`, each in its own transaction.

    Returns the versions applied. The connection must be in autocommit mode
    (`isolation_level=None`) so the explicit BEGIN/COMMIT here are the only transactions.
    """
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= schema_version(conn) or migration.version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(migration.version)
    return applied
