"""Text shortened in the middle to fit, instead of growing: a long path must not widen its panel
(a splitter beside it would jump with every image). `ElidedLabel` shows a one-line text;
`ElidedLineEdit` is an editable field that shows a long path shortened while it is not being
edited; `elide_path` shortens a path at its separators, keeping its last name whole."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QSizePolicy, QStyle, QStyleOptionFrame

ELLIPSIS = "…"
#: QLineEdit's own space between its contents rectangle and its text, each side (Qt's
#: QLineEditPrivate::horizontalMargin).
LINE_EDIT_MARGIN = 2


def elide_path(text: str, metrics: QFontMetrics, width: int) -> str:
    """`text` if it fits in `width` pixels; else a path with whole folders left out in the middle,
    "/home/ana/…/models/tiny-model": as many characters kept as fit, the last name always whole
    (and, between two that keep as many, the one with more of the end). A text without a separator,
    or whose last name alone does not fit, is shortened in the middle anywhere."""
    if metrics.horizontalAdvance(text) <= width:
        return text
    body = text.rstrip("/\\")
    seps = [i for i, char in enumerate(body) if char in "/\\"]
    best = ""
    for t, tail_start in enumerate(seps):  # the tail keeps the separator before it: "/models/tiny"
        tail = body[tail_start:]
        for head_end in [0] + [s + 1 for s in seps[:t]]:
            if head_end > tail_start:  # nothing would be left out
                continue
            candidate = body[:head_end] + ELLIPSIS + tail
            if len(candidate) > len(best) and metrics.horizontalAdvance(candidate) <= width:
                best = candidate
    return best or metrics.elidedText(text, Qt.TextElideMode.ElideMiddle, max(width, 0))


class ElidedLabel(QLabel):
    """The whole text is in the tooltip and is what `full_text()` returns (and what is copied)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        self._full = text
        self.setToolTip(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideMiddle, max(self.width(), 0))
        super().setText(shown)


class ElidedLineEdit(QLineEdit):
    """A line edit that, while it is not being edited, shows a text too long for it shortened by
    `elide_path` ("/home/ana/…/models/tiny-model", not the end scrolled into view and cut
    mid-word), with the whole text as its tooltip. `text()`, editing and copying use the whole text."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.textChanged.connect(self._update_tooltip)

    def text_width(self) -> int:
        """The pixels the text may take: the contents without the text margins."""
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        return rect.marginsRemoved(self.textMargins()).width() - 2 * LINE_EDIT_MARGIN

    def shown_text(self) -> str:
        """What the field shows now: the whole text while it has the focus or when it fits."""
        if self.hasFocus() or not self.text():
            return self.text()
        return elide_path(self.text(), self.fontMetrics(), self.text_width())

    def _update_tooltip(self) -> None:
        # no tooltip of its own when all is shown: the one of the widget around it (a list's help) shows
        self.setToolTip(self.text() if self.shown_text() != self.text() else "")

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_tooltip()

    def focusInEvent(self, event) -> None:  # noqa: N802
        super().focusInEvent(event)
        self._update_tooltip()

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._update_tooltip()

    def paintEvent(self, event) -> None:  # noqa: N802
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelLineEdit, option, painter, self)
        rect = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        rect = rect.marginsRemoved(self.textMargins()).adjusted(LINE_EDIT_MARGIN, 0, -LINE_EDIT_MARGIN, 0)
        group = QPalette.ColorGroup.Normal if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.Text))
        painter.drawText(rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, shown)
