"""Pretrained models from the Hugging Face hub: which are on this machine (`cache`), downloading
them with progress, cancel and resume (`download`), the hub's access rules and what its refusals
mean (`access`), and the presets with where each stands (`catalogue`).

No Qt here, and huggingface_hub's HTTP client loads only when a download or a request runs:
listing the presets reads the cache's folders and nothing more.
"""

from app.core.hub.access import (
    explain,
    forget_token,
    gated_reason,
    has_token,
    network_reason,
    offline_reason,
    offline_variable,
    save_token,
    token_path,
)
from app.core.hub.cache import (
    CachedModel,
    bytes_text,
    cache_bytes,
    cache_folder,
    delete_model,
    disk_free_bytes,
    model_on_disk,
    partial_bytes,
)
from app.core.hub.catalogue import ModelRow, ensure_downloaded, hub_id_of, model_rows, needs_download
from app.core.hub.download import Cancelled, DownloadError, DownloadProgress, download_model

__all__ = [
    "CachedModel",
    "Cancelled",
    "DownloadError",
    "DownloadProgress",
    "ModelRow",
    "bytes_text",
    "cache_bytes",
    "cache_folder",
    "delete_model",
    "disk_free_bytes",
    "download_model",
    "ensure_downloaded",
    "explain",
    "forget_token",
    "gated_reason",
    "has_token",
    "hub_id_of",
    "model_on_disk",
    "model_rows",
    "needs_download",
    "network_reason",
    "offline_reason",
    "offline_variable",
    "partial_bytes",
    "save_token",
    "token_path",
]
