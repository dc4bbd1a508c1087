"""The Zero-shot tab beside Classes and Suggest: choose a CLIP-family model, edit the prompt
templates, Run (with progress and Cancel), read plainly how far to trust it — a warning for
specialist images and the agreement with the labels already made — and accept every suggestion
above a confidence after a confirmation that repeats that agreement."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.training.presets import ZERO_SHOT, presets_for
from app.gui.i18n import core_text
from app.gui.jobs import Lane
from app.gui.zeroshot_controller import ZeroShotController

WARNING = QT_TRANSLATE_NOOP(
    "ZeroShotPanel",
    "Zero-shot guesses each image's class from the class names alone, before any training. "
    "It can be poor on specialist images (slides, scans, satellite tiles): compare it with "
    "your own labels below before accepting many. Class descriptions are part of the prompt.",
)
DEFAULT_MODEL = "clip-vit-b32"


class ZeroShotPanel(QWidget):
    def __init__(self, controller: ZeroShotController, parent=None):
        super().__init__(parent)
        self.setObjectName("zeroShotPanel")
        self.controller = controller
        #: Asks before accepting many: (question) -> bool; tests replace it.
        self.confirm = self._confirm
        layout = QVBoxLayout(self)
        warning = QLabel(self.tr(WARNING), wordWrap=True)
        warning.setObjectName("zeroShotWarning")
        layout.addWidget(warning)
        layout.addWidget(QLabel(self.tr("Model")))
        self.model_box = QComboBox(editable=True)
        for name, preset in presets_for(ZERO_SHOT).items():
            self.model_box.addItem(name)
            note = self.tr("{description} ({domain})").format(
                description=core_text(preset.description), domain=core_text(preset.domain)
            )
            if preset.unavailable:  # the core's reason, in English
                note += self.tr(". Not downloadable: {reason}").format(reason=preset.unavailable)
            self.model_box.setItemData(self.model_box.count() - 1, note, Qt.ItemDataRole.ToolTipRole)
        self.model_box.setCurrentText(DEFAULT_MODEL)
        self.model_box.setToolTip(
            self.tr("A zero-shot preset, a hub id, or a model folder (transformers CLIP/SigLIP or open_clip)")
        )
        layout.addWidget(self.model_box)
        layout.addWidget(QLabel(self.tr("Prompt templates, one per line ({} is the class)")))
        self.templates = QPlainTextEdit()
        self.templates.setMaximumHeight(90)
        layout.addWidget(self.templates)
        buttons = QHBoxLayout()
        self.run_button = QPushButton(self.tr("Run zero-shot"))
        self.run_button.clicked.connect(self.on_run_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel"), enabled=False)
        self.cancel_button.clicked.connect(controller.cancel)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout.addLayout(buttons)
        self.progress = QProgressBar(visible=False)
        layout.addWidget(self.progress)
        self.status = QLabel(self.tr("Not run yet."), wordWrap=True)
        layout.addWidget(self.status)
        self.agreement = QLabel("", wordWrap=True)
        self.agreement.setObjectName("zeroShotAgreement")
        layout.addWidget(self.agreement)
        accept = QHBoxLayout()
        self.threshold = QSpinBox(minimum=1, maximum=100, value=90, suffix=" %")
        self.threshold.valueChanged.connect(self._update_accept_button)
        self.accept_button = QPushButton(self.tr("Accept all above"), enabled=False)
        self.accept_button.clicked.connect(self.on_accept_clicked)
        accept.addWidget(self.accept_button)
        accept.addWidget(self.threshold)
        layout.addLayout(accept)
        hint = QLabel(
            self.tr("In the grid, Enter accepts the selected tiles' ◇ suggestions; Ctrl+Z undoes."), wordWrap=True
        )
        layout.addWidget(hint)
        layout.addStretch(1)
        controller.progressed.connect(self.on_controller_progressed)
        controller.resultReady.connect(self.on_controller_result_ready)
        controller.failed.connect(self.on_controller_failed)
        controller.runningChanged.connect(self.on_controller_running_changed)
        controller.session.labelsChanged.connect(lambda _: self._update_accept_button())
        self.load_templates()

    @asyncSlot()
    async def load_templates(self) -> None:
        from app.core.zeroshot.prompts import templates_for

        project = self.controller.session.project
        templates = await self.controller.jobs.run(templates_for, project)
        if not self.templates.toPlainText().strip():
            self.templates.setPlainText("\n".join(templates))

    def template_lines(self) -> list[str]:
        return [line for line in self.templates.toPlainText().splitlines() if line.strip()]

    @asyncSlot()
    async def on_run_clicked(self) -> None:
        from app.core.zeroshot.prompts import check_templates, save_templates

        try:
            templates = check_templates(self.template_lines())
        except ValueError as exc:
            self.status.setText(str(exc))
            return
        project = self.controller.session.project
        if not project.read_only:
            await self.controller.jobs.run(save_templates, project, templates, lane=Lane.WRITE)
        self.controller.run(self.model_box.currentText().strip(), templates)

    def on_controller_running_changed(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running)
        if running:
            self.progress.setRange(0, 0)
            self.status.setText(self.tr("Loading the model…"))

    def on_controller_progressed(self, event) -> None:
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(event.done)
        if event.text:
            self.status.setText(event.text)

    def on_controller_result_ready(self, result) -> None:
        predicted, unreadable = len(result.predictions), len(result.unreadable)
        if predicted == 1:
            text = self.tr("Zero-shot classes for 1 unlabelled image")
        else:
            text = self.tr("Zero-shot classes for {n} unlabelled images").format(n=f"{predicted:,}")
        if unreadable == 1:
            text += self.tr("; 1 image could not be read.")
        elif unreadable:
            text += self.tr("; {n} images could not be read.").format(n=f"{unreadable:,}")
        else:
            text += self.tr(".")
        self.status.setText(text)
        self.agreement.setText(result.agreement.sentence())
        self._update_accept_button()

    def on_controller_failed(self, message: str) -> None:
        self.status.setText(message)

    def _update_accept_button(self) -> None:
        count = self.controller.count_above(self.threshold.value() / 100)
        self.accept_button.setEnabled(count > 0 and not self.controller.session.project.read_only)
        self.accept_button.setText(
            self.tr("Accept {count} above").format(count=f"{count:,}") if count else self.tr("Accept all above")
        )

    def on_accept_clicked(self) -> None:
        threshold = self.threshold.value() / 100
        count = self.controller.count_above(threshold)
        if not count or self.controller.result is None:
            return
        if count == 1:
            ask = self.tr("Label 1 image with its zero-shot class (confidence {threshold} or more)?")
        else:
            ask = self.tr("Label {n} images with their zero-shot class (confidence {threshold} or more)?")
        question = (
            ask.format(n=f"{count:,}", threshold=f"{threshold:.0%}")
            + "\n\n"
            + self.controller.result.agreement.sentence()  # the core's words, in English
            + "\n\n"
            + self.tr("It is one action: Ctrl+Z undoes it.")
        )
        if self.confirm(question):
            self.controller.accept_above(threshold)

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Accept zero-shot labels?"), question)
        return answer == QMessageBox.StandardButton.Yes


def install_zero_shot(window) -> ZeroShotController:
    """The controller on the window's grid and its tab beside Classes and Suggest; the status bar
    hears its messages."""
    controller = ZeroShotController(window.session, window.grid, window.model, window)
    panel = ZeroShotPanel(controller, window.side)
    index = window.side.addTab(panel, QCoreApplication.translate("ZeroShotPanel", "Zero-shot"))
    window.side.setTabToolTip(
        index,
        QCoreApplication.translate(
            "ZeroShotPanel", "Pre-labels from the class names with a CLIP-family model, before any training"
        ),
    )
    controller.message.connect(lambda text: window.status.showMessage(text, 4000))
    controller.resultReady.connect(lambda result: _offer_cold_start(window, result))
    controller.panel = panel
    return controller


@asyncSlot()
async def _offer_cold_start(window, result) -> None:
    """Zero-shot's order becomes the suggestion queue's cold start: until two classes have labels,
    Label next suggestions (N) walks each class's most confident image in turn."""
    from app.core.zeroshot.cold_start import cold_start_queue

    queue = await window.jobs.run(cold_start_queue, result.predictions)
    window.suggestions.set_cold_start(queue)
