"""Template filters for quality reports: the body with its footnote references."""

import re

from django import template
from django.utils.safestring import mark_safe

from core.text import format_decimal, paragraphs

register = template.Library()

_REF = re.compile(r"\[(\d{1,2})\]")


@register.filter
def quality_body(value, anchor=""):
    """Paragraphs and lists (core.text.paragraphs, which escapes the text); "[4]" becomes a
    raised footnote number linking to the section's note."""
    html = str(paragraphs(value))
    prefix = f"{anchor}-not-" if anchor else "not-"
    return mark_safe(  # noqa: S308 - paragraphs escaped the text; only digits are added
        _REF.sub(
            lambda m: f'<sup class="fn-ref"><a href="#{prefix}{m.group(1)}">{m.group(1)}</a></sup>',
            html,
        )
    )


@register.filter
def value_text(value):
    """An indicator value as the reports print it: 2, 80,5, or its text."""
    if value.value is None:
        return value.text_value
    return format_decimal(value.value)


@register.simple_tag(takes_context=True)
def quality_reports_for(context, board):
    """The board's quality reports the visitor may read (for the reader's board page)."""
    from ..models import QualityReport
    from ..selectors import visible_reports_q

    user = context["request"].user
    return list(
        QualityReport.objects.filter(visible_reports_q(user), board=board).order_by("-year")
    )
