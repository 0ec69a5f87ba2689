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
