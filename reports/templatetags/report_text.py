"""Template filters for the reports: user text to paragraphs and lists, numbers, colours.

Every filter escapes what it is given before it adds markup; no report template marks
user text safe.
"""

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
MINUS = "\u2212"


@register.filter
def report_body(value):
    """Paragraphs and bullet lists from a body: each line a paragraph, "- " lines a list."""
    if not value:
        return ""
    parts, bullets = [], []

    def flush():
        if bullets:
            items = "".join(f"<li>{item}</li>" for item in bullets)
            parts.append(f"<ul>{items}</ul>")
            bullets.clear()

    for line in str(value).splitlines():
        text = line.strip()
        if not text:
            flush()
            continue
        if text.startswith(("- ", "• ")):
            bullets.append(conditional_escape(text[2:].strip()))
            continue
        flush()
        parts.append(f"<p>{conditional_escape(text)}</p>")
    flush()
    return mark_safe("".join(parts))  # noqa: S308 - every piece was escaped above


@register.filter
def amount(value):
    """An amount in tkr as the documents print it: "1 500 145", "−18 650"; blank when empty."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    integral = number == number.to_integral_value()
    text = f"{abs(number):,.0f}" if integral else f"{abs(number):,.1f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return f"{MINUS}{text}" if number < 0 else text


@register.filter
def text_colour(colour):
    """Black or white, whichever reads better on the background `colour` (#rrggbb)."""
    try:
        red, green, blue = (int(str(colour)[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "#000000"
    luminance = 0.299 * red + 0.587 * green + 0.114 * blue
    return "#000000" if luminance > 150 else "#ffffff"


@register.simple_tag
def level_badge(level):
    """A fulfilment level as colour, symbol and label together: colour is never alone."""
    if not level:
        return format_html('<span class="level level-none">{}</span>', "–")
    return format_html(
        '<span class="level"><span class="level-swatch" style="background-color: {}; color: {}"'
        ' aria-hidden="true">{}</span><span class="level-label">{}</span></span>',
        level.colour,
        text_colour(level.colour),
        level.symbol or " ",
        level.label,
    )
