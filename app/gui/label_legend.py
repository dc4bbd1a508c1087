"""Under the viewer: the current image's label, large and in its class's colour, and a chip per
class with its key ("1 healthy · 2 irregular · 0 no label"): the keys in view while labelling, and
a click on a chip labels like the key does."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QToolBar, QVBoxLayout, QWidget

from app.core.labelling.classes import ClassInfo
from app.gui.class_panel import swatch

#: How much larger than the window's font the current label is written.
LABEL_SCALE = 1.5


class LabelLegend(QWidget):
    classChosen = Signal(object)  # class id, or None for "clear"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.current = QLabel(self, objectName="currentLabel")
        font = self.current.font()
        font.setPointSizeF(font.pointSizeF() * LABEL_SCALE)
        font.setBold(True)
        self.current.setFont(font)
        self.chips = QToolBar(self, objectName="labelChips")  # too many chips fold into its » menu
        self.chips.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.chips.setIconSize(QSize(10, 10))
        layout = QVBoxLayout(self)  # the label on its own line: the chips get the whole width
        layout.setContentsMargins(4, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.current)
        layout.addWidget(self.chips)
        self._classes: dict[int, ClassInfo] = {}
        self.show_label(None)

    def set_classes(self, classes: list[ClassInfo]) -> None:
        self._classes = {c.id: c for c in classes}
        self.chips.clear()
        for info in classes:
            if info.shortcut:
                self._add_chip(
                    f"{info.shortcut} {info.name}",
                    self.tr("Label with {name} (key {key})").format(name=info.name, key=info.shortcut),
                    info.id,
                    info.colour,
                )
        self._add_chip(self.tr("0 no label"), self.tr("Remove the label (key 0)"), None, None)
        self.show_label(self._shown)

    def _add_chip(self, text: str, tip: str, class_id: int | None, colour: str | None) -> None:
        action = QAction(swatch(colour, 10), text, self.chips) if colour else QAction(text, self.chips)
        action.setToolTip(tip)
        action.triggered.connect(lambda: self.classChosen.emit(class_id))
        self.chips.addAction(action)

    def show_note(self, text: str) -> None:
        """A grey note instead of a label (a file that is not an image of the project)."""
        self._shown = None
        self._grey(text)

    def _grey(self, text: str) -> None:
        self.current.setText(f"<span style='color: gray'>{escape(text)}</span>")

    def show_label(self, class_id: int | None) -> None:
        """The label of the image in the viewer (None: unlabelled or no image)."""
        self._shown = class_id
        info = self._classes.get(class_id) if class_id is not None else None
        if info is None:
            self._grey(self.tr("unlabelled"))
        else:
            self.current.setText(f"<span style='color: {info.colour}'>■</span> {escape(info.name)}")
