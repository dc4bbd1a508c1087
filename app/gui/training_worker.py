"""Training on a QThread: the core `train` call, its progress as signals, Cancel as a flag that
the loop checks before every step."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal

from app.core.errors import LoupeError
from app.core.project import Project
from app.core.training.config import TrainConfig
from app.gui.jobs import track


class TrainingWorker(QThread):
    progressed = Signal(object)  # StepProgress, EpochProgress or Notice
    succeeded = Signal(object)  # RunResult (done, cancelled or failed with a message)
    failed = Signal(str)  # an error before or outside the run (bad model, no labels…)

    def __init__(self, project: Project, config: TrainConfig, parent=None):
        super().__init__(parent)
        self.setObjectName("loupe-training")
        self.project = project
        self.config = config
        self._stop = threading.Event()
        track(self)

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        from app.core.training import train  # torch and transformers load in this thread

        try:
            result = train(self.project, self.config, self.progressed.emit, self._stop.is_set)
        except LoupeError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - reported to the user, the app goes on
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.succeeded.emit(result)
