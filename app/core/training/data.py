"""Training data: the project's labelled images through the one decoder, as tensors.

Augmentation follows the project's policy (`augmentation.py`: presets per kind of image); colour
changes only for colour images (jitter on a greyscale X-ray would invent colours that never occur).

An image that cannot be read (deleted, moved, damaged since it was imported) never fails a run:
the dataset returns its reason instead of pixels, the batch leaves it out, and the run names it
(`SkippedImages`) and marks it missing in the project. The training images are ordered by
content, so a run shuffles them the same way whatever order they were imported in; the order of
the validation images does not matter (evaluation is per image, in eval mode).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import torch
from torch.utils.data import Dataset
from torchvision.transforms import v2

from app.core.errors import LoupeError
from app.core.imaging import DecodeOptions, decode, part_paths
from app.core.project.store import Project
from app.core.training.augmentation import policy_for
from app.core.training.augmentation import transforms as augmentation_steps
from app.core.training.backbones import ImageSettings
from app.core.training.events import Notice
from app.core.training.splits import assign_splits, plan_splits


@dataclass(frozen=True)
class LabelledImage:
    image_id: int
    path: Path
    sha256: str
    class_id: int
    label: int  # index into the run's class list
    split: str
    grey: bool


@dataclass(frozen=True)
class TrainingSet:
    classes: list[tuple[int, str]]  # label index -> (class id, name)
    items: list[LabelledImage]

    def split(self, name: str) -> list[LabelledImage]:
        """The images of one split; training images in content order (see the module docstring)."""
        chosen = [item for item in self.items if item.split == name]
        return sorted(chosen, key=lambda item: item.sha256) if name == "train" else chosen

    def without(self, image_ids: Iterable[int]) -> TrainingSet:
        """The set without these images; a class left with none is dropped (the head gets no
        row for a class it never sees, and the scores do not count it)."""
        leave_out = set(image_ids)
        items = [item for item in self.items if item.image_id not in leave_out]
        present = {item.class_id for item in items}
        classes = [(class_id, name) for class_id, name in self.classes if class_id in present]
        index = {class_id: i for i, (class_id, _) in enumerate(classes)}
        return TrainingSet(classes, [replace(item, label=index[item.class_id]) for item in items])

    def with_splits(self, splits: dict[int, str]) -> TrainingSet:
        """The same images with these splits."""
        return TrainingSet(self.classes, [replace(item, split=splits[item.image_id]) for item in self.items])

    def missing_files(self) -> dict[int, str]:
        """Image id -> reason, for the images whose file is no longer there (a cheap stat each)."""
        return {item.image_id: "file not found" for item in self.items if not part_paths.exists(item.path)}

    @property
    def grey(self) -> bool:
        return all(item.grey for item in self.items)

    def checked(self) -> TrainingSet:
        if len(self.classes) < 2 or len({item.label for item in self.items}) < 2:
            raise LoupeError("training needs labelled images of at least two classes")
        return self

    def readable(self, missing: dict[int, str], project_file: Path) -> TrainingSet:
        """The set without the images whose file is missing. When that leaves too little to train
        on, the message counts the missing files and says how to find them: "label images of at
        least two classes" would send the user labelling images they have already labelled."""
        if not missing:
            return self
        left = self.without(missing)
        try:
            return left.checked()
        except LoupeError:
            first = next(item.path for item in self.items if item.image_id in missing)
            raise LoupeError(
                f"the files of {len(missing)} of the {len(self.items)} labelled images are missing (moved or "
                f"deleted? the first: {first}), and the rest do not cover two classes: `loupe check {project_file}` "
                f"lists them, `loupe relink {project_file} FOLDER` finds moved files (in the window: Find moved images)"
            ) from None

    def class_weights(self) -> torch.Tensor:
        """Inverse-frequency weights over the training split, mean 1."""
        counts = Counter(item.label for item in self.split("train"))
        weights = torch.tensor([1.0 / max(counts.get(i, 0), 1) for i in range(len(self.classes))])
        return weights * len(weights) / weights.sum()


def collect_training_set(project: Project, val_fraction: float, seed: int, store: bool = True) -> TrainingSet:
    """Every labelled image with its class index and split (splits assigned as needed; stored
    unless `store` is False: the trainer stores them once near-duplicates are grouped)."""
    splits = assign_splits(project, val_fraction, seed) if store else plan_splits(project, val_fraction, seed)[0]
    rows = project.conn.execute(
        "SELECT i.id, i.path, i.sha256, l.class_id, i.mode, i.bands FROM labels l"
        " JOIN images i ON i.id = l.image_id JOIN classes c ON c.id = l.class_id"
        " WHERE c.deleted = 0 ORDER BY i.id"
    ).fetchall()
    used = {row[3] for row in rows}
    classes = [
        (class_id, name)
        for class_id, name in project.conn.execute(
            "SELECT id, name FROM classes WHERE deleted = 0 ORDER BY position, id"
        )
        if class_id in used
    ]
    index = {class_id: i for i, (class_id, _) in enumerate(classes)}
    items = [
        LabelledImage(
            image_id,
            project.resolve_path(path),
            sha,
            class_id,
            index[class_id],
            splits[image_id],
            mode == "grey" and bands == 1,
        )
        for image_id, path, sha, class_id, mode, bands in rows
    ]
    return TrainingSet(classes, items).checked()


