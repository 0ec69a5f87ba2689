"""Report views: the verksamhetsplan and the verksamhetsberättelse as HTML preview and PDF.

Every view looks the plan up, asks `check_report_access` and hands the selectors' report to
the rendering services; nothing else happens here. No request lays out a PDF: a published
report is its stored edition (reports.editions), any other PDF is made by a job
(reports.tasks) while the browser shows a progress page that hands over the file when ready.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core import signing
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, Plan

from . import editions, selectors, services, tasks
from .access import check_report_access, visible_periods
from .models import Edition, EditionKind

#: How long a browser or proxy may keep a published report at its reader URL without asking
#: again (a corrected edition replaces it there); an edition's own URL never changes.
PUBLISHED_MAX_AGE = 3600
EDITION_MAX_AGE = 365 * 24 * 3600
#: How long the progress page of a PDF job stays valid.
RENDER_TOKEN_MAX_AGE = 24 * 3600
RENDER_SALT = "reports.render"


def _plan(board_id, year):
    try:
        return selectors.plan_get(board_id=board_id, year=year)
    except Plan.DoesNotExist:
        raise Http404(_("The board has no plan for the year.")) from None


def _bare(request) -> bool:
    """The plan alone, without follow-ups (?utan_uppfoljning=1)."""
    return request.GET.get("utan_uppfoljning", "").strip().lower() in {"1", "ja", "true"}


def _until(request):
    value = request.GET.get("till", "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404(_("Write the date as YYYY-MM-DD.")) from None


def _stored_response(request, name, *, etag, content_type, filename=None, cache_control=""):
    """A stored file with a strong ETag and its length; 304 when the client has it already."""
    quoted = f'"{etag}"'
    if quoted in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponseNotModified()
    else:
        # Reports are a few megabytes: read whole, which also works for any storage backend.
        with default_storage.open(name, "rb") as stored:
            response = HttpResponse(stored.read(), content_type=content_type)
        response["Content-Length"] = len(response.content)
        if filename:
            response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["ETag"] = quoted
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


@dataclass
class _Report:
    """The periods a report would show, and how to build it when no edition answers."""

    periods: list
    build: Callable


def _published_edition(periods, kind):
    """The stored edition that is this report, when every period it shows is published."""
    if not periods or any(p.status != PeriodStatus.PUBLISHED for p in periods):
        return None
    return editions.edition_for(period=periods[-1], kind=kind)


def _edition_response(request, edition, fmt, *, max_age):
    field = {"pdf": edition.pdf, "html": edition.html, "json": edition.content}[fmt]
    content_type = {
        "pdf": "application/pdf",
        "html": "text/html; charset=utf-8",
        "json": "application/json",
    }[fmt]
    etag = edition.pdf_hash if fmt == "pdf" else f"{edition.content_hash[:32]}-{fmt}-{edition.pk}"
    filename = services.report_filename(_EditionName(edition), fmt) if fmt != "html" else None
    response = _stored_response(
        request,
        field.name,
        etag=etag,
        content_type=content_type,
        filename=filename,
        cache_control=f"public, max-age={max_age}" + (", immutable" if max_age > 3600 else ""),
    )
    response["Last-Modified"] = http_date(edition.published_at.timestamp())
    return response


class _EditionName:
    """What report_filename needs of a report, from an edition."""

    def __init__(self, edition):
        self.kind = edition.kind
        self.plan = edition.plan
        self.board = edition.plan.board


def _not_ready_yet():
    response = HttpResponse(
        _("The published report is being prepared. Try again in a minute."),
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "30"
    return response


def _pdf_response(request, report, kind):
    """The report's PDF: its published edition, or a job that makes it (progress page)."""
    edition = _published_edition(report.periods, kind)
    if edition is not None:
        return _edition_response(request, edition, "pdf", max_age=PUBLISHED_MAX_AGE)
    if not request.user.is_authenticated and report.periods:
        # Anonymous readers only see published periods, whose PDFs are editions: until the
        # publication's job has stored it, say so instead of laying it out here.
        return _not_ready_yet()
    built = report.build()
    return pdf_by_job(request, services.render_html(built), services.report_filename(built, "pdf"))


def pdf_by_job(request, html: str, filename: str):
    """The PDF of `html`: stored already, or laid out by a job while a progress page waits.

    One job per distinct document (keyed by the HTML's SHA-256), shared by every server; used
    by the other report kinds' views too (action plans, quality reports).
    """
    key = hashlib.sha256(html.encode()).hexdigest()
    name = tasks.render_name(key)
    if default_storage.exists(name):
        return _stored_response(
            request,
            name,
            etag=key,
            content_type="application/pdf",
            filename=filename,
            cache_control="private, no-cache",
        )
    result_id = cache.get(f"reports:render:{key}")
    if result_id is None or not _job_pending(key, result_id):
        cache.delete(tasks.render_error_key(key))
        result_id = tasks.report_pdf_task.enqueue(key=key, html=html).id
        cache.set(f"reports:render:{key}", result_id, RENDER_TOKEN_MAX_AGE)
    token = signing.dumps(
        {"k": key, "j": result_id, "f": filename, "u": request.user.pk}, salt=RENDER_SALT
    )
    return _render_state_response(request, token)


