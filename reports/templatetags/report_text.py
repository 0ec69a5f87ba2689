"""Template filters for the reports: user text to paragraphs and lists, numbers, colours.

Every filter escapes what it is given before it adds markup; no report template marks
user text safe.
"""

from decimal import Decimal

from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext_lazy

from activities.choices import WorkStatus
from core import text

register = template.Library()

NBSP = "\u00a0"
MINUS = text.MINUS


#: The reader's paragraphs (core.text), under the name the report templates use.
report_body = register.filter("report_body", text.paragraphs)


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


#: The status of an assignment (ett uppdrag, neuter in Swedish: "Genomfört"), as the
#: documents print it; an activity's status keeps WorkStatus's own labels ("Genomförd").
ASSIGNMENT_STATUS = {
    WorkStatus.NOT_STARTED: pgettext_lazy("assignment status", "Not started"),
    WorkStatus.IN_PROGRESS: pgettext_lazy("assignment status", "In progress"),
    WorkStatus.DONE: pgettext_lazy("assignment status", "Done"),
    WorkStatus.POSTPONED: pgettext_lazy("assignment status", "Postponed"),
    WorkStatus.CANCELLED: pgettext_lazy("assignment status", "Cancelled"),
}


@register.filter
def assignment_status(follow_up):
    """The follow-up's status worded for an assignment; "–" without one."""
    status = getattr(follow_up, "status", "")
    if not status:
        return "–"
    return ASSIGNMENT_STATUS.get(status) or follow_up.get_status_display()


text_colour = register.filter("text_colour", text.readable_on)


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
