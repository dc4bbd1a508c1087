"""A run's report card: per-class precision, recall, F1 and support; the confusion matrix as a
heatmap whose cells open those validation images in the grid; the validation images the model
got most confidently wrong; what the model costs (weights trained, size, memory, speed) and
what the run noticed (images skipped, batch halved). Each number comes with a few plain words
(what macro-F1 and the 95 % interval mean, the cost in everyday units) and more on hover; a run
without a report says why (the reason it failed, that it was cancelled)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.training.cost import describe as describe_cost
from app.core.training.metrics import wilson_interval
from app.gui.i18n import size_text
from app.gui.layouts import fit_to_screen
from app.gui.reliability_diagram import ReliabilityDiagram
from app.gui.run_words import augmentation_in_words, origin_in_words

MOST_WRONG = 12
#: Thumbnails beside the most confidently wrong images: enough to recognise the image.
WRONG_ICON = QSize(56, 56)
#: Below this many validation images the summary says the score is rough.
FEW_IMAGES = 50
#: What the summary's terms mean, for whoever hovers over it.
SUMMARY_TIP = QT_TRANSLATE_NOOP(
    "ReportCard",
    "Accuracy: the share of the validation images (labelled images kept out of training) the model "
    "got right.\n95 % interval: the range the true accuracy on new images of the same kind likely lies "
    "in, given how few validation images measured it; more labels narrow it.\nMacro-F1: how well each "
    "class is found (F1: the balance of not missing a class's images and not calling others by its name), "
    "averaged over the classes, so a rare class counts as much as a common one; 1 is perfect.",
)
COST_TIP = QT_TRANSLATE_NOOP(
    "ReportCard",
    "What the model costs: the share of its weights this run trained, its size on disk, the most memory "
    "training took, and the time to classify one image afterwards (alone, and in batches of 32).\n",
)


def _heading(text: str) -> QLabel:
    """A table's title, wrapped: the tables' column can be narrower than its line."""
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def plain_cost(cost: dict) -> str:
    """The cost in plain words, short: "Cost: 0.0018 % of weights trained · 12 kB on disk ·
    1.2 GB memory · 12.3 ms an image (cpu)" (the tooltip has it in full)."""
    parts = []
    params = cost.get("parameters")
    if params:
        percent = params["trainable_share"] * 100
        shown = f"{percent:.2g}" if percent < 10 else f"{percent:.0f}"
        parts.append(QCoreApplication.translate("ReportCard", "{percent} % of weights trained").format(percent=shown))
    if cost.get("saved_bytes") is not None:
        parts.append(
            QCoreApplication.translate("ReportCard", "{size} on disk").format(size=size_text(int(cost["saved_bytes"])))
        )
    memory = cost.get("peak_memory")
    if memory:
        parts.append(
            QCoreApplication.translate("ReportCard", "{size} memory").format(size=size_text(int(memory["bytes"])))
        )
    latency = {str(batch): ms for batch, ms in (cost.get("latency_ms_per_image") or {}).items()}
    if latency:
        batch, ms = ("1", latency["1"]) if "1" in latency else next(iter(latency.items()))
        batches = QCoreApplication.translate("ReportCard", "batches of {size}").format(size=batch)
        notes = ([batches] if batch != "1" else []) + ([cost["device"]] if cost.get("device") else [])
        speed = QCoreApplication.translate("ReportCard", "{ms} ms an image").format(ms=f"{ms:.3g}")
        parts.append(speed + (f" ({', '.join(notes)})" if notes else ""))
    if not parts:
        return ""
    return QCoreApplication.translate("ReportCard", "Cost: {parts}").format(parts=" · ".join(parts))


