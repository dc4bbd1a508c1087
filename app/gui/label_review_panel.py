"""The Check labels tab beside Classes and Suggest: Check labels (progress and Cancel), the
queue of labels that look wrong (most suspicious first), and the current one in words — its given
label, the suggested one and how sure the model was — with Keep (K) and Change (C or Enter);
← and → skip. A view only: the `LabelReviewController` does the work."""

from __future__ import annotations

import os

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.quality.label_errors import CheckProgress, LabelCheck, LabelIssue
from app.gui.label_review import CHANGED, KEPT, OPEN, RELABELLED, LabelReviewController
from app.gui.workspaces import LABEL

INTRO = QT_TRANSLATE_NOOP(
    "LabelReviewPanel",
    "Labels that look wrong, most suspicious first: each image is scored by a model fitted without it "
    "(5 folds on the image features). Keep a right label, or change it to the suggestion.",
)
MARKS = {
    OPEN: "",
    KEPT: QT_TRANSLATE_NOOP("LabelReviewPanel", "✓ kept"),
    CHANGED: QT_TRANSLATE_NOOP("LabelReviewPanel", "✎ changed"),
    RELABELLED: QT_TRANSLATE_NOOP("LabelReviewPanel", "✎ relabelled"),
}


def summary_text(result: LabelCheck) -> str:
    issues, checked = len(result.issues), result.checked
    labels = (
        QCoreApplication.translate("LabelReviewPanel", "1 label")
        if issues == 1
        else QCoreApplication.translate("LabelReviewPanel", "{count} labels").format(count=f"{issues:,}")
    )
    images = (
        QCoreApplication.translate("LabelReviewPanel", "1 labelled image")
        if checked == 1
        else QCoreApplication.translate("LabelReviewPanel", "{count} labelled images").format(count=f"{checked:,}")
    )
    found = QCoreApplication.translate("LabelReviewPanel", "{labels} to review among {images}").format(
        labels=labels, images=images
    )
    extra = []
    if result.kept:
        extra.append(QCoreApplication.translate("LabelReviewPanel", "{count} kept earlier").format(count=result.kept))
    if result.small_classes:
        extra.append(
            QCoreApplication.translate("LabelReviewPanel", "not checked (too few labels): {classes}").format(
                classes=QCoreApplication.translate("LabelReviewPanel", ", ").join(result.small_classes)
            )
        )
    if result.not_checked:
        extra.append(
            QCoreApplication.translate("LabelReviewPanel", "1 image unreadable")
            if result.not_checked == 1
            else QCoreApplication.translate("LabelReviewPanel", "{count} images unreadable").format(
                count=f"{result.not_checked:,}"
            )
        )
    source = os.path.basename(result.source.rstrip("/")) if os.path.isabs(result.source) else result.source
    extra.append(QCoreApplication.translate("LabelReviewPanel", "features: {source}").format(source=source))
    return " · ".join([found, *extra])


def item_text(issue: LabelIssue, state: str) -> str:
    mark = MARKS[state]
    text = f"{issue.given_name} → {issue.suggested_name}   {issue.score:.0%}"
    return text + "   " + QCoreApplication.translate("LabelReviewPanel", mark) if mark else text


