"""The loading thread's imports keep out of the window's way (app/core/training/preload.py,
issue 20): before each module it imports, what the imports made so far is frozen out of the
collector's way, and an extension module's library is opened without the global lock; other
threads' imports pass through untouched. Small standard modules stand in for torch here (each
checks run in a fresh interpreter, where they are not imported yet)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

#: Three standard extension modules that are files of their own in this interpreter (on some
#: platforms some are built in) and not imported yet: in thread "loader", inside
#: `_this_thread_imports_gently`, it makes objects and imports the first and `colorsys` (pure
#: Python), then the third after a nested use of it ended; meanwhile the main thread imports the
#: second and `sched`. The libc dlopen that the finder is given records its calls.
_SCRIPT = """
import gc, importlib.machinery, importlib.util, json, sys, threading
from app.core.training import preload

CANDIDATES = ("mmap", "cmath", "_bz2", "_lzma", "_csv", "_decimal", "unicodedata", "_queue", "select", "_json")
extensions = [
    name for name in CANDIDATES
    if name not in sys.modules
    and isinstance(getattr(importlib.util.find_spec(name), "loader", None), importlib.machinery.ExtensionFileLoader)
][:3]
if len(extensions) < 3:
    print(json.dumps({"extensions": extensions}))
    sys.exit(0)
first, second, third = extensions
opened = []
libc_dlopen = preload._libc_dlopen

def recording_dlopen():
    dlopen = libc_dlopen()
    if dlopen is None:
        return None
    def record(path, flags):
        opened.append([threading.current_thread().name, path.decode()])
        return dlopen(path, flags)
    return record

preload._libc_dlopen = recording_dlopen
gc.disable()
inside, main_done = threading.Event(), threading.Event()
seen = {"extensions": extensions}

def load():
    with preload._this_thread_imports_gently():
        inside.set()
        main_done.wait(30)
        made = [[n] for n in range(5000)]  # tracked by the collector, not yet frozen
        before = gc.get_freeze_count()
        importlib.import_module(first)
        import colorsys
        seen["frozen_by_the_imports"] = gc.get_freeze_count() - before
        del made
        with preload._this_thread_imports_gently():  # nested: the outer one goes on after it
            pass
        importlib.import_module(third)
    seen["finder_after"] = [type(f).__name__ for f in sys.meta_path].count("_LoadingThreadFinder")
    seen["finder_active_after"] = preload._finder.thread is not None

thread = threading.Thread(target=load, name="loader")
thread.start()
inside.wait(30)
before = gc.get_freeze_count()
importlib.import_module(second)
import sched
seen["frozen_by_the_main_thread"] = gc.get_freeze_count() - before
main_done.set()
thread.join(60)
seen["opened"] = opened
seen["files"] = [sys.modules[name].__file__ for name in extensions]
seen["loaders"] = sorted(
    {type(sys.modules[name].__loader__).__name__ + "/" + type(sys.modules[name].__spec__.loader).__name__
     for name in extensions}
)
seen["colorsys_loader"] = type(sys.modules["colorsys"].__loader__).__name__
seen["colorsys_works"] = sys.modules["colorsys"].rgb_to_hsv(1, 0, 0) == (0.0, 1.0, 1.0)
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen():
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    if len(seen["extensions"]) < 3:
        pytest.skip(f"this interpreter has too few extension modules of their own: {seen['extensions']}")
    return seen


def test_what_the_loading_thread_made_is_frozen_before_its_next_import(seen):
    """A collection on the GUI thread meanwhile then walks none of it (it walked everything the
    imports had made: 30-160 ms each second, 0.35 s for a full collection)."""
    assert seen["frozen_by_the_imports"] >= 5000


def test_other_threads_imports_freeze_nothing(seen):
    assert seen["frozen_by_the_main_thread"] == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the libraries are opened through libc on Linux")
def test_the_loading_thread_opens_an_extension_module_without_the_lock_first(seen):
    first, second, third = seen["files"]
    assert seen["opened"] == [["loader", first], ["loader", third]]  # not the main thread's (second)


def test_the_modules_keep_their_usual_loaders_and_work(seen):
    assert seen["loaders"] == ["ExtensionFileLoader/ExtensionFileLoader"]
    assert seen["colorsys_loader"] == "SourceFileLoader" and seen["colorsys_works"]


def test_the_finder_stays_in_place_but_does_nothing_after_the_load(seen):
    """Taking it off `sys.meta_path` while another thread walks the list could make that thread
    skip a finder."""
    assert seen["finder_after"] == 1 and seen["finder_active_after"] is False