def _job_status(result_id):
    """READY, RUNNING, SUCCESSFUL or FAILED; "" when the job engine cannot tell."""
    task = tasks.report_pdf_task
    if not task.get_backend().supports_get_result:
        return ""
    try:
        return task.get_result(result_id).status
    except Exception:  # noqa: BLE001 - an expired or unknown job is a lost one
        return "FAILED"


def _job_pending(key, result_id):
    """Whether the job is still to run or running (else it failed, or its file is gone)."""
    if cache.get(tasks.render_error_key(key)):
        return False
    return _job_status(result_id) in ("READY", "RUNNING")


def _render_state_response(request, token):
    """The progress page of a PDF job, or the PDF once it is stored, or its error."""
    try:
        data = signing.loads(token, salt=RENDER_SALT, max_age=RENDER_TOKEN_MAX_AGE)
    except signing.BadSignature:
        raise Http404(_("The link has expired. Open the report again.")) from None
    if data["u"] != request.user.pk:
        raise Http404(_("The link has expired. Open the report again."))
    name = tasks.render_name(data["k"])
    if default_storage.exists(name):
        return _stored_response(
            request,
            name,
            etag=data["k"],
            content_type="application/pdf",
            filename=data["f"],
            cache_control="private, no-cache",
        )
    error = cache.get(tasks.render_error_key(data["k"]), "")
    status = _job_status(data["j"])
    if not error and status in ("FAILED", "SUCCESSFUL"):
        error = _("The report could not be created.")
    response = render(
        request,
        "reports/render_progress.html",
        {
            "error": error,
            "waiting": status == "READY",
            "url": reverse("reports:render", args=[token]),
        },
        status=503 if error else 202,
    )
    response["Cache-Control"] = "no-store"
    if not error:
        response["Refresh"] = "2"
    return response


@require_safe
def render_state(request, token):
    """GET /rapporter/pdf/<token>/: where a PDF job stands; the file once it is ready."""
    return _render_state_response(request, token)


@require_safe
def edition_file(request, uid, fmt):
    """A published edition as stored (pdf, html or json): public and never changed."""
    edition = Edition.objects.select_related("plan__board").filter(uid=uid).first()
    if edition is None:
        raise Http404(_("The edition does not exist."))
    return _edition_response(request, edition, fmt, max_age=EDITION_MAX_AGE)


def _plan_report(request, board_id, year):
    plan = _plan(board_id, year)
    # Whatever `till` names, each visitor gets only the follow-ups they may read: for the
    # public the published periods, never a draft before or at the chosen date.
    # ?utan_uppfoljning=1 prints the bare plan, without follow-ups.
    if _bare(request):
        periods = []
    else:
        until = _until(request)
        periods = visible_periods(request, selectors.plan_periods_get(plan=plan, until=until))
    denied = check_report_access(request, plan, periods[-1] if periods else None)
    if denied is not None:
        return None, denied
    # The report is built only when no stored edition answers (building it is the costly part).
    return _Report(periods, lambda: selectors.plan_report_get(plan=plan, periods=periods)), None


def _year_end_report(request, board_id, year):
    plan = _plan(board_id, year)
    try:
        period = selectors.year_end_period_get(plan=plan)
    except FollowUpPeriod.DoesNotExist:
        raise Http404(_("The plan has no year-end follow-up (tertial 3).")) from None
    denied = check_report_access(request, plan, period)
    if denied is not None:
        return None, denied
    return _Report([period], lambda: selectors.year_end_report_get(plan=plan, period=period)), None


def plan_html(request, board_id, year):
    """The verksamhetsplan as an HTML page, with follow-ups up to ?till=ÅÅÅÅ-MM-DD."""
    report, denied = _plan_report(request, board_id, year)
    if denied is not None:
        return denied
    edition = _published_edition(report.periods, EditionKind.PLAN)
    if edition is not None:
        return _edition_response(request, edition, "html", max_age=PUBLISHED_MAX_AGE)
    pdf_url = reverse("reports:plan-pdf", args=[board_id, year])
    if request.GET.get("till") or _bare(request):
        pdf_url += "?" + request.GET.urlencode()
    return HttpResponse(services.render_html(report.build(), pdf_url=pdf_url, target="screen"))


def plan_pdf(request, board_id, year):
    """The verksamhetsplan as a PDF."""
    report, denied = _plan_report(request, board_id, year)
    if denied is not None:
        return denied
    return _pdf_response(request, report, EditionKind.PLAN)


def year_end_html(request, board_id, year):
    """The verksamhetsberättelse as an HTML page."""
    report, denied = _year_end_report(request, board_id, year)
    if denied is not None:
        return denied
    edition = _published_edition(report.periods, EditionKind.YEAR_END)
    if edition is not None:
        return _edition_response(request, edition, "html", max_age=PUBLISHED_MAX_AGE)
    pdf_url = reverse("reports:year-end-pdf", args=[board_id, year])
    return HttpResponse(services.render_html(report.build(), pdf_url=pdf_url, target="screen"))


def year_end_pdf(request, board_id, year):
    """The verksamhetsberättelse as a PDF."""
    report, denied = _year_end_report(request, board_id, year)
    if denied is not None:
        return denied
    return _pdf_response(request, report, EditionKind.YEAR_END)
