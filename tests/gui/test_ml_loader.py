"""The ML libraries load in the background beside a running event loop (app/gui/ml_loader.py):
only the loader's thread imports them, it says when they are loaded, and what they make is
frozen out of the collector's way as they load, not only once they are done (the GUI thread's
collector walked it all once a second: 30-160 ms stalls, 0.35 s for a full collection, issue
20). In a fresh interpreter, where torch is not loaded yet."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: A QApplication with the window's GUI-thread collector and a 200 ms timer that reads how many
#: objects are frozen (a count only: `gc.get_objects` from another thread can break an import);
#: a finder records which threads import the ML libraries. Prints what it saw once loaded.
_LOAD_BESIDE_AN_EVENT_LOOP = """
import gc, json, sys, threading
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.gui.gui_garbage import collect_on_gui_thread
from app.gui.ml_loader import ml_libraries

ML = {"torch", "torchvision", "transformers", "peft", "sklearn"}
importers = set()

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in ML:
            importers.add(threading.current_thread().name)
        return None

sys.meta_path.insert(0, Recorder())
app = QApplication([])
collect_on_gui_thread()
seen = {"torch_before": "torch" in sys.modules, "frozen_while_loading": []}
sampler = QTimer(interval=200)  # the count walks every frozen object: often, it starves the load
sampler.timeout.connect(lambda: seen["frozen_while_loading"].append(gc.get_freeze_count()))
sampler.start()
libraries = ml_libraries()
libraries.loaded.connect(lambda seconds: (seen.update(loaded=seconds), sampler.stop(), app.quit()))
libraries.failed.connect(lambda message: (seen.update(failed=message), app.quit()))
QTimer.singleShot(0, libraries.start)
app.exec()
libraries.wait()
frozen = seen.pop("frozen_while_loading")
seen.update(
    importers=sorted(importers),
    ready=libraries.ready,
    distinct_frozen_counts=len(set(frozen)),
    frozen_at_the_end=gc.get_freeze_count(),
)
print(json.dumps(seen))
"""


@pytest.fixture(scope="module")
def seen():
    result = subprocess.run(
        [sys.executable, "-c", _LOAD_BESIDE_AN_EVENT_LOOP],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_libraries_load_in_the_background_and_say_so(seen):
    assert seen["torch_before"] is False
    assert "failed" not in seen and seen["loaded"] > 0 and seen["ready"] is True


def test_only_the_loader_thread_imports_them(seen):
    """Never the GUI thread (nor a thread of Qt's)."""
    assert seen["importers"] == ["loupe-ml-libraries"]


def test_what_they_make_is_frozen_as_they_load(seen):
    """Not only at the end: the GUI thread saw the frozen count grow step by step (without the
    steps it reads 0 until the load ends, then the total, once)."""
    assert seen["frozen_at_the_end"] > 100_000
    assert seen["distinct_frozen_counts"] >= 5
