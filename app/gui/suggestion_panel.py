"""The Suggest tab beside Classes in the Label workspace's side column: how suggestions are chosen (the strategy, each with its one-line
explanation), Label next suggestions, image features being computed (progress and Cancel), how
many labels since the last refresh, and "Am I done?": the estimated accuracy as labels grew (the
refreshes' estimates and the training runs' validation accuracy) with the stopping sentence.

A view only: it shows what the `SuggestionController` says and hands it the user's choices."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.active.acquisition import STRATEGIES
from app.gui.active_learning import REFRESH_EVERY, LearningProgress, SuggestionController
from app.gui.i18n import core_text
from app.gui.learning_curve_plot import LearningCurvePlot


def _labels(n: int) -> str:
    """ "1 label", "12 labels", in the window's language."""
    if n == 1:
        return QCoreApplication.translate("SuggestionPanel", "1 label")
    return QCoreApplication.translate("SuggestionPanel", "{n} labels").format(n=f"{n:,}")


def labels_since_text(count: int) -> str:
    return QCoreApplication.translate(
        "SuggestionPanel", "{labels} since the last refresh · refreshes every {every} labels"
    ).format(labels=_labels(count), every=REFRESH_EVERY)


def accuracy_text(progress: LearningProgress) -> str:
    """The latest estimate in words (the core's reason while there is none, in English)."""
    if not progress.history:
        return progress.missing or QCoreApplication.translate("SuggestionPanel", "No accuracy estimate yet.")
    latest = max(progress.history, key=lambda p: (p.labels, p.kind == "run"))
    n = latest.validation_images
    if n == 1:
        checked = QCoreApplication.translate("SuggestionPanel", "1 labelled image set aside for checking")
    else:
        checked = QCoreApplication.translate("SuggestionPanel", "{n} labelled images set aside for checking").format(
            n=f"{n:,}"
        )
    if latest.kind == "refresh":
        where = QCoreApplication.translate("SuggestionPanel", "estimated on {checked}").format(checked=checked)
    elif n:
        where = QCoreApplication.translate("SuggestionPanel", "training run {run}, checked on {checked}").format(
            run=latest.run_id, checked=checked
        )
    else:
        where = QCoreApplication.translate("SuggestionPanel", "training run {run}").format(run=latest.run_id)
    if latest.kind == "refresh" and n < 30:
        where += QCoreApplication.translate("SuggestionPanel", "; few images, so a rough figure")
    return QCoreApplication.translate("SuggestionPanel", "Accuracy {accuracy} with {labels} ({where}).").format(
        accuracy=f"{latest.accuracy:.0%}", labels=_labels(latest.labels), where=where
    )


def changed_text(share: float | None) -> str:
    if share is None:
        return ""
    if share == 0:
        return QCoreApplication.translate("SuggestionPanel", "At the last refresh no predicted class changed.")
    return QCoreApplication.translate(
        "SuggestionPanel", "At the last refresh the predicted class changed for {share} of the unlabelled images."
    ).format(share=f"{share:.1%}")


