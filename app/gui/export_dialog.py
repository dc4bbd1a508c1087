"""File ▸ Export… (Ctrl+E): what to export, which run, where; then the core export
(`app.core.export.formats.export`, the same call as `loupe export`) in the `export` lane with a progress
dialog and Cancel, and the absolute path in the status bar.

The formats come from the core's registry (`EXPORTERS`); this module only adds how the window
shows each one (`FORMAT_VIEWS`: its title, whether it needs a run's model, whether it writes a
folder or a file, and the sentence said when it is done). The dialog answers with an
`ExportRequest`; the window asks through its `choose_export` attribute, which tests replace so no
modal dialog has to be clicked.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)
from qasync import asyncSlot

from app.core.errors import Cancelled, LoupeError
from app.core.export.formats import EXPORTERS, OUTPUT_KINDS, export
from app.core.export.report import ExportReport
from app.core.project.outputs import OutputError, check_output
from app.core.project.store import Project, ProjectPaths
from app.core.training.events import Notice
from app.core.training.runs import list_runs
from app.core.training.saved_models import has_model
from app.gui.jobs import Lane
from app.gui.long_job import LongJobController
from app.gui.run_words import run_in_words


def _tr(text: str) -> str:
    """`text` (marked with QT_TRANSLATE_NOOP in the "ExportDialog" context) in the window's language."""
    return QCoreApplication.translate("ExportDialog", text)


def _images_summary(report: ExportReport) -> str:
    if report.images == 1:
        text = QCoreApplication.translate("ExportDialog", "Exported 1 labelled image in class folders in {out}")
    else:
        text = QCoreApplication.translate("ExportDialog", "Exported {count} labelled images in class folders in {out}")
    text = text.format(count=report.images, out=report.out)
    if report.missing:
        text += QCoreApplication.translate("ExportDialog", "; {count} file(s) not found, not exported").format(
            count=len(report.missing)
        )
    return text


def _labels_summary(report: ExportReport) -> str:
    if report.images == 1:
        text = QCoreApplication.translate("ExportDialog", "Saved 1 label as {out}")
    else:
        text = QCoreApplication.translate("ExportDialog", "Saved {count} labels as {out}")
    return text.format(count=report.images, out=report.out)


@dataclass(frozen=True)
class FormatView:
    """How the dialog shows one export format of the core's registry."""

    title: str  # marked for translation: shown through `_tr`
    model: bool  # exports a run's model (the run picker is shown), else the project's labels
    folder: bool  # writes a new or empty folder, else one file
    suffix: str  # of the default name beside the project: NAME-run-3-onnx, NAME-labels.csv
    summary: Callable[[ExportReport], str]  # the status bar's sentence when it is done


#: Every format of `app.core.export.formats.EXPORTERS`, in the order the dialog lists them (a test checks
#: that each registry entry has one).
FORMAT_VIEWS: dict[str, FormatView] = {
    "hf": FormatView(
        QT_TRANSLATE_NOOP("ExportDialog", "Model as a Hugging Face folder"),
        True,
        True,
        "hf",
        lambda r: QCoreApplication.translate(
            "ExportDialog", "Exported run {run} as a Hugging Face folder: {out}"
        ).format(run=r.run, out=r.out),
    ),
    "onnx": FormatView(
        QT_TRANSLATE_NOOP("ExportDialog", "Model as ONNX"),
        True,
        True,
        "onnx",
        lambda r: QCoreApplication.translate("ExportDialog", "Exported run {run} as ONNX: {out}").format(
            run=r.run, out=os.path.join(r.out, "model.onnx")
        ),
    ),
    "labels-csv": FormatView(
        QT_TRANSLATE_NOOP("ExportDialog", "Labels as CSV"),
        False,
        False,
        "labels.csv",
        _labels_summary,
    ),
    "imagefolder": FormatView(
        QT_TRANSLATE_NOOP("ExportDialog", "Labelled images in class folders"),
        False,
        True,
        "by-class",
        _images_summary,
    ),
}


@dataclass(frozen=True)
class RunChoice:
    id: int
    text: str  # "run 3 · Linear probe · 93% accuracy"


@dataclass(frozen=True)
class ExportChoices:
    """What the dialog offers: the runs with a model, the run and format chosen at first, and
    the folder the default names go in (the project's)."""

    runs: tuple[RunChoice, ...]
    run_id: int | None  # preselected: the active run, or the Runs tab's selected one
    format: str | None  # preselected; None: a model format when there is a run, else the labels
    folder: Path
    stem: str  # the project's name, for default names
    project: ProjectPaths | None = None  # whose files no export may replace (checked by the core's rules)


@dataclass(frozen=True)
class ExportRequest:
    format: str
    out: Path  # absolute
    run_id: int | None  # None for the label formats


