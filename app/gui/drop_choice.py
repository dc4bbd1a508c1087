"""What to do with dropped files when the project has a model: add them for labelling (the
default, as without a model) or classify them with the active run. Plain words, three buttons."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QMessageBox, QPushButton, QVBoxLayout

from app.core.errors import LoupeError
from app.core.project.store import Project
from app.core.training.runs import get_run
from app.core.training.saved_models import has_model
from app.gui.run_words import run_in_words

#: The answers `ask_drop_choice` gives.
ADD, CLASSIFY, CANCEL = "add", "classify", "cancel"


def run_description(project: Project, run_id: int) -> str | None:
    """The run's one-line description, or None when the run has no model to classify with
    (failed, cancelled, or its folder is gone)."""
    try:
        run = get_run(project, run_id, report=False)
    except LoupeError:
        return None
    if not has_model(project, run):
        return None
    return run_in_words(run)


class DropChoiceDialog(QDialog):
    """Add to the project (default button), Classify with the run, or Cancel."""

    def __init__(self, paths: list[str], run_text: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dropped images"))
        self.choice = CANCEL
        what = (
            self.tr("'{name}'").format(name=Path(paths[0]).name)
            if len(paths) == 1
            else self.tr("these {count} files and folders").format(count=len(paths))
        )
        text = QLabel(
            self.tr(
                "What should Loupe do with {what}?\n\nAdding imports the images for labelling. Classifying "
                "leaves the files where they are and shows what the model says about each."
            ).format(what=what),
            self,
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.add_button = QPushButton(self.tr("Add to the project for labelling"), self)
        self.classify_button = QPushButton(self.tr("Classify with {run}").format(run=run_text), self)
        self.classify_button.setToolTip(
            self.tr("The files stay where they are; the results open in the Review workspace")
        )
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.classify_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(lambda: self._choose(ADD))
        self.classify_button.clicked.connect(lambda: self._choose(CLASSIFY))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_drop_choice(parent, paths: list[str], run_text: str) -> str:
    """ADD, CLASSIFY or CANCEL, asked in a modal dialog (the window's `drop_choice`; tests
    replace it)."""
    dialog = DropChoiceDialog(paths, run_text, parent)
    try:
        return dialog.choice if dialog.exec() == QDialog.DialogCode.Accepted else CANCEL
    finally:
        dialog.deleteLater()


def choose_classify_inputs(parent) -> list[str]:
    """Files or a whole folder to classify, chosen in the system's file dialogs."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("DropChoiceDialog", "Classify images"),
        QCoreApplication.translate("DropChoiceDialog", "Classify some image files, or a whole folder?"),
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    files = box.addButton(QCoreApplication.translate("DropChoiceDialog", "Files…"), QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton(
        QCoreApplication.translate("DropChoiceDialog", "A folder…"), QMessageBox.ButtonRole.AcceptRole
    )
    box.setDefaultButton(files)
    box.exec()
    if box.clickedButton() is files:
        paths, _ = QFileDialog.getOpenFileNames(
            parent,
            QCoreApplication.translate("DropChoiceDialog", "Classify images"),
            str(Path.home()),
            QCoreApplication.translate(
                "DropChoiceDialog", "Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.webp *.dcm);;All files (*)"
            ),
        )
        return paths
    if box.clickedButton() is folder:
        chosen = QFileDialog.getExistingDirectory(
            parent, QCoreApplication.translate("DropChoiceDialog", "Classify a folder of images")
        )
        return [chosen] if chosen else []
    return []
