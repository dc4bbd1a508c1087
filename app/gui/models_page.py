"""Models (Ctrl+Shift+M, or Models… beside the training form's model): every backbone Loupe offers
by name, grouped by field — its size, licence, whether the hub asks for accepted terms, whether it
needs a GPU, whether it is on this machine (or partly, a download that resumes) and what it is good
for — with Download, Cancel and Delete, the download's progress in words, the Hugging Face access
token, and where the models are kept and how much room they take.

The page is a view of `app.core.hub`, the same calls as `loupe models`: every look at the disk
(`model_rows`, `cache_bytes`) and every download runs in the window's lanes, never on the GUI
thread. One page per window (`MainWindow.show_models`); it is not modal, so the user labels on
while a model downloads."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)
from qasync import asyncSlot

from app.core import hub
from app.core.errors import LoupeError
from app.core.training.presets import DOMAINS, PRESETS, BackbonePreset
from app.gui.i18n import core_text, size_text
from app.gui.jobs import Job, JobRunner, Lane, NewestWins
from app.gui.models_wording import (
    COLUMNS,
    LICENCE,
    MODEL,
    NEEDS,
    ON_DISK,
    SIZE,
    delete_question,
    details_html,
    domain_title,
    needs_text,
    on_disk_text,
    progress_text,
    tooltips,
)
from app.gui.token_box import TokenBox

#: Where the user makes an access token.
TOKENS_URL = "https://huggingface.co/settings/tokens"
#: The bar shows the newest progress at most this often.
PROGRESS_REDRAW_MS = 100
#: The preset's name, on each model row of the list (a field's row has none).
NameRole = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class Scan:
    """One look at the disk and the settings, made off the GUI thread."""

    rows: list
    cache_folder: str
    cache_bytes: int
    free_bytes: int | None
    offline: str | None
    token_saved: bool
    token_file: str


def _scan() -> Scan:
    """The page's picture of this machine (a walk over the Hugging Face cache: a lane's job)."""
    folder = hub.cache_folder()
    try:
        free = hub.disk_free_bytes()
    except OSError:
        free = None
    return Scan(
        hub.model_rows(),
        str(folder),
        hub.cache_bytes(),
        free,
        hub.offline_reason(),
        hub.has_token(),
        str(hub.token_path()),
    )


def _download(hub_id: str, on_progress, should_stop) -> Any:
    """A model's download, in the `download` lane: what arrived, None when cancelled, or a
    LoupeError whose message is one sentence (an access token missing, terms not accepted, no
    network) — never a traceback."""
    try:
        return hub.download_model(hub_id, on_progress=on_progress, should_stop=should_stop)
    except hub.Cancelled:
        return None
    except LoupeError:
        raise  # already one sentence
    except Exception as exc:  # noqa: BLE001 - said to the user in one sentence
        raise LoupeError(hub.explain(exc, hub_id)) from exc


class ModelsPage(QDialog):
    """The Models page of one window. `select(name)` shows a model; `download(name)` starts its
    download. `modelsChanged` follows every download, cancel and delete (the training form says
    which presets are on this machine)."""

    modelsChanged = Signal()

    def __init__(self, jobs: JobRunner, parent=None, confirm=None):
        super().__init__(parent, objectName="modelsPage")
        self.setWindowTitle(self.tr("Models"))
        self.setModal(False)
        self.jobs = jobs
        #: Asks before a delete (the question, in words); replaceable in tests.
        self.confirm = confirm or self._confirm
        self.rows: dict[str, hub.ModelRow] = {}
        self.scan: Scan | None = None
        self.scans = 0  # finished looks at the disk (tests wait for them)
        self.network: str | None = None  # why the hub cannot be reached, once a job has said
        self.worker: Job | None = None
        self.downloading: str | None = None  # the preset being downloaded
        self.last_progress: Any = None
        self._ended_badly = False  # the last download was cancelled or failed (its bar goes back to empty)
        self._pending: str | None = None  # a download asked for before the first look at the disk
        self._checking_network = False
        self.network_checks = 0  # finished looks at the network (tests wait for them)
        self._scanning = NewestWins(jobs)
        self._redraw = QTimer(self, singleShot=True, interval=PROGRESS_REDRAW_MS)
        self._redraw.timeout.connect(self._show_progress)

        self.banner = QLabel(self, objectName="offlineBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; padding: 6px; }")
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.banner.linkActivated.connect(self.on_banner_link_activated)
        self.banner.hide()

        self.tree = QTreeWidget(self, objectName="modelsList")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels([self.tr(column) for column in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._build_rows()
        for column in (MODEL, SIZE, LICENCE, NEEDS, ON_DISK):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self.on_tree_current_changed)
        self.tree.itemActivated.connect(self.on_tree_item_activated)
        QShortcut(QKeySequence.StandardKey.Delete, self.tree, self.on_delete_clicked, Qt.ShortcutContext.WidgetShortcut)

        self.download_button = QPushButton(self.tr("Download"), self, objectName="downloadModelButton")
        self.download_button.setToolTip(self.tr("Download the selected model to this machine (Enter)"))
        self.download_button.clicked.connect(self.on_download_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel download"), self, objectName="cancelDownloadButton")
        self.cancel_button.setToolTip(self.tr("Stop the download; what arrived is kept and the next download resumes"))
        self.cancel_button.clicked.connect(self.cancel)
        self.delete_button = QPushButton(self.tr("Delete…"), self, objectName="deleteModelButton")
        self.delete_button.setToolTip(self.tr("Delete the selected model from this machine (Delete)"))
        self.delete_button.clicked.connect(self.on_delete_clicked)
        self.progress = QProgressBar(self, objectName="downloadProgress")
        self.progress.setRange(0, 1000)  # per mille: a byte count overflows the bar's int past 2 GB
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("No download running"))
        self.status = QLabel(self, objectName="modelsStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details = QLabel(self, objectName="modelDetails")
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setOpenExternalLinks(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        details_box = QGroupBox(self.tr("Selected model"), self)
        QVBoxLayout(details_box).addWidget(self.details)

        token_box = TokenBox(jobs, self)
        token_box.said.connect(self._say)
        token_box.changed.connect(self.refresh)
        self.token_box = token_box
        # The box's parts, as the page's tests and screenshots reach them.
        self.token_edit, self.token_state = token_box.edit, token_box.state
        self.save_token_button, self.forget_token_button = token_box.save_button, token_box.forget_button

        self.footer = QLabel(self, objectName="cacheFooter")
        self.footer.setWordWrap(True)
        self.footer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.clicked.connect(self.close)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)  # Enter on a row downloads; it never presses a button too

        actions = QHBoxLayout()
        actions.addWidget(self.download_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.delete_button)
        actions.addWidget(self.progress, 1)
        lower = QHBoxLayout()
        lower.addWidget(details_box, 3)
        lower.addWidget(token_box, 2)
        bottom = QHBoxLayout()
        bottom.addWidget(self.footer, 1)
        bottom.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(self.tree, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addLayout(lower)
        layout.addLayout(bottom)

        self.status.hide()
        self.footer.setText(self.tr("Looking at the models on this machine…"))
        self.resize(1100, 680)
        first = next(iter(self.items.values()), None)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._show_buttons()
        self._show_token()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Each time the page opens: a fresh look at the disk and at the network."""
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()
            self.check_network()

    # -- the list -------------------------------------------------------------------------------

    def _build_rows(self) -> None:
        """A row per field, the field's presets under it, in DOMAINS order (a field a newer
        preset names that DOMAINS does not know comes last)."""
        domains = list(DOMAINS) + sorted({p.domain for p in PRESETS.values()} - set(DOMAINS))
        bold = self.tree.font()
        bold.setBold(True)
        for domain in domains:
            presets = [p for p in PRESETS.values() if p.domain == domain]
            if not presets:
                continue
            group = QTreeWidgetItem(self.tree, [domain_title(domain)])
            group.setFirstColumnSpanned(True)
            group.setFont(MODEL, bold)
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: not selectable
            for preset in presets:
                item = QTreeWidgetItem(
                    group,
                    [
                        preset.name,
                        size_text(preset.size_bytes) if preset.size_bytes else "",
                        preset.licence,
                        needs_text(preset),
                        "…",
                        core_text(preset.good_for),
                    ],
                )
                item.setData(MODEL, NameRole, preset.name)
                for column, tip in tooltips(preset).items():
                    item.setToolTip(column, tip)
                self.items[preset.name] = item
        self.tree.expandAll()

    @property
    def selected(self) -> BackbonePreset | None:
        item = self.tree.currentItem()
        name = item.data(MODEL, NameRole) if item is not None else None
        return PRESETS.get(name) if name else None

    def select(self, name: str) -> bool:
        """Show the model `name` (a preset's name or hub id); False when it is none of them."""
        preset = PRESETS.get(name) or next((p for p in PRESETS.values() if p.hub_id == name), None)
        if preset is None:
            return False
        self.tree.setCurrentItem(self.items[preset.name])
        self.tree.scrollToItem(self.items[preset.name])
        return True

    @property
    def offline(self) -> str | None:
        """Why nothing can be downloaded now (the hub switched off, or not answering), or None."""
        return (self.scan.offline if self.scan is not None else None) or self.network

    def unavailable(self, name: str) -> str | None:
        """Why the model cannot be downloaded now (offline; gated with no access token), or None."""
        row = self.rows.get(name)
        if row is not None and row.on_disk is not None:
            return None
        return self.offline or (row.unavailable if row is not None else None)

    def on_disk(self, name: str) -> bool:
        row = self.rows.get(name)
        return row is not None and row.on_disk is not None

    @asyncSlot()
    async def refresh(self) -> None:
        """Look at the disk again (a lane's job) and show what is there."""
        if self.jobs.closed:
            return
        ticket = self._scanning.begin()
        try:
            scan = await self._scanning.run(ticket, _scan)
        except (LoupeError, OSError) as exc:
            self._say(self.tr("Could not look at the models on this machine: {error}").format(error=exc))
            return
        self.scan = scan
        self.rows = {row.preset.name: row for row in scan.rows}
        self.scans += 1
        self._show_all()
        pending, self._pending = self._pending, None
        if pending is not None:
            self.download(pending)

    @asyncSlot()
    async def check_network(self) -> None:
        """Ask (in the download lane: it may wait for a timeout) whether the hub can be reached."""
        if self.jobs.closed or self._checking_network:
            return
        self._checking_network = True
        try:
            self.network = await self.jobs.run(hub.network_reason, lane=Lane.DOWNLOAD)
        finally:
            self._checking_network = False
        self.network_checks += 1
        self._show_all()

    def _show_all(self) -> None:
        self._show_rows()
        self._show_footer()
        self._show_token()
        self._show_banner()
        self._show_details()
        self._show_buttons()

    def _show_rows(self) -> None:
        grey = QBrush(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
        offline = self.offline
        for name, item in self.items.items():
            row = self.rows.get(name)
            if row is None:
                continue
            item.setText(ON_DISK, self.tr("Downloading…") if name == self.downloading else on_disk_text(row))
            item.setToolTip(ON_DISK, str(row.on_disk.path) if row.on_disk is not None else "")
            greyed = offline is not None and row.on_disk is None
            tips = tooltips(row.preset)
            for column in range(len(COLUMNS)):
                item.setForeground(column, grey if greyed else QBrush())
                if column != ON_DISK:
                    unavailable = self.tr("Cannot be downloaded now. {reason}").format(reason=offline) if greyed else ""
                    item.setToolTip(column, unavailable if greyed else tips.get(column, ""))

    def _show_banner(self) -> None:
        reason = self.offline
        if reason:
            self.banner.setText(
                self.tr(
                    "{reason} Models not on this machine are greyed out until a download is possible. "
                    '<a href="check">Check again</a>'
                ).format(reason=html.escape(reason))
            )
        self.banner.setVisible(bool(reason))

    def on_banner_link_activated(self, _link: str) -> None:
        self.network = None
        self.check_network()
        self.refresh()

    def _show_footer(self) -> None:
        scan = self.scan
        if scan is None:
            return
        free = (
            self.tr(" · {size} free on that disk").format(size=size_text(scan.free_bytes))
            if scan.free_bytes is not None
            else ""
        )
        self.footer.setText(
            self.tr(
                "Models are kept in {folder} (Hugging Face's cache, shared with other programs) · {size} in use"
            ).format(folder=scan.cache_folder, size=size_text(scan.cache_bytes))
            + free
        )

    def on_tree_current_changed(self, *_) -> None:
        self._show_details()
        self._show_buttons()

    def _show_details(self) -> None:
        preset = self.selected
        if preset is None:
            self.details.setText(self.tr("Choose a model in the list to see where it comes from."))
            return
        reason = self.unavailable(preset.name)
        shown = reason if reason and (self.offline or not preset.gated) else None  # a gated one says its terms
        self.details.setText(details_html(preset, self.rows.get(preset.name), shown))

    def _show_buttons(self) -> None:
        preset = self.selected
        busy = self.downloading is not None
        known = preset is not None and preset.name in self.rows
        on_disk = known and self.on_disk(preset.name)
        self.download_button.setEnabled(
            known and not busy and not on_disk and self.unavailable(preset.name) is None and not self.jobs.closed
        )
        partly = known and not on_disk and self.rows[preset.name].partial_bytes > 0
        self.download_button.setText(self.tr("Resume download") if partly else self.tr("Download"))
        self.cancel_button.setEnabled(busy)
        self.delete_button.setEnabled(
            known and (on_disk or self.rows[preset.name].partial_bytes > 0) and preset.name != self.downloading
        )

    def _say(self, text: str) -> None:
        """A sentence under the bar (a download's end, a failure in words)."""
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # -- download -------------------------------------------------------------------------------

    def on_tree_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        """Enter (or a double click) on a model not on this machine downloads it."""
        name = item.data(MODEL, NameRole)
        if name and self.download_button.isEnabled() and not self.on_disk(name):
            self.download(name)

    def on_download_clicked(self) -> None:
        if self.selected is not None:
            self.download(self.selected.name)

    def download(self, name: str) -> bool:
        """Start downloading the preset `name`; False when it cannot start (one runs, it is on
        this machine, the hub cannot be reached — said on the page)."""
        self.select(name)
        preset = PRESETS.get(name) or next((p for p in PRESETS.values() if p.hub_id == name), None)
        if preset is None or self.downloading is not None or self.jobs.closed:
            return False
        name = preset.name
        if self.scan is None:  # the first look at the disk is on its way: the download follows it
            self._pending = name
            return True
        reason = self.unavailable(name)
        if reason:
            self._say(self.tr("{model} cannot be downloaded now: {reason}.").format(model=name, reason=reason))
            return False
        if self.on_disk(name):
            self._say(self.tr("{model} is already on this machine.").format(model=name))
            return False
        self.downloading = name
        self.last_progress = None
        self.progress.setRange(0, 0)  # busy until the first bytes say how many
        self._ended_badly = False
        self.progress.setFormat(self.tr("Starting the download of {model}…").format(model=name))
        self._say("")
        self.worker = self.jobs.start_job(_download, preset.hub_id, lane=Lane.DOWNLOAD)
        self.worker.progressed.connect(self.on_worker_progressed)
        self.worker.succeeded.connect(self.on_worker_succeeded)
        self.worker.failed.connect(self.on_worker_failed)
        self.worker.finished.connect(self.on_worker_finished)
        self._show_rows()
        self._show_buttons()
        return True

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.progress.setFormat(self.tr("Cancelling…"))

    def shut_down(self) -> None:
        """The window closes: stop the download (what arrived is kept; it resumes next time)."""
        self._redraw.stop()
        self._scanning.cancel()
        self.cancel()

    def on_worker_progressed(self, event: Any) -> None:
        if not isinstance(event, hub.DownloadProgress):
            return
        self.last_progress = event
        if not self._redraw.isActive():  # at most 10 redraws a second
            self._redraw.start()

    def _show_progress(self) -> None:
        event = self.last_progress
        if event is None or self.downloading is None:
            return
        if event.total_bytes:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(event.done_bytes / event.total_bytes, 1.0)))
        self.progress.setFormat(f"{self.downloading}: {progress_text(event)}")
        item = self.items.get(self.downloading)
        if item is not None and event.total_bytes:
            share = f"{event.done_bytes / event.total_bytes:.0%}"
            item.setText(ON_DISK, self.tr("Downloading… {share}").format(share=share))

    def on_worker_succeeded(self, model: Any) -> None:
        name = self.downloading
        if model is None:
            self._ended_badly = True
            self._say(
                self.tr("Download of {model} cancelled; what arrived is kept, and Download resumes it.").format(
                    model=name
                )
            )
            self.progress.setFormat(self.tr("Download cancelled"))
        else:
            size = size_text(model.size_bytes)
            self._say(self.tr("{model} is on this machine ({size}).").format(model=name, size=size))
            self.progress.setFormat(self.tr("{model}: downloaded, {size}").format(model=name, size=size))

    def on_worker_failed(self, message: str) -> None:
        self._ended_badly = True
        self._say(self.tr("Download of {model} failed: {error}").format(model=self.downloading, error=message))
        self.progress.setFormat(self.tr("Download failed"))

    def on_worker_finished(self) -> None:
        self._redraw.stop()
        if self.progress.maximum() == 0:
            self.progress.setRange(0, 1000)
        if self._ended_badly:
            self.progress.setValue(0)
        else:
            self.progress.setValue(1000)
        self.worker.deleteLater()
        self.worker = None
        self.downloading = None
        self._show_buttons()
        self.modelsChanged.emit()
        self.refresh()

    # -- delete ---------------------------------------------------------------------------------

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("Delete the model?"), question)
        return answer == QMessageBox.StandardButton.Yes

    @asyncSlot()
    async def on_delete_clicked(self) -> None:
        """Delete the selected model's files (asked first, with the room it frees)."""
        preset = self.selected
        if preset is None or not self.delete_button.isEnabled() or self.jobs.closed:
            return
        row = self.rows[preset.name]
        size = (row.on_disk.size_bytes if row.on_disk is not None else 0) + row.partial_bytes
        if not self.confirm(delete_question(preset, size)):
            return
        self.delete_button.setEnabled(False)
        try:
            await self.jobs.run(hub.delete_model, preset.hub_id)
        except (LoupeError, OSError) as exc:
            self._say(self.tr("Could not delete {model}: {error}").format(model=preset.name, error=exc))
        else:
            self._say(self.tr("Deleted {model}: {size} freed.").format(model=preset.name, size=size_text(size)))
        self.modelsChanged.emit()
        self.refresh()

    def _show_token(self) -> None:
        scan = self.scan
        if scan is not None:
            self.token_box.show_state(scan.token_saved, scan.token_file)
