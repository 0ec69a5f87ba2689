"""Quality report pages: the report (HTML, PDF) and the reader's page. Thin views."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reports import services
from reports.views import pdf_by_job

from . import selectors
from .models import QualityReport

#: The app's stylesheet on top of reports/print.css.
STYLESHEET = "actionplans/report.css"


def report_html(view, *, pdf_url: str = "", target: str = "pdf") -> str:
    """The quality report as an HTML document, in Swedish, for `target`
    (reports.services.HTML_TARGETS: "file" stands alone, its stylesheets inlined and the
    logo as data)."""
    return services.render_document(
        "qualityreports/report.html",
        {"report": view, "pdf_url": pdf_url},
        municipality=view.board.municipality,
        target=target,
        stylesheets=(STYLESHEET,),
    )


def _view(request, board_id, year):
    report = (
        QualityReport.objects.select_related("board__municipality")
        .filter(board_id=board_id, year=year)
        .first()
    )
    if report is None:
        raise Http404(_("The board has no quality report for the year."))
    if not selectors.can_view_report(request.user, report):
        if not request.user.is_authenticated:
            return None, redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return selectors.quality_report_view_get(report=report, user=request.user), None


@require_safe
def report(request, board_id, year):
    view, denied = _view(request, board_id, year)
    if denied is not None:
        return denied
    pdf_url = reverse("qualityreports:report-pdf", args=[board_id, year])
    return HttpResponse(report_html(view, pdf_url=pdf_url, target="screen"))


@require_safe
def report_pdf(request, board_id, year):
    view, denied = _view(request, board_id, year)
    if denied is not None:
        return denied
    # Laid out by a job, never in the request (reports.views.pdf_by_job).
    name = f"kvalitetsberattelse-{view.report.year}-{view.report.board_id}.pdf"
    return pdf_by_job(request, report_html(view), name)


@require_safe
def reader(request, board_id, year):
    """The public reader's page; hidden or missing reports answer 404."""
    with translation.override("sv"):
        try:
            report = selectors.quality_report_get(user=request.user, board_id=board_id, year=year)
        except QualityReport.DoesNotExist:
            raise Http404("Sidan finns inte eller är inte publicerad.") from None
        view = selectors.quality_report_view_get(report=report, user=request.user)
        return render(
            request,
            "qualityreports/reader.html",
            {
                "report": view,
                "plan": report,
                "pdf_links": [
                    {
                        "url": reverse("qualityreports:report-pdf", args=[board_id, year]),
                        "title": f"{report.title} (PDF)",
                    }
                ],
            },
        )
