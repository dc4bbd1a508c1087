"""Small layout helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget


def side_by_side(parent: QWidget, left: QWidget, right: QWidget, right_stretch: int = 2) -> QSplitter:
    """Fill `parent` with a horizontal splitter of `left` and `right` (the right side grows more)."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(1, right_stretch)
    layout = QVBoxLayout(parent)
    layout.setContentsMargins(2, 2, 2, 2)
    layout.addWidget(splitter)
    return splitter


#: A window opened over the main one takes at most this share of the screen's free area.
SCREEN_SHARE = 0.9


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize `widget` to `width` × `height`, or smaller where the screen is: a dialog taller than
    a 1280×800 screen puts its buttons out of reach."""
    screen = (widget.parentWidget() or widget).screen() or QGuiApplication.primaryScreen()
    room = screen.availableGeometry() if screen is not None else None
    if room is not None:
        width = min(width, int(room.width() * SCREEN_SHARE))
        height = min(height, int(room.height() * SCREEN_SHARE))
    widget.resize(width, height)
