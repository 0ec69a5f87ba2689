"""The follow-up chart of an action plan: expected and realised reduction per group (SVG).

Drawn by matplotlib from numbers and the groups' names (as SVG text, escaped by matplotlib);
embedded inline in the report's HTML. The numbers stand in the table next to it as well.
"""

import io
import re
import threading

import matplotlib

matplotlib.use("svg")

from matplotlib.figure import Figure  # noqa: E402

EXPECTED_COLOUR = "#9bb3cc"
REALISED_COLOUR = "#1f4e79"
_lock = threading.Lock()
_XML_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_SIZE_ATTRS = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')
_STYLE = re.compile(r' style="([^"]*)"')
_STYLE_BLOCK = re.compile(r"<defs>\s*<style[^>]*>.*?</style>\s*</defs>\s*", re.DOTALL)


def _attributes(match):
    # Presentation attributes instead of style attributes, which an HTML parser reads as CSS.
    declarations = (d.split(":", 1) for d in match.group(1).split(";") if ":" in d)
    return "".join(f' {name.strip()}="{value.strip()}"' for name, value in declarations)


def realised_chart_svg(groups, *, width_mm=160):
    """SVG of horizontal bars: for each (label, expected, realised) two bars, in mnkr."""
    if not groups:
        return None
    height_mm = 14 + 11 * len(groups)
    labels = [label if len(label) <= 38 else label[:37] + "…" for label, _, _ in groups]
    expected = [float(value) for _, value, _ in groups]
    realised = [float(value) for _, _, value in groups]
    with _lock:
        matplotlib.rcParams["svg.hashsalt"] = "action-plan"
        matplotlib.rcParams["font.family"] = "DejaVu Sans"
        matplotlib.rcParams["font.size"] = 7
        figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
        axes = figure.add_axes((0.36, 0.18, 0.6, 0.78))
        positions = list(range(len(groups)))
        axes.barh(
            [p + 0.2 for p in positions],
            expected,
            height=0.38,
            color=EXPECTED_COLOUR,
            label="Förväntad under året",
        )
        axes.barh(
            [p - 0.2 for p in positions],
            realised,
            height=0.38,
            color=REALISED_COLOUR,
            label="Realiserad hittills",
        )
        axes.set_yticks(positions, labels)
        axes.invert_yaxis()
        axes.set_xlabel("mnkr")
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="lower right", frameon=False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", transparent=True, metadata={"Date": None})
    svg = _METADATA.sub("", _XML_PROLOGUE.sub("", buffer.getvalue(), count=1))
    svg = _STYLE.sub(_attributes, _STYLE_BLOCK.sub("", svg))
    return _SIZE_ATTRS.sub(
        rf'<svg\1 width="{width_mm}mm" height="{height_mm}mm" role="img"'
        ' aria-label="Förväntad och realiserad kostnadsreducering per grupp"',
        svg,
        count=1,
    )
