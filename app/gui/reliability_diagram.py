"""A run's reliability diagram: for each confidence bin of its validation images, how often the
model was right, beside the diagonal a calibrated model would follow — before calibration
(outline) and after (filled)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BEFORE = QColor(150, 150, 150)
AFTER = QColor(60, 120, 200, 170)
MARGIN = 28


class ReliabilityDiagram(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("reliabilityDiagram")
        self.before: list[dict] = []
        self.after: list[dict] = []
        self.setMinimumSize(QSize(220, 170))
        self.setMaximumWidth(380)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            self.tr(
                "Each bar: validation images the model gave that much confidence, and the share it got "
                "right. A calibrated model's bars reach the diagonal. Grey outline: before calibration; "
                "blue: after."
            )
        )

    def sizeHint(self) -> QSize:
        return QSize(260, 190)

    def set_bins(self, before: list[dict], after: list[dict]) -> None:
        self.before, self.after = before, after
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        plot = QRectF(MARGIN, 6, self.width() - MARGIN - 8, self.height() - MARGIN - 6)
        text = self.palette().windowText().color()
        painter.setPen(QPen(text, 1))
        painter.drawRect(plot)

        def point(x: float, y: float) -> QPointF:
            return QPointF(plot.left() + x * plot.width(), plot.bottom() - y * plot.height())

        for rows, fill in ((self.after, AFTER), (self.before, None)):
            for row in rows:
                if not row["count"]:
                    continue
                top_left, bottom_right = point(row["low"], row["accuracy"]), point(row["high"], 0)
                bar = QRectF(top_left, bottom_right).adjusted(1, 0, -1, 0)
                if fill is None:
                    painter.setPen(QPen(BEFORE, 1.5))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                else:
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(fill)
                painter.drawRect(bar)
        painter.setPen(QPen(text, 1, Qt.PenStyle.DashLine))
        painter.drawLine(point(0, 0), point(1, 1))
        painter.setPen(text)
        small = painter.font()
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        painter.setFont(small)
        painter.drawText(QRectF(plot.left(), plot.bottom() + 2, plot.width(), MARGIN - 4), self.tr("confidence →"))
        painter.save()
        painter.translate(4, plot.bottom())
        painter.rotate(-90)
        painter.drawText(QRectF(0, 0, plot.height(), MARGIN - 8), self.tr("share right →"))
        painter.restore()
        painter.end()
