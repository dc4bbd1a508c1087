"""The Models page's words: a download's progress and time left, what a model needs, where it
stands on this machine, the delete question. Plain functions of core values (no widgets), so the
page stays its layout and its jobs, and tests read the wording directly."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core import hub
from app.core.training.presets import CLASSIFY, BackbonePreset
from app.gui.i18n import core_text, size_text

#: The list's columns, left to right (translated where shown, in the "ModelsPage" context).
COLUMNS = (
    QT_TRANSLATE_NOOP("ModelsPage", "Model"),
    QT_TRANSLATE_NOOP("ModelsPage", "Size"),
    QT_TRANSLATE_NOOP("ModelsPage", "Licence"),
    QT_TRANSLATE_NOOP("ModelsPage", "Needs"),
    QT_TRANSLATE_NOOP("ModelsPage", "On this machine"),
    QT_TRANSLATE_NOOP("ModelsPage", "Good for"),
)
MODEL, SIZE, LICENCE, NEEDS, ON_DISK, GOOD_FOR = range(len(COLUMNS))


def time_left_text(seconds: float | None) -> str:
    """ "about 30 s left", "about 4 min left", "about 1 h 5 min left"; "" when not known yet."""
    if seconds is None or seconds < 0 or seconds != seconds:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return QCoreApplication.translate("ModelsPage", "about {seconds} s left").format(seconds=max(seconds, 1))
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("ModelsPage", "about {minutes} min left").format(minutes=minutes)
    return QCoreApplication.translate("ModelsPage", "about {hours} h {minutes} min left").format(
        hours=minutes // 60, minutes=minutes % 60
    )


def progress_text(event: Any) -> str:
    """A download in words: "120 MB of 350 MB · 8.5 MB/s · about 30 s left"."""
    done = size_text(event.done_bytes)
    parts = [
        QCoreApplication.translate("ModelsPage", "{done} of {total}").format(
            done=done, total=size_text(event.total_bytes)
        )
        if event.total_bytes
        else ""
    ]
    if event.speed_bps:
        parts.append(
            QCoreApplication.translate("ModelsPage", "{speed} MB/s").format(speed=f"{event.speed_bps / 1e6:.1f}")
        )
    parts.append(time_left_text(event.eta_s))
    return " · ".join(part for part in parts if part) or QCoreApplication.translate(
        "ModelsPage", "{done} so far"
    ).format(done=done)


def domain_title(domain: str) -> str:
    domain = core_text(domain)
    return domain[:1].upper() + domain[1:]


def needs_text(preset: BackbonePreset) -> str:
    """What a model asks of the user before it is of use (accepted terms, a GPU), and what it is
    not: a backbone to train (a zero-shot-only model), downloadable (weights only as a pickle)."""
    return ", ".join(
        words
        for wanted, words in (
            (preset.gated, QCoreApplication.translate("ModelsPage", "Accepted terms")),
            (preset.needs_gpu, QCoreApplication.translate("ModelsPage", "GPU recommended")),
            (CLASSIFY not in preset.tasks, QCoreApplication.translate("ModelsPage", "Zero-shot only")),
            (bool(preset.unavailable), QCoreApplication.translate("ModelsPage", "Not downloadable")),
        )
        if wanted
    )


def on_disk_text(row: hub.ModelRow) -> str:
    """The list's words for where a model stands on this machine."""
    if row.on_disk is not None:
        return QCoreApplication.translate("ModelsPage", "Yes, {size}").format(size=size_text(row.on_disk.size_bytes))
    partial = size_text(row.partial_bytes)
    if row.partial_bytes and row.preset.size_bytes:
        return QCoreApplication.translate("ModelsPage", "Partly: {done} of {total}, resumes").format(
            done=partial, total=size_text(row.preset.size_bytes)
        )
    if row.partial_bytes:
        return QCoreApplication.translate("ModelsPage", "Partly: {done}, resumes").format(done=partial)
    return QCoreApplication.translate("ModelsPage", "No")


def tooltips(preset: BackbonePreset) -> dict[int, str]:
    """A model row's tooltips, by column."""
    tips = {MODEL: core_text(preset.description), GOOD_FOR: core_text(preset.good_for)}
    if preset.gated:
        tips[NEEDS] = QCoreApplication.translate(
            "ModelsPage", "The hub asks you to accept the model's terms on its card first"
        )
    return tips


def delete_question(preset: BackbonePreset, size: int) -> str:
    return QCoreApplication.translate(
        "ModelsPage",
        "Delete {model} from this machine? This frees {size}. "
        "It can be downloaded again later; runs trained on it keep their own copy of what they need.",
    ).format(model=preset.name, size=size_text(size))


def details_html(preset: BackbonePreset, row: Any, unavailable: str | None) -> str:
    """The detail pane under the list: what the model is, where its card is, what it needs, where
    it stands on this machine (`row`: its scan row, None while the scan runs) and, given, why it
    cannot be downloaded now."""
    url = html.escape(preset.card_url)
    facts = [html.escape(preset.hub_id)]
    if preset.parameters_m:
        facts.append(
            QCoreApplication.translate("ModelsPage", "{count} M weights").format(count=f"{preset.parameters_m:g}")
        )
    if preset.size_bytes:
        facts.append(
            QCoreApplication.translate("ModelsPage", "{size} to download").format(size=size_text(preset.size_bytes))
        )
    if preset.licence:
        facts.append(
            QCoreApplication.translate("ModelsPage", "licence: {licence}").format(licence=html.escape(preset.licence))
        )
    lines = [
        QCoreApplication.translate("ModelsPage", "<b>{model}</b> — {description}.").format(
            model=html.escape(preset.name), description=html.escape(core_text(preset.description))
        ),
        " · ".join(facts),
    ]
    if preset.gated:
        lines.append(
            QCoreApplication.translate(
                "ModelsPage",
                '<b>Needs accepted terms:</b> read and accept them on <a href="{url}">its card</a>, '
                "then save your access token (right) and download.",
            ).format(url=url)
        )
    else:
        lines.append(
            QCoreApplication.translate("ModelsPage", 'Card, licence and details: <a href="{url}">{url}</a>').format(
                url=url
            )
        )
    if preset.needs_gpu:
        lines.append(
            QCoreApplication.translate(
                "ModelsPage", "A GPU is recommended: on a CPU, training and predictions with it are slow."
            )
        )
    if row is None:
        lines.append(QCoreApplication.translate("ModelsPage", "Looking at this machine…"))
    elif row.on_disk is not None:
        path = html.escape(str(row.on_disk.path))
        if row.on_disk.revision:
            lines.append(
                QCoreApplication.translate("ModelsPage", "On this machine (revision {revision}): {path}").format(
                    revision=html.escape(row.on_disk.revision[:12]), path=path
                )
            )
        else:
            lines.append(QCoreApplication.translate("ModelsPage", "On this machine: {path}").format(path=path))
    elif row.partial_bytes:
        lines.append(
            QCoreApplication.translate("ModelsPage", "Partly downloaded ({size}): Download resumes it.").format(
                size=size_text(row.partial_bytes)
            )
        )
    else:
        lines.append(QCoreApplication.translate("ModelsPage", "Not on this machine yet."))
    if unavailable:
        lines.append(
            QCoreApplication.translate("ModelsPage", "Cannot be downloaded now. {reason}").format(
                reason=html.escape(unavailable)
            )
        )
    return "<br>".join(lines)
