"""A training run named in the window's language. The core's `RunRecord.description` is the
command line's English ("run 3 · tiny-vit · Linear probe · 93.3% accuracy"); the window says the
same parts through its translations."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.training.augmentation import AUGMENTATIONS
from app.core.training.runs import RunRecord
from app.gui.i18n import core_text


def run_in_words(run: RunRecord) -> str:
    accuracy = (
        QCoreApplication.translate("RunWords", "{accuracy} accuracy").format(accuracy=f"{run.accuracy:.1%}")
        if run.accuracy is not None
        else ""
    )
    parts = [
        QCoreApplication.translate("RunWords", "run {id}").format(id=run.id),
        run.backbone_name,
        core_text(run.method_title),
        accuracy,
    ]
    return " · ".join(part for part in parts if part)


def origin_in_words(origin: dict | None) -> str:
    """Where a run's backbone came from, for its report card (in the
    window's language): a hub model at its revision, a folder, or '' unknown."""
    if not origin:
        return ""
    if origin.get("hub_id"):
        revision = origin.get("revision")
        if revision:
            return QCoreApplication.translate("RunWords", "Trained from {model} at revision {revision}").format(
                model=origin["hub_id"], revision=revision[:7]
            )
        return QCoreApplication.translate("RunWords", "Trained from {model}").format(model=origin["hub_id"])
    if origin.get("folder"):
        return QCoreApplication.translate("RunWords", "Trained from the folder {folder}").format(
            folder=origin["folder"]
        )
    model = origin.get("model", "")
    return QCoreApplication.translate("RunWords", "Trained from {model}").format(model=model) if model else ""


def augmentation_in_words(text: str) -> str:
    """A report's augmentation line (a policy's `one_line`, or the linear probe's none) in the
    window's language; a line from a Loupe that named it otherwise stays as it was written."""
    for policy in AUGMENTATIONS.values():
        if text == policy.one_line:
            return f"{core_text(policy.title)}: {core_text(policy.words)}"
    return core_text(text)
