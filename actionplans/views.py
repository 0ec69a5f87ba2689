"""Action plan pages: the report (HTML, PDF), the reader's page and the monthly workflow.

Thin: each view asks the selectors (which ask the role policy) and renders.
"""

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from access import policy
from access.choices import Action
from reports import services
from reports.views import pdf_by_job

from . import selectors, workflow
from .models import ActionPlan, FollowUpMonth

#: The app's stylesheet on top of reports/print.css.
STYLESHEET = "actionplans/report.css"


def report_html(report, *, pdf_url: str = "", target: str = "pdf") -> str:
    """The action plan report as an HTML document, in Swedish, for `target`
    (reports.services.HTML_TARGETS: "file" stands alone, its stylesheets inlined and the
    logo as data)."""
    return services.render_document(
        "actionplans/report.html",
        {"report": report, "pdf_url": pdf_url},
        municipality=report.board.municipality,
        target=target,
        stylesheets=(STYLESHEET,),
    )


def report_filename(report) -> str:
    return f"atgardsplan-{report.plan.year}-{report.plan.board_id}.pdf"


def _report(request, board_id, year):
    plan = ActionPlan.objects.filter(board_id=board_id, year=year).order_by("pk").first()
    if plan is None:
        raise Http404(_("The board has no action plan for the year."))
    if not selectors.can_view_plan(request.user, plan):
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return selectors.action_plan_report_get(plan=plan, user=request.user), None


@require_safe
def report(request, board_id, year):
    """The action plan with its computed sums and the latest follow-up the visitor may read."""
    result, denied = _report(request, board_id, year)
    if denied is not None:
        return denied
    pdf_url = reverse("actionplans:report-pdf", args=[board_id, year])
    return HttpResponse(report_html(result, pdf_url=pdf_url, target="screen"))


@require_safe
def report_pdf(request, board_id, year):
    result, denied = _report(request, board_id, year)
    if denied is not None:
        return denied
    # Laid out by a job, never in the request (reports.views.pdf_by_job).
    return pdf_by_job(request, report_html(result), report_filename(result))


@require_safe
def reader(request, board_id, year):
    """The public reader's page of an action plan; hidden or missing plans answer 404."""
    with translation.override("sv"):
        try:
            plan = selectors.action_plan_get(user=request.user, board_id=board_id, year=year)
        except ActionPlan.DoesNotExist:
            raise Http404("Sidan finns inte eller är inte publicerad.") from None
        result = selectors.action_plan_report_get(plan=plan, user=request.user, chart=False)
        return render(
            request,
            "actionplans/reader.html",
            {
                "report": result,
                "plan": plan,
                "pdf_links": [
                    {
                        "url": reverse("actionplans:report-pdf", args=[board_id, year]),
                        "title": f"Åtgärdsplan {plan.year} (PDF)",
                    }
                ],
            },
        )


@login_required
def month_status(request, period_id):
    """A monthly follow-up's workflow: its steps so far and the buttons this user may press."""
    period = FollowUpMonth.objects.select_related("plan__board").filter(pk=period_id).first()
    if period is None:
        raise Http404(_("The follow-up period does not exist."))
    if not policy.can(request.user, Action.VIEW_DRAFT, period.plan.board_id):
        raise PermissionDenied
    errors, status = [], 200
    if request.method == "POST":
        try:
            workflow.month_transition(
                period=period,
                transition=request.POST.get("transition", ""),
                user=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            errors, status = exc.messages, 400
        else:
            messages.success(
                request,
                _("The period now has the status: %(status)s.")
                % {"status": period.get_status_display()},
            )
            return redirect("actionplans:month-status", period_id=period.pk)
    context = {
        **admin.site.each_context(request),
        "title": _("Workflow %(period)s") % {"period": period},
        "period": period,
        "plan": period.plan,
        "steps": period.transitions.select_related("user"),
        "available": workflow.transitions_available(period=period, user=request.user),
        "errors": errors,
        "reason": request.POST.get("reason", ""),
    }
    return render(request, "actionplans/month_status.html", context, status=status)
