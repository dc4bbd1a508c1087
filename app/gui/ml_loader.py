"""The machine-learning libraries, loaded once per process in a background thread after the
window's first paint, so that opening a project and labelling never wait for them.

`ml_libraries()` is the one loader of the process; the training dock keeps Train disabled,
saying "Loading the training libraries…", until it reports `loaded`. A job started before that
(a prediction, a run started from code) waits for that load, or does it in its own thread if it
came first (`preload.before_use`): two threads importing torch at once can fail.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.training import preload

#: The Train tab asks for the libraries once it is built, and they start loading this much later:
#: after the tab's first paint, so that Qt's own lazy loading of plugins for it does not wait on
#: the dynamic loader's lock, held while torch's native libraries are opened.
START_DELAY_MS = 500


class MlLibraryLoader(QObject):
    """Loads torch, transformers and peft on a `loupe-ml-libraries` thread; says when done."""

    loaded = Signal(float)  # seconds the loading took
    failed = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.error: str | None = None
        self.seconds: float | None = None
        self._thread: threading.Thread | None = None
        preload.load_fully_before_use()  # a job started meanwhile joins this load, never races it

    @property
    def ready(self) -> bool:
        return preload.is_loaded()

    @property
    def started(self) -> bool:
        return self._thread is not None or self.ready

    def start(self) -> None:
        """Start loading (once; later calls, or calls once loaded, do nothing). Listeners
        connect to `loaded` first and then look at `ready`, so that they miss nothing."""
        if self.started:
            return
        self._thread = threading.Thread(target=self._load, name="loupe-ml-libraries")
        self._thread.start()

    def start_later(self, delay_ms: int = START_DELAY_MS) -> None:
        QTimer.singleShot(delay_ms, self.start)

    def _load(self) -> None:
        started = time.perf_counter()
        try:
            with _pyside_hook_skips_this_thread():
                preload.preload_ml_libraries()
        except Exception as exc:  # noqa: BLE001 - labelling works without them; Train says why
            self.error = f"{type(exc).__name__}: {exc}"
            self.failed.emit(self.error)
            return
        self.seconds = time.perf_counter() - started
        self.loaded.emit(self.seconds)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until loading ended (for closing the app and for tests)."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.ready


@contextmanager
def _pyside_hook_skips_this_thread() -> Iterator[None]:
    """PySide6's import hook reads the source of every module imported after it
    (`inspect.getsource`, to look for "PySide6" in it). For the ML libraries that is 3,300 files:
    0.4 s of a 3.2 s load and 72 MB of source text left in `linecache`. The modules this
    thread imports are torch's, transformers'... which never use PySide6, so the hook is told
    so without reading them; imports on other threads ask the hook as usual."""
    feature = sys.modules.get("shibokensupport.feature")
    reads_the_source = getattr(feature, "_mod_uses_pyside", None)
    if reads_the_source is None:  # another PySide6 version: leave it alone
        yield
        return
    loading_thread = threading.current_thread()

    def uses_pyside(module) -> bool:
        return threading.current_thread() is not loading_thread and reads_the_source(module)

    feature._mod_uses_pyside = uses_pyside
    try:
        yield
    finally:
        feature._mod_uses_pyside = reads_the_source


_loader: MlLibraryLoader | None = None


def ml_libraries() -> MlLibraryLoader:
    """The process's one loader (created on first use, on the GUI thread)."""
    global _loader
    if _loader is None:
        _loader = MlLibraryLoader()
    return _loader