def exportable_runs(project: Project) -> tuple[RunChoice, ...]:
    """Finished runs whose model folder is there, newest first, as the run picker names them."""
    choices = []
    for run in reversed(list_runs(project, reports=False)):
        if run.status != "done" or not has_model(project, run):
            continue
        choices.append(RunChoice(run.id, run_in_words(run)))
    return tuple(choices)


def export_choices(project: Project, run_id: int | None, format: str | None = None) -> ExportChoices:
    return ExportChoices(
        exportable_runs(project), run_id, format, writable_folder(project.paths.root), project.file.stem, project.paths
    )


def writable_folder(folder: Path) -> Path:
    """Where default output names go: `folder` (the project's), or the user's home when that
    cannot be written (a project on a read-only share)."""
    return folder if os.access(folder, os.W_OK | os.X_OK) else Path.home()


def folder_problem(path: Path) -> str:
    """Why `path` cannot take a folder export ("" when it can): it must be new or empty (the
    core refuses the rest too; said here before anything runs)."""
    if path.is_file():
        return QCoreApplication.translate("ExportDialog", "This is a file: choose a new or empty folder.")
    if path.is_dir() and any(path.iterdir()):
        return QCoreApplication.translate("ExportDialog", "This folder is not empty: choose a new or empty one.")
    return ""


