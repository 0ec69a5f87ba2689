"""Template filters for action plans: amounts in mnkr as the document prints them, timing."""

from decimal import Decimal

from django import template

from ..resources import timing_text

register = template.Library()


def format_mnkr(value, *, minimum_places: int = 0) -> str:
    """'4', '0,65', '23,5'; with minimum_places=1 a whole number reads '4,0' (as in sums)."""
    if value is None or value == "":
        return ""
    number = Decimal(value).normalize()
    places = max(-number.as_tuple().exponent, minimum_places, 0)
    text = f"{abs(number):,.{places}f}".replace(",", "\u00a0").replace(".", ",")
    return f"\u2212{text}" if number < 0 else text


@register.filter
def mnkr(value):
    """An amount in mnkr with the decimals it has: 4, 0,65, 1,1."""
    return format_mnkr(value)


@register.filter
def mnkr_sum(value):
    """A sum in mnkr with at least one decimal: 4,0, 23,5, 9,75."""
    return format_mnkr(value, minimum_places=1)


@register.filter
def mnkr_rounded(value):
    """A sum rounded to one decimal as the per-year table prints it: 8,025 → 8,0."""
    from ..selectors import rounded

    return format_mnkr(rounded(Decimal(value)), minimum_places=1) if value is not None else ""


@register.filter
def timing(measure):
    return timing_text(measure)


@register.simple_tag(takes_context=True)
def action_plans_for(context, board):
    """The board's action plans the visitor may read (for the reader's board page)."""
    from ..models import ActionPlan
    from ..selectors import visible_plans_q

    user = context["request"].user
    return list(
        ActionPlan.objects.filter(visible_plans_q(user), board=board).order_by("-year", "pk")
    )
