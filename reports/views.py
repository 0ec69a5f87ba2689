"""Report views: the verksamhetsplan and the verksamhetsberättelse as HTML preview and PDF.

Every view looks the plan up, asks `check_report_access` and hands the selectors' report to
the rendering services; nothing else happens here.
"""

from datetime import date

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import FollowUpPeriod, Plan

from . import selectors, services
from .access import check_report_access, visible_periods


def _plan(board_id, year):
    try:
        return selectors.plan_get(board_id=board_id, year=year)
    except Plan.DoesNotExist:
        raise Http404(_("The board has no plan for the year.")) from None


def _until(request):
    value = request.GET.get("till", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404(_("Write the date as YYYY-MM-DD.")) from None


def _pdf_response(report, html):
    try:
        pdf = services.render_pdf(html)
    except services.ReportRenderError as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = services.report_filename(report, "pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _plan_report(request, board_id, year):
    plan = _plan(board_id, year)
    # Whatever `till` names, each visitor gets only the follow-ups they may read: for the
    # public the published periods, never a draft before or at the chosen date.
    periods = visible_periods(request, selectors.plan_periods_get(plan=plan, until=_until(request)))
    denied = check_report_access(request, plan, periods[-1] if periods else None)
    if denied is not None:
        return None, denied
    return selectors.plan_report_get(plan=plan, periods=periods), None


def _year_end_report(request, board_id, year):
    plan = _plan(board_id, year)
    try:
        period = selectors.year_end_period_get(plan=plan)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The plan has no year-end follow-up (tertial 3).")) from None
    denied = check_report_access(request, plan, period)
    if denied is not None:
        return None, denied
    return selectors.year_end_report_get(plan=plan, period=period), None


def plan_html(request, board_id, year):
    """The verksamhetsplan as an HTML page, with follow-ups up to ?till=ÅÅÅÅ-MM-DD."""
    report, denied = _plan_report(request, board_id, year)
    if denied is not None:
        return denied
    pdf_url = reverse("reports:plan-pdf", args=[board_id, year])
    if request.GET.get("till"):
        pdf_url += "?" + request.GET.urlencode()
    return HttpResponse(services.render_html(report, pdf_url=pdf_url))


def plan_pdf(request, board_id, year):
    """The verksamhetsplan as a PDF."""
    report, denied = _plan_report(request, board_id, year)
    if denied is not None:
        return denied
    return _pdf_response(report, services.render_html(report))


def year_end_html(request, board_id, year):
    """The verksamhetsberättelse as an HTML page."""
    report, denied = _year_end_report(request, board_id, year)
    if denied is not None:
        return denied
    pdf_url = reverse("reports:year-end-pdf", args=[board_id, year])
    return HttpResponse(services.render_html(report, pdf_url=pdf_url))


def year_end_pdf(request, board_id, year):
    """The verksamhetsberättelse as a PDF."""
    report, denied = _year_end_report(request, board_id, year)
    if denied is not None:
        return denied
    return _pdf_response(report, services.render_html(report))