def _sentence(text: str) -> str:
    """A message from the core as a sentence: capital first, full stop last."""
    text = text.strip()
    if not text:
        return ""
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def no_report_text(status: str, message: str) -> str:
    """Why a run has no report card, in plain words, from how it ended."""
    if status == "failed":
        reason = message.strip().rstrip(".")
        if reason:
            return QCoreApplication.translate("ReportCard", "This run failed: {reason}. It has no report.").format(
                reason=reason
            )
        return QCoreApplication.translate("ReportCard", "This run failed. It has no report.")
    if status == "cancelled":
        cancelled = message.strip().startswith("cancelled")  # the core's words: "cancelled after 3 epochs"
        how = message.strip() if cancelled else QCoreApplication.translate("RunStatus", "cancelled")
        return QCoreApplication.translate(
            "ReportCard", "This run was {how}, before it finished, so it has no report."
        ).format(how=how.rstrip("."))
    if status == "running":
        return QCoreApplication.translate("ReportCard", "This run is still training: its report comes when it ends.")
    return QCoreApplication.translate(
        "ReportCard",
        "This run has no report: it had no validation images to check the model on "
        "(label more images so that some can be held out).",
    ) + (f" {_sentence(message)}" if message.strip() else "")


def _fit_rows(table: QTableWidget) -> None:
    """Make a table as tall and wide as its content, so the scroll area around the report
    scrolls instead of each table clipping its last rows and columns."""
    table.resizeColumnsToContents()
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


def summary_text(report: dict, total: int) -> str:
    """The scores, each with a few plain words: "Accuracy 85.0% on 20 validation images, likely
    64–95 % (95 % interval) · macro-F1 0.800 (how well each class is found, on average) · best
    epoch 3." and, on few images, that the score is rough (SUMMARY_TIP says more)."""
    low, high = wilson_interval(round(report["accuracy"] * total), total)
    best = report.get("best_epoch")
    best_epoch = (
        QCoreApplication.translate("ReportCard", " · best epoch {epoch}").format(epoch=f"{best:g}")
        if isinstance(best, (int, float))
        else ""
    )
    text = QCoreApplication.translate(
        "ReportCard",
        "Accuracy {accuracy} on {count} validation images, likely {low}–{high} (95 % interval) · "
        "macro-F1 {f1} (how well each class is found, on average){best_epoch}.",
    ).format(
        accuracy=f"{report['accuracy']:.1%}",
        count=total,
        low=f"{low:.0%}",
        high=f"{high:.0%}",
        f1=f"{report['macro_f1']:.3f}",
        best_epoch=best_epoch,
    )
    if total < FEW_IMAGES:
        text += QCoreApplication.translate("ReportCard", " Few images, so label more to narrow the range.")
    return text


