"""The welcome view: the three steps of the work (Label → Train → Use), the sample project as the
first thing to try, then new, open and recent projects."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.importing.sample import create_sample_project
from app.core.project.store import Project
from app.gui.app_settings import AppSettings
from app.gui.jobs import JobRunner
from app.gui.language_menu import LanguageMenu

#: The work in three steps, as the window lays it out (translated where shown).
STEPS = (
    (
        QT_TRANSLATE_NOOP("WelcomeView", "1  Label"),
        QT_TRANSLATE_NOOP("WelcomeView", "Drag a folder of images in; press 1–9 to give each image its class."),
    ),
    (
        QT_TRANSLATE_NOOP("WelcomeView", "2  Train"),
        QT_TRANSLATE_NOOP("WelcomeView", "One click fine-tunes a pretrained model on your labels, on this machine."),
    ),
    (
        QT_TRANSLATE_NOOP("WelcomeView", "3  Use"),
        QT_TRANSLATE_NOOP("WelcomeView", "See its scores and mistakes; predictions appear on every image."),
    ),
)


def _step_card(title: str, text: str) -> QFrame:
    card = QFrame(objectName="welcomeStep")
    card.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(card)
    heading = QLabel(f"<b>{title}</b>", card)
    font = heading.font()
    font.setPointSizeF(font.pointSizeF() * 1.3)
    heading.setFont(font)
    body = QLabel(text, card)
    body.setWordWrap(True)
    layout.addWidget(heading)
    layout.addWidget(body, 1)
    return card


def sample_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base) / "sample"


class WelcomeView(QWidget):
    projectChosen = Signal(str)

    def __init__(self, settings: AppSettings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.jobs = JobRunner(lanes={"interactive": 1})
        self.setWindowTitle(self.tr("Welcome to Loupe"))
        title = QLabel(
            "<h1>Loupe</h1><p>"
            + self.tr("Turn a folder of images into a classifier you can trust — on this machine.")
            + "</p>"
        )
        title.setWordWrap(True)
        self.new_button = QPushButton(self.tr("New project…"))
        self.new_button.clicked.connect(self.on_new_clicked)
        self.open_button = QPushButton(self.tr("Open project…"))
        self.open_button.clicked.connect(self.on_open_clicked)
        self.sample_button = QPushButton(self.tr("Try it on the sample project"))
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.setToolTip(
            self.tr("60 small microscope-like images in three classes, most already labelled")
        )
        self.sample_button.setDefault(True)
        self.sample_button.setMinimumHeight(int(self.sample_button.sizeHint().height() * 1.5))  # the first thing to try
        self.sample_button.clicked.connect(self.on_sample_clicked)
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(lambda item: self.projectChosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        for path in settings.recent_projects():
            self.recent.addItem(Path(path).stem + f"   —   {path}")
            self.recent.item(self.recent.count() - 1).setData(Qt.ItemDataRole.UserRole, path)
        if not self.recent.count():  # a first launch: say what to do instead of an empty box
            hint = QListWidgetItem(self.tr("No projects yet: try the sample project above, or start a new one."))
            hint.setFlags(Qt.ItemFlag.NoItemFlags)
            self.recent.addItem(hint)
        steps = QHBoxLayout()
        for heading, text in STEPS:
            steps.addWidget(_step_card(self.tr(heading), self.tr(text)), 1)
        projects = QHBoxLayout()
        projects.addWidget(self.new_button)
        projects.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(steps)
        layout.addWidget(self.sample_button)
        layout.addLayout(projects)
        layout.addWidget(QLabel(self.tr("Recent projects (double-click to open):")))
        layout.addWidget(self.recent, 1)
        self.language_button = QToolButton(objectName="welcomeLanguage")
        # In both languages: whoever cannot read the current one still finds the way out.
        said = self.tr("Language")
        self.language_button.setText(said if said == "Language" else " · ".join((said, "Language")))
        self.language_button.setMenu(LanguageMenu(self, settings))
        self.language_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        layout.addWidget(self.language_button, 0, Qt.AlignmentFlag.AlignRight)
        self.resize(720, 520)

    def on_new_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("New Loupe project"), str(Path.home() / "project.loupe"), self.tr("Loupe project (*.loupe)")
        )
        if not path:
            return
        try:
            Project.create(path).close()
        except LoupeError as exc:
            QMessageBox.warning(self, "Loupe", str(exc))
            return
        self.projectChosen.emit(path)

    def on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open a Loupe project"), str(Path.home()), self.tr("Loupe project (*.loupe)")
        )
        if path:
            self.projectChosen.emit(path)

    @asyncSlot()
    async def on_sample_clicked(self) -> None:
        self.sample_button.setEnabled(False)
        self.sample_button.setText(self.tr("Preparing the sample project…"))
        try:
            path = await self.jobs.run(create_sample_project, sample_folder())
        finally:
            self.sample_button.setEnabled(True)
            self.sample_button.setText(self.tr("Try it on the sample project"))
        self.projectChosen.emit(str(path))

    def closeEvent(self, event) -> None:
        self.jobs.shutdown()
        super().closeEvent(event)
