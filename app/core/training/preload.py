"""Load the machine-learning libraries up front.

Importing torch, torchvision and transformers loads large native libraries while holding
Python's global lock, in pieces of up to a few hundred milliseconds. Done in a background thread
while the window is in use, that would freeze the window in those moments; so the app does it
once at start-up, behind its splash screen, and the window never waits afterwards.
"""

from __future__ import annotations

import importlib
import time

MODULES = (
    "torch",
    "torchvision.transforms.v2",
    "sklearn.metrics",
    "transformers",
    "peft",
    "app.core.training.trainer",
    "app.core.predict",
)


def preload_ml_libraries() -> float:
    """Import everything training and prediction use; returns the seconds it took."""
    started = time.perf_counter()
    for name in MODULES:
        importlib.import_module(name)
    # transformers loads its model classes lazily: touch the ones Loupe uses.
    import transformers

    transformers.AutoModelForImageClassification, transformers.AutoImageProcessor  # noqa: B018
    from app.core.training.device import choose_device

    choose_device("auto")
    return time.perf_counter() - started
