"""The first-run note, "This machine": where Loupe will train (the CUDA GPU with its memory, Apple
MPS, or the CPU, with a sentence per method on what that means) and where projects, downloaded
models and caches live. Shown once, on the first start after the window's first paint; again
from Help ▸ This machine….

The facts need torch: they are read in a worker once the machine-learning libraries have
loaded in the background (app/gui/ml_loader.py), so the note opens at once and fills in.
"""

from __future__ import annotations

import asyncio
import html

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout, QWidget
from qasync import asyncSlot

from app.core.hub.cache import cache_folder
from app.core.training.machine import MachineFacts, machine_facts
from app.core.training.methods import METHODS, MethodInfo
from app.gui.app_settings import AppSettings
from app.gui.error_reporting import log_folder
from app.gui.i18n import core_text, size_text
from app.gui.jobs import JobRunner
from app.gui.ml_loader import ml_libraries
from app.gui.welcome import sample_folder


def method_kind(method: MethodInfo) -> str:
    """What a method trains, which decides what a device means for it."""
    if method.trains_backbone:
        return "everything"
    return "head" if method.frozen_features else "adapters"


class MachineNote(QDialog):
    """The note itself; `facts` fills it (from the worker, or directly in a test)."""

    def _time_sentences(self) -> dict[tuple[str, str], str]:
        """What each device means for each kind of method, in a sentence."""
        return {
            ("cuda", "head"): self.tr("Seconds: the features are computed once on the GPU."),
            ("cuda", "adapters"): self.tr("Minutes on a small backbone, somewhat longer on a large one."),
            ("cuda", "everything"): self.tr("Minutes to an hour; needs the most GPU memory."),
            ("mps", "head"): self.tr("Seconds to a minute."),
            ("mps", "adapters"): self.tr("Minutes on a small backbone; a large one is slower than on a CUDA GPU."),
            ("mps", "everything"): self.tr("Practical on small backbones only; slow and memory-hungry on large ones."),
            ("cpu", "head"): self.tr("Seconds to minutes: the best start without a GPU."),
            ("cpu", "adapters"): self.tr(
                "Tens of minutes on a small backbone with a few hundred images; hours on a large one."
            ),
            ("cpu", "everything"): self.tr("Hours even on a small backbone: use a machine with a GPU for this."),
        }

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("machineNote")
        self.setWindowTitle(self.tr("This machine"))
        self.jobs = JobRunner(lanes={"interactive": 1}, name="loupe-machine")
        self.facts: MachineFacts | None = None
        self.closed = False
        self._loaded: asyncio.Future | None = None
        heading = QLabel("<h2>" + self.tr("This machine") + "</h2>")
        self.device = QLabel(self.tr("Checking this machine…"), objectName="machineDevice")
        self.device.setWordWrap(True)
        self.methods = QLabel(objectName="machineMethods")
        self.methods.setWordWrap(True)
        self.folders = QLabel(objectName="machineFolders")
        self.folders.setWordWrap(True)
        for label in (self.device, self.methods, self.folders):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(heading)
        for label in (self.device, self.methods, self.folders):
            column.addWidget(label)
        column.addStretch(1)
        scroll = QScrollArea(widgetResizable=True)
        scroll.setWidget(body)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)

    def show_facts(self, facts: MachineFacts) -> None:
        self.facts = facts
        memory = size_text(facts.memory_bytes) if facts.memory_bytes else self.tr("unknown")
        device = {
            "cuda": self.tr("Loupe will train on the GPU <b>{name}</b> with {memory} of memory (CUDA)."),
            "mps": self.tr("Loupe will train on this Mac's GPU (Apple MPS), which shares its {memory} of memory."),
            "cpu": self.tr(
                "No GPU was found: Loupe will train on the processor (<b>{name}</b>, {threads} threads, {memory} "
                "of memory). Labelling, suggestions and the linear probe work well on it; the other "
                "methods work but take much longer."
            ),
        }[facts.device]
        self.device.setText(device.format(name=html.escape(facts.name), memory=memory, threads=facts.threads))
        sentences = self._time_sentences()
        kinds: dict[str, list[str]] = {}
        for method in METHODS.values():  # one row per kind, its methods named together
            kinds.setdefault(method_kind(method), []).append(core_text(method.title))
        rows = "".join(
            f"<tr><td style='padding:2px 12px 2px 0'><b>{html.escape(', '.join(titles))}</b></td>"
            f"<td style='padding:2px 0'>{html.escape(sentences[facts.device, kind])}</td></tr>"
            for kind, titles in kinds.items()
        )
        heading = html.escape(self.tr("What that means for each training method:"))
        self.methods.setText(f"<p>{heading}</p><table>{rows}</table>")
        places = (
            (self.tr("Projects"), self.tr("where you save them: one .loupe file each, its trained models beside it")),
            (self.tr("The sample project"), str(sample_folder())),
            (self.tr("Downloaded models"), str(facts.models_folder)),
            (self.tr("Caches (safe to delete)"), str(facts.cache_folder)),
            (self.tr("Error log"), str(log_folder())),
        )
        rows = "".join(
            f"<tr><td style='padding-right:12px'><b>{html.escape(name)}</b></td><td>{html.escape(where)}</td></tr>"
            for name, where in places
        )
        heading = html.escape(self.tr("Where things live:"))
        self.folders.setText(f"<p>{heading}</p><table>{rows}</table>")

    def show_failure(self, reason: str) -> None:
        self.device.setText(
            self.tr("The training libraries did not load, so Loupe cannot train here: {reason}").format(
                reason=html.escape(reason)
            )
        )

    @asyncSlot()
    async def load(self) -> None:
        libraries = ml_libraries()
        if libraries.error is None and not libraries.ready:
            self._loaded = asyncio.get_event_loop().create_future()
            libraries.loaded.connect(self._on_libraries_loaded)
            libraries.failed.connect(self._on_libraries_loaded)
            libraries.start()
            if libraries.error is None and not libraries.ready:
                await self._loaded
            libraries.loaded.disconnect(self._on_libraries_loaded)
            libraries.failed.disconnect(self._on_libraries_loaded)
        if self.closed:
            return
        if libraries.error is not None:
            self.show_failure(libraries.error)
            return
        try:
            facts = await self.jobs.run(machine_facts, cache_folder())
        except asyncio.CancelledError:
            return
        self.show_facts(facts)

    def _on_libraries_loaded(self, _value=None) -> None:
        if self._loaded is not None and not self._loaded.done():
            self._loaded.set_result(None)

    def done(self, result: int) -> None:
        """Closed: stop waiting (the loader's signals wake `load`, which then does nothing) and let
        a facts job still running end on its own rather than hold the window up."""
        self.closed = True
        self._on_libraries_loaded()
        self.jobs.shutdown(wait=False)
        super().done(result)


def show_machine_note(parent: QWidget | None) -> MachineNote:
    note = MachineNote(parent)
    note.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    note.open()
    note.load()
    return note


def show_on_first_run(parent: QWidget, settings: AppSettings) -> MachineNote | None:
    """The note, the first time Loupe starts on this machine (for this user)."""
    if settings.machine_shown():
        return None
    settings.set_machine_shown()
    return show_machine_note(parent)


def machine_action(window: QWidget) -> QAction:
    """Help ▸ This machine…: the note again."""
    action = QAction(QCoreApplication.translate("MachineNote", "This &machine…"), window)
    action.setObjectName("machineAction")
    action.triggered.connect(lambda: show_machine_note(window))
    return action
