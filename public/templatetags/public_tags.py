"""Template helpers for the public reader. Every helper escapes user text before adding markup."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext

from activities.choices import WorkStatus
from core import text

register = template.Library()


paragraphs = register.filter("paragraphs", text.paragraphs)
readable_on = register.filter("readable_on", text.readable_on)


@register.simple_tag
def level_badge(level):
    """A fulfilment level as symbol, colour and text together: colour is never the only sign."""
    if not level:
        return format_html(
            '<span class="badge badge-none"><span class="badge-symbol" aria-hidden="true">'
            "–</span> {}</span>",
            gettext("No assessment"),
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
        return gettext("No status given")
    try:
        return str(WorkStatus(value).label)
    except ValueError:
        return value
