"""Small trend charts (SVG, drawn by matplotlib) for the indicator tables of the year-end report.

A chart is a sparkline sized for a table cell: the indicator's yearly values as a line with
points, the latest value emphasised, and the target (målvärde) as a dashed line. The numbers
themselves stand in the same table row, so the chart carries no text. The SVG is built from
numbers only, never from user text, and is embedded inline in the report's HTML.
"""

import io
import re
import threading
from decimal import Decimal
from html import escape
from textwrap import fill

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure  # noqa: E402

#: Size of a chart in millimetres (width, height), as printed in the table cell.
CHART_SIZE_MM = (27, 10)
LINE_COLOURS = ("#1f4e79", "#6a8fb5", "#9bb3cc")
LINE_STYLES = ("-", "--", ":")
TARGET_COLOUR = "#b23a00"

_local = threading.local()
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
# The metadata, and the global style block that WeasyPrint would add to the HTML's own styles.
_METADATA = re.compile(
    r"<metadata>.*?</metadata>\s*|<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.DOTALL
)
_GROUP_IDS = re.compile(r' id="(?:figure|patch|axes|line2d)_\d+"')
_STYLE = re.compile(r' style="([^"]*)"')
_SVG_OPEN = re.compile(r"<svg[^>]*>")
_SIZE_ATTRS = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


class _Canvas:
    """A figure with every artist a chart can need, made once and then only updated.

    Updating data on existing artists costs a fraction of clearing the axes and plotting anew.
    """

    def __init__(self):
        width, height = (size / 25.4 for size in CHART_SIZE_MM)
        self.figure = Figure(figsize=(width, height))
        self.figure.patch.set_visible(False)
        axes = self.figure.add_axes((0.04, 0.1, 0.92, 0.8))
        axes.set_axis_off()
        self.axes = axes
        self.target = axes.axhline(
            0, color=TARGET_COLOUR, linewidth=0.9, linestyle=(0, (3, 2)), clip_on=False
        )
        self.series = []
        for colour, style in zip(LINE_COLOURS, LINE_STYLES, strict=True):
            line = axes.plot([], [], color=colour, linewidth=1.2, linestyle=style, clip_on=False)
            points = axes.plot([], [], "o", color=colour, markersize=2.2, clip_on=False)
            latest = axes.plot([], [], "o", color=colour, markersize=3.6, clip_on=False)
            self.series.append((line[0], points[0], latest[0]))


def _canvas():
    """One canvas per thread: matplotlib figures are not shared between threads."""
    if getattr(_local, "canvas", None) is None:
        _local.canvas = _Canvas()
    return _local.canvas


def trend_chart_svg(series, target=None, *, salt="chart", title=""):
    """SVG markup of a sparkline for `series`: [[(year, value), …], …]; None without two points.

    Each inner list is one line (the total, or the breakdowns when there is no total).
    `target` draws the target value as a dashed line; `salt` keeps SVG ids unique per chart.
    `title` (plain text, escaped here) becomes the SVG's <title>: a tagged PDF takes it as the
    Figure's alternative text (/Alt).
    """
    lines = [[(year, float(value)) for year, value in points] for points in series]
    lines = [points for points in lines if len(points) >= 2][: len(LINE_COLOURS)]
    if not lines:
        return None
    target = float(target) if isinstance(target, Decimal | int | float) else None

    canvas = _canvas()
    years = sorted({year for points in lines for year, _ in points})
    values = [value for points in lines for _, value in points]
    canvas.target.set_visible(target is not None)
    if target is not None:
        values.append(target)
        canvas.target.set_ydata([target, target])
    low, high = min(values), max(values)
    margin = (high - low) * 0.15 or abs(high) * 0.1 or 1.0
    canvas.axes.set_ylim(low - margin, high + margin)
    canvas.axes.set_xlim(years[0] - 0.3, years[-1] + 0.3)
    for index, (line, points, latest) in enumerate(canvas.series):
        shown = index < len(lines)
        for artist in (line, points, latest):
            artist.set_visible(shown)
        if shown:
            xs, ys = zip(*lines[index], strict=True)
            line.set_data(xs, ys)
            points.set_data(xs[:-1], ys[:-1])
            latest.set_data(xs[-1:], ys[-1:])

    matplotlib.rcParams["svg.hashsalt"] = salt
    buffer = io.StringIO()
    canvas.figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    svg = _XML_PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _GROUP_IDS.sub("", _METADATA.sub("", svg))
    # Presentation attributes instead of style attributes, which an HTML parser reads as CSS.
    svg = _STYLE.sub(_attributes, svg)
    width, height = CHART_SIZE_MM
    svg = _SIZE_ATTRS.sub(
        rf'<svg\1 width="{width}mm" height="{height}mm" aria-hidden="true" focusable="false"',
        svg,
        count=1,
    )
    if title:
        svg = _SVG_OPEN.sub(lambda m: f"{m.group(0)}<title>{escape(title)}</title>", svg, count=1)
    return svg


def _attributes(match):
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


#: Width of a bar chart in millimetres; its height grows with the number of bars.
BAR_CHART_WIDTH_MM = 160
BAR_HEIGHT_MM = 7.5


def bar_chart_svg(bars, *, title, salt="bars"):
    """SVG markup of a horizontal bar chart: `bars` is [(label, value), …] in printed order.

    Labels and values are drawn as paths (matplotlib's default), so no text of the data ends
    up as markup; `title` (escaped) is the chart's <title> and so the Figure's /Alt in a
    tagged PDF. None without bars.
    """
    bars = [(fill(str(label), 44), float(value)) for label, value in bars if value is not None]
    if not bars:
        return None
    height_mm = 8 + BAR_HEIGHT_MM * len(bars) + 3 * sum(label.count("\n") for label, _ in bars)
    figure = Figure(figsize=(BAR_CHART_WIDTH_MM / 25.4, height_mm / 25.4))
    figure.patch.set_visible(False)
    axes = figure.add_axes((0.42, 4 / height_mm, 0.5, 1 - 8 / height_mm))
    labels = [label for label, _ in bars]
    values = [value for _, value in bars]
    positions = range(len(bars))
    axes.barh(positions, values, color=LINE_COLOURS[0], height=0.62)
    axes.set_yticks(list(positions), labels=labels, fontsize=7, color="#1a1a1a")
    axes.invert_yaxis()
    axes.tick_params(axis="y", length=0)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color("#b9c6d3")
    high = max(values) or 1.0
    axes.set_xlim(min(0.0, min(values)), high * 1.18)
    for position, value in zip(positions, values, strict=True):
        text = f"{value:,.0f}".replace(",", "\u00a0").replace("-", "−")
        axes.text(value + high * 0.01, position, text, va="center", fontsize=6.5, color="#1a1a1a")

    matplotlib.rcParams["svg.hashsalt"] = salt
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    svg = _XML_PROLOGUE.sub("", buffer.getvalue(), count=1)
    svg = _GROUP_IDS.sub("", _METADATA.sub("", svg))
    svg = _STYLE.sub(_attributes, svg)
    svg = _SIZE_ATTRS.sub(
        rf'<svg\1 width="{BAR_CHART_WIDTH_MM}mm" height="{height_mm}mm" focusable="false"',
        svg,
        count=1,
    )
    return _SVG_OPEN.sub(lambda m: f"{m.group(0)}<title>{escape(title)}</title>", svg, count=1)
