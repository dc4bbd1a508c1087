"""The Check labels tab beside Classes and Suggest: Check labels (progress and Cancel), the
queue of labels that look wrong (most suspicious first), and the current one in words — its given
label, the suggested one and how sure the model was — with Keep (K) and Change (C or Enter);
← and → skip. A view only: the `LabelReviewController` does the work."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
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

from app.core.errors import plural
from app.core.quality.label_errors import CheckProgress, LabelCheck, LabelIssue
from app.gui.label_review import CHANGED, KEPT, OPEN, RELABELLED, LabelReviewController
from app.gui.workspaces import LABEL

INTRO = (
    "Labels that look wrong, most suspicious first: each image is scored by a model fitted without it "
    "(5 folds on the image features). Keep a right label, or change it to the suggestion."
)
MARKS = {OPEN: "", KEPT: "✓ kept", CHANGED: "✎ changed", RELABELLED: "✎ relabelled"}


def summary_text(result: LabelCheck) -> str:
    found = f"{plural(len(result.issues), 'label')} to review among {plural(result.checked, 'labelled image')}"
    extra = []
    if result.kept:
        extra.append(f"{result.kept} kept earlier")
    if result.small_classes:
        extra.append("not checked (too few labels): " + ", ".join(result.small_classes))
    if result.not_checked:
        extra.append(f"{plural(result.not_checked, 'image')} unreadable")
    source = os.path.basename(result.source.rstrip("/")) if os.path.isabs(result.source) else result.source
    return found + (" · " + " · ".join(extra) if extra else "") + f" · features: {source}"


def item_text(issue: LabelIssue, state: str) -> str:
    mark = MARKS[state]
    return f"{issue.given_name} → {issue.suggested_name}   {issue.score:.0%}" + (f"   {mark}" if mark else "")


class LabelReviewPanel(QWidget):
    def __init__(self, controller: LabelReviewController, parent=None):
        super().__init__(parent)
        self.setObjectName("labelReview")
        self.controller = controller
        intro = QLabel(INTRO, self, wordWrap=True)
        self.check_button = QPushButton("Check labels", self, toolTip="Rank the labels that look wrong (Ctrl+Shift+L)")
        self.progress = QProgressBar(self)
        self.cancel_button = QPushButton("Cancel", self, toolTip="Stop (image features computed so far are kept)")
        self.status = QLabel("Not checked yet.", self, wordWrap=True)
        self.status.setObjectName("labelReviewStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.box = QGroupBox("", self)
        self.given = QLabel(self.box, wordWrap=True)
        self.suggested = QLabel(self.box, wordWrap=True)
        self.state = QLabel(self.box, wordWrap=True)
        self.keep_button = QPushButton("Keep  (K)", self.box)
        self.change_button = QPushButton("Change  (C)", self.box)
        self.previous_button = QPushButton("← Previous", self.box)
        self.next_button = QPushButton("Skip →", self.box)
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
            "Given → suggested, and the model's probability of the given label (lower: more doubtful)"
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
            (("K",), self.controller.keep, "Keep the label"),
            (("C", "Return", "Enter"), self.controller.change, "Change to the suggestion"),
            (("Right",), self.controller.next, "Skip"),
            (("Left",), self.controller.previous, "Previous"),
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
        self.status.setText("Computing image features…")

    def on_controller_progressed(self, event) -> None:
        self.progress.setRange(0, max(event.total, 1))
        self.progress.setValue(event.done)
        self.status.setText("Fitting a model for each fold…" if isinstance(event, CheckProgress) else event.text)

    def on_controller_checked(self, result: LabelCheck) -> None:
        self.status.setText(summary_text(result))
        self.queue.blockSignals(True)
        self.queue.clear()
        for issue, state in zip(self.controller.issues, self.controller.states, strict=True):
            self.queue.addItem(QListWidgetItem(item_text(issue, state)))
        self.queue.blockSignals(False)
        self.box.setVisible(bool(result.issues))
        if not result.issues:
            self.status.setText("No label looks wrong. " + summary_text(result))
        self.setFocus()

    def show_current(self, position: int) -> None:
        issue = self.controller.current
        if issue is None:
            return
        if self.queue.currentRow() != position:
            self.queue.blockSignals(True)
            self.queue.setCurrentRow(position)
            self.queue.blockSignals(False)
        self.box.setTitle(f"Label {position + 1} of {len(self.controller.issues)}")
        self.given.setText(f"Labelled <b>{issue.given_name}</b>: the model gave it {issue.score:.0%}")
        self.suggested.setText(f"Looks like <b>{issue.suggested_name}</b> ({issue.suggested_probability:.0%})")
        self.keep_button.setText(f"Keep {issue.given_name}  (K)")
        self.change_button.setText(f"Change to {issue.suggested_name}  (C)")
        self._show_state(position)

    def _show_state(self, position: int) -> None:
        state = self.controller.states[position]
        names = {c.id: c.name for c in self.controller.session.classes}
        now = names.get(self.controller.now[position], "no class")
        self.state.setText(
            {OPEN: "", KEPT: "Kept.", CHANGED: f"Changed to {now} (Ctrl+Z takes it back).", RELABELLED: f"Now {now}."}[
                state
            ]
        )

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
    index = window.side.addTab(panel, "Check labels")
    window.side.setTabToolTip(
        index, "Labels that look wrong, most suspicious first: keep or change each (Ctrl+Shift+L)"
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
