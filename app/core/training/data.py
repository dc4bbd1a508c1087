"""Training data: the project's labelled images through the one decoder, as tensors.

Augmentation suits the kind of images users bring: random resized crops, flips and small
rotations for all; colour jitter only for colour images (jitter on a greyscale X-ray would
invent colours that never occur).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.utils.data import Dataset
from torchvision.transforms import v2

from app.core.errors import ImageError, LoupeError
from app.core.imaging import DecodeOptions, decode
from app.core.project import Project
from app.core.training.backbones import ImageSettings
from app.core.training.splits import assign_splits


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
        return [item for item in self.items if item.split == name]

    @property
    def grey(self) -> bool:
        return all(item.grey for item in self.items)

    def class_weights(self) -> torch.Tensor:
        """Inverse-frequency weights over the training split, mean 1."""
        counts = Counter(item.label for item in self.split("train"))
        weights = torch.tensor([1.0 / max(counts.get(i, 0), 1) for i in range(len(self.classes))])
        return weights * len(weights) / weights.sum()


def collect_training_set(project: Project, val_fraction: float, seed: int) -> TrainingSet:
    """Every labelled image with its class index and split (splits assigned as needed)."""
    splits = assign_splits(project, val_fraction, seed)
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
        LabelledImage(image_id, project.resolve_path(path), sha, class_id, index[class_id], splits[image_id],
                      mode == "grey" and bands == 1)
        for image_id, path, sha, class_id, mode, bands in rows
    ]  # fmt: skip
    if len(classes) < 2:
        raise LoupeError("training needs labelled images of at least two classes")
    return TrainingSet(classes, items)


def build_transforms(settings: ImageSettings, augment: bool, grey: bool) -> tuple[v2.Transform, v2.Transform]:
    """(training transform, evaluation transform) from a PIL RGB image to a normalised tensor."""
    size = settings.size
    finish = [v2.ToDtype(torch.float32, scale=True), v2.Normalize(settings.mean, settings.std)]
    evaluation = v2.Compose([v2.ToImage(), v2.Resize((size, size), antialias=True), *finish])
    if not augment:
        return evaluation, evaluation
    steps = [
        v2.ToImage(),
        v2.RandomResizedCrop(size, scale=(0.7, 1.0), ratio=(0.85, 1.15), antialias=True),
        v2.RandomHorizontalFlip(),
        v2.RandomRotation(10),
    ]
    if not grey:
        steps.append(v2.ColorJitter(brightness=0.15, contrast=0.15, saturation=0.1))
    return v2.Compose(steps + finish), evaluation


class ImageDataset(Dataset):
    """Decodes each image through Loupe's decoder (so DICOM, 16-bit and multi-band data train
    exactly as they are shown) and applies a transform."""

    def __init__(self, items: list[LabelledImage], transform, size: int, bands=None):
        self.items = items
        self.transform = transform
        self.options = DecodeOptions(bands=bands, draft_size=size * 2)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int):
        item = self.items[index]
        try:
            image = decode(item.path, self.options).rgb
        except ImageError as exc:
            raise LoupeError(f"{item.path}: {exc}") from exc
        return self.transform(image), item.label


