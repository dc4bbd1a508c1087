"""Live training curves (pyqtgraph): the training loss of every step, raw and smoothed, and the
validation loss, accuracy and macro-F1 of every epoch. Points arrive as fast as training makes
them; the curves redraw at most five times a second, so plotting never slows the app.

The plots take the window's colours (light or dark theme, and its changes), keep their legends
below the data, count epochs in whole numbers and never show an axis below zero."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

REDRAW_MS = 200
#: Below this height a legend of several rows would squash the plots.
LEGEND_ROWS_FROM_HEIGHT = 300
SMOOTHING = 0.9  # exponential moving average of the training loss


class FollowsPalette:
    """For a plot widget: `_follow_palette()` runs again whenever the window's palette changes
    (a switch between light and dark), so the plot never keeps the old colours."""

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()


class WholeNumberAxis(pg.AxisItem):
    """Ticks only at whole numbers (epochs): no "epoch 0.5" on a run's first epochs."""

    def tickValues(self, minVal, maxVal, size):
        levels = [
            (spacing, [v for v in values if float(v).is_integer()])
            for spacing, values in super().tickValues(minVal, maxVal, size)
            if spacing >= 1
        ]
        if levels and levels[0][1]:
            return levels
        return [(1.0, [float(v) for v in range(math.ceil(minVal), math.floor(maxVal) + 1)])]


def colour_axes(plot: pg.PlotItem, text: QColor) -> None:
    """The left and bottom axes of `plot` (lines, ticks, labels) in the palette's text colour,
    so a plot reads in the light and the dark theme."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))


def _legend_below(plot_layout, curves, columns: int = 3) -> pg.LegendItem:
    """One legend under both plots, so it never hides a curve; its entries wrap in `columns`
    columns across the width of both (one row per plot would make the plots wider than a
    narrow dock and clip them)."""
    legend = pg.LegendItem(colCount=columns)
    for curve in curves:
        legend.addItem(curve, curve.name())
    plot_layout.addItem(legend, row=1, col=0, colspan=2)
    return legend


class TrainingPlot(FollowsPalette, QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.loss_plot = self.view.addPlot(row=0, col=0, title="Loss")
        self.loss_plot.setLabel("bottom", "step")
        self.score_plot = self.view.addPlot(
            row=0, col=1, title="Validation", axisItems={"bottom": WholeNumberAxis("bottom")}
        )
        self.score_plot.setLabel("bottom", "epoch")
        self.score_plot.setYRange(0, 1)
        for plot in (self.loss_plot, self.score_plot):
            plot.setLimits(xMin=0, yMin=0)  # a curve's first points never pull an axis below zero
        self.score_plot.setLimits(yMax=1.05)
        self._raw = self.loss_plot.plot(pen=pg.mkPen((120, 160, 220, 110)), name="train (raw)")
        self._smooth = self.loss_plot.plot(pen=pg.mkPen((40, 100, 200), width=2), name="train (smoothed)")
        self._val_loss = self.loss_plot.plot(
            pen=pg.mkPen((230, 120, 30), width=2), symbol="o", symbolSize=6, name="validation"
        )
        self._accuracy = self.score_plot.plot(
            pen=pg.mkPen((60, 160, 80), width=2), symbol="o", symbolSize=6, name="accuracy"
        )
        self._macro_f1 = self.score_plot.plot(
            pen=pg.mkPen((150, 90, 180), width=2), symbol="t", symbolSize=6, name="macro-F1"
        )
        self.legends = (
            _legend_below(self.view.ci, (self._raw, self._smooth, self._val_loss, self._accuracy, self._macro_f1)),
        )
        self._follow_palette()
        self.setToolTip(
            "Loss: training (light blue raw, dark blue smoothed), validation (orange). "
            "Validation: accuracy (green), macro-F1 (purple)."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        self.clear()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # As many legend entries a row as the width holds; where it would take several rows of
        # a short plot (a narrow, low dock), the curves get the room and the legend hides
        # (the colours are named in the tooltip).
        for legend in self.legends:
            entries = len(legend.items)
            columns = max(1, min(entries, self.width() // 150))
            legend.setColumnCount(columns)
            legend.setVisible(columns == entries or self.height() >= LEGEND_ROWS_FROM_HEIGHT)

    def _follow_palette(self) -> None:
        """The window's background and text colours (light or dark theme) for the plots."""
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.view.setBackground(background)
        for plot, title in ((self.loss_plot, "Loss"), (self.score_plot, "Validation")):
            plot.setTitle(title, color=text)
            colour_axes(plot, text)
        for legend in self.legends:
            legend.setLabelTextColor(text)
            for _, label in legend.items:
                label.setText(label.text, color=text)

    def clear(self) -> None:
        self.steps: list[float] = []
        self.losses: list[float] = []
        self.smoothed: list[float] = []
        self.val_steps: list[float] = []
        self.val_losses: list[float] = []
        self.epochs: list[float] = []
        self.accuracies: list[float] = []
        self.macro_f1s: list[float] = []
        self._dirty = True
        self.redraws = 0

    def add_step(self, step: float, loss: float) -> None:
        self.steps.append(step)
        self.losses.append(loss)
        previous = self.smoothed[-1] if self.smoothed else loss
        self.smoothed.append(SMOOTHING * previous + (1 - SMOOTHING) * loss)
        self._dirty = True

    def add_epoch(self, step: float, epoch: float, val_loss: float, accuracy: float, macro_f1: float) -> None:
        if val_loss == val_loss:  # no validation images: nothing to plot
            self.val_steps.append(step)
            self.val_losses.append(val_loss)
            self.epochs.append(epoch)
            self.accuracies.append(accuracy)
            self.macro_f1s.append(macro_f1)
        self._dirty = True

    def show_history(self, train_loss, val_loss, accuracy, macro_f1) -> None:
        """Curves of a finished run, from its stored metrics: lists of (step, epoch, value)."""
        self.clear()
        for step, _, value in train_loss:
            self.add_step(step, value)
        by_epoch = {epoch: value for _, epoch, value in accuracy}
        f1_by_epoch = {epoch: value for _, epoch, value in macro_f1}
        for step, epoch, value in val_loss:
            self.add_epoch(step, epoch, value, by_epoch.get(epoch, float("nan")), f1_by_epoch.get(epoch, float("nan")))
        self._redraw()

    def _redraw(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraws += 1
        self._raw.setData(self.steps, self.losses)
        self._smooth.setData(self.steps, self.smoothed)
        self._val_loss.setData(self.val_steps, self.val_losses)
        self._accuracy.setData(self.epochs, self.accuracies)
        self._macro_f1.setData(self.epochs, self.macro_f1s)


class LazyTrainingPlot(QWidget):
    """A place for a TrainingPlot that builds it only when first needed: pyqtgraph's widgets
    take tens of milliseconds to build, which the window should not pay at start-up."""

    def __init__(self, placeholder: str, parent=None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._placeholder = QLabel(placeholder, self)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self._placeholder)
        self._plot: TrainingPlot | None = None

    @property
    def built(self) -> bool:
        return self._plot is not None

    def plot(self) -> TrainingPlot:
        if self._plot is None:
            self._placeholder.hide()
            self._plot = TrainingPlot(self)
            self._layout.addWidget(self._plot)
        return self._plot
