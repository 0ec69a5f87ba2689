"""Text formatting shared by the reader, the reports, the import preview and the API:
paragraphs from user text, decimal commas, readable text colour on a coloured badge.

Every function that returns markup escapes what it is given first.
"""

from decimal import Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

MINUS = "\u2212"


def paragraphs(value, heading="h3"):
    """Paragraphs from a text: blank lines separate paragraphs, a single line break stays a
    line break, "- " or "• " lines make a bulleted list, a "## " line is a subheading
    (`heading`, e.g. "h3")."""
    if not value:
        return ""
    parts, lines, bullets = [], [], []

    def flush():
        if lines:
            parts.append("<p>" + "<br>".join(lines) + "</p>")
            lines.clear()
        if bullets:
            parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in bullets) + "</ul>")
            bullets.clear()

    for line in str(value).splitlines():
        text = line.strip()
        if not text:
            flush()
        elif text.startswith("## "):
            flush()
            title = conditional_escape(text[3:].strip())
            parts.append(f'<{heading} class="subheading">{title}</{heading}>')
        elif text.startswith(("- ", "• ")):
            if lines:
                flush()
            bullets.append(conditional_escape(text[2:].strip()))
        else:
            if bullets:
                flush()
            lines.append(conditional_escape(text))
    flush()
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


def format_decimal(number: Decimal, decimal_sep: str = ",") -> str:
    """A Decimal without trailing zeros or exponent: 12.3000 → "12,3", 100 → "100"."""
    text = f"{number.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", decimal_sep)


def _luminance(colour: str) -> float:
    def channel(hex_pair):
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def readable_on(colour) -> str:
    """Black or white, whichever contrasts more with `colour` (#rrggbb): always ≥ 4.58:1."""
    try:
        luminance = _luminance(str(colour))
    except ValueError:
        return "#000000"
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"
