"""The welcome view: new project, open project, recent projects, and the sample project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.project import Project
from app.core.sample import create_sample_project
from app.gui.app_settings import AppSettings
from app.gui.jobs import JobRunner


def sample_folder() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppLocalDataLocation)
    return Path(base) / "sample"


class WelcomeView(QWidget):
    projectChosen = Signal(str)

    def __init__(self, settings: AppSettings, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.jobs = JobRunner(lanes={"interactive": 1})
        self.setWindowTitle("Welcome to Loupe")
        title = QLabel("<h1>Loupe</h1><p>Turn a folder of images into a classifier you can trust — on this machine.</p>")
        title.setWordWrap(True)
        self.new_button = QPushButton("New project…")
        self.new_button.clicked.connect(self.on_new_clicked)
        self.open_button = QPushButton("Open project…")
        self.open_button.clicked.connect(self.on_open_clicked)
        self.sample_button = QPushButton("Open the sample project")
        self.sample_button.setObjectName("sampleButton")
        self.sample_button.clicked.connect(self.on_sample_clicked)
        self.recent = QListWidget(self)
        self.recent.itemActivated.connect(lambda item: self.projectChosen.emit(item.data(Qt.ItemDataRole.UserRole)))
        for path in settings.recent_projects():
            self.recent.addItem(Path(path).stem + f"   —   {path}")
            self.recent.item(self.recent.count() - 1).setData(Qt.ItemDataRole.UserRole, path)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        for button in (self.new_button, self.open_button, self.sample_button):
            layout.addWidget(button)
        layout.addWidget(QLabel("Recent projects (double-click to open):"))
        layout.addWidget(self.recent, 1)
        self.resize(560, 480)

    def on_new_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "New Loupe project", str(Path.home() / "project.loupe"), "Loupe project (*.loupe)")
        if not path:
            return
        try:
            Project.create(path).close()
        except LoupeError as exc:
            QMessageBox.warning(self, "Loupe", str(exc))
            return
        self.projectChosen.emit(path)

    def on_open_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a Loupe project", str(Path.home()), "Loupe project (*.loupe)")
        if path:
            self.projectChosen.emit(path)

    @asyncSlot()
    async def on_sample_clicked(self) -> None:
        self.sample_button.setEnabled(False)
        self.sample_button.setText("Preparing the sample project…")
        try:
            path = await self.jobs.run(create_sample_project, sample_folder())
        finally:
            self.sample_button.setEnabled(True)
            self.sample_button.setText("Open the sample project")
        self.projectChosen.emit(str(path))

    def closeEvent(self, event) -> None:
        self.jobs.shutdown()
        super().closeEvent(event)
