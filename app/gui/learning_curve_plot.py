"""The plot of "Am I done?" (the Suggest tab): accuracy against labelled images, the estimate at
each refresh of the suggestions (blue dots on a line) and the validation accuracy of each training
run (orange stars), in the window's colours. Accuracy reads in percent, as in the sentence beside
the plot."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.gui.training_plot import FollowsPalette, colour_axes

REFRESH_COLOUR = (40, 100, 200)
RUN_COLOUR = (230, 120, 30)
#: The accuracy axis: ticks in percent.
ACCURACY_TICKS = [(value / 100, f"{value}%") for value in (0, 25, 50, 75, 100)]


def _css(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class LearningCurvePlot(FollowsPalette, QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.PlotWidget(self)
        self.plot = self.view.getPlotItem()
        self.plot.setYRange(0, 1)
        self.plot.setLimits(xMin=0, yMin=0, yMax=1.05)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getAxis("left").setTicks([ACCURACY_TICKS])
        self.refreshes = self.plot.plot(
            pen=pg.mkPen(REFRESH_COLOUR, width=2), symbol="o", symbolSize=5, symbolBrush=REFRESH_COLOUR, symbolPen=None
        )
        self.runs = self.plot.plot(pen=None, symbol="star", symbolSize=12, symbolBrush=RUN_COLOUR, symbolPen=None)
        # 95 % intervals from the number of validation images: an estimate from 3 images says little
        self.refresh_bars = pg.ErrorBarItem(pen=pg.mkPen((*REFRESH_COLOUR, 110), width=1), beam=0)
        self.run_bars = pg.ErrorBarItem(pen=pg.mkPen((*RUN_COLOUR, 140), width=1), beam=0)
        self.plot.addItem(self.refresh_bars)
        self.plot.addItem(self.run_bars)
        self.setToolTip(
            self.tr(
                "Accuracy as labels grew: blue dots, the estimate at each refresh of the suggestions; "
                "orange stars, the validation accuracy of each training run; the bars, its 95 % range "
                "given how few validation images it was measured on."
            )
        )
        self.key = QLabel(
            self.tr(
                "<span style='color:{refresh}'>●</span> estimate at a refresh &nbsp;&nbsp; "
                "<span style='color:{run}'>★</span> training run"
            ).format(refresh=_css(REFRESH_COLOUR), run=_css(RUN_COLOUR)),
            self,
        )
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.key)
        self._follow_palette()

    def show_history(self, points) -> None:
        refresh = [p for p in points if p.kind == "refresh"]
        runs = [p for p in points if p.kind == "run"]
        self.refreshes.setData([p.labels for p in refresh], [p.accuracy for p in refresh])
        self.runs.setData([p.labels for p in runs], [p.accuracy for p in runs])
        for bars, chosen in ((self.refresh_bars, refresh), (self.run_bars, runs)):
            intervals = [p.interval() for p in chosen]
            bars.setData(
                x=np.array([p.labels for p in chosen], dtype=float),
                y=np.array([p.accuracy for p in chosen], dtype=float),
                top=np.array([high - p.accuracy for p, (_, high) in zip(chosen, intervals)], dtype=float),
                bottom=np.array([p.accuracy - low for p, (low, _) in zip(chosen, intervals)], dtype=float),
            )
        most = max((p.labels for p in points), default=0)
        self.plot.setXRange(0, max(10, most * 1.1), padding=0)  # from no labels: how far labels have come

    def _follow_palette(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        self.view.setBackground(palette.color(QPalette.ColorRole.Base))
        colour_axes(self.plot, text)
        self.plot.setLabel("left", self.tr("accuracy"), color=text.name())
        self.plot.setLabel("bottom", self.tr("labelled images"), color=text.name())
