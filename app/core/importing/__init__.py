"""Bringing files into a project and keeping track of them afterwards.

- `folder_walk`: the one walk of folders every command uses (hidden files, the project's own
  folders and non-regular files left out).
- `importer`: import files and folders (hashes, thumbnails, labels from folder names).
- `file_check`: find images whose file went missing or changed, and relink moved folders.
- `sample`: the sample project.

May import: `labelling`, `project`, `imaging`, and the flat modules.
"""
