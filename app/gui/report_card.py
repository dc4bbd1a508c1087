"""A run's report card: per-class precision, recall, F1 and support; the confusion matrix as a
heatmap whose cells open those validation images in the grid; the validation images the model
got most confidently wrong; what the model costs (weights trained, size, memory, speed) and
what the run noticed (images skipped, batch halved)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
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
from app.gui.reliability_diagram import ReliabilityDiagram

MOST_WRONG = 12
#: Thumbnails beside the most confidently wrong images: enough to recognise the image.
WRONG_ICON = QSize(56, 56)


def _fit_rows(table: QTableWidget) -> None:
    """Make a table as tall and wide as its content, so the scroll area around the report
    scrolls instead of each table clipping its last rows and columns."""
    table.resizeColumnsToContents()
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
    table.setFixedHeight(height + 2 * table.frameWidth() + 2)


class ReportCard(QWidget):
    imagesRequested = Signal(tuple, str)  # image ids, title ("true cat, predicted dog")
    thumbnailWanted = Signal(int)  # image id of a most-wrong image (the window's loader answers)

    def __init__(self, parent=None, openable: bool = True):
        super().__init__(parent)
        self.summary = QLabel("Select a finished run to see its report card.", self)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button = QPushButton("Open in a window", self, objectName="openReportButton", visible=False)
        self.open_button.setToolTip("The whole report card at full size, beside the window")
        self.open_button.clicked.connect(self.open_window)
        self.windows: list[ReportWindow] = []
        self.cost = QLabel("", self, objectName="runCost")
        self.cost.setWordWrap(True)
        self.cost.setToolTip(
            "Weights trained of all the weights, size of the saved model, peak memory while "
            "training, and time to classify an image afterwards"
        )
        self.per_class = QTableWidget(0, 4, self)
        self.per_class.setHorizontalHeaderLabels(["Precision", "Recall", "F1", "Support"])
        self.per_class.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.confusion = QTableWidget(0, 0, self)
        self.confusion.setObjectName("confusionMatrix")
        self.confusion.setToolTip("Rows: true class; columns: predicted class. Click a cell to see those images.")
        self.confusion.cellClicked.connect(self.on_confusion_cell_clicked)
        self.wrong = QListWidget(self)
        self.wrong.setIconSize(WRONG_ICON)
        self.wrong.itemActivated.connect(
            lambda item: self.imagesRequested.emit((item.data(Qt.ItemDataRole.UserRole),), item.text())
        )
        tables_area = QWidget(self)
        tables = QVBoxLayout(tables_area)
        tables.setContentsMargins(0, 0, 0, 0)
        tables.addWidget(QLabel("Per class (validation images)"))
        tables.addWidget(self.per_class)
        tables.addWidget(QLabel("Confusion matrix — rows: true, columns: predicted"))
        tables.addWidget(self.confusion)
        self.calibration = QLabel("", self, objectName="calibrationSummary")
        self.calibration.setWordWrap(True)
        self.reliability = ReliabilityDiagram(self)
        tables.addWidget(self.calibration)
        tables.addWidget(self.reliability)
        tables.addStretch(1)
        scroller = QScrollArea(self)  # the tables keep their size; a short dock scrolls them
        scroller.setWidget(tables_area)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)
        side = QVBoxLayout()
        side.addWidget(QLabel("Most confidently wrong (double-click to show)"))
        side.addWidget(self.wrong)
        row = QHBoxLayout()
        row.addWidget(scroller, 3)
        row.addLayout(side, 2)
        self.wrong.setWordWrap(True)
        heading = QHBoxLayout()
        heading.addWidget(self.summary, 1)
        heading.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(heading)
        layout.addWidget(self.cost)
        layout.addLayout(row, 1)
        self.openable = openable
        self.title = "the selected run"  # what the run is called in the window's title
        self.report: dict | None = None
        self.names: list[str] = []
        self._shown_with: tuple = (None, {}, None, ())

    def show_report(
        self,
        report: dict | None,
        paths: dict[int, str] | None = None,
        cost: dict | None = None,
        notices: list[str] = (),
    ) -> None:
        self.report = report
        self._shown_with = (report, paths or {}, cost, tuple(notices))
        self.open_button.setVisible(self.openable and bool(report))
        augmentation = (report or {}).get("augmentation")
        lines = (
            ([f"Cost: {describe_cost(cost)}"] if cost else [])
            + ([f"Augmentation: {augmentation}"] if augmentation else [])
            + list(notices)
        )
        self.cost.setText("\n".join(lines))
        self.cost.setVisible(bool(lines))
        self.per_class.setRowCount(0)
        self.confusion.setRowCount(0)
        self.confusion.setColumnCount(0)
        self.wrong.clear()
        self._show_calibration((report or {}).get("calibration"))
        if not report:
            self.summary.setText("This run has no report (no validation images, or it did not finish).")
            return
        self.names = [c["name"] for c in report["classes"]]
        total = sum(c["support"] for c in report["classes"])
        low, high = wilson_interval(round(report["accuracy"] * total), total)
        self.summary.setText(
            f"Accuracy {report['accuracy']:.1%} (95 % interval {low:.0%}–{high:.0%}) · macro-F1 "
            f"{report['macro_f1']:.3f} — on {total} validation images, best epoch {report.get('best_epoch', '?'):g}"
            + (": few images, so the score is rough; label more to narrow it" if total < 50 else "")
        )
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
            text = (
                f"Confidence {calibration['note']}. Calibration error on the validation images: "
                f"{calibration['ece_before']:.1%}."
            )
        else:
            text = (
                f"Confidence calibrated on the {calibration['images']} validation images (temperature "
                f"{calibration['temperature']:.2f}): the average gap between how sure the model says it is "
                f"and how often it is right went from {calibration['ece_before']:.1%} to {calibration['ece_after']:.1%}."
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
                    f"true {self.names[true]}, predicted {self.names[predicted]}: {count} ({count / support:.0%} of the class)"
                )
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.confusion.setItem(true, predicted, item)

    def _fill_wrong(self, predictions: list[dict], paths: dict[int, str]) -> None:
        wrong = sorted((p for p in predictions if p["label"] != p["predicted"]), key=lambda p: -p["confidence"])
        for p in wrong[:MOST_WRONG]:
            name = paths.get(p["image_id"], f"image {p['image_id']}")
            item = QListWidgetItem(
                f"{name}: true {self.names[p['label']]}, predicted {self.names[p['predicted']]} ({p['confidence']:.0%})"
            )
            item.setData(Qt.ItemDataRole.UserRole, p["image_id"])
            item.setToolTip(name)
            self.wrong.addItem(item)
            self.thumbnailWanted.emit(p["image_id"])
        if not wrong:
            self.wrong.addItem("No validation image was misclassified.")

    def images_in_cell(self, true: int, predicted: int) -> tuple[int, ...]:
        predictions = (self.report or {}).get("val_predictions", [])
        return tuple(p["image_id"] for p in predictions if p["label"] == true and p["predicted"] == predicted)

    def on_confusion_cell_clicked(self, row: int, column: int) -> None:
        ids = self.images_in_cell(row, column)
        if ids:
            self.imagesRequested.emit(ids, f"true {self.names[row]}, predicted {self.names[column]}")

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
        self.setWindowTitle(f"Report card — {title}")
        self.card = ReportCard(self, openable=False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.card)
        self.resize(1100, 760)
