"""Starting the desktop app: `python main.py [PROJECT] [--screenshot FILE.png]`.

The window comes first; torch, transformers and peft load in the background after its first
paint (app/gui/ml_loader.py), so opening a project and labelling never wait for them.
`--preload-before-window` keeps the old start-up (load them behind a splash screen, then show
the window) for bench/startup.py to compare against."""

from __future__ import annotations

import argparse
import asyncio
import sys

import qasync
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QSplashScreen

from app import __version__
from app.core.errors import LoupeError
from app.core.project.store import project_file
from app.core.resource_files import resource_dir
from app.core.training.preload import preload_ml_libraries
from app.gui.app_settings import AppSettings
from app.gui.error_reporting import ErrorReporter
from app.gui.first_run import show_on_first_run
from app.gui.i18n import LANGUAGES, install_translation
from app.gui.main_window import MainWindow
from app.gui.screenshot import ScreenshotTaker
from app.gui.startup_report import StartupReport
from app.gui.theme import follow_system_theme
from app.gui.welcome import WelcomeView


class LoupeApp:
    """Which top-level window is showing: the welcome view or one project's main window."""

    def __init__(self, settings: AppSettings):
        self.settings = settings
        self.window: MainWindow | None = None
        self.welcome: WelcomeView | None = None

    def show_welcome(self) -> None:
        self._close_window()
        self.welcome = WelcomeView(self.settings)
        self.welcome.projectChosen.connect(self.open_project)
        self.welcome.show()

    def open_project(self, path: str, interactive: bool = True) -> MainWindow | None:
        if self.window is not None and project_file(path).resolve() == self.window.project.file.resolve():
            # Already open here: opening it again beside itself would find it locked (by this very
            # window) and come up read-only. Show the window instead.
            self.window.raise_()
            self.window.activateWindow()
            return self.window
        try:
            window = MainWindow(path, self.settings)
        except LoupeError as exc:
            print(f"loupe: error: {exc}", file=sys.stderr)
            if interactive:
                if self.welcome is None and self.window is None:
                    self.show_welcome()
                QMessageBox.warning(
                    self.welcome or self.window,
                    QCoreApplication.translate("LoupeApp", "Cannot open the project"),
                    str(exc),
                )
            return None
        self._close_window()
        if self.welcome is not None:
            self.welcome.close()
            self.welcome = None
        self.settings.add_recent(window.project.file)
        window.projectRequested.connect(self.open_project)
        window.welcomeRequested.connect(self.show_welcome)
        self.window = window
        window.show()
        return window

    def _close_window(self) -> None:
        if self.window is not None:
            self.window.close()
            self.window = None


#: The first-run note opens this long after the window shows, over its first paint.
FIRST_RUN_DELAY_MS = 800

#: The splash's text colour: light on its dark picture (Qt's default, black, could not be read).
SPLASH_TEXT = QColor("#e6e6e6")


def app_icon() -> QIcon:
    """The magnifier of resources/icons (drawn by make_icon.py; the bundles use the same)."""
    return QIcon(str(resource_dir() / "icons" / "loupe.png"))


def _splash_picture() -> QPixmap:
    picture = QPixmap(460, 160)
    picture.fill(QColor("#2b2b2b"))
    painter = QPainter(picture)
    painter.setPen(SPLASH_TEXT)
    font = painter.font()
    font.setPointSize(28)
    painter.setFont(font)
    painter.drawText(picture.rect().adjusted(0, 20, 0, -70), Qt.AlignmentFlag.AlignCenter, "Loupe")
    painter.end()
    return picture


def _preload_behind_splash(app: QApplication) -> None:
    """The old start-up: the ML libraries load before the window, behind a splash screen."""
    splash = QSplashScreen(_splash_picture())
    splash.show()

    def on_module(name: str, done: int, total: int) -> None:
        splash.showMessage(
            QCoreApplication.translate(
                "LoupeApp", "Loupe {version}\nLoading the machine-learning libraries ({done}/{total}): {name}"
            ).format(version=__version__, done=done + 1, total=total, name=name),
            Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter,
            SPLASH_TEXT,
        )
        app.processEvents()

    try:
        preload_ml_libraries(on_module)
    except Exception as exc:  # noqa: BLE001 - labelling works without them; training will say why
        print(
            f"loupe: warning: the machine-learning libraries did not load ({exc}); training is unavailable",
            file=sys.stderr,
        )
    splash.close()


def run_app(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="loupe-app", description="The Loupe desktop app.")
    parser.add_argument("project", nargs="?", help="a project to open (.loupe)")
    parser.add_argument("--screenshot", metavar="FILE.png", help="save a picture of the window once painted, then quit")
    parser.add_argument(
        "--preload-before-window",
        action="store_true",
        help="load the machine-learning libraries behind a splash screen before the window (the old start-up)",
    )
    parser.add_argument(
        "--startup-report",
        type=float,
        metavar="SECONDS",
        help="print start-up timings as JSON after SECONDS (and once Train is ready), then quit (for bench/startup.py)",
    )
    parser.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        help="the interface language for this start (default: the one chosen in View ▸ Language, else the system's)",
    )
    parser.add_argument("--version", action="version", version=f"Loupe {__version__}")
    args = parser.parse_args(argv)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName("Loupe")
    app.setApplicationName("Loupe")
    app.setWindowIcon(app_icon())
    follow_system_theme(app)
    settings = AppSettings()
    install_translation(app, args.language or settings.language())
    reporter = ErrorReporter()
    reporter.install()
    if args.preload_before_window:
        _preload_behind_splash(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    reporter.install_on_loop(loop)

    shell = LoupeApp(settings)
    if args.project:
        window = shell.open_project(args.project, interactive=not args.screenshot)
        if window is None and args.screenshot:
            return 1
        if window is not None and args.screenshot:
            ScreenshotTaker(window, args.screenshot)
        if window is not None and args.startup_report is not None:
            StartupReport(window, args.startup_report)
    else:
        shell.show_welcome()
    if not args.screenshot and args.startup_report is None:
        # After the first paint: the note fills in once the training libraries have loaded.
        QTimer.singleShot(FIRST_RUN_DELAY_MS, lambda: show_on_first_run(shell.window or shell.welcome, settings))
    with loop:
        return loop.run_forever() or 0
