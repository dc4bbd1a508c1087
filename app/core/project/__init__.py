"""The project file and what lives beside it: opening, locking, the schema and its migrations,
settings, crash recovery, and the summary `loupe info` prints.

- `store`: `Project` (one SQLite file, one connection per thread) and its paths.
- `schema`: the tables and the ordered migrations.
- `lockfile`: who holds the project open for writing.
- `settings`: small JSON values stored in the project, and the keys the app uses.
- `recovery`: what an earlier process left half-done when it died.
- `summary`: counts of images, labels and problems.

May import: `app.core` flat modules (errors, atomic_files) only.
"""