class ExportDialog(QDialog):
    """What (one radio button per format), which run (model formats only), where (a path and
    Browse…). OK stays disabled until the answer can be exported."""

    def __init__(self, choices: ExportChoices, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export"))
        self.choices = choices
        self._path_typed = False  # the user typed or browsed: the default name no longer follows
        self.formats = QButtonGroup(self)
        what = QVBoxLayout()
        self.format_buttons: dict[str, QRadioButton] = {}
        for name in FORMAT_VIEWS:
            if name not in EXPORTERS:
                continue
            view = FORMAT_VIEWS[name]
            button = QRadioButton(self.tr(view.title), self)
            if view.model and not choices.runs:
                button.setEnabled(False)
                button.setToolTip(self.tr("No run has a model yet: train one first (Ctrl+T)"))
            self.formats.addButton(button)
            self.format_buttons[name] = button
            what.addWidget(button)
            button.toggled.connect(self.on_format_toggled)
        self.run_combo = QComboBox(self)
        for run in choices.runs:
            self.run_combo.addItem(run.text, run.id)
        self.run_combo.currentIndexChanged.connect(lambda _: self._follow_default())
        self.path_edit = QLineEdit(self)
        self.path_edit.textEdited.connect(self.on_path_edited)
        self.path_edit.textChanged.connect(lambda _: self._check())
        self.browse_button = QPushButton(self.tr("Browse…"), self)
        self.browse_button.clicked.connect(self.on_browse_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path_edit, 1)
        where.addWidget(self.browse_button)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        form = QFormLayout()
        form.addRow(self.tr("What"), what)
        self.run_label = QLabel(self.tr("Run"), self)
        form.addRow(self.run_label, self.run_combo)
        self.where_label = QLabel(self.tr("Where"), self)
        form.addRow(self.where_label, where)
        form.addRow("", self.problem)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(self.tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        run_row = self.run_combo.findData(choices.run_id)
        self.run_combo.setCurrentIndex(max(run_row, 0))
        self.set_format(self._first_format())
        self.setMinimumWidth(520)

    def _first_format(self) -> str:
        wanted = self.choices.format
        if wanted in self.format_buttons and self.format_buttons[wanted].isEnabled():
            return wanted
        return next(name for name, button in self.format_buttons.items() if button.isEnabled())

    # -- the answer ----------------------------------------------------------------------------

    @property
    def format(self) -> str:
        return next(name for name, button in self.format_buttons.items() if button.isChecked())

    @property
    def view(self) -> FormatView:
        return FORMAT_VIEWS[self.format]

    def set_format(self, name: str) -> None:
        self.format_buttons[name].setChecked(True)

    def set_path(self, path: str | os.PathLike) -> None:
        """As if typed (the default name stops following the format and run)."""
        self._path_typed = True
        self.path_edit.setText(str(path))

    def out(self) -> Path | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(os.path.expanduser(text))
        return Path(os.path.abspath(path if path.is_absolute() else self.choices.folder / path))

    def request(self) -> ExportRequest | None:
        """The answer, or None while it cannot be exported (no path, a non-empty folder)."""
        out = self.out()
        if out is None or self._problem(out):
            return None
        run_id = self.run_combo.currentData() if self.view.model else None
        return ExportRequest(self.format, out, run_id)

    # -- handlers ------------------------------------------------------------------------------

    def on_format_toggled(self, checked: bool) -> None:
        if not checked:
            return
        model = self.view.model
        self.run_label.setVisible(model)
        self.run_combo.setVisible(model)
        self.where_label.setText(self.tr("Folder") if self.view.folder else self.tr("File"))
        self.path_edit.setPlaceholderText(
            self.tr("A new or empty folder") if self.view.folder else self.tr("A CSV file")
        )
        self._follow_default()
        self._check()

    def on_path_edited(self, text: str) -> None:
        self._path_typed = bool(text)

    def on_browse_clicked(self) -> None:
        start = str(self.out() or self.choices.folder)
        if self.view.folder:
            chosen = QFileDialog.getExistingDirectory(self, self.tr("Export into a new or empty folder"), start)
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                self, self.tr("Export the labels as CSV"), start, self.tr("CSV (*.csv)")
            )
        if chosen:
            self.set_path(chosen)

    def _follow_default(self) -> None:
        """A name beside the project that does not exist yet, until the user chooses one."""
        if self._path_typed:
            return
        view = self.view
        run = f"-run-{self.run_combo.currentData()}" if view.model and self.run_combo.count() else ""
        base = f"{self.choices.stem}{run}-{view.suffix}"
        stem, dot, extension = base.partition(".") if not view.folder else (base, "", "")
        candidate, n = self.choices.folder / base, 2
        while candidate.exists():
            candidate = self.choices.folder / f"{stem}-{n}{dot}{extension}"
            n += 1
        self.path_edit.setText(str(candidate))

    def _problem(self, out: Path) -> str:
        if self.view.folder:
            problem = folder_problem(out)
        else:
            problem = self.tr("This is a folder: choose a file name.") if out.is_dir() else ""
        if problem:
            return problem
        try:  # the rest of the core's rules: not the project's own files, a writable folder…
            check_output(out, OUTPUT_KINDS[self.format], self.choices.project)
        except OutputError as exc:
            return f"{str(exc)[0].upper()}{str(exc)[1:]}."
        return ""

    def _check(self) -> None:
        out = self.out()
        problem = self._problem(out) if out is not None else ""
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        self.export_button.setEnabled(out is not None and not problem)


def ask_export(parent, choices: ExportChoices) -> ExportRequest | None:
    """The request, or None when cancelled, asked in a modal dialog (the window's
    `choose_export`; tests replace it)."""
    dialog = ExportDialog(choices, parent)
    try:
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


#: What `run_export` returns when the export was stopped.
CANCELLED = "cancelled"


def run_export(
    project: Project,
    request: ExportRequest,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport | str:
    """The core export of `request` (a job); CANCELLED when stopped. Every failure, a file
    system's refusal (no permission, disk full) too, is a LoupeError of one plain sentence."""
    try:
        return export(project, request.format, request.out, request.run_id, on_progress, should_stop)
    except Cancelled:
        return CANCELLED
    except LoupeError as exc:
        raise LoupeError(failure_sentence(str(exc))) from exc
    except OSError as exc:
        reason = QCoreApplication.translate("ExportDialog", "could not write {path}: {reason}").format(
            path=request.out, reason=exc.strerror or exc
        )
        raise LoupeError(failure_sentence(reason)) from exc


class ExportController(LongJobController):
    """One export at a time for a window, in the `export` lane, with a progress dialog and Cancel."""

    started = Signal(object)  # ExportRequest
    progressed = Signal(object)  # the core's events (Notice)
    exported = Signal(object)  # ExportReport
    cancelled = Signal()
    failed = Signal(str)  # one plain sentence ("Nothing was exported: … is not an empty folder; …")
    finished = Signal()  # after any of the three, or a refusal while another export runs (tests wait for it)

    @property
    def idle(self) -> bool:
        return not self.running

    @asyncSlot(object)
    async def export(self, request: ExportRequest) -> None:
        if self.running:
            self.failed.emit(self.tr("An export is running: wait for it to finish, or cancel it."))
            self.finished.emit()
            return
        self.started.emit(request)
        view = FORMAT_VIEWS[request.format]
        title = _tr(view.title)
        what = title[0].lower() + title[1:]  # "Exporting model as ONNX…"
        dialog = (self.tr("Exporting"), self.tr("Exporting {what}…").format(what=what)) if self.show_dialogs else None
        report = await self.run_job(
            run_export, self.project, request, self._relay, self._stop.is_set, lane=Lane.EXPORT, dialog=dialog
        )
        if isinstance(report, str):  # CANCELLED
            self.cancelled.emit()
        elif report is not None:  # else `failed` said why (or the window closed)
            self.exported.emit(report)
        self.finished.emit()

    def on_relay_progressed(self, event: object) -> None:
        self.progressed.emit(event)
        if self.dialog is not None and isinstance(event, Notice):
            self.dialog.setLabelText(event.text)


def export_summary(report: ExportReport) -> str:
    """The status bar's sentence for a finished export, with its absolute path."""
    return FORMAT_VIEWS[report.format].summary(report)


def failure_sentence(message: str) -> str:
    """A core message ("/x is not an empty folder; choose …") as one plain sentence."""
    return QCoreApplication.translate("ExportDialog", "Nothing was exported: {reason}.").format(
        reason=" ".join(message.split()).rstrip(".")
    )
