"""The Train tab: the training form (built from the config dataclass), Train and Cancel, a
progress bar with epoch, step, images/s and ETA, and the live curves. The user can go on
labelling while a model trains."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.hub import needs_download, offline_reason
from app.core.project.store import Project
from app.core.training.augmentation import AUGMENTATIONS
from app.core.training.backbones import local_weights_bytes
from app.core.training.checks import cost_warnings, preflight
from app.core.training.config import TrainConfig, remember_config, remembered_config
from app.core.training.events import EpochProgress, Notice, StepProgress
from app.core.training.methods import METHODS
from app.core.training.presets import CLASSIFY, presets_for
from app.core.training.runs import RunRecord, latest_run
from app.gui.config_form import ConfigForm
from app.gui.i18n import core_text, size_text
from app.gui.jobs import Job, JobRunner, Lane
from app.gui.run_history import status_word
from app.gui.training_plot import LazyTrainingPlot, TrainingPlot

#: The backbones the form offers: a zero-shot-only preset (SigLIP, PLIP…) is not one to train.
PRESETS = presets_for(CLASSIFY)

ADVANCED = {
    "weight_decay",
    "warmup_fraction",
    "seed",
    "label_smoothing",
    "class_weights",
    "patience",
    "min_steps",
    "max_steps",
    "grad_clip",
    "workers",
    "lora_rank",
    "init_from",
    "max_nonfinite",
}


#: The progress bar and status show the latest step at most this often.
STEP_REDRAW_MS = 100
#: The form is remembered this long after the user stops typing a model.
REMEMBER_AFTER_MS = 400

#: Wide enough for the form's lists and the sentence under each.
FORM_WIDTH = 380

DEVICE_CHOICES = [
    ("auto", QT_TRANSLATE_NOOP("TrainingPanel", "auto — detecting…")),
    ("cpu", "CPU"),
    ("cuda", QT_TRANSLATE_NOOP("TrainingPanel", "CUDA GPU")),
    ("mps", QT_TRANSLATE_NOOP("TrainingPanel", "Apple MPS")),
]


def _train(project: Project, config: TrainConfig, on_progress, should_stop):
    """The run, in the `train` lane (torch and transformers are imported there, not here)."""
    from app.core.training import train

    return train(project, config, on_progress, should_stop)


def _detected_device() -> tuple[str, str, int]:
    """What "auto" trains on: its type ("cuda", "mps", "cpu"), the core's description and threads."""
    import torch

    from app.core.training.device import choose_device  # loads torch: off the GUI thread

    choice = choose_device("auto")
    return choice.device.type, choice.description, torch.get_num_threads()


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _format_eta(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}"


def last_run_text(run: RunRecord) -> str:
    """The bar's words for the newest run when no run is going: "Last run: 1 · done · 33.3% accuracy"."""
    accuracy = (
        QCoreApplication.translate("TrainingPanel", "{accuracy} accuracy").format(accuracy=f"{run.accuracy:.1%}")
        if run.accuracy is not None
        else ""
    )
    head = QCoreApplication.translate("TrainingPanel", "Last run: {run}").format(run=run.id)
    return " · ".join(part for part in (head, status_word(run.status), accuracy) if part)


def finished_sentence(result) -> str:
    """What the status says when a run ends: "Run 3 done: accuracy 91.2 %, macro-F1 0.904. …"."""
    if result.accuracy is not None:
        head = QCoreApplication.translate("TrainingPanel", "Run {run} {status}: accuracy {accuracy}, macro-F1 {f1}.")
        head = head.format(
            run=result.run,
            status=status_word(result.status),
            accuracy=f"{result.accuracy:.1%}",
            f1=f"{result.macro_f1:.3f}",
        )
    else:
        head = QCoreApplication.translate("TrainingPanel", "Run {run} {status}.").format(
            run=result.run, status=status_word(result.status)
        )
    parts = [head]
    if result.message:
        parts.append(result.message[0].upper() + result.message[1:] + ("" if result.message.endswith(".") else "."))
    if result.notices:
        count = len(result.notices)
        parts.append(
            QCoreApplication.translate("TrainingPanel", "1 notice on the Runs tab.")
            if count == 1
            else QCoreApplication.translate("TrainingPanel", "{count} notices on the Runs tab.").format(count=count)
        )
    return " ".join(parts)


