"""Who may read a report: the access policy's answer, asked by every report view."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from access import policy


def visible_periods(request, periods):
    """The follow-up periods of a report the visitor may read (published ones for the public)."""
    return [p for p in periods if policy.can_view_period(request.user, p)]


def check_report_access(request, plan, period):
    """Let the request read the report of `plan` at `period` (None: the plan alone), or refuse.

    Returns None when access is granted, or a redirect to the login page for an anonymous
    visitor; raises PermissionDenied for a signed-in user who may not read it. A published
    period is public; anything else needs a role on the plan's board. The plan alone is
    public once adopted.
    """
    user = request.user
    if period is not None:
        allowed = policy.can_view_period(user, period)
    else:
        allowed = policy.can_view_plan(user, plan)
    if allowed:
        return None
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied
