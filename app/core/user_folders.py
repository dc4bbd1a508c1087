"""Where Loupe keeps things of the user's rather than of a project: the platform's own places.

Linux follows the XDG base directories ($XDG_CACHE_HOME, $XDG_DATA_HOME); macOS keeps caches in
~/Library/Caches and data in ~/Library/Application Support; Windows both under %LOCALAPPDATA%.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "loupe"


def user_cache_dir() -> Path:
    """Rebuildable things (a read-only project's thumbnails and embeddings): safe to delete."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home()) / APP / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def user_data_dir() -> Path:
    """Things to keep (logs)."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home()) / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP
