"""Bringing files into a project and keeping track of them afterwards.

- `folder_walk`: the one walk of folders that import, relink and `loupe predict` share (hidden
  files and folders, and any project's cache and models folders, left out).
- `importer`: import files and folders (hashes, thumbnails, labels from folder names).
- `file_check`: find images whose file went missing or changed, and relink moved folders.
- `sample`: the sample project.

May import: `labelling`, `project`, `imaging`, and the flat modules.
"""
