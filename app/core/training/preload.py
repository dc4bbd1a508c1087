"""Load the machine-learning libraries up front, and keep the garbage collector off them.

Importing torch, torchvision and transformers loads large native libraries while holding
Python's global lock, in pieces of up to a few hundred milliseconds. Done in a background thread
while the window is in use, that would freeze the window in those moments; so the app does it
once at start-up, behind its splash screen, and the window never waits afterwards.
"""

from __future__ import annotations

import gc
import importlib
import time
from collections.abc import Callable

MODULES = (
    "torch",
    "torchvision.transforms.v2",
    "sklearn.metrics",
    "transformers",
    "peft",
    "app.core.training.trainer",
    "app.core.predict",
)


def _method_modules() -> tuple[str, ...]:
    """The implementation of every training method (imported in the training thread, they
    would hold the global lock there)."""
    from app.core.training.methods import METHODS

    return tuple(dict.fromkeys(info.implementation.split(":")[0] for info in METHODS.values()))


def preload_ml_libraries(on_module: Callable[[str, int, int], None] = lambda name, done, total: None) -> float:
    """Import everything training and prediction use; returns the seconds it took.
    `on_module(name, done, total)` is called before each module (for a splash screen)."""
    started = time.perf_counter()
    modules = MODULES + _method_modules()
    for done, name in enumerate(modules):
        on_module(name, done, len(modules))
        importlib.import_module(name)
    # transformers loads its model classes lazily: touch the ones Loupe uses.
    import transformers

    transformers.AutoModelForImageClassification, transformers.AutoImageProcessor  # noqa: B018
    from app.core.training.device import choose_device

    choose_device("auto")
    # Half a million long-lived objects now exist; a full garbage collection would walk them all
    # (about 0.4 s, holding the global lock: a frozen window). Freezing moves them out of the
    # collector's way; objects made from here on are collected as usual.
    gc.collect()
    gc.freeze()
    return time.perf_counter() - started
