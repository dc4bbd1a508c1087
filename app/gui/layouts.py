"""Small layout helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
