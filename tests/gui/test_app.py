"""The app around the main window: welcome view and sample project, the screenshot option,
error reporting, and the guard against leftover threads."""

import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
from PIL import Image
from PySide6.QtWidgets import QMessageBox

from app.core.importing.sample import create_sample_project
from app.core.project.store import Project
from app.core.project.summary import summarize
from app.gui.error_reporting import ErrorReporter
from app.gui.welcome import WelcomeView

ROOT = Path(__file__).resolve().parents[2]


def test_sample_project_has_classes_labelled_and_unlabelled_images(tmp_path):
    path = create_sample_project(tmp_path)
    with Project.open(path) as project:
        summary = summarize(project)
    assert summary.classes == {"healthy": 16, "irregular": 16, "no-cells": 16}
    assert summary.images == 60 and summary.labelled == 48 and summary.rejected == []
    assert create_sample_project(tmp_path) == path  # reused, not rebuilt


def test_welcome_opens_the_sample_project(qtbot, tmp_path, settings, monkeypatch):
    monkeypatch.setattr("app.gui.welcome.sample_folder", lambda: tmp_path / "sample")
    view = WelcomeView(settings)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.projectChosen, timeout=20000) as chosen:
        view.sample_button.click()
    assert Path(chosen.args[0]).exists()
    view.close()


def test_screenshot_of_the_sample_project(tmp_path):
    project = create_sample_project(tmp_path)
    shot = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(project), "--screenshot", str(shot)],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **__import__("os").environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(tmp_path),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr  # everything was painted before the picture
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert pixels.shape[0] >= 400 and pixels.shape[1] >= 600
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 1000  # thumbnails, not an empty window


def test_exceptions_from_a_thread_are_shown_not_fatal(qtbot, monkeypatch):
    reporter = ErrorReporter()
    shown = []
    monkeypatch.setattr(QMessageBox, "open", lambda box: shown.append(box.informativeText()))

    def fail():
        try:
            raise ValueError("boom in a worker")
        except ValueError as exc:
            reporter.report(type(exc), exc, exc.__traceback__)

    worker = threading.Thread(target=fail, name="test-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: shown == ["ValueError: boom in a worker"])


def test_screenshot_of_a_missing_project_fails_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(tmp_path / "nope.loupe"), "--screenshot", str(tmp_path / "x.png")],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    assert result.returncode == 1
    assert "loupe: error: no project at" in result.stderr and "Traceback" not in result.stderr


def test_dark_palette_follows_the_system_scheme(qapp):
    from PySide6.QtGui import QPalette

    from app.gui.theme import dark_palette

    palette = dark_palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 80
    assert palette.color(QPalette.ColorRole.Text).lightness() > 200


def test_after_start_up_a_full_garbage_collection_is_quick(qt_loop):
    """The ML libraries are frozen out of the collector (a full pass over them froze the window
    for ~0.4 s during an import)."""
    import gc
    import time

    started = time.perf_counter()
    gc.collect()
    assert time.perf_counter() - started < 0.1


def test_the_first_paint_loads_no_ml_library_and_train_waits_for_them(tmp_path):
    """The window comes before torch (behind a splash, the first paint took 5-10 s and 1 GB); torch loads
    in the background and Train becomes ready."""
    import json

    project = create_sample_project(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(project), "--startup-report", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **__import__("os").environ,
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_DATA_HOME": str(tmp_path),
            "HOME": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    events = json.loads(result.stdout.strip().splitlines()[-1])["events"]
    assert events["first_paint"]["ml_modules"] == []  # no torch, torchvision, transformers, peft, sklearn
    assert "torch" in events["ready_to_train"]["ml_modules"]
    assert events["first_paint"]["time"] < events["ready_to_train"]["time"]


#: Opens the app on a project and, as soon as the Train tab exists (the ML libraries still
#: loading in the background), starts a run and then predictions with it; prints what it saw.
_TRAIN_BEFORE_THE_LIBRARIES = """
import asyncio, json, sys
import qasync
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication
from app.core.training.config import TrainConfig
from app.gui.app import LoupeApp
from app.gui.app_settings import AppSettings
from app.gui.ml_loader import ml_libraries

project, model, settings = sys.argv[1:4]
app = QApplication([])
loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
window = LoupeApp(AppSettings(QSettings(settings, QSettings.Format.IniFormat))).open_project(project, interactive=False)
seen = {}

def start():
    panel = window.training.panel
    if panel is None:
        return QTimer.singleShot(5, start)
    seen.update(libraries_ready=ml_libraries().ready, train_enabled=panel.train_button.isEnabled(), status=panel.status.text())
    panel.form.set_value(TrainConfig(model=model, method="full", epochs=1, workers=0, device="cpu", patience=0))
    panel.confirm = lambda warnings: True
    panel.runFinished.connect(lambda result: (seen.update(run=result.status), window.predictions.activate(result.run)))
    panel.runFailed.connect(lambda message: (seen.update(run=message), loop.stop()))
    window.predictions.predictionsReady.connect(lambda run: (seen.update(predictions="ready"), loop.stop()))
    window.predictions.failed.connect(lambda message: (seen.update(predictions=message), loop.stop()))
    panel.start()

QTimer.singleShot(0, start)
with loop:
    loop.run_forever()
seen.update(train_enabled_after=window.training.panel.train_button.isEnabled())
window.close()
ml_libraries().wait()
print(json.dumps(seen))
"""


def test_a_run_and_predictions_started_before_the_libraries_loaded_work(tmp_path, tiny_vit):
    """They import what they need in their own threads, beside the background load."""
    import json

    from tests.tiny_models import make_colour_project

    project = make_colour_project(tmp_path, per_class=6, classes=("red", "blue"))
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _TRAIN_BEFORE_THE_LIBRARIES,
            str(project),
            str(tiny_vit),
            str(tmp_path / "settings.ini"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["libraries_ready"] is False and seen["train_enabled"] is False
    assert seen["status"] == "Loading the training libraries…"
    assert seen["run"] == "done" and seen["predictions"] == "ready" and seen["train_enabled_after"] is True


def test_garbage_is_collected_on_the_gui_thread_only(qtbot, tmp_path):
    """Automatic collection is off once a window exists (a worker thread's collection could
    delete widgets in the wrong thread and deadlock), and the GUI-thread timer collects cycles."""
    import gc
    import weakref

    from app.core.project.store import Project
    from app.gui.main_window import MainWindow

    Project.create(tmp_path / "p.loupe").close()
    window = MainWindow(tmp_path / "p.loupe")
    qtbot.addWidget(window)
    assert not gc.isenabled()

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    gone = weakref.ref(a)
    del a, b
    for _ in range(1000):  # past generation 0's threshold
        Node().other = None
    qtbot.waitUntil(lambda: gone() is None, timeout=5000)
