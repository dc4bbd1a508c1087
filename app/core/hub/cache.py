"""What of the Hugging Face cache is on this machine: which models are downloaded whole, which
were cut short (and can resume), how much room the cache takes and how much the disk has left.

Read straight from the cache's layout (huggingface_hub's own, shared with transformers and every
other tool that uses it):

    <cache>/models--org--name/
        blobs/<etag>                 a file's content, once whole
        blobs/<etag>.incomplete      a download cut short: Loupe resumes it with a Range request
        refs/main                    the commit `main` pointed to when it was downloaded
        snapshots/<commit>/<file>    links to the blobs: what a loader sees

A model is **on disk** when a snapshot holds config.json and its weights whole: at least one
`*.safetensors`, and every shard that a `*.safetensors.index.json` in it names. No marker file is
needed for that, because neither Loupe nor huggingface_hub ever puts a partial file in a snapshot:
huggingface_hub moves a blob into place only when it is whole, and Loupe links a snapshot only
after every blob of the download is whole (`download.py`). So a model that transformers or the
`hf` tool downloaded counts too, and a cut download never looks complete.

Cheap: the layout is read with `os.scandir`, huggingface_hub's constants only (no HTTP client is
imported), so listing every preset costs a few file-system calls.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

#: The suffix of a blob that is still being written (or was cut short).
PARTIAL_SUFFIX = ".incomplete"


@dataclass(frozen=True)
class CachedModel:
    """A model downloaded whole: its snapshot folder (what transformers loads), the commit it is,
    and the bytes of its files."""

    hub_id: str
    path: Path
    revision: str
    size_bytes: int


def cache_folder() -> Path:
    """The Hugging Face cache (HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub), as
    huggingface_hub reads it: at call time, so a changed setting (a test's) is seen."""
    from huggingface_hub import constants

    return Path(constants.HF_HUB_CACHE)


def repo_folder(hub_id: str) -> Path:
    """The cache folder of one model repository (`models--org--name`)."""
    return cache_folder() / ("models--" + hub_id.replace("/", "--"))


def model_on_disk(hub_id: str) -> CachedModel | None:
    """The model as downloaded whole, or None: the snapshot `refs/main` names when it is complete,
    else the newest complete snapshot (a pinned revision)."""
    folder = repo_folder(hub_id)
    snapshots = _snapshots_newest_first(folder)
    main = _read_ref(folder, "main")
    snapshots.sort(key=lambda path: path.name != main)  # stable: main first, the rest newest first
    for snapshot in snapshots:
        if snapshot_is_complete(snapshot):
            return CachedModel(hub_id, snapshot, snapshot.name, _snapshot_bytes(snapshot))
    return None


def snapshot_is_complete(snapshot: Path) -> bool:
    """config.json (or open_clip_config.json: open_clip's hub layout, for zero-shot models) and the
    weights whole (see the module's docstring); a broken link (its blob deleted) is a missing file."""
    if not any((snapshot / name).is_file() for name in ("config.json", "open_clip_config.json")):
        return False
    weights = [path for path in snapshot.glob("*.safetensors") if path.is_file()]
    if not weights:
        return False
    return all((snapshot / shard).is_file() for shard in _indexed_shards(snapshot))


def _indexed_shards(snapshot: Path) -> set[str]:
    """The weights files that the snapshot's `*.safetensors.index.json` files name (sharded
    weights); an index that cannot be read names none (the loader will say what is wrong)."""
    shards: set[str] = set()
    for index in snapshot.glob("*.safetensors.index.json"):
        try:
            weight_map = json.loads(index.read_text(encoding="utf-8")).get("weight_map", {})
            shards.update(str(name) for name in weight_map.values())
        except (OSError, ValueError, AttributeError):
            continue
    return shards


def _snapshots_newest_first(folder: Path) -> list[Path]:
    try:
        found = [Path(entry.path) for entry in os.scandir(folder / "snapshots") if entry.is_dir()]
    except OSError:
        return []
    return sorted(found, key=_mtime, reverse=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _read_ref(folder: Path, name: str) -> str | None:
    try:
        return (folder / "refs" / name).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _snapshot_bytes(snapshot: Path) -> int:
    """Bytes of the files a snapshot holds (links followed to their blobs)."""
    total = 0
    for path in snapshot.rglob("*"):
        try:
            total += path.stat().st_size if path.is_file() else 0
        except OSError:
            continue
    return total


def partial_bytes(hub_id: str) -> int:
    """Bytes already downloaded of files cut short (`blobs/*.incomplete`): what a new download of
    this model resumes from rather than fetching again."""
    try:
        entries = list(os.scandir(repo_folder(hub_id) / "blobs"))
    except OSError:
        return 0
    return sum(_entry_bytes(entry) for entry in entries if entry.name.endswith(PARTIAL_SUFFIX))


def _entry_bytes(entry: os.DirEntry) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_size if entry.is_file(follow_symlinks=False) else 0
    except OSError:
        return 0


def folder_bytes(folder: Path) -> int:
    """Bytes of the files under `folder`, each counted once: a snapshot's links are not counted
    again on top of the blobs they point to."""
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                status = os.lstat(os.path.join(root, name))
            except OSError:
                continue
            total += status.st_size if stat.S_ISREG(status.st_mode) else 0
    return total


def delete_model(hub_id: str) -> int:
    """Remove the model from the cache, every revision and any partial download; the bytes freed
    (0 when it was not there). The download lock folder goes too."""
    folder = repo_folder(hub_id)
    if not folder.exists():
        return 0
    freed = folder_bytes(folder)
    shutil.rmtree(folder)
    shutil.rmtree(cache_folder() / ".locks" / folder.name, ignore_errors=True)
    return freed


def cache_bytes() -> int:
    """Bytes the whole Hugging Face cache takes (every tool's models, not only Loupe's)."""
    return folder_bytes(cache_folder())


def disk_free_bytes() -> int:
    """Free bytes on the disk that holds the cache (or would: its nearest existing parent)."""
    folder = cache_folder()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def bytes_text(count: int) -> str:
    """A size as people read it, in the hub's decimal units: "88 MB", "1.2 GB", "512 bytes"."""
    if count < 1000:
        return f"{count:,} bytes" if count != 1 else "1 byte"
    for unit in ("kB", "MB", "GB", "TB"):
        count /= 1000
        if count < 1000 or unit == "TB":
            return f"{count:.1f} {unit}" if count < 10 else f"{count:.0f} {unit}"
    raise AssertionError("unreachable")
