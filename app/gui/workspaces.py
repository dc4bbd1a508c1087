"""The window's three workspaces — Label, Train, Review — each given the whole screen.

An expert's day has three tasks: labelling images, training a model, reviewing what a model said
about new images. Squeezed onto one screen (the grid above, a dock of tabs below) each had too
little room at 1280×800: the live curves were 34 px tall, Results showed three rows. So, as
Lightroom's modules and ilastik's applets do, each task has its own page, switched by the tabs
at the top of the window or Alt+1/2/3; the menu bar, the status bar (with a run's progress), undo
and the shortcuts stay the same on every page.

Each page remembers how its splitters were left (`remember_splitters` / `restore_splitters`).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QSplitter, QStackedWidget, QTabBar, QWidget

from app.gui.app_settings import AppSettings


@dataclass(frozen=True)
class Workspace:
    """The texts are marked for translation here and translated where shown (context "Workspaces")."""

    name: str  # the key in settings and in `show_workspace`
    title: str  # the tab's text
    key: str  # its shortcut
    purpose: str  # the tab's tooltip: what the page is for
    action: str  # View ▸ "Label workspace"


LABEL = Workspace(
    "label",
    QT_TRANSLATE_NOOP("Workspaces", "Label"),
    "Alt+1",
    QT_TRANSLATE_NOOP("Workspaces", "Browse the images and label them (Alt+1)"),
    QT_TRANSLATE_NOOP("Workspaces", "Label workspace"),
)
TRAIN = Workspace(
    "train",
    QT_TRANSLATE_NOOP("Workspaces", "Train"),
    "Alt+2",
    QT_TRANSLATE_NOOP("Workspaces", "Train a model, watch it learn, compare runs (Alt+2)"),
    QT_TRANSLATE_NOOP("Workspaces", "Train workspace"),
)
REVIEW = Workspace(
    "review",
    QT_TRANSLATE_NOOP("Workspaces", "Review"),
    "Alt+3",
    QT_TRANSLATE_NOOP("Workspaces", "Check what a model said about new images, accept it as labels (Alt+3)"),
    QT_TRANSLATE_NOOP("Workspaces", "Review workspace"),
)
WORKSPACES = (LABEL, TRAIN, REVIEW)


def _tr(text: str) -> str:
    """A workspace's text (marked above) in the interface's language."""
    return QCoreApplication.translate("Workspaces", text)


class WorkspaceTabs(QTabBar):
    """The switcher: one tab per workspace, at the top left of the window."""

    def __init__(self, parent=None):
        super().__init__(parent, objectName="workspaceTabs")
        self.setDrawBase(False)
        self.setExpanding(False)
        self.setDocumentMode(True)
        for workspace in WORKSPACES:
            index = self.addTab(_tr(workspace.title))
            self.setTabToolTip(index, _tr(workspace.purpose))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay with the page


class WorkspaceStack(QStackedWidget):
    """The pages, one per workspace, in the order of `WORKSPACES`, and the tabs that switch them."""

    workspaceChanged = Signal(str)  # the name of the workspace now shown

    def __init__(self, pages: dict[str, QWidget], parent=None):
        super().__init__(parent, objectName="workspaces")
        self.tabs = WorkspaceTabs(parent)
        self.actions: dict[str, QAction] = {}
        for workspace in WORKSPACES:
            self.addWidget(pages[workspace.name])
            action = QAction(_tr(workspace.action), parent, shortcut=QKeySequence(workspace.key))
            action.setToolTip(_tr(workspace.purpose))
            action.triggered.connect(lambda checked=False, name=workspace.name: self.show_workspace(name))
            self.actions[workspace.name] = action
        self.tabs.currentChanged.connect(self.setCurrentIndex)
        self.currentChanged.connect(self._on_current_changed)

    @property
    def current_name(self) -> str:
        return WORKSPACES[self.currentIndex()].name

    def page(self, name: str) -> QWidget:
        return self.widget(self._index(name))

    def show_workspace(self, name: str) -> None:
        self.tabs.setCurrentIndex(self._index(name))

    def _index(self, name: str) -> int:
        return next(i for i, workspace in enumerate(WORKSPACES) if workspace.name == name)

    def _on_current_changed(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)
        self.workspaceChanged.emit(WORKSPACES[index].name)


def remember_splitters(settings: AppSettings, name: str, splitters: dict[str, QSplitter]) -> None:
    """Keep how the user left a workspace's splitters (in the app's settings, not the project)."""
    for key, splitter in splitters.items():
        settings.set_splitter_state(f"{name}/{key}", splitter.saveState())


def restore_splitters(settings: AppSettings, name: str, splitters: dict[str, QSplitter]) -> bool:
    """Put back a workspace's splitters as they were left; False when one was never saved (the
    caller then gives them their first-run sizes)."""
    restored = True
    for key, splitter in splitters.items():
        state = settings.splitter_state(f"{name}/{key}")
        restored = bool(state is not None and splitter.restoreState(state)) and restored
    return restored
