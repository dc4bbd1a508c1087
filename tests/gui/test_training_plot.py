"""The live curves: the window's colours, the key in the titles (no legend over or under the
data), tick labels that never pile on each other, whole-number epochs, no axis below zero."""

from __future__ import annotations

import itertools
import math

import pytest
from PySide6.QtGui import QImage, QPainter, QPalette

from app.gui.theme import dark_palette
from app.gui.training_plot import TICK_SPACING_PX, TrainingPlot, axis_ticks


def _filled(plot: TrainingPlot, steps: int = 300, loss: float = 1.1) -> None:
    """A run's worth of points: a loss falling from `loss`, ten epochs of scores."""
    for step in range(1, steps + 1):
        plot.add_step(step, loss * math.exp(-step / 120) + 0.05 * math.sin(step))
        if step % (steps // 10) == 0:
            epoch = step / (steps // 10)
            plot.add_epoch(step, epoch, 0.9 * math.exp(-step / 200), 0.5 + 0.04 * epoch, 0.45 + 0.04 * epoch)
    plot._redraw()


def _shown(qtbot, width: int, height: int) -> TrainingPlot:
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def _drawn_labels(axis) -> list:
    """The tick labels the axis draws now: (rectangle in the axis's coordinates, text)."""
    canvas = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(canvas)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(rect, text) for rect, _, text in texts]


def test_the_curves_follow_the_theme(qtbot):
    plot = TrainingPlot()
    qtbot.addWidget(plot)
    light = plot.view.backgroundBrush().color()
    assert light.lightness() > 128
    plot.setPalette(dark_palette())
    assert plot.view.backgroundBrush().color().lightness() < 64
    text = dark_palette().color(QPalette.ColorRole.Text)
    assert plot.score_plot.getAxis("bottom").textPen().color() == text
    assert all(p.titleLabel.opts["color"] == text.name() for p in (plot.loss_plot, plot.score_plot))


@pytest.mark.parametrize("pixels", [*range(40, 800, 37), 240])
@pytest.mark.parametrize("low, high", [(0, 1.05), (0.91, 1.13), (0, 2.31), (0, 300), (0.5, 10.5), (0, 1e-3)])
def test_axis_ticks_leave_room_for_each_label(low, high, pixels):
    ticks = axis_ticks(low, high, pixels)
    values = [value for value, _ in ticks]
    assert all(low - 1e-12 <= v <= high + 1e-12 for v in values)
    gaps = [(b - a) / (high - low) * pixels for a, b in itertools.pairwise(values)]
    assert all(gap >= TICK_SPACING_PX - 1e-6 for gap in gaps), (ticks, gaps)  # one label per 20 px at most
    if pixels >= 5 * TICK_SPACING_PX:
        assert len(ticks) >= 2  # enough to read a value off
    labels = [label for _, label in ticks]
    assert len(set(labels)) == len(labels) and not any(label.startswith("-") for label in labels)
    assert all(float(label) == pytest.approx(value, abs=1e-9) for value, label in ticks)


def test_whole_number_ticks():
    assert [label for _, label in axis_ticks(0.3, 2.7, 400, whole=True)] == ["1", "2"]
    assert all(float(v).is_integer() for v, _ in axis_ticks(0, 40, 100, whole=True))
    assert axis_ticks(0.5, 0.6, 400, whole=True) == []


@pytest.mark.parametrize("size", [(440, 240), (880, 300), (700, 220), (380, 320), (560, 200), (440, 150)])
def test_tick_labels_neither_overlap_nor_clip_on_a_short_plot(qtbot, size):
    """Two plots side by side, 220–240 px tall: the score axis 0–1 and the loss axis each get
    labels that do not touch (before: 0.0 … 1.0 every 0.1, piled on each other, and a legend
    row under the plots), and each label is whole inside its axis."""
    plot = _shown(qtbot, *size)
    _filled(plot)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: all(p.getAxis("left").width() > 15 for p in (plot.loss_plot, plot.score_plot)))
    for curve_plot in (plot.loss_plot, plot.score_plot):
        # the title (with the key) and the step/epoch axis take 75 px at most: the rest is the curves'
        assert curve_plot.vb.height() >= size[1] - 75, "a legend or a title takes the curves' room"
        for name in ("left", "bottom"):
            axis = curve_plot.getAxis(name)
            labels = _drawn_labels(axis)
            assert len(labels) >= 2, (name, labels)
            along = (lambda r: r.center().y()) if name == "left" else (lambda r: r.center().x())
            for (a, text_a), (b, text_b) in itertools.pairwise(sorted(labels, key=lambda r: along(r[0]))):
                assert not a.intersects(b), f"{text_a!r} and {text_b!r} overlap on the {name} axis"
                if name == "left":  # one label per 20 px at most, whatever pyqtgraph's boxes say
                    assert along(b) - along(a) >= TICK_SPACING_PX - 0.5, f"{text_a!r}, {text_b!r} too close"
                else:
                    assert b.left() - a.right() >= 4, f"{text_a!r} and {text_b!r} touch"
            if name == "left":  # wide enough for its widest label: nothing cut at the left
                assert all(rect.left() >= -0.5 for rect, _ in labels), [(r.left(), t) for r, t in labels]
        (x_min, _), (y_min, _) = curve_plot.vb.viewRange()
        assert x_min >= 0 and y_min >= 0
        assert plot.view.sceneRect().contains(curve_plot.sceneBoundingRect())  # not clipped at the right


def test_the_key_is_in_the_titles_and_fits(qtbot):
    wide = _shown(qtbot, 880, 300)
    assert "validation" in wide.title_text(wide.loss_plot) and "macro-F1" in wide.title_text(wide.score_plot)
    narrow = _shown(qtbot, 300, 160)
    for curve_plot in (narrow.loss_plot, narrow.score_plot):
        label = curve_plot.titleLabel
        assert label.item.boundingRect().width() <= curve_plot.width() + 1  # a shorter wording, not cut


def test_tall_and_narrow_stacks_the_plots(qtbot):
    plot = _shown(qtbot, 400, 500)
    _filled(plot)
    qtbot.wait(50)
    assert plot.stacked
    loss, score = plot.loss_plot.sceneBoundingRect(), plot.score_plot.sceneBoundingRect()
    assert score.top() >= loss.bottom() - 1 and min(loss.height(), score.height()) >= 200
    plot.resize(880, 300)
    qtbot.waitUntil(lambda: not plot.stacked)
    qtbot.waitUntil(
        lambda: plot.score_plot.sceneBoundingRect().left() >= plot.loss_plot.sceneBoundingRect().right() - 1
    )


def test_no_axis_below_zero_and_epochs_are_whole_numbers(qtbot):
    plot = _shown(qtbot, 420, 300)
    plot.add_step(1, 2.0)  # the very first step: one point
    plot.add_epoch(1, 0.5, 1.5, 0.4, 0.3)
    plot._redraw()
    qtbot.wait(50)
    for curve_plot in (plot.loss_plot, plot.score_plot):
        (x_min, _), (y_min, _) = curve_plot.vb.viewRange()
        assert x_min >= 0 and y_min >= 0
    for low, high in ((0.3, 2.7), (0, 40), (0.5, 0.6)):
        ticks = [
            value for _, values in plot.score_plot.getAxis("bottom").tickValues(low, high, 400) for value in values
        ]
        assert ticks == [] or all(float(t).is_integer() for t in ticks)
