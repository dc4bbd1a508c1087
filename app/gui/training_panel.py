"""The Train tab: the training form (built from the config dataclass), Train and Cancel, a
progress bar with epoch, step, images/s and ETA, and the live curves. The user can go on
labelling while a model trains."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LoupeError
from app.core.project import Project
from app.core.training.backbones import PRESETS
from app.core.training.checks import cost_warnings, preflight
from app.core.training.config import TrainConfig
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.methods import METHODS
from qasync import asyncSlot

from app.gui.config_form import ConfigForm
from app.gui.layouts import side_by_side
from app.gui.jobs import JobRunner
from app.gui.training_plot import LazyTrainingPlot, TrainingPlot
from app.gui.training_worker import TrainingWorker

ADVANCED = {"weight_decay", "warmup_fraction", "seed", "label_smoothing", "class_weights", "patience", "grad_clip",
            "workers", "lora_rank", "init_from", "max_nonfinite"}  # fmt: skip


#: Wide enough for the form's lists and the sentence under each.
FORM_WIDTH = 380

DEVICE_CHOICES = [("auto", "auto — detecting…"), ("cpu", "CPU"), ("cuda", "CUDA GPU"), ("mps", "Apple MPS")]


def _detected_device() -> str:
    from app.core.training.device import choose_device  # loads torch: off the GUI thread

    return choose_device("auto").description


def _format_eta(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}"


class TrainingPanel(QWidget):
    runStarted = Signal()
    runFinished = Signal(object)  # RunResult
    runFailed = Signal(str)

    def __init__(self, project: Project, jobs: JobRunner, parent=None, confirm=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.worker: TrainingWorker | None = None
        self.detected_device = ""  # what "auto" uses, once torch has said (detect_device)
        #: Asks the user to go on despite warnings; replaceable in tests.
        self.confirm = confirm or self._confirm
        choices = {
            "model": ([(name, name, p.description) for name, p in PRESETS.items()], True),
            "method": ([(name, info.title, f"{info.summary[0].upper()}{info.summary[1:]}: {info.cost}.")
                        for name, info in METHODS.items()], False),  # fmt: skip
            "device": ([(value, text, "") for value, text in DEVICE_CHOICES], False),
        }
        self.form = ConfigForm(TrainConfig, TrainConfig(), choices, ADVANCED, self)
        self.train_button = QPushButton("Train", self, objectName="trainButton")
        self.train_button.setToolTip("Train a model on the labelled images (you can keep labelling) — Ctrl+Enter")
        self.train_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel", self, objectName="cancelTrainingButton", enabled=False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setFormat("idle")
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.plot_area = LazyTrainingPlot("The loss and validation curves appear here while a model trains.", self)

        buttons = QHBoxLayout()
        buttons.addWidget(self.train_button)
        buttons.addWidget(self.cancel_button)
        scroller = QScrollArea(self)  # the dock can be short: the form scrolls, the buttons stay in view
        scroller.setWidget(self.form)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget(self)
        left.setMinimumWidth(FORM_WIDTH)
        column = QVBoxLayout(left)
        column.setContentsMargins(6, 0, 0, 0)
        column.addWidget(scroller, 1)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        side_by_side(self, left, self.plot_area)

    @asyncSlot()
    async def detect_device(self) -> None:
        """Say which device "auto" will use (CUDA GPU name, MPS or CPU) once torch has loaded."""
        if self.jobs.closed:
            return
        description = await self.jobs.run(_detected_device)
        self.detected_device = description
        box = self.form.editors["device"].widget
        box.setItemText(box.findData("auto"), f"auto — {description}")

    @property
    def plot(self) -> TrainingPlot:
        return self.plot_area.plot()

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.isRunning()

    def _confirm(self, warnings: list[str]) -> bool:
        answer = QMessageBox.question(self, "Train anyway?", "\n\n".join(warnings) + "\n\nTrain anyway?")
        return answer == QMessageBox.StandardButton.Yes

    def start(self) -> bool:
        if self.running:
            return False
        try:
            config = self.form.value().validate()
        except (TypeError, ValueError, LoupeError) as exc:
            QMessageBox.warning(self, "Training settings", str(exc))
            return False
        warnings = preflight(self.project, config.val_fraction) + self._device_warnings(config)
        if warnings and not self.confirm(warnings):
            return False
        self.plot.clear()
        self.progress.setRange(0, 0)
        self.progress.setFormat("starting…")
        self.status.setText(f"Loading {config.model}…")
        self.worker = TrainingWorker(self.project, config, self)
        self.worker.progressed.connect(self.on_worker_progressed)
        self.worker.succeeded.connect(self.on_worker_succeeded)
        self.worker.failed.connect(self.on_worker_failed)
        self.worker.finished.connect(self._on_thread_finished)
        self.train_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.worker.start()
        self.runStarted.emit()
        return True

    def _device_warnings(self, config: TrainConfig) -> list[str]:
        on_cpu = config.device == "cpu" or (config.device == "auto" and self.detected_device.startswith("CPU"))
        return cost_warnings(config.model, config.method, on_cpu)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText("Cancelling after this step…")

    def stop_and_wait(self) -> None:
        """For closing the window: cancel and wait for the thread (it stops within a step)."""
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()

    def on_worker_progressed(self, event: object) -> None:
        if isinstance(event, StepProgress):
            self.plot.add_step(event.step, event.loss)
            self.progress.setRange(0, event.total_steps)
            self.progress.setValue(event.step)
            self.progress.setFormat(
                f"epoch {min(int(event.epoch) + 1, event.epochs)}/{event.epochs} · step {event.step}/{event.total_steps}"
                f" · {event.images_per_s:.0f} img/s · ETA {_format_eta(event.eta_s)}"
            )
        elif isinstance(event, EpochProgress):
            self.plot.add_epoch(event.step, event.epoch, event.val_loss, event.val_accuracy, event.val_macro_f1)
            self.status.setText(
                f"Epoch {event.epoch:g}: validation loss {event.val_loss:.3f}, accuracy {event.val_accuracy:.1%}, "
                f"macro-F1 {event.val_macro_f1:.3f}" + ("  (best so far)" if event.improved else "")
            )
        elif isinstance(event, Notice):
            self.status.setText(event.text)

    def on_worker_succeeded(self, result) -> None:
        scores = f"accuracy {result.accuracy:.1%}, macro-F1 {result.macro_f1:.3f}" if result.accuracy is not None else ""
        notices = f"{len(result.notices)} notice(s) on the Runs tab." if result.notices else ""
        self.status.setText(" ".join(filter(None, (f"Run {result.run} {result.status}.", scores, result.message, notices))))
        self.runFinished.emit(result)

    def on_worker_failed(self, message: str) -> None:
        self.status.setText(f"Training failed: {message}")
        self.runFailed.emit(message)

    def _on_thread_finished(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("idle")
        self.train_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.worker.deleteLater()
        self.worker = None