class LabelReviewPanel(QWidget):
    def __init__(self, controller: LabelReviewController, parent=None):
        super().__init__(parent)
        self.setObjectName("labelReview")
        self.controller = controller
        intro = QLabel(self.tr(INTRO), self, wordWrap=True)
        self.check_button = QPushButton(
            self.tr("Check labels"), self, toolTip=self.tr("Rank the labels that look wrong (Ctrl+Shift+L)")
        )
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton(
            self.tr("Cancel"), self, toolTip=self.tr("Stop (image features computed so far are kept)")
        )
        self.status = QLabel(self.tr("Not checked yet."), self, wordWrap=True)
        self.status.setObjectName("labelReviewStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box = QGroupBox("", self)
        self.given = QLabel(self.box, wordWrap=True)
        self.suggested = QLabel(self.box, wordWrap=True)
        self.state = QLabel(self.box, wordWrap=True)
        self.keep_button = QPushButton(self.tr("Keep  (K)"), self.box)
        self.change_button = QPushButton(self.tr("Change  (C)"), self.box)
        self.previous_button = QPushButton(self.tr("← Previous"), self.box)
        self.next_button = QPushButton(self.tr("Skip →"), self.box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.change_button)
        moves = QHBoxLayout()
        moves.addWidget(self.previous_button)
        moves.addWidget(self.next_button)
        inside = QVBoxLayout(self.box)
        for widget in (self.given, self.suggested, self.state):
            inside.addWidget(widget)
        inside.addLayout(buttons)
        inside.addLayout(moves)
        self.queue = QListWidget(self)
        self.queue.setObjectName("labelReviewQueue")
        self.queue.setToolTip(
            self.tr("Given → suggested, and the model's probability of the given label (lower: more doubtful)")
        )
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        running.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(intro)
        layout.addWidget(self.check_button)
        layout.addLayout(running)
        layout.addWidget(self.status)
        layout.addWidget(self.box)
        layout.addWidget(self.queue, 1)
        self._keys()
        self.check_button.clicked.connect(controller.check)
        self.cancel_button.clicked.connect(controller.cancel)
        self.keep_button.clicked.connect(controller.keep)
        self.change_button.clicked.connect(controller.change)
        self.previous_button.clicked.connect(controller.previous)
        self.next_button.clicked.connect(controller.next)
        self.queue.currentRowChanged.connect(self.on_queue_current_row_changed)
        controller.started.connect(self.on_controller_started)
        controller.progressed.connect(self.on_controller_progressed)
        controller.checked.connect(self.on_controller_checked)
        controller.failed.connect(self.status.setText)
        controller.ended.connect(lambda: self._show_running(False))
        controller.currentChanged.connect(self.show_current)
        controller.stateChanged.connect(self.on_controller_state_changed)
        self._show_running(False)
        self.box.setVisible(False)

    def _keys(self) -> None:
        """K keeps, C or Enter changes, ← and → skip: while the keys are with this tab (the grid
        keeps its own keys: 1-9 label, Enter there is the grid's)."""
        for keys, handler, text in (
            ((Qt.Key.Key_K,), self.controller.keep, self.tr("Keep the label")),
            (
                (Qt.Key.Key_C, Qt.Key.Key_Return, Qt.Key.Key_Enter),
                self.controller.change,
                self.tr("Change to the suggestion"),
            ),
            ((Qt.Key.Key_Right,), self.controller.next, self.tr("Skip")),
            ((Qt.Key.Key_Left,), self.controller.previous, self.tr("Previous")),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(key) for key in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(handler)
            self.addAction(action)

    def _show_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.check_button.setEnabled(not running)
        if running:
            self.progress.setRange(0, 0)

    def on_controller_started(self) -> None:
        self._show_running(True)
        self.status.setText(self.tr("Computing image features…"))

    def on_controller_progressed(self, event) -> None:
        self.progress.setRange(0, max(event.total, 1))
        self.progress.setValue(event.done)
        self.status.setText(
            self.tr("Fitting a model for each fold…") if isinstance(event, CheckProgress) else event.text
        )

    def on_controller_checked(self, result: LabelCheck) -> None:
        self.status.setText(summary_text(result))
        self.queue.blockSignals(True)
        self.queue.clear()
        for issue, state in zip(self.controller.issues, self.controller.states, strict=True):
            self.queue.addItem(QListWidgetItem(item_text(issue, state)))
        self.queue.blockSignals(False)
        self.box.setVisible(bool(result.issues))
        if not result.issues:
            self.status.setText(self.tr("No label looks wrong. {summary}").format(summary=summary_text(result)))
        self.setFocus()

    def show_current(self, position: int) -> None:
        issue = self.controller.current
        if issue is None:
            return
        if self.queue.currentRow() != position:
            self.queue.blockSignals(True)
            self.queue.setCurrentRow(position)
            self.queue.blockSignals(False)
        self.box.setTitle(
            self.tr("Label {number} of {count}").format(number=position + 1, count=len(self.controller.issues))
        )
        self.given.setText(
            self.tr("Labelled <b>{name}</b>: the model gave it {score}").format(
                name=issue.given_name, score=f"{issue.score:.0%}"
            )
        )
        self.suggested.setText(
            self.tr("Looks like <b>{name}</b> ({score})").format(
                name=issue.suggested_name, score=f"{issue.suggested_probability:.0%}"
            )
        )
        self.keep_button.setText(self.tr("Keep {name}  (K)").format(name=issue.given_name))
        self.change_button.setText(self.tr("Change to {name}  (C)").format(name=issue.suggested_name))
        self._show_state(position)

    def _show_state(self, position: int) -> None:
        state = self.controller.states[position]
        names = {c.id: c.name for c in self.controller.session.classes}
        now = names.get(self.controller.now[position]) or self.tr("no class")
        texts = {
            OPEN: "",
            KEPT: self.tr("Kept."),
            CHANGED: self.tr("Changed to {name} (Ctrl+Z takes it back).").format(name=now),
            RELABELLED: self.tr("Now {name}.").format(name=now),
        }
        self.state.setText(texts[state])

    def on_controller_state_changed(self, position: int) -> None:
        self.queue.item(position).setText(item_text(self.controller.issues[position], self.controller.states[position]))
        if position == self.controller.position:
            self._show_state(position)

    def on_queue_current_row_changed(self, row: int) -> None:
        if row >= 0 and row != self.controller.position:
            self.controller.go(row)


def install_label_review(window) -> LabelReviewController:
    """The controller on the window's grid and viewer, its tab beside Classes and Suggest; the
    status bar hears its messages."""
    controller = LabelReviewController(window.session, window.jobs, window.grid, window.viewer, window)
    panel = LabelReviewPanel(controller, window.side)
    index = window.side.addTab(panel, QCoreApplication.translate("LabelReviewPanel", "Check labels"))
    window.side.setTabToolTip(
        index,
        QCoreApplication.translate(
            "LabelReviewPanel", "Labels that look wrong, most suspicious first: keep or change each (Ctrl+Shift+L)"
        ),
    )
    controller.message.connect(lambda text: window.status.showMessage(text, 4000))
    controller.panel = panel
    return controller


def show_label_review(window) -> None:
    """View ▸ Check labels…: the Label workspace with the Check labels tab in front, checked the
    first time."""
    controller = getattr(window, "label_review", None)
    if controller is None or controller.panel is None:
        return  # the tab is built a moment after the window opens
    window.workspaces.show_workspace(LABEL.name)
    window.side.setCurrentWidget(controller.panel)
    controller.panel.setFocus()
    if controller.result is None:
        controller.check()