class SuggestionPanel(QWidget):
    opened = Signal()  # shown for the first time: suggestions are asked for

    def __init__(self, controller: SuggestionController, parent=None):
        super().__init__(parent)
        self.controller = controller
        self._opened = False
        left = QWidget(self)
        self.strategy_box = QComboBox(left, toolTip=self.tr("How the next images to label are chosen"))
        self.strategy_box.setObjectName("suggestStrategy")
        for name, strategy in STRATEGIES.items():
            self.strategy_box.addItem(core_text(strategy.title), name)
            self.strategy_box.setItemData(
                self.strategy_box.count() - 1, core_text(strategy.explanation), Qt.ItemDataRole.ToolTipRole
            )
        self.explanation = QLabel(left, wordWrap=True)
        self.explanation.setObjectName("suggestExplanation")
        self.label_button = QPushButton(self.tr("Label next suggestions  (N)"), left)
        self.label_button.setToolTip(
            self.tr(
                "Show the suggested images in the grid, the first one selected: label it with "
                "its class key and the next suggestion follows."
            )
        )
        self.label_button.setDefault(True)
        self.progress = QProgressBar(left)
        self.progress.setFormat(self.tr("Image features: %v of %m"))
        self.cancel_button = QPushButton(self.tr("Cancel"), left)
        self.cancel_button.setToolTip(self.tr("Stop computing image features (those computed are kept)"))
        self.status = QLabel(controller.status, left, wordWrap=True)
        self.status.setObjectName("suggestStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count = QLabel(labels_since_text(controller.labels_since), left)
        strategy_row = QHBoxLayout()
        strategy_row.addWidget(QLabel(self.tr("Suggest:"), left))
        strategy_row.addWidget(self.strategy_box, 1)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        column = QVBoxLayout(left)
        column.setContentsMargins(4, 4, 4, 4)
        column.addLayout(strategy_row)
        column.addWidget(self.explanation)
        column.addWidget(self.label_button)
        column.addLayout(progress_row)
        column.addWidget(self.status)
        column.addWidget(self.count)

        self.done_box = QGroupBox(self.tr("Am I done?"), self)
        self.plot_area = QVBoxLayout()
        self.plot_area.setContentsMargins(0, 0, 0, 0)
        self.plot: LearningCurvePlot | None = None  # built when first shown (pyqtgraph costs tens of ms)
        self.accuracy = QLabel("", self.done_box, wordWrap=True)
        self.changed = QLabel("", self.done_box, wordWrap=True)
        self.advice = QLabel("", self.done_box, wordWrap=True)
        self.advice.setObjectName("suggestAdvice")
        font = self.advice.font()
        font.setBold(True)
        self.advice.setFont(font)
        words = QVBoxLayout()
        for label in (self.advice, self.accuracy, self.changed):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            words.addWidget(label)
        done = QVBoxLayout(self.done_box)  # a narrow column: the words above their curve
        done.setContentsMargins(6, 4, 6, 4)
        done.addLayout(words)
        done.addLayout(self.plot_area, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(left)
        layout.addWidget(self.done_box, 1)

        self._show_strategy(controller.strategy)
        self.strategy_box.activated.connect(self.on_strategy_box_activated)
        self.label_button.clicked.connect(controller.label_next)
        self.cancel_button.clicked.connect(controller.cancel_features)
        controller.statusChanged.connect(self.status.setText)
        controller.strategyChanged.connect(self._show_strategy)
        controller.featuresStarted.connect(lambda: self._show_features(True))
        controller.featuresEnded.connect(lambda: self._show_features(False))
        controller.featuresProgressed.connect(self.on_controller_features_progressed)
        controller.labelsCounted.connect(lambda count: self.count.setText(labels_since_text(count)))
        controller.refreshed.connect(self.on_controller_refreshed)
        controller.progressRead.connect(self.show_progress)
        self.opened.connect(controller.on_panel_opened)
        self._show_features(controller.computing_features)

    def _show_strategy(self, name: str) -> None:
        self.strategy_box.setCurrentIndex(self.strategy_box.findData(name))
        self.explanation.setText(core_text(STRATEGIES[name].explanation))

    def _show_features(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        if running:
            self.progress.setRange(0, 0)  # busy until the first count arrives

    def on_strategy_box_activated(self, index: int) -> None:
        name = self.strategy_box.itemData(index)
        self.explanation.setText(core_text(STRATEGIES[name].explanation))
        self.controller.set_strategy(name)
        self.controller.keys_to_queue()

    def on_controller_features_progressed(self, event) -> None:
        self.progress.setRange(0, max(event.total, 1))
        self.progress.setValue(event.done)

    def on_controller_refreshed(self, refresh) -> None:
        self.changed.setText(changed_text(refresh.changed_share))

    def show_progress(self, progress: LearningProgress) -> None:
        self.advice.setText(progress.advice.sentence)
        self.accuracy.setText(accuracy_text(progress))
        if self.plot is not None:
            self.plot.show_history(progress.history)
        self._history = progress.history

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.plot is None:
            self.plot = LearningCurvePlot(self.done_box)
            self.plot_area.addWidget(self.plot)
            self.plot.show_history(getattr(self, "_history", []))
        if not self._opened:
            self._opened = True
            self.controller.read_progress()
            self.opened.emit()
