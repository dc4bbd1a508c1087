"""What a refresh of the suggestions did, in the window's language: counts of images and
suggestions, whose image features, the first line of an error. Plain functions of core values
(no widgets), so the controller (active_learning.py) keeps its jobs and tests read the wording
directly; the "SuggestionController" context is the controller's, where they were first said."""

from __future__ import annotations

import os
from pathlib import PurePath
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from app.core.active.acquisition import GIVEN_ORDER, GIVEN_ORDER_TITLE, STRATEGIES
from app.core.active.pool import EmbeddingSource
from app.gui.i18n import core_text

if TYPE_CHECKING:  # the learner imports torch: never as the window opens
    from app.core.active.learner import Refresh


def _count(n: int, one: str, many: str) -> str:
    """A count in words, from its two translated forms ("1 image", "{n} images")."""
    return (one if n == 1 else many).format(n=f"{n:,}")


def images_text(n: int) -> str:
    return _count(
        n,
        QCoreApplication.translate("SuggestionController", "1 image"),
        QCoreApplication.translate("SuggestionController", "{n} images"),
    )


def _unlabelled_images(n: int) -> str:
    return _count(
        n,
        QCoreApplication.translate("SuggestionController", "1 unlabelled image"),
        QCoreApplication.translate("SuggestionController", "{n} unlabelled images"),
    )


def short_error(message: str, limit: int = 300) -> str:
    """The first line of an error message, within `limit` characters: a sentence, never a traceback."""
    lines = (message or "").strip().splitlines()
    line = lines[0] if lines else QCoreApplication.translate("SuggestionController", "unknown error")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def source_text(source: EmbeddingSource) -> str:
    """Whose image features, in a few words: "run 3", "dinov2-small", a model folder's name."""
    if source.run_id is not None or not source.model_ref:
        return source.describe()
    ref = source.model_ref
    return PurePath(ref).name if os.path.isabs(ref) or ref.startswith(".") else ref


def refresh_sentence(refresh: Refresh, chosen: str, source: EmbeddingSource | None, kept: int = 0) -> str:
    """What a refresh did, in words: "24 suggestions from 1,230 unlabelled images in 0.12 s.";
    "3 suggestions from 3 of the 4 unlabelled images (1 already in the queue) in 0.01 s." when some
    were not looked at; when nothing is left to choose from, says why (`kept`: the suggestions the
    window keeps before the user's place)."""
    total = refresh.unlabelled_total
    not_scored = []
    if refresh.set_aside:
        not_scored.append(
            QCoreApplication.translate("SuggestionController", "{n} already in the queue").format(
                n=f"{refresh.set_aside:,}"
            )
        )
    if refresh.unreadable:
        not_scored.append(
            QCoreApplication.translate("SuggestionController", "{n} could not be read").format(
                n=f"{refresh.unreadable:,}"
            )
        )
    separator = QCoreApplication.translate("SuggestionController", "; ")
    if not refresh.unlabelled:
        if not refresh.unreadable and (refresh.set_aside or kept):
            return QCoreApplication.translate(
                "SuggestionController", "No new suggestions: every other image has a label."
            )
        if not total:
            return QCoreApplication.translate(
                "SuggestionController", "No suggestions left: every image has a label. Import more images to go on."
            )
        return QCoreApplication.translate(
            "SuggestionController", "No new suggestions: of the {images}, {reasons}."
        ).format(images=_unlabelled_images(total), reasons=separator.join(not_scored))
    seconds = sum(refresh.seconds.values())
    looked_at = (
        _unlabelled_images(total)
        if total == refresh.unlabelled
        else QCoreApplication.translate("SuggestionController", "{n} of the {images} ({reasons})").format(
            n=f"{refresh.unlabelled:,}", images=_unlabelled_images(total), reasons=separator.join(not_scored)
        )
    )
    suggestions = _count(
        len(refresh.suggestions),
        QCoreApplication.translate("SuggestionController", "1 suggestion"),
        QCoreApplication.translate("SuggestionController", "{n} suggestions"),
    )
    text = QCoreApplication.translate("SuggestionController", "{suggestions} from {images} in {seconds} s").format(
        suggestions=suggestions, images=looked_at, seconds=f"{seconds:.2f}"
    )
    given = refresh.strategy == GIVEN_ORDER
    used = core_text(GIVEN_ORDER_TITLE if given else STRATEGIES[refresh.strategy].title).lower()
    if (given or refresh.strategy == "cold-start") and chosen != "cold-start":
        text += QCoreApplication.translate("SuggestionController", ", {strategy} until two classes have labels").format(
            strategy=used
        )
    elif refresh.strategy != chosen:
        text += QCoreApplication.translate("SuggestionController", ", by {strategy}").format(strategy=used)
    if source is not None:
        text += QCoreApplication.translate("SuggestionController", "; image features of {model}").format(
            model=source_text(source)
        )
    return text + QCoreApplication.translate("SuggestionController", ".")
