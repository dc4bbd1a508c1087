"""The project's one "unsure" threshold: results and predictions under this confidence need
review. The Results' "Needs review … below" box sets it, and the grid's Show list offers the
images whose prediction is under it ("Needs review (< 80 %)"); both follow the one setting
(`REVIEW_BELOW` in the project file), whichever changed it.

    threshold = ReviewThreshold.of(project)   # the same object for every widget of a project
    threshold.changed.connect(...)            # a new value (0..1), on the GUI thread
    threshold.set(0.9, jobs)                  # saved in the write lane, then `changed`
"""

from __future__ import annotations

import weakref

from PySide6.QtCore import QObject, Signal

from app.core.project.settings import DEFAULT_REVIEW_BELOW, REVIEW_BELOW, get_setting, set_setting
from app.gui.jobs import Lane

_SHARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


class ReviewThreshold(QObject):
    """One per open project (`of`): its value, and `changed` when anyone sets another."""

    changed = Signal(float)  # the new threshold, a probability (0..1)

    def __init__(self, project=None, value: float | None = None):
        super().__init__()
        self.project = project
        if value is None:
            value = get_setting(project, REVIEW_BELOW, DEFAULT_REVIEW_BELOW) if project is not None else None
        self.value = float(value if value is not None else DEFAULT_REVIEW_BELOW)

    @classmethod
    def of(cls, project) -> ReviewThreshold:
        """The project's threshold, read from the project the first time it is asked for (one
        small read) and shared by every widget of that project from then on."""
        shared = _SHARED.get(project)
        if shared is None:
            shared = _SHARED[project] = cls(project)
        return shared

    def set(self, value: float, jobs=None) -> None:
        """A new threshold: saved in the project (in the write lane of `jobs`; not in a read-only
        project), then announced. The same value again does nothing."""
        value = float(value)
        if value == self.value:
            return
        self.value = value
        if jobs is not None and self.project is not None and not self.project.read_only:
            jobs.run(set_setting, self.project, REVIEW_BELOW, value, lane=Lane.WRITE)
        self.changed.emit(value)

    @property
    def percent(self) -> str:
        """The threshold as the window writes it: "80 %"."""
        return f"{self.value * 100:.0f} %"
