"""Live training curves (pyqtgraph): the training loss of every step, raw and smoothed, and the
validation loss, accuracy and macro-F1 of every epoch. Points arrive as fast as training makes
them; the curves redraw at most five times a second, so plotting never slows the app.

The plots take the window's colours (light or dark theme, and its changes) and stay readable
from about 200 px tall: the key to the curves is written in each plot's title (no legend rows
taking the curves' room), each axis has as many labelled ticks as its length holds without
their labels touching (`axis_ticks`), epochs count in whole numbers and no axis goes below zero.
Side by side when the widget is wide; one above the other when it is tall and narrow."""

from __future__ import annotations

import math
from html import escape

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

REDRAW_MS = 200
SMOOTHING = 0.9  # exponential moving average of the training loss
#: At most one tick label per this many pixels along an axis (more if the font is taller).
TICK_SPACING_PX = 20
#: Blank pixels at least between two tick labels side by side on a horizontal axis.
TICK_GAP_PX = 14

#: The curves' colours, named in the titles.
RAW = (120, 160, 220, 110)
SMOOTH = (40, 100, 200)
VAL_LOSS = (230, 120, 30)
ACCURACY = (60, 160, 80)
MACRO_F1 = (150, 90, 180)


def _step_decimals(step: float) -> int:
    """How many decimals a tick step needs (0.25 → 2, 0.5 → 1, 5 → 0)."""
    for decimals in range(12):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-6 * max(1.0, scaled):
            return decimals
    return 12


def format_tick(value: float, step: float) -> str:
    """A tick's label with just the decimals its step needs ("0.2", "1.05", "300")."""
    text = f"{value:.{_step_decimals(step)}f}"
    return "0" if float(text) == 0 else text  # never "-0.0" or "0.00"


