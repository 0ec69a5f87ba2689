"""The progress page of a period and each person's reminder preference."""

import datetime

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access import policy
from access.choices import Action
from followups.selectors import period_get
from goals.models import FollowUpPeriod

from . import selectors, services


@login_required
def progress(request, period_id):
    """How many of the period's follow-ups are written, ready or missing, per area and per
    responsible person, with the reminders sent. For the board's editors and approvers."""
    try:
        period = period_get(period_id=period_id)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The follow-up period does not exist.")) from None
    if not policy.can(request.user, Action.EDIT_FOLLOW_UP, period.plan.board_id):
        raise PermissionDenied
    data = selectors.progress_get(period=period)
    today = timezone.localdate()
    context = {
        **admin.site.each_context(request),
        "title": _("Progress %(period)s") % {"period": period},
        "period": period,
        "plan": period.plan,
        "progress": data,
        "days_left": (period.deadline - today).days if period.deadline else None,
        "due": services.due_on(period, today),
        "reminders": list(selectors.reminders_of_period(period=period)),
        "today": today,
        "one_day": datetime.timedelta(days=1),
    }
    return render(request, "deadlines/progress.html", context)


@login_required
def preferences(request):
    """Turn one's own reminder e-mails off or on again."""
    if not policy.has_any_role(request.user):
        raise PermissionDenied
    current = services.preference_get(user=request.user)
    if request.method == "POST":
        opt_out = request.POST.get("opt_out") == "1"
        services.preference_set(user=request.user, opt_out=opt_out)
        messages.success(
            request,
            _("You will get no reminder e-mails.")
            if opt_out
            else _("You will get reminder e-mails again."),
        )
        return redirect("deadlines:preferences")
    context = {
        **admin.site.each_context(request),
        "title": _("My reminders"),
        "opt_out": current,
    }
    return render(request, "deadlines/preferences.html", context)