class ReportCard(QWidget):
    imagesRequested = Signal(tuple, str)  # image ids, title ("true cat, predicted dog")
    thumbnailWanted = Signal(int)  # image id of a most-wrong image (the window's loader answers)

    def __init__(self, parent=None, openable: bool = True):
        super().__init__(parent)
        self.summary = QLabel(self.tr("Select a finished run to see its report card."), self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton(self.tr("Open in a window"), self, objectName="openReportButton", visible=False)
        self.open_button.setToolTip(self.tr("The whole report card at full size, beside the window"))
        self.open_button.clicked.connect(self.open_window)
        self.windows: list[ReportWindow] = []
        self.summary.setObjectName("reportSummary")
        self.cost = QLabel("", self, objectName="runCost")
        self.cost.setWordWrap(True)
        self.cost.setToolTip(self.tr(COST_TIP))
        self.per_class = QTableWidget(0, 4, self)
        self.per_class.setHorizontalHeaderLabels(
            [self.tr("Precision"), self.tr("Recall"), self.tr("F1"), self.tr("Support")]
        )
        self.per_class.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion = QTableWidget(0, 0, self)
        self.confusion.setObjectName("confusionMatrix")
        self.confusion.setToolTip(
            self.tr("Rows: true class; columns: predicted class. Click a cell to see those images.")
        )
        self.confusion.cellClicked.connect(self.on_confusion_cell_clicked)
        self.wrong = QListWidget(self)
        self.wrong.setIconSize(WRONG_ICON)
        self.wrong.itemActivated.connect(
            lambda item: self.imagesRequested.emit((item.data(Qt.ItemDataRole.UserRole),), item.text())
        )
        tables_area = QWidget(self)
        tables = QVBoxLayout(tables_area)
        tables.setContentsMargins(0, 0, 0, 0)
        tables.addWidget(_heading(self.tr("Per class (validation images)")))
        tables.addWidget(self.per_class)
        tables.addWidget(_heading(self.tr("Confusion matrix — rows: true, columns: predicted")))
        tables.addWidget(self.confusion)
        self.calibration = QLabel("", self, objectName="calibrationSummary")
        self.calibration.setWordWrap(True)
        self.reliability = ReliabilityDiagram(self)
        tables.addWidget(self.calibration)
        tables.addWidget(self.reliability)
        self._show_calibration(None)  # until a report with a calibration is shown
        tables.addStretch(1)
        scroller = QScrollArea(self)  # the tables keep their size; a short dock scrolls them
        scroller.setWidget(tables_area)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        side = QVBoxLayout()
        side.addWidget(QLabel(self.tr("Most confidently wrong (double-click to show)")))
        side.addWidget(self.wrong)
        #: The tables and the list of wrong images: hidden for a run without a report.
        self.body = QWidget(self)
        row = QHBoxLayout(self.body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(scroller, 3)
        row.addLayout(side, 2)
        self.wrong.setWordWrap(True)
        heading = QHBoxLayout()  # a host may move the button elsewhere (the Runs tab: its tab bar)
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(heading)
        layout.addWidget(self.cost)
        layout.addWidget(self.body, 1)
        layout.addStretch(0)
        self.openable = openable
        self.title = self.tr("the selected run")  # what the run is called in the window's title
        self.report: dict | None = None
        self.names: list[str] = []
        self._shown_with: tuple = (None, {}, None, (), "done", "")

    def show_report(
        self,
        report: dict | None,
        paths: dict[int, str] | None = None,
        cost: dict | None = None,
        notices: list[str] = (),
        status: str = "done",
        message: str = "",
    ) -> None:
        """A run's report; without one, why not in plain words (from the run's `status` and
        `message`: the reason it failed, that it was cancelled)."""
        self.report = report
        self._shown_with = (report, paths or {}, cost, tuple(notices), status, message)
        self.open_button.setVisible(self.openable and bool(report))
        self.body.setVisible(bool(report))
        augmentation = (report or {}).get("augmentation")
        origin = origin_in_words((report or {}).get("backbone"))
        lines = (
            ([origin] if origin else [])
            + ([plain_cost(cost)] if cost and plain_cost(cost) else [])
            + (
                [self.tr("Augmentation: {augmentation}").format(augmentation=augmentation_in_words(augmentation))]
                if augmentation
                else []
            )
            + list(notices)
        )
        self.cost.setText("\n".join(lines))
        self.cost.setVisible(bool(lines))
        in_full = "\n" + self.tr("In full: {cost}").format(cost=describe_cost(cost)) if cost else ""
        self.cost.setToolTip(self.tr(COST_TIP) + in_full)
        self.per_class.setRowCount(0)
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.wrong.clear()
        self._show_calibration((report or {}).get("calibration"))
        if not report:
            self.summary.setText(no_report_text(status, message))
            self.summary.setToolTip("")
            return
        self.names = [c["name"] for c in report["classes"]]
        total = sum(c["support"] for c in report["classes"])
        self.summary.setText(summary_text(report, total))
        self.summary.setToolTip(self.tr(SUMMARY_TIP))
        self.per_class.setRowCount(len(self.names))
        self.per_class.setVerticalHeaderLabels(self.names)
        for row, entry in enumerate(report["classes"]):
            for column, key in enumerate(("precision", "recall", "f1", "support")):
                text = str(entry[key]) if key == "support" else f"{entry[key]:.3f}"
                self.per_class.setItem(row, column, QTableWidgetItem(text))
        _fit_rows(self.per_class)
        self._fill_confusion(report["confusion_matrix"])
        _fit_rows(self.confusion)
        self._fill_wrong(report.get("val_predictions", []), paths or {})

    def _show_calibration(self, calibration: dict | None) -> None:
        """How far the model's confidence was from its accuracy, before and after calibration."""
        self.calibration.setVisible(calibration is not None)
        self.reliability.setVisible(calibration is not None)
        if calibration is None:
            return
        if calibration.get("note"):
            text = self.tr("Confidence {note}. Calibration error on the validation images: {error}.").format(
                note=calibration["note"], error=f"{calibration['ece_before']:.1%}"
            )
        else:
            text = self.tr(
                "Confidence calibrated on the {count} validation images (temperature {temperature}): the average "
                "gap between how sure the model says it is and how often it is right went from {before} to {after}."
            ).format(
                count=calibration["images"],
                temperature=f"{calibration['temperature']:.2f}",
                before=f"{calibration['ece_before']:.1%}",
                after=f"{calibration['ece_after']:.1%}",
            )
        self.calibration.setText(text)
        self.reliability.set_bins(calibration["reliability_before"], calibration["reliability_after"])

    def _fill_confusion(self, matrix: list[list[int]]) -> None:
        size = len(self.names)
        self.confusion.setRowCount(size)
        self.confusion.setColumnCount(size)
        self.confusion.setHorizontalHeaderLabels(self.names)
        self.confusion.setVerticalHeaderLabels(self.names)
        peak = max((max(row) for row in matrix), default=0) or 1
        for true, row in enumerate(matrix):
            support = sum(row) or 1
            for predicted, count in enumerate(row):
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                strength = int(40 + 180 * count / peak)
                hue = (
                    QColor(60, 140, 90, strength)
                    if true == predicted
                    else QColor(210, 70, 60, strength if count else 0)
                )
                item.setBackground(hue)
                item.setToolTip(
                    self.tr("true {true}, predicted {predicted}: {count} ({share} of the class)").format(
                        true=self.names[true],
                        predicted=self.names[predicted],
                        count=count,
                        share=f"{count / support:.0%}",
                    )
                )
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.confusion.setItem(true, predicted, item)

    def _fill_wrong(self, predictions: list[dict], paths: dict[int, str]) -> None:
        wrong = sorted((p for p in predictions if p["label"] != p["predicted"]), key=lambda p: -p["confidence"])
        for p in wrong[:MOST_WRONG]:
            name = paths.get(p["image_id"]) or self.tr("image {id}").format(id=p["image_id"])
            item = QListWidgetItem(
                self.tr("{image}: true {true}, predicted {predicted} ({confidence})").format(
                    image=name,
                    true=self.names[p["label"]],
                    predicted=self.names[p["predicted"]],
                    confidence=f"{p['confidence']:.0%}",
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, p["image_id"])
            item.setToolTip(name)
            self.wrong.addItem(item)
            self.thumbnailWanted.emit(p["image_id"])
        if not wrong:
            self.wrong.addItem(self.tr("No validation image was misclassified."))

    def images_in_cell(self, true: int, predicted: int) -> tuple[int, ...]:
        predictions = (self.report or {}).get("val_predictions", [])
        return tuple(p["image_id"] for p in predictions if p["label"] == true and p["predicted"] == predicted)

    def on_confusion_cell_clicked(self, row: int, column: int) -> None:
        ids = self.images_in_cell(row, column)
        if ids:
            self.imagesRequested.emit(
                ids,
                self.tr("true {true}, predicted {predicted}").format(
                    true=self.names[row], predicted=self.names[column]
                ),
            )

    def on_thumbnail_loaded(self, image_id: int, image: QImage) -> None:
        """A thumbnail the window's loader made: shown beside that most-wrong image, if listed."""
        for row in range(self.wrong.count()):
            item = self.wrong.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == image_id:
                scaled = image.scaled(
                    WRONG_ICON, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
                item.setIcon(QPixmap.fromImage(scaled))
        for window in self.windows:
            window.card.on_thumbnail_loaded(image_id, image)

    def open_window(self) -> ReportWindow:
        window = ReportWindow(self.title, self)
        window.card.imagesRequested.connect(self.imagesRequested)
        window.card.thumbnailWanted.connect(self.thumbnailWanted)
        window.card.show_report(*self._shown_with)
        window.finished.connect(lambda _: self.windows.remove(window) if window in self.windows else None)
        self.windows.append(window)
        window.show()
        return window


class ReportWindow(QDialog):
    """The report card at full size, beside the main window (not modal: the grid stays usable
    while the user reads it and double-clicks wrong images)."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Report card — {run}").format(run=title))
        self.card = ReportCard(self, openable=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        fit_to_screen(self, 1100, 760)
