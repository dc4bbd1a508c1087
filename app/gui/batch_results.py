"""The Review workspace's results: a batch of classified files as a sortable table (thumbnail, predicted class,
confidence, top 3), filtered by class and by "needs review" (confidence under a threshold the
user sets, remembered per project), with Accept as labels, Export CSV… and the batches kept in the
project in a picker (the newest shows when the project opens).

The panel lays out and filters; reading batches runs in the `interactive` lane, thumbnails of the
batch's files are decoded in the `results` lane (they need not be in the project), accepting and
exporting go through the ClassifyController.

At 100,000 results a batch shown, a sort or a filter costs the GUI thread about 10 ms
(`bench/results_view.py`; 120-135 ms, 85-93 ms before): the job that reads a batch keeps it as
columns (`BatchColumns`: no object per result for the garbage collector to visit) and prepares
it (`prepare_batch`: arrays of its columns and every column's sort order, both ways), so sorting
and filtering are array operations, and the selection is kept across them by result id, one
selection range per run of rows. The "needs review" threshold is
the project's one (`ReviewThreshold`), shared with the grid's Show list."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, QModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from app.core.errors import LoupeError
from app.core.imaging.options import DecodeOptions
from app.core.inference.batches import BatchColumns, BatchInfo, batches
from app.gui.batch_results_model import (
    ALL_CLASSES,
    COLUMNS,
    THUMB,
    UNREADABLE,
    BatchResultsModel,
    PreparedBatch,
    ResultRole,
    ResultThumbnailLoader,
    load_batch,
    prepare_batch,
    release_batch,
    review_threshold_for,
)
from app.gui.elided_label import ElidedLabel
from app.gui.jobs import NewestWins
from app.gui.review_threshold import ReviewThreshold


class ResultsTable(QTableView):
    """Enter opens the current result, as a double-click does."""

    opened = Signal(QModelIndex)

    def keyPressEvent(self, event) -> None:
        plain = event.modifiers() in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if plain and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.opened.emit(self.currentIndex())
            return
        super().keyPressEvent(event)


class BatchResultsPanel(QWidget):
    """The results of a batch: the Review workspace's table and its controls."""

    resultOpened = Signal(object, object)  # BatchResult, run id
    acceptRequested = Signal(int, list, object)  # batch id, result ids, class id or None (its prediction)
    exportRequested = Signal(int)  # batch id
    deleteRequested = Signal(int)  # batch id, after the user said yes
    message = Signal(str)  # for the status bar

    def __init__(self, project, jobs, classes, rendering: DecodeOptions = DecodeOptions(), parent=None):
        super().__init__(parent)
        self.project = project
        self.jobs = jobs
        self.batch_list: list[BatchInfo] = []
        self.loads = 0  # batch reads put in the table (tests wait for them)
        self.loading = NewestWins(jobs)  # the batch list and the batch shown
        self.model = BatchResultsModel(self)
        self.loader = ResultThumbnailLoader(project, jobs, self, rendering)
        self.model.thumbnailWanted.connect(self.loader.request)
        self.loader.loaded.connect(self.model.on_loader_loaded)

        self.picker = QComboBox(self, toolTip=self.tr("The batches kept in this project, newest first"))
        self.picker.setMinimumContentsLength(22)
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.activated.connect(self.on_picker_activated)
        self.class_box = QComboBox(self, toolTip=self.tr("Show the results of one class"))
        self.class_box.activated.connect(self.on_filters_changed)
        self.review = QCheckBox(
            self.tr("Needs review"), self, toolTip=self.tr("Only results the model is less sure of than the threshold")
        )
        self.review.toggled.connect(self.on_filters_changed)
        self.threshold = QDoubleSpinBox(self, decimals=0, minimum=1, maximum=100, singleStep=5, suffix=" %")
        self.threshold.setPrefix(self.tr("below "))
        self.threshold.setToolTip(
            self.tr(
                "Results under this confidence need review (remembered for this project; the Label "
                "workspace's Show list offers the images whose prediction is under it too)"
            )
        )
        #: The project's one "needs review" threshold, shared with the grid's Show list.
        self.review_threshold = ReviewThreshold.of(project)
        self.threshold.setValue(round(self.review_threshold.value * 100))
        self.model.review_below = self.review_threshold.value
        self.threshold.valueChanged.connect(self.on_threshold_value_changed)
        self.review_threshold.changed.connect(self.on_review_threshold_changed)
        self.error_rate_button = QToolButton(self, text=self.tr("For an error rate…"), objectName="reviewForErrorRate")
        self.error_rate_button.setToolTip(
            self.tr(
                "Set the threshold from the largest share of wrong results you accept among those not flagged, "
                "chosen on the run's validation images"
            )
        )
        self.error_rate_button.clicked.connect(self.on_error_rate_clicked)
        #: Asks for the target error rate in percent (None: cancelled); tests replace it.
        self.ask_error_rate = self._ask_error_rate
        #: Says what the chosen threshold means; tests replace it.
        self.tell = self._tell
        self.accept_button = QToolButton(self, text=self.tr("Accept as labels"))
        self.accept_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.accept_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.accept_button.setToolTip(
            self.tr(
                "Label the selected images with their predicted class; they join the "
                "project where they are (Ctrl+Z undoes). The arrow: label them as another class"
            )
        )
        self.accept_button.clicked.connect(lambda: self.request_accept(None))
        self.accept_menu = QMenu(self)
        self.accept_button.setMenu(self.accept_menu)
        self.export_button = QToolButton(
            self, text=self.tr("Export CSV…"), toolTip=self.tr("Save this batch's results as a CSV file")
        )
        self.export_button.clicked.connect(
            lambda: self.batch_id is not None and self.exportRequested.emit(self.batch_id)
        )
        self.delete_button = QToolButton(
            self,
            text=self.tr("Delete batch…"),
            toolTip=self.tr("Forget this batch's results (the files and accepted labels stay)"),
        )
        self.delete_button.clicked.connect(self.on_delete_clicked)
        #: Asks before a batch is forgotten: (question) -> bool; tests replace it.
        self.confirm = self._confirm
        self.count = ElidedLabel("", self)
        self.count.setObjectName("resultsCount")

        self.table = ResultsTable(self)
        self.table.setModel(self.model)
        self._kept: tuple[PreparedBatch, np.ndarray, int | None] | None = None  # selection, across a reset
        self.model.aboutToBeArranged.connect(self.on_model_about_to_be_arranged)
        self.model.arranged.connect(self.on_model_arranged)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # input order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setIconSize(QSize(THUMB, THUMB))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(THUMB + 4)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((170, 100, 90, 170)):  # Image, Class, Confidence, Label; Top 3 fills
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # The header with a selection model of its own, always empty: with the table's, each
        # repaint after a change of selection asks whether each column is wholly selected, an
        # index() and flags() per row and column: with every one of 100,000 results selected,
        # a million calls into this Python model (seconds). Rows are selected whole: the header
        # had nothing to show of it.
        header.setSelectionModel(QItemSelectionModel(self.model, header))
        self.table.doubleClicked.connect(self.on_table_opened)
        self.table.opened.connect(self.on_table_opened)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        # Two rows, so that the table keeps to about half of a 1280 px window (the viewer beside
        # it in the Review workspace): the batch and what to do with it; which results to show
        # and accepting them.
        batch_row = QHBoxLayout()
        batch_row.setContentsMargins(0, 0, 0, 0)
        batch_row.addWidget(self.picker)
        batch_row.addWidget(self.count, 1)
        batch_row.addWidget(self.export_button)
        batch_row.addWidget(self.delete_button)
        filter_row = QHBoxLayout()
        filter_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.class_box, self.review, self.threshold, self.error_rate_button):
            filter_row.addWidget(widget)
        filter_row.addStretch(1)
        filter_row.addWidget(self.accept_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(batch_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        self.set_classes(classes)
        self._update_buttons()
        self._update_counts()
        self.loader.start()

    # -- batches --------------------------------------------------------------------------------

    @property
    def batch_id(self) -> int | None:
        return self.model.batch.id if self.model.batch is not None else None

    @asyncSlot()
    async def refresh(self, select: int | None = None) -> None:
        """Read the batches kept in the project and show `select` (default: the one shown, else
        the newest)."""
        select = select if isinstance(select, int) else self.batch_id
        ticket = self.loading.begin()
        listed = await self.loading.run(ticket, batches, self.project)
        self.batch_list = listed
        self.picker.clear()
        for batch in listed:
            self.picker.addItem(batch_title(batch), batch.id)
        ids = [b.id for b in listed]
        chosen = select if select in ids else (ids[0] if ids else None)
        if chosen is not None:
            self.picker.setCurrentIndex(ids.index(chosen))
        await self._load(chosen, ticket)

    def on_picker_activated(self, index: int) -> None:
        self.show_batch(self.picker.itemData(index))

    @asyncSlot(object)
    async def show_batch(self, batch_id: int | None) -> None:
        await self._load(batch_id, self.loading.begin())

    async def _load(self, batch_id: int | None, ticket: int) -> None:
        """Read and prepare the batch in a job; the GUI thread only puts it in the table (the
        selection stays on the results still there)."""
        batch = next((b for b in self.batch_list if b.id == batch_id), None)
        try:
            prepared = (
                await self.loading.run(ticket, load_batch, self.project, batch)
                if batch is not None
                else prepare_batch(None, BatchColumns())
            )
        except LoupeError as exc:  # deleted meanwhile
            self.message.emit(str(exc))
            prepared = prepare_batch(None, BatchColumns())
        if not self.loading.is_newest(ticket):
            return
        replaced, paths = self.model.prepared, self.loader.paths
        self.loader.paths = prepared.paths
        self.model.set_prepared(prepared)
        if replaced is not prepared and len(replaced.rows):
            self.jobs.run(release_batch, replaced, paths)
        del replaced, paths
        self.loads += 1
        self._update_buttons()
        self._update_counts()

    def reload(self) -> None:
        """The shown batch read again (after an accept, or an undo of one)."""
        self.show_batch(self.batch_id)

    def on_session_labels_changed(self, changes: dict) -> None:
        if self.model.image_ids & set(changes):
            self.reload()

    # -- classes and filters --------------------------------------------------------------------

    def set_classes(self, classes) -> None:
        self.model.set_class_names({c.id: c.name for c in classes})
        key = self.class_box.currentData()
        self.class_box.clear()
        self.class_box.addItem(self.tr("All classes"), ALL_CLASSES)
        for info in classes:
            self.class_box.addItem(info.name, info.id)
        self.class_box.addItem(self.tr("Could not be read"), UNREADABLE)
        found = self.class_box.findData(key)
        self.class_box.setCurrentIndex(max(found, 0))
        self.accept_menu.clear()
        for info in classes:
            action = self.accept_menu.addAction(self.tr("Label the selected as {name}").format(name=info.name))
            action.triggered.connect(lambda checked=False, class_id=info.id: self.request_accept(class_id))

    def on_filters_changed(self, *_) -> None:
        self.model.set_filter(self.class_box.currentData(), self.review.isChecked())
        self._update_buttons()
        self._update_counts()

    def on_threshold_value_changed(self, value: float) -> None:
        """The box changed: the project's threshold changes (saved in the write lane) and
        everything that shows it follows (`on_review_threshold_changed`, the grid's Show list)."""
        self.review_threshold.set(value / 100, self.jobs)

    def on_review_threshold_changed(self, threshold: float) -> None:
        if round(threshold * 100) != round(self.threshold.value()):
            blocked = self.threshold.blockSignals(True)
            self.threshold.setValue(round(threshold * 100))
            self.threshold.blockSignals(blocked)
        self.model.set_review_below(threshold)
        self._update_buttons()
        self._update_counts()

    # -- selection and actions ------------------------------------------------------------------

    def selected_result_ids(self) -> list[int]:
        return selected_ids(self.table, self.model)

    def select_results(self, result_ids) -> None:
        select_ids(self.table, self.model, result_ids)

    def on_model_about_to_be_arranged(self) -> None:
        """Before a sort, a filter or another read of the batch: which results are selected (and
        which is current), to select them again after."""
        prepared, current = self.model.prepared, self.table.currentIndex()
        sources = self.model.visible[selected_rows(self.table)]
        self._kept = (prepared, sources, int(self.model.visible[current.row()]) if current.isValid() else None)

    def on_model_arranged(self) -> None:
        """The same results selected again, those still shown (by result id when the batch was
        read again), one range per run of rows; the current one current again."""
        if self._kept is None:
            return
        before, sources, current = self._kept
        self._kept = None
        now = self.model.prepared
        if now is not before:  # read again: rows are found by result id
            sources = now.rows_of(before.ids[sources])
            current = now.rows_of((int(before.ids[current]),)) if current is not None else ()
            current = int(current[0]) if len(current) else None
        select_rows(self.table, self.model, self.model.shown_at()[sources])
        row = int(self.model.shown_at()[current]) if current is not None else -1
        if row >= 0:
            flags = QItemSelectionModel.SelectionFlag.NoUpdate
            self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def request_accept(self, class_id: int | None) -> None:
        ids = self.selected_result_ids()
        if self.batch_id is None or not ids:
            self.message.emit(self.tr("Select the results to accept first"))
            return
        self.acceptRequested.emit(self.batch_id, ids, class_id)

    def on_delete_clicked(self) -> None:
        batch = self.model.batch
        if batch is not None and self.confirm(
            self.tr("Forget {batch}?\n\nIts files, and labels accepted from it, stay.").format(batch=batch_title(batch))
        ):
            self.deleteRequested.emit(batch.id)

    def _ask_error_rate(self) -> float | None:
        from PySide6.QtWidgets import QInputDialog

        value, ok = QInputDialog.getDouble(
            self,
            self.tr("Needs review, for an error rate"),
            self.tr("Among the results that do not need review, the model may be wrong at most (%):"),
            5.0,
            0.5,
            50.0,
            1,
        )
        return value if ok else None

    def _tell(self, sentence: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self, self.tr("Needs review"), sentence)

    @asyncSlot()
    async def on_error_rate_clicked(self) -> None:
        """Choose the threshold on the batch's run's validation images (a job reads its report)."""
        batch = self.model.batch
        if batch is None or batch.run_id is None:
            return
        target = self.ask_error_rate()
        if target is None:
            return
        try:
            choice = await self.jobs.run(review_threshold_for, self.project, batch.run_id, target / 100)
        except LoupeError as exc:
            self.tell(str(exc))
            return
        self.threshold.setValue(round(choice.threshold * 100))  # whole percents, as the box holds
        self.threshold.setToolTip(choice.sentence)
        self.review.setChecked(True)
        self.tell(choice.sentence)

    def _confirm(self, question: str) -> bool:
        from PySide6.QtWidgets import QMessageBox

        return QMessageBox.question(self, self.tr("Delete the batch?"), question) == QMessageBox.StandardButton.Yes

    def on_table_opened(self, index: QModelIndex) -> None:
        result = index.data(ResultRole)
        if result is not None:
            self.resultOpened.emit(result, self.model.batch.run_id if self.model.batch else None)

    def _update_buttons(self, *_) -> None:
        """On every selection change: cheap (the counts are made when rows or filters change)."""
        writable = not self.project.read_only
        self.accept_button.setEnabled(writable and bool(self.table.selectionModel().hasSelection()))
        self.export_button.setEnabled(self.batch_id is not None)
        self.delete_button.setEnabled(writable and self.batch_id is not None)
        self.error_rate_button.setEnabled(self.model.batch is not None and self.model.batch.run_id is not None)

    def _update_counts(self) -> None:
        batch = self.model.batch
        if batch is None:
            self.count.setText(
                self.tr("No batch yet: drop images with a trained model, or File ▸ Classify images… (Ctrl+Shift+K)")
            )
            return
        shown = self.model.rowCount()
        review = self.model.review_count()
        accepted = self.model.accepted_count
        total = len(self.model.rows)
        parts = [
            self.tr("{shown} of {total} shown").format(shown=shown, total=total)
            if shown != total
            else self.tr("{total} results").format(total=total),
            self.tr("{count} below {threshold}").format(count=review, threshold=f"{self.model.review_below:.0%}"),
        ]  # accepted or not
        if accepted:
            parts.append(self.tr("{count} accepted").format(count=accepted))
        if batch.failed:
            parts.append(self.tr("{count} not read").format(count=batch.failed))
        if batch.status == "cancelled":
            parts.append(
                self.tr("cancelled after {done} of {total}").format(
                    done=batch.classified + batch.failed, total=batch.total
                )
            )
        self.count.setText(" · ".join(parts))

    def shut_down(self) -> None:
        self.loader.stop()


def batch_title(batch: BatchInfo) -> str:
    """One line for the picker, in the window's language: 'Batch 3 · 11-29 15:02 · 240 images ·
    run 2 (cancelled)' (the core's `BatchInfo.title`, which the command line prints)."""
    when = batch.created_at[5:16].replace("T", " ")  # month-day hour:minute (UTC)
    done = batch.classified + batch.failed
    cancelled = batch.status == "cancelled"
    parts = [
        QCoreApplication.translate("BatchResultsPanel", "Batch {id}").format(id=batch.id),
        when,
        QCoreApplication.translate("BatchResultsPanel", "{done} of {total} images").format(done=done, total=batch.total)
        if cancelled
        else QCoreApplication.translate("BatchResultsPanel", "{count} images").format(count=done),
    ]
    if batch.run_id is not None:
        parts.append(QCoreApplication.translate("BatchResultsPanel", "run {id}").format(id=batch.run_id))
    title = " · ".join(parts)
    return (
        QCoreApplication.translate("BatchResultsPanel", "{title} (cancelled)").format(title=title)
        if cancelled
        else title
    )


def selected_rows(table) -> np.ndarray:
    """The rows the table's selection holds, ascending, read from the selection's ranges: not
    from `selectedRows()`, one index per row (about a second for 100,000 selected results)."""
    selected = np.zeros(table.model().rowCount(), bool)
    for part in table.selectionModel().selection():
        selected[part.top() : part.bottom() + 1] = True
    return np.flatnonzero(selected)


def selected_ids(table, model: BatchResultsModel) -> list[int]:
    """The selected results' ids, in row order."""
    return model.prepared.ids[model.visible[selected_rows(table)]].tolist()


def select_ids(table, model: BatchResultsModel, result_ids) -> None:
    """Select exactly these results (those shown)."""
    select_rows(table, model, model.shown_at()[model.prepared.rows_of(result_ids)])


def select_rows(table, model: BatchResultsModel, rows: np.ndarray) -> None:
    """Select exactly these rows (-1s left out), one range per run of consecutive rows: a range
    per row took 43 s for 100,000 (`bench/results_view.py`)."""
    chosen = np.zeros(model.rowCount(), bool)  # in order without sorting: a mask over the rows
    chosen[rows[rows >= 0]] = True
    rows = np.flatnonzero(chosen)
    selection = QItemSelection()
    last_column = len(COLUMNS) - 1
    for first, last in _runs(rows):
        selection.select(model.index(first, 0), model.index(last, last_column))
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    table.selectionModel().select(selection, flags)


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """Ascending row numbers as (first, last) runs of consecutive rows."""
    if not len(rows):
        return []
    breaks = np.flatnonzero(np.diff(rows) != 1)
    firsts = np.concatenate(([rows[0]], rows[breaks + 1]))
    lasts = np.concatenate((rows[breaks], [rows[-1]]))
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))
