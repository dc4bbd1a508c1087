"""Load the machine-learning libraries in the background, without freezing the window.

The app shows its window first and calls `preload_ml_libraries` from a background thread
after the first paint, so labelling never waits for torch and transformers (about 3-9 s and
1.5 GB). Importing them in a thread used to freeze the window for 130-300 ms at a time, because
some steps hold Python's global lock for that long. Measured (bench/startup.py), the long holds
were two kinds, and both are avoided here:

- the garbage collector: the imports create half a million objects, and each full collection
  they trigger walks all of them with the lock held (0.1-0.4 s). The collector is paused during
  the imports, and the new objects are then frozen out of its way (`gc.freeze`);
- opening torch's native libraries (`dlopen` of ~1 GB of code, 0.2-0.25 s): Python's import
  holds the lock while it does that. They are opened first through libc's `dlopen` called by
  ctypes, which releases the lock, so the import finds them already loaded.

What is left are holds of a few to a few tens of milliseconds (unmarshalling a large module).
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.util
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

MODULES = (
    "torch",
    "torchvision.transforms.v2",
    "sklearn.metrics",
    "transformers",
    "peft",
    "app.core.training.trainer",
    "app.core.inference.predict",
)

_lock = threading.RLock()
_loaded = threading.Event()
_load_fully_before_use = False


def load_fully_before_use() -> None:
    """Say that this process loads the libraries in the background (the window does). Importing
    them on two threads at once can meet a partly initialised module (seen: "cannot import name
    'AlignDevicesHook' from partially initialized module 'accelerate.hooks'"), so from now on a
    job that needs them (`before_use`) takes part in the one full load, or waits for it."""
    global _load_fully_before_use
    _load_fully_before_use = True


def before_use() -> None:
    """Called by training and prediction before their first heavy import: in a window, wait for
    (or do) the full load; on the command line, nothing (each command imports what it uses)."""
    if _load_fully_before_use and not _loaded.is_set():
        preload_ml_libraries()


def is_loaded() -> bool:
    """True once `preload_ml_libraries` has finished in this process."""
    return _loaded.is_set()


def _method_modules() -> tuple[str, ...]:
    """The implementation of every training method (imported in the training thread, they
    would hold the global lock there)."""
    from app.core.training.methods import METHODS

    return tuple(dict.fromkeys(info.implementation.split(":")[0] for info in METHODS.values()))


def _torch_native_libraries() -> list[tuple[Path, int]]:
    """torch's shared libraries in the order its import opens them, with the dlopen flags it
    uses: its global dependencies (RTLD_GLOBAL), then the extension `torch._C`, which pulls
    in libtorch_cpu, libtorch_cuda and the CUDA libraries."""
    spec = importlib.util.find_spec("torch")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent
    return [(folder / "lib" / "libtorch_global_deps.so", os.RTLD_NOW | os.RTLD_GLOBAL)] + [
        (path, os.RTLD_NOW | os.RTLD_LOCAL) for path in sorted(folder.glob("_C.*.so"))
    ]


def open_native_libraries_without_the_lock() -> None:
    """dlopen torch's libraries through a ctypes call into libc, which releases Python's global
    lock for the whole call (Python's own import would hold it for ~0.25 s). Linux only; any
    failure is left for the real import to report."""
    if not sys.platform.startswith("linux") or "torch" in sys.modules:
        return
    try:
        libc = ctypes.CDLL(None)
        dlopen = libc.dlopen
        dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
        for path, flags in _torch_native_libraries():
            if path.exists() and not dlopen(os.fsencode(path), flags):
                return  # the import will say why
    except (OSError, AttributeError):
        return


def _import_all(on_module: Callable[[str, int, int], None]) -> None:
    modules = MODULES + _method_modules()
    for done, name in enumerate(modules):
        on_module(name, done, len(modules))
        importlib.import_module(name)
    # transformers loads its model classes lazily: touch the ones Loupe uses.
    import transformers

    transformers.AutoModelForImageClassification, transformers.AutoImageProcessor  # noqa: B018
    from app.core.training.device import choose_device

    choose_device("auto")


def preload_ml_libraries(on_module: Callable[[str, int, int], None] = lambda name, done, total: None) -> float:
    """Import everything training and prediction use; returns the seconds it took (0 when an
    earlier call already did it). Safe to call from any thread, and more than once: a second
    caller waits for the first. `on_module(name, done, total)` is called before each module."""
    started = time.perf_counter()
    with _lock:
        if _loaded.is_set():
            return 0.0
        collector_was_on = gc.isenabled()
        gc.disable()  # full collections over the new objects would hold the lock for 0.1-0.4 s
        try:
            open_native_libraries_without_the_lock()
            _import_all(on_module)
        finally:
            # The long-lived objects now move out of the collector's way (a full collection would
            # walk them all, ~0.4 s); objects made from here on are collected as usual.
            gc.freeze()
            if collector_was_on:
                gc.enable()
        _loaded.set()
    return time.perf_counter() - started
