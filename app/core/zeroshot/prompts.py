"""Prompts: what the text encoder reads for each class.

A class becomes a few sentences, one per template ("a photo of {}"), whose text embeddings are
averaged (each normalised, the mean renormalised): prompt ensembling, as in CLIP's paper, which
gains a few points over the bare name and is less sensitive to one unlucky wording. The class's
description, when it has one, is added to its name ("tumour, dense purple nuclei"): the user's own
words about what the class looks like.

The templates are a per-project setting (`zeroshot.templates`), starting from a default set per
field: a pathologist's project should say "a histopathology image of {}".
"""

from __future__ import annotations

from app.core.project.settings import get_setting, set_setting
from app.core.project.store import Project

#: The setting holding a project's templates (a list of strings, each with one "{}").
TEMPLATES = "zeroshot.templates"

#: Default templates per field (the fields of `training.presets.DOMAINS`).
DEFAULT_TEMPLATES: dict[str, tuple[str, ...]] = {
    "general": ("a photo of {}.", "a photo of a {}.", "an image of {}.", "a close-up photo of {}."),
    "pathology": ("a histopathology image of {}.", "an H&E image of {}.", "a photomicrograph of {}."),
    "radiology": ("a radiograph of {}.", "a medical image showing {}.", "an X-ray image of {}."),
    "remote sensing": ("a satellite image of {}.", "an aerial photo of {}.", "a remote sensing image of {}."),
}


def default_templates(domain: str = "general") -> list[str]:
    return list(DEFAULT_TEMPLATES.get(domain, DEFAULT_TEMPLATES["general"]))


def check_templates(templates: list[str]) -> list[str]:
    """The templates without blanks, each with exactly one "{}" (a ValueError says which is not)."""
    kept = [t.strip() for t in templates if t.strip()]
    if not kept:
        raise ValueError("give at least one template, such as 'a photo of {}'")
    for template in kept:
        if template.count("{}") != 1:
            raise ValueError(f"a template needs one {{}} where the class name goes: '{template}'")
    return kept


def templates_for(project: Project, domain: str = "general") -> list[str]:
    """The project's templates, or the field's defaults when it has none."""
    stored = get_setting(project, TEMPLATES)
    try:
        return check_templates(stored) if isinstance(stored, list) else default_templates(domain)
    except ValueError:
        return default_templates(domain)


def save_templates(project: Project, templates: list[str]) -> list[str]:
    kept = check_templates(templates)
    set_setting(project, TEMPLATES, kept)
    return kept


def subject(name: str, description: str | None) -> str:
    """What fills a template's {}: the class name, and its description when it has one."""
    description = (description or "").strip()
    return f"{name}, {description}" if description else name


def class_prompts(name: str, description: str | None, templates: list[str]) -> list[str]:
    return [template.replace("{}", subject(name, description)) for template in templates]
