"""Augmentation policies: how training images are varied, chosen per project from presets
named after the kind of images they suit, and named in plain words in the form and the report.

Why presets, not one policy: a change that keeps the class in one domain changes it in another.
A flipped chest radiograph shows the heart on the wrong side and a flipped digit is another
digit, while a histology tile or a satellite tile means the same at any turn. The default,
`general`, only crops a little and varies the light, which no domain's class depends on.

This module imports no torch (the form and `--help` list the presets); `transforms(policy, …)`
builds the torchvision pipeline when a run needs it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AugmentationPolicy:
    name: str
    title: str
    words: str  # what it does, in plain words
    crop: tuple[float, float] | None = None  # share of the image a random crop keeps (min, max)
    horizontal_flip: bool = False
    vertical_flip: bool = False
    quarter_turns: bool = False  # 0°, 90°, 180° or 270° at random
    rotation: float = 0.0  # small turns up to this many degrees either way
    light: float = 0.0  # brightness and contrast vary by up to this share
    colour: float = 0.0  # saturation and hue vary too (colour images only)

    @property
    def one_line(self) -> str:
        return f"{self.title}: {self.words}"


#: A frozen-features run's augmentation, as its report says it (none: each image's features are
#: computed once); the window translates it like the policies' words.
NO_AUGMENTATION = "None: the linear probe fits each image's features once, unvaried"

AUGMENTATIONS: dict[str, AugmentationPolicy] = {
    policy.name: policy
    for policy in (
        AugmentationPolicy(
            "general",
            "General",
            "small crops and light changes; no flips or turns (safe for any images)",
            crop=(0.85, 1.0),
            light=0.1,
        ),
        AugmentationPolicy(
            "photographs",
            "Photographs",
            "crops, left–right mirror images and colour changes",
            crop=(0.6, 1.0),
            horizontal_flip=True,
            light=0.2,
            colour=0.1,
        ),
        AugmentationPolicy(
            "histology",
            "Histology",
            "flips both ways, quarter turns and stain colour changes (a tissue tile means the same at any turn)",
            crop=(0.8, 1.0),
            horizontal_flip=True,
            vertical_flip=True,
            quarter_turns=True,
            light=0.15,
            colour=0.08,
        ),
        AugmentationPolicy(
            "radiology",
            "Radiology",
            "small turns, crops and brightness/contrast changes; never flipped (left and right matter)",
            crop=(0.85, 1.0),
            rotation=7,
            light=0.15,
        ),
        AugmentationPolicy(
            "remote-sensing",
            "Remote sensing",
            "flips both ways, quarter turns and small crops (a scene tile has no up or down)",
            crop=(0.8, 1.0),
            horizontal_flip=True,
            vertical_flip=True,
            quarter_turns=True,
            light=0.1,
        ),
        AugmentationPolicy(
            "none",
            "None",
            "every image as it is (documents, digits, anything whose class changes when cropped or turned)",
        ),
    )
}

DEFAULT_AUGMENTATION = "general"


def policy_for(value: str | bool) -> AugmentationPolicy:
    """The policy named `value`; True and False are the settings of runs stored before presets."""
    if isinstance(value, bool):
        value = DEFAULT_AUGMENTATION if value else "none"
    return AUGMENTATIONS[value]


def transforms(policy: AugmentationPolicy, size: int, grey: bool) -> list:
    """The torchvision v2 steps of `policy` for images of `size` pixels (before the dtype and
    normalisation steps); `grey` images get no colour changes."""
    from torchvision.transforms import v2

    steps = []
    if policy.crop:
        steps.append(v2.RandomResizedCrop(size, scale=policy.crop, ratio=(0.9, 1.1), antialias=True))
    else:
        steps.append(v2.Resize((size, size), antialias=True))
    if policy.horizontal_flip:
        steps.append(v2.RandomHorizontalFlip())
    if policy.vertical_flip:
        steps.append(v2.RandomVerticalFlip())
    if policy.quarter_turns:
        steps.append(v2.RandomChoice([v2.RandomRotation((angle, angle)) for angle in (0, 90, 180, 270)]))
    if policy.rotation:
        steps.append(v2.RandomRotation(policy.rotation))
    if policy.light or (policy.colour and not grey):
        colour = 0.0 if grey else policy.colour
        steps.append(v2.ColorJitter(brightness=policy.light, contrast=policy.light, saturation=colour, hue=colour / 4))
    return steps
