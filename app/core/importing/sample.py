"""The sample project: a small set of synthetic microscopy-like images in three classes, so a
newcomer sees Loupe working at once. The images live in `resources/sample/` (made by
`resources/make_sample.py`), which an installed Loupe carries inside its package; most are
sorted into class folders, some wait to be labelled."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.classes import create_project
from app.core.project.store import project_file
from app.core.resource_files import resource_dir

SAMPLE_IMAGES = resource_dir() / "sample"
LABELLED = "labelled"
UNLABELLED = "unlabelled"


def create_sample_project(folder: Path, images: Path = SAMPLE_IMAGES) -> Path:
    """Make (or reuse) `folder/sample.loupe` with a copy of the sample images beside it (so the
    project is self-contained, like a user's); returns the project file."""
    path = project_file(folder / "sample")
    if path.exists():
        return path
    copy = folder / "sample-images"
    shutil.copytree(images, copy, dirs_exist_ok=True)
    classes = sorted(p.name for p in (copy / LABELLED).iterdir() if p.is_dir())
    with create_project(path, classes=classes) as project:
        import_paths(project, [copy / LABELLED], ImportOptions(labels_from_folders=True))
        import_paths(project, [copy / UNLABELLED])
    return path