#: The interpolations a backbone may state (a timm checkpoint's `pretrained_cfg`), as torchvision names them.
INTERPOLATIONS = {
    "bilinear": v2.InterpolationMode.BILINEAR,
    "bicubic": v2.InterpolationMode.BICUBIC,
    "nearest": v2.InterpolationMode.NEAREST,
}


def build_transforms(settings: ImageSettings, augment: str | bool, grey: bool) -> tuple[v2.Transform, v2.Transform]:
    """(training transform, evaluation transform) from a PIL RGB image to a normalised tensor;
    `augment` names an augmentation policy (`augmentation.AUGMENTATIONS`; False: none)."""
    size = settings.size
    finish = [v2.ToDtype(torch.float32, scale=True), v2.Normalize(settings.mean, settings.std)]
    resize = v2.Resize((size, size), interpolation=INTERPOLATIONS[settings.interpolation], antialias=True)
    evaluation = v2.Compose([v2.ToImage(), resize, *finish])
    policy = policy_for(augment)
    if policy.name == "none":
        return evaluation, evaluation
    return v2.Compose([v2.ToImage(), *augmentation_steps(policy, size, grey), *finish]), evaluation


class Sample(NamedTuple):
    pixels: torch.Tensor | None  # None when the image could not be read
    label: int
    image_id: int
    reason: str = ""


class Batch(NamedTuple):
    inputs: torch.Tensor | None  # None when no image of the batch could be read
    targets: torch.Tensor | None
    image_ids: torch.Tensor | None
    failed: list[tuple[int, str]]  # (image id, reason) of the images left out


class ImageDataset(Dataset):
    """Decodes each image through Loupe's decoder (so DICOM, 16-bit and multi-band data train
    exactly as they are shown) and applies a transform. Never raises for a file: an unreadable
    one comes back as a `Sample` with its reason (a DataLoader worker's exception would reach
    the user as a 28-line traceback and end the run)."""

    def __init__(self, items: list[LabelledImage], transform, size: int, rendering: DecodeOptions = DecodeOptions()):
        self.items = items
        self.transform = transform
        #: `rendering` is the project's `image_choice`: multi-band images train as the user sees them.
        self.options = replace(rendering, draft_size=size * 2)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> Sample:
        item = self.items[index]
        try:
            return Sample(self.transform(decode(item.path, self.options).rgb), item.label, item.image_id)
        except Exception as exc:  # noqa: BLE001 - ImageError, or anything a transform raises on odd data
            return Sample(None, item.label, item.image_id, str(exc) or type(exc).__name__)


def collate_readable(samples: list[Sample]) -> Batch:
    """A batch of the readable samples, with the others listed."""
    good = [s for s in samples if s.pixels is not None]
    failed = [(s.image_id, s.reason) for s in samples if s.pixels is None]
    if not good:
        return Batch(None, None, None, failed)
    return Batch(
        torch.stack([s.pixels for s in good]),
        torch.tensor([s.label for s in good]),
        torch.tensor([s.image_id for s in good]),
        failed,
    )


class SkippedImages:
    """The labelled images a run could not read: each is named once in a lasting notice, and
    the trainer marks them missing in the project when the run ends."""

    def __init__(self, items: Iterable[LabelledImage], on_progress: Callable[[object], None]):
        self.paths = {item.image_id: item.path for item in items}
        self.on_progress = on_progress
        self.reasons: dict[int, str] = {}

    def add(self, failed: Iterable[tuple[int, str]]) -> None:
        for image_id, reason in failed:
            if image_id not in self.reasons:
                self.reasons[image_id] = reason
                self.on_progress(Notice(f"Skipped {self.paths.get(image_id, image_id)}: {reason}", lasting=True))

    def batches(
        self, loader: Iterable[Batch]
    ) -> Iterator[tuple[torch.Tensor | None, torch.Tensor | None, torch.Tensor | None]]:
        """(inputs, labels, image ids) of every batch, records the images left out. A batch with
        no readable image is (None, None, None), not dropped: under torchrun every process must
        take the same steps, so the loop skips such a step on all of them together."""
        for batch in loader:
            if batch.failed:
                self.add(batch.failed)
            yield batch.inputs, batch.targets, batch.image_ids


def mark_missing(project: Project, image_ids: Iterable[int]) -> None:
    """Mark images whose file could not be read as missing (the grid and `info` show it)."""
    ids = [(image_id,) for image_id in image_ids]
    if ids and not project.read_only:
        with project.conn as conn:
            conn.executemany("UPDATE images SET status = 'missing' WHERE id = ?", ids)