def tick_step(low: float, high: float, pixels: float, spacing_px: float, whole: bool = False) -> float:
    """The smallest round step (1, 2 or 5 times a power of ten) whose ticks lie at least
    `spacing_px` apart on an axis `pixels` long showing `low`..`high`; at least 1 if `whole`."""
    span = high - low
    most = max(1.0, pixels / spacing_px)  # intervals of spacing_px that fit
    raw = span / most
    if whole:
        raw = max(raw, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw * (1 - 1e-9):
            return multiple * magnitude
    return 10 * magnitude


def axis_ticks(
    low: float, high: float, pixels: float, spacing_px: float = TICK_SPACING_PX, whole: bool = False
) -> list[tuple[float, str]]:
    """(value, label) of the ticks for an axis `pixels` long from `low` to `high`: round values
    at least `spacing_px` apart (at most one label per `spacing_px` pixels, so labels never
    pile on each other however short the plot), whole numbers only if `whole`."""
    low, high = sorted((low, high))
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low or pixels <= 0:
        return []
    step = tick_step(low, high, pixels, spacing_px, whole)
    first = math.ceil(low / step - 1e-9)
    last = math.floor(high / step + 1e-9)
    return [(index * step, format_tick(index * step, step)) for index in range(first, last + 1)]


def tick_font(font: QFont) -> QFont:
    """Tick labels a little smaller than the window's text."""
    small = QFont(font)
    small.setPointSizeF(max(7.0, font.pointSizeF() * 0.9))
    return small


class SpacedAxis(pg.AxisItem):
    """An axis whose labelled ticks never touch: as many as its pixel length holds, with one
    label per TICK_SPACING_PX at most (or the font's height, if taller) along a vertical axis
    and a gap of TICK_GAP_PX between labels along a horizontal one; no minor ticks, no
    "×10³" prefixes. With `whole`, ticks only at whole numbers (epochs: no "epoch 0.5")."""

    def __init__(self, orientation: str, whole: bool = False, **kwargs):
        super().__init__(orientation, **kwargs)
        self.whole = whole
        self.enableAutoSIPrefix(False)

    def _metrics(self) -> QFontMetrics:
        return QFontMetrics(self.style["tickFont"] or QFont())

    def ticks_for(self, low: float, high: float, pixels: float) -> list[tuple[float, str]]:
        """The (value, label) ticks this axis draws over `low`..`high` when `pixels` long."""
        metrics = self._metrics()
        if self.orientation in ("left", "right"):
            return axis_ticks(low, high, pixels, max(TICK_SPACING_PX, metrics.height() + 4), self.whole)
        spacing = TICK_SPACING_PX * 2
        while True:  # as far apart as the widest label needs
            ticks = axis_ticks(low, high, pixels, spacing, self.whole)
            widest = max((metrics.horizontalAdvance(label) for _, label in ticks), default=0) + TICK_GAP_PX
            if widest <= spacing or not ticks:
                return ticks
            spacing = widest

    def tickValues(self, minVal, maxVal, size):  # noqa: N802, N803 (pyqtgraph's names)
        ticks = self.ticks_for(minVal, maxVal, size)
        if len(ticks) < 2:
            return [(1.0, [value for value, _ in ticks])]
        return [(ticks[1][0] - ticks[0][0], [value for value, _ in ticks])]

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph's name)
        return [format_tick(value * scale, spacing * scale) for value in values]


def colour_axes(plot: pg.PlotItem, text: QColor) -> None:
    """The left and bottom axes of `plot` (lines, ticks, labels) in the palette's text colour,
    so a plot reads in the light and the dark theme."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(text))
        axis.setTextPen(pg.mkPen(text))


class FollowsPalette:
    """For a plot widget: `_follow_palette()` runs again whenever the window's palette changes
    (a switch between light and dark), so the plot never keeps the old colours."""

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._follow_palette()


#: Each plot's key, from the longest wording to the shortest: (mark, colour, words) per curve.
#: (The words are translated where the title is made, in the "TrainingPlot" context.)
LOSS_KEYS = (
    (
        ("━", RAW, QT_TRANSLATE_NOOP("TrainingPlot", "training")),
        ("━", SMOOTH, QT_TRANSLATE_NOOP("TrainingPlot", "smoothed")),
        ("●", VAL_LOSS, QT_TRANSLATE_NOOP("TrainingPlot", "validation")),
    ),
    (
        ("━", RAW, QT_TRANSLATE_NOOP("TrainingPlot", "train")),
        ("━", SMOOTH, QT_TRANSLATE_NOOP("TrainingPlot", "smoothed")),
        ("●", VAL_LOSS, QT_TRANSLATE_NOOP("TrainingPlot", "val.")),
    ),
    (
        ("━", SMOOTH, QT_TRANSLATE_NOOP("TrainingPlot", "train")),
        ("●", VAL_LOSS, QT_TRANSLATE_NOOP("TrainingPlot", "val.")),
    ),
)
SCORE_KEYS = (
    (
        ("●", ACCURACY, QT_TRANSLATE_NOOP("TrainingPlot", "accuracy")),
        ("▼", MACRO_F1, QT_TRANSLATE_NOOP("TrainingPlot", "macro-F1")),
    ),
    (
        ("●", ACCURACY, QT_TRANSLATE_NOOP("TrainingPlot", "acc.")),
        ("▼", MACRO_F1, QT_TRANSLATE_NOOP("TrainingPlot", "F1")),
    ),
)
#: Two spaces that rich text keeps (between the parts of a title).
GAP = "\u00a0\u00a0"


def _css(rgb: tuple[int, ...]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def title_variants(heading: str, keys) -> list[tuple[str, str]]:
    """(plain text, HTML) of a plot's title with its key, longest first: the heading and each
    wording of the key, then the shortest key alone. The key's words are translated here."""
    keys = [
        [(mark, colour, QCoreApplication.translate("TrainingPlot", words)) for mark, colour, words in k] for k in keys
    ]
    chosen = [(heading, wording) for wording in keys] + [("", keys[-1])]
    variants = []
    for head, wording in chosen:
        plain = "  ".join(([head] if head else []) + [f"{mark} {words}" for mark, _, words in wording])
        html = GAP.join(
            ([f"<b>{escape(head)}</b>"] if head else [])
            + [
                f"<span style='color:{_css(colour)}'>{mark}</span>&nbsp;{escape(words)}"
                for mark, colour, words in wording
            ]
        )
        variants.append((plain, html))
    return variants


def fitting_title(variants: list[tuple[str, str]], metrics: QFontMetrics, width: float) -> tuple[str, str]:
    """The longest variant that fits in `width` pixels (the shortest if none does)."""
    return next((v for v in variants if metrics.horizontalAdvance(v[0]) <= width), variants[-1])


class TrainingPlot(FollowsPalette, QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = pg.GraphicsLayoutWidget(self)
        self.view.ci.setContentsMargins(2, 2, 6, 2)
        self.view.ci.setSpacing(4)
        self.loss_plot = self.view.addPlot(
            row=0, col=0, axisItems={"left": SpacedAxis("left"), "bottom": SpacedAxis("bottom")}
        )
        self.loss_plot.setLabel("bottom", self.tr("step"))
        self.score_plot = self.view.addPlot(
            row=0, col=1, axisItems={"left": SpacedAxis("left"), "bottom": SpacedAxis("bottom", whole=True)}
        )
        self.score_plot.setLabel("bottom", self.tr("epoch"))
        self.score_plot.setYRange(0, 1)
        for plot in (self.loss_plot, self.score_plot):
            plot.setLimits(xMin=0, yMin=0)  # a curve's first points never pull an axis below zero
            plot.setMenuEnabled(False)
            plot.hideButtons()
            plot.setPreferredSize(100, 100)  # the same for both: they share the room equally
        self.score_plot.setLimits(yMax=1.05)
        self._raw = self.loss_plot.plot(pen=pg.mkPen(RAW), name=self.tr("train (raw)"))
        self._smooth = self.loss_plot.plot(pen=pg.mkPen(SMOOTH, width=2), name=self.tr("train (smoothed)"))
        self._val_loss = self.loss_plot.plot(
            pen=pg.mkPen(VAL_LOSS, width=2), symbol="o", symbolSize=6, name=self.tr("validation")
        )
        self._accuracy = self.score_plot.plot(
            pen=pg.mkPen(ACCURACY, width=2), symbol="o", symbolSize=6, name=self.tr("accuracy")
        )
        self._macro_f1 = self.score_plot.plot(
            pen=pg.mkPen(MACRO_F1, width=2), symbol="t", symbolSize=6, name=self.tr("macro-F1")
        )
        #: Each plot's title: its key, in as many words as its width holds.
        self._titles = (
            (self.loss_plot, title_variants(self.tr("Loss"), LOSS_KEYS)),
            (self.score_plot, title_variants(self.tr("Validation"), SCORE_KEYS)),
        )
        self.stacked = False  # one plot above the other (see `_arrange`)
        self.setToolTip(
            self.tr(
                "Loss: training (light blue raw, dark blue smoothed), validation (orange). "
                "Validation: accuracy (green), macro-F1 (purple)."
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._follow_palette()
        self._timer = QTimer(self, interval=REDRAW_MS)
        self._timer.timeout.connect(self._redraw)
        self._timer.start()
        self.clear()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._arrange()
        self._fit_titles()

    def _arrange(self) -> None:
        """Side by side, or one above the other where that gives each plot more room in its
        shorter direction (a tall, narrow place: 400×500 stacks, 440×240 does not)."""
        width, height = self.width(), self.height()
        stacked = min(width, height / 2) > min(width / 2, height)
        grid = self.view.ci.layout
        if stacked != self.stacked:
            self.stacked = stacked
            grid.removeItem(self.score_plot)
            grid.addItem(self.score_plot, 1 if stacked else 0, 0 if stacked else 1)
        for index in (0, 1):  # the two plots share the room equally
            grid.setRowStretchFactor(index, 1 if stacked or index == 0 else 0)
            grid.setColumnStretchFactor(index, 1 if not stacked or index == 0 else 0)
        grid.invalidate()

    def plot_width(self) -> float:
        """About how wide each plot is (the titles are chosen to fit)."""
        return self.width() - 10 if self.stacked else self.width() / 2 - 10

    def _fit_titles(self) -> None:
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        font = self.font()
        metrics = QFontMetrics(font)
        for plot, variants in self._titles:
            _, html = fitting_title(variants, metrics, self.plot_width())
            plot.setTitle(html, color=text.name(), size=f"{font.pointSizeF():g}pt")
            plot.layout.setRowFixedHeight(0, metrics.height() + 6)  # pyqtgraph's 30 px is a row lost
            plot.titleLabel.setMaximumHeight(metrics.height() + 6)

    def title_text(self, plot: pg.PlotItem) -> str:
        """The plain text of a plot's title as it is now (its key included)."""
        return next(
            plain
            for p, variants in self._titles
            if p is plot
            for plain, html in variants
            if html in plot.titleLabel.text
        )

    def _follow_palette(self) -> None:
        """The window's background and text colours (light or dark theme) for the plots."""
        palette = self.palette()
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        self.view.setBackground(background)
        small = tick_font(self.font())
        for plot in (self.loss_plot, self.score_plot):
            colour_axes(plot, text)
            for name in ("left", "bottom"):
                plot.getAxis(name).setTickFont(small)
            plot.getAxis("bottom").setLabel(plot.getAxis("bottom").labelText, color=text.name())
        self._fit_titles()

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
