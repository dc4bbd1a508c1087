"""The models Loupe offers by name, each with where it stands on this machine (downloaded, part
downloaded, or not), and making sure a model is here before a job needs it.

A model reference is what a user types anywhere Loupe asks for a model: a preset's name
("dinov2-small"), a hub id ("facebook/dinov2-small") or a model folder. Only the first two are
downloaded; a folder is already here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import ConfigError, LoupeError
from app.core.hub.access import gated_reason, has_token, offline_reason, offline_variable
from app.core.hub.cache import CachedModel, model_on_disk, partial_bytes
from app.core.hub.download import DownloadProgress, download_model
from app.core.training.presets import DOMAINS, PRESETS, BackbonePreset


@dataclass
class ModelRow:
    """One preset as the Models page and `loupe models` show it. `unavailable` says why it cannot
    be downloaded now (offline; gated with no access token), None when it can or is on disk."""

    preset: BackbonePreset
    on_disk: CachedModel | None
    partial_bytes: int
    unavailable: str | None


def model_rows() -> list[ModelRow]:
    """Every preset, grouped by field in DOMAINS order and as listed within one. Reads the cache
    only: no network, a few file-system calls per preset."""
    offline = offline_reason()
    return [_row(preset, offline) for preset in _presets_by_domain()]


def _presets_by_domain() -> list[BackbonePreset]:
    order = {domain: index for index, domain in enumerate(DOMAINS)}
    return sorted(PRESETS.values(), key=lambda preset: order.get(preset.domain, len(DOMAINS)))


def _row(preset: BackbonePreset, offline: str | None) -> ModelRow:
    on_disk = model_on_disk(preset.hub_id)
    unavailable = None
    if on_disk is None and preset.unavailable:  # e.g. weights only as a pickle: no network helps
        unavailable = preset.unavailable
    elif on_disk is None and offline:
        unavailable = offline
    elif on_disk is None and preset.gated and not has_token():
        unavailable = gated_reason(preset.hub_id)
    return ModelRow(preset, on_disk, partial_bytes(preset.hub_id), unavailable)


def hub_id_of(ref: str) -> str | None:
    """The hub id a model reference downloads: a preset's, or the reference itself when it has the
    shape of one (org/name); None for a model folder. An unknown name is a ConfigError."""
    preset = PRESETS.get(ref.strip().lower())
    if preset is not None:
        return preset.hub_id
    if Path(ref).expanduser().exists():
        return None
    if _looks_like_hub_id(ref):
        return ref
    raise ConfigError(
        f"unknown model '{ref}': give a preset ({', '.join(PRESETS)}), a hub id (org/name), or a model folder"
    )


def _looks_like_hub_id(ref: str) -> bool:
    return ref.count("/") == 1 and not ref.startswith((".", "/", "~")) and "\\" not in ref and all(ref.split("/"))


def needs_download(ref: str) -> bool:
    """A preset or hub id that is not on this machine. Never a folder, nor a reference that names
    nothing (what loads the model says what is wrong with it)."""
    try:
        hub_id = hub_id_of(ref)
    except ConfigError:
        return False
    return hub_id is not None and model_on_disk(hub_id) is None


def ensure_downloaded(
    ref: str,
    on_progress: Callable[[DownloadProgress], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> CachedModel | None:
    """The model `ref` names, downloaded first when it is not on this machine; None for a model
    folder. Offline, a model that is not here is a LoupeError saying how to get it."""
    hub_id = hub_id_of(ref)
    if hub_id is None:
        return None
    found = model_on_disk(hub_id)
    if found is not None:
        return found
    preset = PRESETS.get(ref.strip().lower())
    if preset is not None and preset.unavailable:
        raise LoupeError(f"{preset.name} cannot be downloaded: {preset.unavailable}.")
    variable = offline_variable()
    if variable:
        raise LoupeError(
            f"'{ref}' is not on this machine and cannot be downloaded while {variable} is set: "
            f"`loupe models download {ref}` once online fetches it (or give a local model folder)."
        )
    return download_model(hub_id, on_progress, should_stop)
