"""Load the machine-learning libraries in the background, without freezing the window.

The app shows its window first and calls `preload_ml_libraries` from a background thread
after the first paint, so labelling never waits for torch and transformers (about 3-9 s and
1.5 GB). Importing them in a thread used to freeze the window for 130-350 ms at a time, because
some steps hold Python's global lock for that long. Measured (bench/startup.py, with stacks of
all threads dumped whenever the window's heartbeat was late), the long holds were three kinds,
and all are avoided here:

- the garbage collector: the imports create half a million objects, and each collection that
  runs during them walks those made since the last one with the lock held. In the window
  collection is not automatic but a GUI-thread timer (app/gui/gui_garbage.py): once a second it
  took 30-160 ms, and 0.35 s for each full collection (issue 20). So the loading thread freezes
  the objects out of every collector's way (`gc.freeze`, nearly free) before each module it
  imports, and once more at the end (`_LoadingThreadFinder`);
- opening torch's native libraries (`dlopen` of ~1 GB of code, 0.2-0.25 s): Python's import
  holds the lock while it does that. They are opened first through libc's `dlopen` called by
  ctypes, which releases the lock, so the import finds them already loaded;
- opening the other extension modules' libraries, the same way: triton's (0.5 GB, imported by
  torch._dynamo) held the lock for 60-70 ms. Each one the loading thread imports is opened through
  ctypes first (`_OpenedWithoutTheLock`).

What is left are holds of a few to a few tens of milliseconds: torch._C's initialisation (one
call into C++, 50 ms of CPU), unmarshalling a large module.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import importlib.machinery
import importlib.util
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def _libc_dlopen() -> Callable[[bytes, int], int] | None:
    """libc's `dlopen`, called through ctypes: a foreign call, so without Python's global lock
    (Linux only; None elsewhere or when it cannot be had)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        dlopen = ctypes.CDLL(None).dlopen
    except (OSError, AttributeError):
        return None
    dlopen.restype, dlopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_int]
    return dlopen


def open_native_libraries_without_the_lock() -> None:
    """dlopen torch's libraries through a ctypes call into libc, which releases Python's global
    lock for the whole call (Python's own import would hold it for ~0.25 s). Linux only; any
    failure is left for the real import to report."""
    dlopen = _libc_dlopen()
    if dlopen is None or "torch" in sys.modules:
        return
    for path, flags in _torch_native_libraries():
        if path.exists() and not dlopen(os.fsencode(path), flags):
            return  # the import will say why


class _OpenedWithoutTheLock:
    """Stands in for an extension module's loader until the module is created: first opens its
    shared library with `dlopen` through ctypes (without the global lock; Python's own import then
    finds it open), then gives the spec its own loader back, so the module keeps the usual one.
    Here and not in the finder, because a finder runs under the import system's global lock,
    which would keep other threads from importing for as long as the library takes to open."""

    def __init__(self, loader, dlopen: Callable[[bytes, int], int]):
        self.loader, self.dlopen = loader, dlopen

    def create_module(self, spec):
        self.dlopen(os.fsencode(self.loader.path), sys.getdlopenflags())  # a failure: the import says why
        spec.loader = self.loader
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:  # not reached: create_module gave the spec its loader back
        self.loader.exec_module(module)


class _LoadingThreadFinder:
    """First on `sys.meta_path` while the libraries load; for each module the loading thread
    imports (other threads' imports, and any after the load, pass through untouched):

    - moves every object the collector tracks into its permanent generation (`gc.freeze`, a
      splice of lists, so nearly free): a collection meanwhile, which the window runs on the
      GUI thread once a second (app/gui/gui_garbage.py), then walks only what was made since the
      last module, not the hundreds of thousands of objects the imports have made so far (that
      walk froze the window for 30-160 ms each second, and 0.35 s for a full collection);
    - finds the module's spec with the finders after it, as the import would, and an extension
      module's shared library is opened without the global lock (`_OpenedWithoutTheLock`):
      triton's, 0.5 GB, pulled in by torch._dynamo, held the lock for 60-70 ms.

    Installed once and never removed: removing an entry of `sys.meta_path` while another thread
    walks it can make that thread skip the next finder."""

    def __init__(self) -> None:
        self.thread: int | None = None  # the loading thread's ident, while it loads
        self.dlopen: Callable[[bytes, int], int] | None = None

    def find_spec(self, name, path=None, target=None):
        if threading.get_ident() != self.thread:  # (current_thread() would register Qt's threads)
            return None
        gc.freeze()
        for finder in list(sys.meta_path):
            if finder is self:
                continue
            find_spec = getattr(finder, "find_spec", None)
            if find_spec is None:  # a legacy finder: the import system knows how to ask it
                return None
            spec = find_spec(name, path, target)
            if spec is None:
                continue
            if self.dlopen is not None and isinstance(spec.loader, importlib.machinery.ExtensionFileLoader):
                spec.loader = _OpenedWithoutTheLock(spec.loader, self.dlopen)
            return spec
        return None

    def invalidate_caches(self) -> None:
        pass


_finder = _LoadingThreadFinder()


@contextmanager
def _this_thread_imports_gently() -> Iterator[None]:
    """While this thread imports, `_LoadingThreadFinder` handles its imports. (Nested, as when
    an import in the load asks for the load again, the outer one keeps it when the inner ends.)"""
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
    previous = _finder.thread
    _finder.dlopen = _libc_dlopen()
    _finder.thread = threading.get_ident()
    try:
        yield
    finally:
        _finder.thread = previous


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
            with _this_thread_imports_gently():
                _import_all(on_module)
        finally:
            # The long-lived objects now move out of the collector's way (a full collection would
            # walk them all, ~0.4 s); objects made from here on are collected as usual.
            gc.freeze()
            if collector_was_on:
                gc.enable()
        _loaded.set()
    return time.perf_counter() - started