class TrainingPanel(QWidget):
    runStarted = Signal()
    runFinished = Signal(object)  # RunResult
    runFailed = Signal(str)
    modelsWanted = Signal(str, bool)  # the Models page, showing this model; True: start its download

    def __init__(self, project: Project, jobs: JobRunner, parent=None, confirm=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.worker: Job | None = None  # the run in progress, in the window's `train` lane
        self.detected_device = ""  # the type "auto" uses ("cuda", "mps", "cpu"), once torch has said
        self._last_epoch = ""  # the latest validation scores, kept in the status while steps go on
        self._latest_step: StepProgress | None = None
        self._starts = 0  # runs started here: a newer one makes an older answer about the bar stale
        #: The newest run the bar knows of (None until read): a failure names its run only if newer.
        self._known_run: int | None = None
        self._failed = False  # the run that just ended failed (the bar says "Run failed")
        self._step_timer = QTimer(self, singleShot=True, interval=STEP_REDRAW_MS)
        self._step_timer.timeout.connect(self._show_step)
        #: Asks the user to go on despite warnings; replaceable in tests.
        self.confirm = confirm or self._confirm
        #: Asks whether to download a model that is not on this machine; replaceable in tests.
        self.ask_download = self._ask_download
        #: The presets not on this machine (looked up with the notes under the model list).
        self.missing_presets: set[str] = set()
        choices = {
            "model": ([(name, name, core_text(p.description)) for name, p in PRESETS.items()], True),
            "method": (
                [
                    (
                        name,
                        core_text(info.title),
                        self.tr("{summary}: {cost}.").format(
                            summary=_capitalised(core_text(info.summary)), cost=core_text(info.cost)
                        ),
                    )
                    for name, info in METHODS.items()
                ],
                False,
            ),
            "device": ([(value, self.tr(text), "") for value, text in DEVICE_CHOICES], False),
            "augment": (
                [
                    (name, core_text(p.title), self.tr("{words}.").format(words=_capitalised(core_text(p.words))))
                    for name, p in AUGMENTATIONS.items()
                ],
                False,
            ),
        }
        self.form = ConfigForm(TrainConfig, TrainConfig(), choices, ADVANCED, self)
        self.train_button = QPushButton(self.tr("Train"), self, objectName="trainButton")
        self.train_button.setToolTip(
            self.tr("Train a model on the labelled images (you can keep labelling) — Ctrl+Enter")
        )
        self.train_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.allow_training()
        self.train_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"), self, objectName="cancelTrainingButton", enabled=False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar(self)
        self.progress.setFormat(self.tr("No run yet"))
        self.progress.setValue(0)  # a bar with no value shows no text
        self.show_last_run()  # "Last run: 3 · done · 91.2% accuracy" once read, off this thread
        self.status = QLabel(self.idle_text(), self, objectName="trainingStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # errors can be copied
        self.plot_area = LazyTrainingPlot(
            self.tr("The loss and validation curves appear here while a model trains."), self
        )

        self.browse_button = QPushButton(self.tr("Browse…"), self, objectName="browseModelButton")
        self.browse_button.setToolTip(
            self.tr("Use a model folder on this machine (Hugging Face format, safetensors weights)")
        )
        self.browse_button.clicked.connect(self.on_browse_clicked)
        self.models_button = QPushButton(self.tr("Models…"), self, objectName="modelsButton")
        self.models_button.setToolTip(
            self.tr("Which models are on this machine; download or delete them (Ctrl+Shift+M)")
        )
        self.models_button.clicked.connect(lambda: self.modelsWanted.emit(str(self.form.editors["model"].get()), False))
        self.form.attach("model", self.browse_button)
        self.form.set_value(remembered_config(project))
        # The model the user types or picks is the project's model from then on (suggestions
        # compute image features with it before any run exists), remembered once typing pauses.
        self._remember_timer = QTimer(self, singleShot=True, interval=REMEMBER_AFTER_MS)
        self._remember_timer.timeout.connect(self.remember_form)
        model_box = self.form.editors["model"].widget
        model_box.activated.connect(self._remember_timer.start)
        if model_box.lineEdit() is not None:
            model_box.lineEdit().textEdited.connect(self._remember_timer.start)

        self.scroller = QScrollArea(self)  # a short window: the form scrolls, the bar stays in view
        self.scroller.setWidget(self.form)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setMinimumWidth(FORM_WIDTH)

        bar = QHBoxLayout()  # always at the top of the column: never below the fold
        bar.addWidget(self.train_button)
        bar.addWidget(self.cancel_button)
        bar.addStretch(1)
        bar.addWidget(self.models_button)  # beside Browse… it would squeeze the model's name in a 380 px column
        layout = QVBoxLayout(self)  # the live curves (plot_area) are placed by the Train workspace
        layout.setContentsMargins(6, 4, 2, 0)
        layout.addLayout(bar)
        layout.addWidget(self.progress)  # the column's whole width: "epoch · step · img/s · ETA" fits
        layout.addWidget(self.status)
        layout.addWidget(self.scroller, 1)

    @asyncSlot()
    async def detect_device(self) -> None:
        """Say which device "auto" will use (CUDA GPU name, MPS or CPU) once torch has loaded."""
        if self.jobs.closed:
            return
        self.detected_device, description, threads = await self.jobs.run(_detected_device)
        if self.detected_device == "cpu":  # "CUDA: NVIDIA …" and "Apple MPS" read the same in any language
            description = self.tr("CPU ({threads} threads)").format(threads=threads)
        box = self.form.editors["device"].widget
        box.setItemText(box.findData("auto"), self.tr("auto — {device}").format(device=description))
        await self.mark_downloaded_presets()

    @asyncSlot()
    async def show_last_run(self) -> None:
        """The bar names the project's newest run (number, how it ended, accuracy) when the
        panel opens on a project with runs, instead of "No run yet"."""
        run = await self._read_latest_run()
        if run is not None:
            self._show_in_bar(last_run_text(run), run)

    @asyncSlot()
    async def name_failed_run(self) -> None:
        """After a run failed: "Run 4 failed" in the bar, once the project says which run it was
        (a run that failed before it was recorded stays "Run failed")."""
        known = self._known_run
        run = await self._read_latest_run()
        if run is not None and run.status == "failed" and known is not None and run.id != known:
            self._show_in_bar(self.tr("Run {run} failed").format(run=run.id), run)

    async def _read_latest_run(self) -> RunRecord | None:
        """The newest run, or None when there is none or a run started meanwhile (the bar is its)."""
        if self.jobs.closed:
            return None
        starts = self._starts
        run = await self.jobs.run(latest_run, self.project)
        if starts != self._starts or self.running:
            return None
        self._known_run = run.id if run is not None else 0
        return run

    def _show_in_bar(self, text: str, run: RunRecord) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if run.status == "done" else 0)  # a value: a bar without one shows no text
        self.progress.setFormat(text)
        self.progress.setToolTip(
            self.tr("Run {run}: {message}").format(run=run.id, message=run.message) if run.message else ""
        )

    def on_browse_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder (Hugging Face format)"))
        if folder:
            self.form.editors["model"].put(folder)
            self.remember_form()

    def remember_form(self) -> None:
        """Keep the form's settings in the project (the write lane), if it has a model named."""
        self._remember_timer.stop()
        if self.project.read_only or self.jobs.closed:
            return
        try:
            config = self.form.value()
        except (TypeError, ValueError):
            return
        if config.model.strip():
            self.jobs.run(remember_config, self.project, config, lane=Lane.WRITE)

    async def mark_downloaded_presets(self) -> None:
        """Say under each preset whether its weights are on this machine or download on first use
        (a look into the Hugging Face cache, off the GUI thread)."""
        if self.jobs.closed:
            return
        sizes, missing = await self.jobs.run(
            lambda: ({name: local_weights_bytes(name) for name in PRESETS}, {n for n in PRESETS if needs_download(n)})
        )
        self.missing_presets = missing
        for name, size in sizes.items():
            where = (
                self.tr("On this machine ({size} MB).").format(size=f"{size / 1e6:.0f}")
                if size
                else self.tr("Downloads on first use (needs the internet once).")
            )
            note = self.tr("{description}. {where}").format(
                description=core_text(PRESETS[name].description), where=where
            )
            self.form.set_choice_note("model", name, note)

    @asyncSlot()
    async def on_models_changed(self) -> None:
        """A model was downloaded or deleted on the Models page: the notes say so."""
        await self.mark_downloaded_presets()

    @property
    def plot(self) -> TrainingPlot:
        return self.plot_area.plot()

    @property
    def running(self) -> bool:
        return self.worker is not None and self.worker.running

    def _confirm(self, warnings: list[str]) -> bool:
        question = self.tr("Train anyway?")
        answer = QMessageBox.question(self, question, "\n\n".join(warnings) + "\n\n" + question)
        return answer == QMessageBox.StandardButton.Yes

    def allow_training(self) -> None:
        """Offer Train — unless the window is read-only: a run is written into the project (the
        form is greyed out too: its settings would do nothing there)."""
        self.train_button.setEnabled(not self.project.read_only)
        self.form.setEnabled(not self.project.read_only)

    def idle_text(self) -> str:
        if self.project.read_only:
            return self.tr("Read-only ({reason}): training needs the project open for writing.").format(
                reason=self.project.read_only_reason
            )
        return self.tr("Ready: choose a model and a method, then Train (Ctrl+Enter).")

    def start(self) -> bool:
        if self.running or self.project.read_only:
            return False
        try:
            config = self.form.value().validate()
        except (TypeError, ValueError, LoupeError) as exc:
            QMessageBox.warning(self, self.tr("Training settings"), str(exc))
            return False
        if self.offer_download(config.model):
            return False
        warnings = preflight(self.project, config.val_fraction) + self._device_warnings(config)
        if warnings and not self.confirm(warnings):
            return False
        self.jobs.run(remember_config, self.project, config, lane=Lane.WRITE)
        self.plot.clear()
        self._starts += 1
        self.progress.setToolTip("")
        self._last_epoch = ""
        self._latest_step = None
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("starting…"))
        self.status.setText(self.tr("Loading {model}…").format(model=config.model))
        self.worker = self.jobs.start_job(_train, self.project, config, lane=Lane.TRAIN)
        self.worker.progressed.connect(self.on_worker_progressed)
        self.worker.succeeded.connect(self.on_worker_succeeded)
        self.worker.failed.connect(self.on_worker_failed)
        self.worker.finished.connect(self._on_thread_finished)
        self.train_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.runStarted.emit()
        return True

    def offer_download(self, model: str) -> bool:
        """A preset not on this machine: its download is offered on the Models page (then Train
        again), or, offline, the reason said, instead of a run that waits on a download unseen or
        fails. True when the run does not start."""
        preset = PRESETS.get(model.strip().lower()) or next((p for p in PRESETS.values() if p.hub_id == model), None)
        if preset is None or preset.name not in self.missing_presets:
            return False
        name = preset.name + (f" ({size_text(preset.size_bytes)})" if preset.size_bytes else "")
        reason = offline_reason()
        if reason:
            self.status.setText(
                self.tr("{model} is not on this machine and cannot be downloaded now. {reason}").format(
                    model=name, reason=reason
                )
            )
            return True
        if self.ask_download(self.tr("{model} is not on this machine yet. Download it now?").format(model=name)):
            self.modelsWanted.emit(preset.name, True)
            self.status.setText(
                self.tr("Downloading {model} (Models page): press Train once it is on this machine.").format(
                    model=preset.name
                )
            )
        else:
            self.status.setText(
                self.tr("Not started: {model} is not on this machine (the Models page downloads it).").format(
                    model=name
                )
            )
        return True

    def _ask_download(self, question: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Download the model?"),
            question + "\n\n" + self.tr("The Models page shows its progress; Train again once it is done."),
        )
        return answer == QMessageBox.StandardButton.Yes

    def _device_warnings(self, config: TrainConfig) -> list[str]:
        on_cpu = config.device == "cpu" or (config.device == "auto" and self.detected_device == "cpu")
        return cost_warnings(config.model, config.method, on_cpu)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.status.setText(self.tr("Cancelling after this step…"))

    def stop_and_wait(self) -> None:
        """For closing the window: cancel the run; the window's lanes then wait for its thread
        (it stops within a step)."""
        if self.worker is not None:
            self.worker.cancel()

    def on_worker_progressed(self, event: object) -> None:
        if isinstance(event, StepProgress):
            self.plot.add_step(event.step, event.loss)
            self._latest_step = event
            if not self._step_timer.isActive():  # the bar and status follow at most 10 times a second
                self._step_timer.start()
        elif isinstance(event, EpochProgress):
            self.plot.add_epoch(event.step, event.epoch, event.val_loss, event.val_accuracy, event.val_macro_f1)
            self._last_epoch = self.tr(
                "epoch {epoch}: validation loss {loss}, accuracy {accuracy}, macro-F1 {f1}"
            ).format(
                epoch=f"{event.epoch:g}",
                loss=f"{event.val_loss:.3f}",
                accuracy=f"{event.val_accuracy:.1%}",
                f1=f"{event.val_macro_f1:.3f}",
            ) + (self.tr(" (best so far)") if event.improved else "")
            self.status.setText(_capitalised(self._last_epoch))
        elif isinstance(event, Notice):
            self.status.setText(event.text)

    def _show_step(self) -> None:
        """The latest step in the bar: redrawn at most every STEP_REDRAW_MS, not at every step
        (a small model takes hundreds of steps a second; each redraw took the GUI thread ~4 ms,
        time the training thread then waited for)."""
        event = self._latest_step
        if event is None or not self.running:
            return
        self.progress.setRange(0, event.total_steps)
        self.progress.setValue(event.step)
        self.progress.setFormat(
            self.tr("epoch {epoch}/{epochs} · step {step}/{steps} · {speed} img/s · ETA {eta}").format(
                epoch=min(int(event.epoch) + 1, event.epochs),
                epochs=event.epochs,
                step=event.step,
                steps=event.total_steps,
                speed=f"{event.images_per_s:.0f}",
                eta=_format_eta(event.eta_s),
            )
        )
        learning = self.tr("Training: the model learns from the labelled images.")
        self.status.setText("  —  ".join(filter(None, (learning, self._last_epoch))))

    def on_worker_succeeded(self, result) -> None:
        self.status.setText(finished_sentence(result))
        self._known_run = result.run or self._known_run
        self.progress.setFormat(
            self.tr("Run {run} {status} — accuracy {accuracy}").format(
                run=result.run, status=status_word(result.status), accuracy=f"{result.accuracy:.1%}"
            )
            if result.accuracy is not None
            else self.tr("Run {run} {status}").format(run=result.run, status=status_word(result.status))
        )
        self.runFinished.emit(result)

    def on_worker_failed(self, message: str) -> None:
        self._failed = True
        self.status.setText(self.tr("Training failed: {message}").format(message=message))
        self.progress.setRange(0, 1)  # not "starting…" any more: the bar says it ended
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Run failed"))
        self.progress.setToolTip(message)
        self.runFailed.emit(message)

    def _on_thread_finished(self) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.allow_training()
        self.cancel_button.setEnabled(False)
        failed, self._failed = self._failed, False
        self.worker.deleteLater()
        self.worker = None
        if failed:
            self.name_failed_run()
