"""A project with trained runs of a tiny ViT, for the tests of batch prediction (core and CLI)."""

from __future__ import annotations

import shutil
from pathlib import Path

from app.core.project.settings import ACTIVE_RUN, set_setting
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from tests.tiny_models import COLOURS, IMAGE_SIZE, colour_image, make_colour_project, save_tiny_vit


def trained_project(folder: Path, methods: tuple[str, ...] = ("linear",)) -> tuple[Path, dict[str, int]]:
    """The colour project (3 classes × 6 images) with one run per method (the first one
    active): (project file, {method: run id})."""
    vit = save_tiny_vit(folder / "vit")
    path = make_colour_project(folder, per_class=6)
    with Project.open(path) as project:
        runs = {
            method: train(
                project,
                TrainConfig(
                    model=str(vit), method=method, epochs=4, batch_size=8, lr=1e-2, workers=0, device="cpu", patience=0
                ),
            ).run
            for method in methods
        }
        set_setting(project, ACTIVE_RUN, runs[methods[0]])
    return path, runs


def new_images(folder: Path, per_colour: int = 3, size: int = IMAGE_SIZE) -> list[Path]:
    """Images the project has never seen, at the model's input size, one file per image."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k, name in enumerate(COLOURS):
        for i in range(per_colour):
            path = folder / f"{name}-{i}.png"
            colour_image(COLOURS[name], seed=50_000 + 100 * k + i, size=size).save(path)
            paths.append(path)
    return paths


def active_linear_run(folder: Path, vit: Path, per_class: int = 6, epochs: int = 10) -> tuple[Path, int]:
    """The colour project (3 classes × `per_class` images) with a linear run of `vit` trained on
    it and made active: (project file, run id). Tests copy it with `project_copy`."""
    path = make_colour_project(folder, per_class=per_class)
    with Project.open(path) as project:
        run = train(
            project,
            TrainConfig(model=str(vit), method="linear", epochs=epochs, lr=1e-2, workers=0, device="cpu", patience=0),
        ).run
        set_setting(project, ACTIVE_RUN, run)
    return path, run


def project_copy(template: Path, folder: Path) -> Path:
    """A copy of a project's folder (its images and models too): the copied project file."""
    shutil.copytree(template.parent, folder)
    return folder / template.name
