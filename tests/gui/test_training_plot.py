"""The live curves: the window's colours, legends beside the data, whole-number epochs, no
axis below zero."""

from __future__ import annotations

from PySide6.QtGui import QPalette

from app.gui.theme import dark_palette
from app.gui.training_plot import TrainingPlot


def test_the_curves_follow_the_theme(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    light = plot.view.backgroundBrush().color()
    assert light.lightness() > 128
    plot.setPalette(dark_palette())
    assert plot.view.backgroundBrush().color().lightness() < 64
    text = dark_palette().color(QPalette.ColorRole.Text)
    assert plot.score_plot.getAxis("bottom").textPen().color() == text
    assert all(label.opts["color"] == text for legend in plot.legends for _, label in legend.items)


def test_legends_stay_out_of_the_data_and_epochs_are_whole_numbers(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.resize(420, 300)  # a narrow dock: both plots and the legend still fit
    plot.show()
    qtbot.waitExposed(plot)
    plot.add_step(1, 2.0)  # the very first step: one point
    plot.add_epoch(1, 0.5, 1.5, 0.4, 0.3)
    plot._redraw()
    qtbot.wait(50)
    (legend,) = plot.legends
    for curve_plot in (plot.loss_plot, plot.score_plot):
        assert legend.parentItem() is not curve_plot.vb and not curve_plot.vb.sceneBoundingRect().intersects(
            legend.sceneBoundingRect()
        )
        (x_min, _), (y_min, _) = curve_plot.vb.viewRange()
        assert x_min >= 0 and y_min >= 0
        assert plot.view.sceneRect().contains(curve_plot.sceneBoundingRect())  # not clipped at the right
    for low, high in ((0.3, 2.7), (0, 40), (0.5, 0.6)):
        ticks = [
            value for _, values in plot.score_plot.getAxis("bottom").tickValues(low, high, 400) for value in values
        ]
        assert ticks == [] or all(float(t).is_integer() for t in ticks)
