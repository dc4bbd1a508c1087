"""The Models page's words: a download's progress and time left, what a model needs, where it
stands on this machine, the delete question. Plain functions of core values (no widgets), so the
page stays its layout and its jobs, and tests read the wording directly."""

from __future__ import annotations

from typing import Any

from app.core import hub
from app.core.hub import bytes_text
from app.core.training.presets import CLASSIFY, BackbonePreset

#: The list's columns, left to right.
COLUMNS = ("Model", "Size", "Licence", "Needs", "On this machine", "Good for")
MODEL, SIZE, LICENCE, NEEDS, ON_DISK, GOOD_FOR = range(len(COLUMNS))


def time_left_text(seconds: float | None) -> str:
    """ "about 30 s left", "about 4 min left", "about 1 h 5 min left"; "" when not known yet."""
    if seconds is None or seconds < 0 or seconds != seconds:
        return ""
    seconds = int(round(seconds))
    if seconds < 60:
        return f"about {max(seconds, 1)} s left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"about {minutes} min left"
    return f"about {minutes // 60} h {minutes % 60} min left"


def progress_text(event: Any) -> str:
    """A download in words: "120 MB of 350 MB · 8.5 MB/s · about 30 s left"."""
    parts = [f"{bytes_text(event.done_bytes)} of {bytes_text(event.total_bytes)}" if event.total_bytes else ""]
    if event.speed_bps:
        parts.append(f"{event.speed_bps / 1e6:.1f} MB/s")
    parts.append(time_left_text(event.eta_s))
    return " · ".join(part for part in parts if part) or f"{bytes_text(event.done_bytes)} so far"


def domain_title(domain: str) -> str:
    return domain[:1].upper() + domain[1:]


def needs_text(preset: BackbonePreset) -> str:
    """What a model asks of the user before it is of use (accepted terms, a GPU), and what it is
    not: a backbone to train (a zero-shot-only model), downloadable (weights only as a pickle)."""
    return ", ".join(
        words
        for wanted, words in (
            (preset.gated, "Accepted terms"),
            (preset.needs_gpu, "GPU recommended"),
            (CLASSIFY not in preset.tasks, "Zero-shot only"),
            (bool(preset.unavailable), "Not downloadable"),
        )
        if wanted
    )


def on_disk_text(row: hub.ModelRow) -> str:
    """The list's words for where a model stands on this machine."""
    if row.on_disk is not None:
        return f"Yes, {bytes_text(row.on_disk.size_bytes)}"
    if row.partial_bytes:
        of = f" of {bytes_text(row.preset.size_bytes)}" if row.preset.size_bytes else ""
        return f"Partly: {bytes_text(row.partial_bytes)}{of}, resumes"
    return "No"


def tooltips(preset: BackbonePreset) -> dict[int, str]:
    """A model row's tooltips, by column."""
    tips = {MODEL: preset.description, GOOD_FOR: preset.good_for}
    if preset.gated:
        tips[NEEDS] = "The hub asks you to accept the model's terms on its card first"
    return tips


def delete_question(preset: BackbonePreset, size: int) -> str:
    return (
        f"Delete {preset.name} from this machine? This frees {bytes_text(size)}. "
        "It can be downloaded again later; runs trained on it keep their own copy of what they need."
    )
