"""Template helpers for the public reader. Every helper escapes user text before adding markup."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from activities.choices import WorkStatus

register = template.Library()


@register.filter
def paragraphs(value):
    """Paragraphs from a text: blank lines separate paragraphs, "- " lines make a list."""
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


def _luminance(colour: str) -> float:
    def channel(hex_pair):
        value = int(hex_pair, 16) / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@register.filter
def readable_on(colour):
    """Black or white, whichever contrasts more with `colour` (#rrggbb): always ≥ 4.58:1."""
    try:
        luminance = _luminance(str(colour))
    except ValueError:
        return "#000000"
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


@register.simple_tag
def level_badge(level):
    """A fulfilment level as symbol, colour and text together: colour is never the only sign."""
    if not level:
        return format_html(
            '<span class="badge badge-none"><span class="badge-symbol" aria-hidden="true">'
            "–</span> {}</span>",
            "Ingen bedömning",
        )
    return format_html(
        '<span class="badge"><span class="badge-symbol" style="background-color: {}; color: {}"'
        ' aria-hidden="true">{}</span> <span class="badge-label">{}</span></span>',
        level.colour,
        readable_on(level.colour),
        level.symbol or "●",
        level.label,
    )


@register.filter
def work_status(value):
    """The Swedish word for an activity's or assignment's status."""
    if not value:
        return "Ingen status angiven"
    try:
        return str(WorkStatus(value).label)
    except ValueError:
        return value
