"""What `manage.py render_report --kind action-plan` asks of this app."""

from . import selectors
from .models import ActionPlan


def action_plan_html(*, board, year, target: str = "pdf") -> str:
    """The action plan report's HTML with every month (the command line reads everything);
    LookupError when the board has none that year."""
    from .views import report_html

    plan = ActionPlan.objects.filter(board=board, year=year).order_by("pk").first()
    if plan is None:
        raise LookupError(f"{board} har ingen åtgärdsplan för {year}.")
    return report_html(selectors.action_plan_report_get(plan=plan, user=None), target=target)
