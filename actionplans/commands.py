"""What `manage.py render_report --kind action-plan` asks of this app (full access: the
command runs on the server, like the admin's system administrator)."""

from django.contrib.auth.models import AnonymousUser

from . import selectors
from .models import ActionPlan


class _System(AnonymousUser):
    """Reads everything, as the command line may."""

    is_superuser = True
    is_active = True

    @property
    def is_authenticated(self):
        return True


def action_plan_html(*, board, year) -> str:
    """The action plan report's HTML; LookupError when the board has none that year."""
    from .views import report_html

    plan = ActionPlan.objects.filter(board=board, year=year).order_by("pk").first()
    if plan is None:
        raise LookupError(f"{board} har ingen åtgärdsplan för {year}.")
    return report_html(selectors.action_plan_report_get(plan=plan, user=_System()))
