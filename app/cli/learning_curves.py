"""learning_curves.png: test accuracy against labelled images, one line per strategy (the mean
over seeds) with a band from the lowest to the highest seed, as `loupe simulate` writes it.

Drawn with pyqtgraph (already a dependency of the window; no second plotting library) on an
offscreen Qt application, created only when a picture is drawn: importing this module starts
nothing, so the command line stays quick when it only parses arguments.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

#: Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. Random, the
#: baseline, is drawn in black (and dashed) so every other line reads against it.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#999999", "#F0E442")
#: A marker per line as well, so that no reading depends on colour alone (yellow, faint on white,
#: comes last).
SYMBOLS = ("s", "t", "d", "o", "t1", "p", "h", "star")
BASELINE = "random"
WIDTH, HEIGHT = 1000, 650


def curves(rows: Iterable) -> dict[str, tuple[list[int], list[float], list[float], list[float]]]:
    """strategy -> (labels, mean accuracy, lowest, highest) over seeds, labels ascending, in the
    order the strategies first appear. `rows` are ResultRows or dicts with their keys."""
    values: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        get = row.get if isinstance(row, dict) else lambda key, r=row: getattr(r, key)
        values[get("strategy")][int(get("labels"))].append(float(get("accuracy")))
    out = {}
    for strategy, by_labels in values.items():
        labels = sorted(by_labels)
        out[strategy] = (
            labels,
            [sum(by_labels[n]) / len(by_labels[n]) for n in labels],
            [min(by_labels[n]) for n in labels],
            [max(by_labels[n]) for n in labels],
        )
    return out


def _application():
    """The running Qt application, or a new offscreen one (no display needed)."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def write_learning_curves(rows: Iterable, path: Path, title: str = "") -> Path:
    """Draw the curves of `rows` into the PNG `path` (about 1000 × 650 px); returns the path."""
    data = curves(rows)
    app = _application()
    import pyqtgraph as pg
    import pyqtgraph.exporters  # noqa: F401 - registers ImageExporter
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QFont

    pg.setConfigOptions(antialias=True, background="w", foreground="k")
    widget = pg.GraphicsLayoutWidget()
    widget.resize(WIDTH, HEIGHT)
    plot = widget.addPlot(title=title or None)
    font = QFont()
    font.setPointSize(11)
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.setTextPen("k")
        axis.setPen("k")
        axis.setTickFont(font)
    label_style = {"color": "#000", "font-size": "13pt"}
    plot.setLabel("bottom", "labelled images", **label_style)
    plot.setLabel("left", "test accuracy", **label_style)
    plot.showGrid(x=True, y=True, alpha=0.15)
    # Bottom right: learning curves rise, so that corner is the emptiest.
    legend = plot.addLegend(
        offset=(-10, -10),
        labelTextColor="k",
        labelTextSize="11pt",
        brush=pg.mkBrush(255, 255, 255, 220),
        pen=pg.mkPen("#bbb"),
    )
    colours, symbols = iter(OKABE_ITO * 4), iter(SYMBOLS * 4)
    lows, budgets = [], []
    for strategy, (labels, mean, low, high) in sorted(data.items(), key=lambda item: item[0] != BASELINE):
        colour = QColor("#000000") if strategy == BASELINE else QColor(next(colours))
        band = QColor(colour)
        band.setAlpha(40)
        edge = QColor(colour)
        edge.setAlpha(90)
        lower = pg.PlotCurveItem(labels, low, pen=pg.mkPen(edge, width=0.8))
        upper = pg.PlotCurveItem(labels, high, pen=pg.mkPen(edge, width=0.8))
        plot.addItem(lower)
        plot.addItem(upper)
        plot.addItem(pg.FillBetweenItem(lower, upper, brush=pg.mkBrush(band)))
        style = Qt.PenStyle.DashLine if strategy == BASELINE else Qt.PenStyle.SolidLine
        plot.plot(
            labels,
            mean,
            pen=pg.mkPen(colour, width=2.5, style=style),
            symbol="o" if strategy == BASELINE else next(symbols),
            symbolSize=7,
            symbolBrush=colour,
            symbolPen=colour,
            name=strategy,
        )
        lows.append(min(low))
        budgets += labels
    plot.setYRange(max(0.0, min(lows, default=0.0) - 0.02), 1.0, padding=0.02)
    if budgets:
        plot.setXRange(min(budgets), max(budgets), padding=0.03)
    legend.setZValue(10)
    widget.show()  # lays the scene out at its size before export
    app.processEvents()
    exporter = pg.exporters.ImageExporter(plot.scene())
    exporter.parameters()["width"] = WIDTH
    exporter.parameters()["height"] = HEIGHT
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    exporter.export(str(path))
    widget.close()
    widget.deleteLater()
    app.processEvents()
    return path
