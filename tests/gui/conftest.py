"""GUI test set-up: qasync's loop on the test QApplication, isolated QSettings, and a guard that
fails any test which leaves a Loupe worker thread running."""

import asyncio
import threading

import pytest
import qasync
from PySide6.QtCore import QSettings

from app.core.importing.importer import import_paths
from app.core.labelling.classes import add_class
from app.core.project.store import Project
from app.core.training.preload import preload_ml_libraries
from app.gui.app_settings import AppSettings
from app.gui.main_window import MainWindow
from tests import synthetic


@pytest.fixture(scope="session")
def qt_loop(qapp):
    preload_ml_libraries()  # the app does it in the background after its first paint; tests never race it
    qapp.setOrganizationName("LoupeTests")
    qapp.setApplicationName("LoupeTests")
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop


@pytest.fixture(autouse=True)
def no_leftover_threads(qt_loop):
    yield
    leftover = [t.name for t in threading.enumerate() if t.name.startswith("loupe")]
    assert leftover == [], f"Loupe threads left running: {leftover}"


@pytest.fixture
def settings(tmp_path):
    return AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))


def make_project(folder, images: int = 6, classes=("cat", "dog")):
    """A project with `images` small synthetic images (img00.png …) and the given classes."""
    path = folder / "gui.loupe"
    with Project.create(path) as project:
        for name in classes:
            add_class(project, name)
        for i in range(images):
            synthetic.save(synthetic.random_rgb(48, 36, seed=i), folder / "images" / f"img{i:02}.png")
        if images:
            import_paths(project, [folder / "images"])
    return path


def make_project_with_a_broken_file(folder):
    """`make_project`, plus broken.png imported after it: a file the import refused."""
    path = make_project(folder)
    (folder / "images" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n nope")
    with Project.open(path) as project:
        import_paths(project, [folder / "images"])
    return path


@pytest.fixture
def open_window(qtbot, settings):
    """Opens a MainWindow on a project, shown and with its rows loaded; closes it afterwards."""
    windows = []

    def opener(path) -> MainWindow:
        window = MainWindow(path, settings)
        windows.append(window)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(lambda: window.rows_loaded and window.session.history_loaded, timeout=10000)
        window.grid.setFocus()
        return window

    yield opener
    for window in windows:
        window.close()
