"""Published editions: a publication frozen as data, HTML and PDF in the file storage.

Publishing a follow-up period (followups.workflow) enqueues `reports.tasks.editions_create_task`
after commit; the job builds each report the period completes — the plan with its follow-ups up
to the period's date, and for a year-end period (T3) the year-end report — as the public sees
it, and stores its content (the selectors' report as JSON), its HTML and its PDF through
Django's storage API, with a content hash, the publisher and the time. An edition is never
changed (`Edition.save`/`delete` refuse); a republication after a reopening makes a new,
corrected edition beside the earlier ones.
"""

import dataclasses
import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.urls import reverse
from django.utils.functional import Promise

from access import policy
from followups.models import PeriodTransition
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod

from . import selectors, services
from .models import Edition, EditionKind

# -- content as data ------------------------------------------------------------------------


def report_data(value):
    """The report (the selectors' dataclasses) as plain JSON data: model rows by their fields."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: report_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, models.Model):
        row = {"model": value._meta.label_lower, "pk": value.pk}
        for field in value._meta.concrete_fields:
            row[field.attname] = report_data(field.value_from_object(value))
        return row
    if isinstance(value, dict):
        return {str(k): report_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [report_data(v) for v in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Promise):
        return str(value)
    return str(value)


def content_bytes(report) -> bytes:
    """The report's data as canonical JSON (sorted keys, UTF-8): what the content hash covers."""
    data = report_data(report)
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- creating -------------------------------------------------------------------------------


def public_periods(*, period: FollowUpPeriod) -> list[FollowUpPeriod]:
    """The plan's periods up to `period` that the public may read: what the edition shows."""
    anonymous = AnonymousUser()
    periods = selectors.plan_periods_get(plan=period.plan, until=period.date)
    return [p for p in periods if policy.can_view_period(anonymous, p)]


def _reports(period: FollowUpPeriod):
    plan = selectors.plan_get(board_id=period.plan.board_id, year=period.plan.year)
    yield (
        EditionKind.PLAN,
        selectors.plan_report_get(plan=plan, periods=public_periods(period=period)),
    )
    if period.kind == PeriodKind.TERTIAL_3:
        yield EditionKind.YEAR_END, selectors.year_end_report_get(plan=plan, period=period)


def _reopening(publication: PeriodTransition) -> PeriodTransition | None:
    return (
        PeriodTransition.objects.filter(
            period_id=publication.period_id, transition="reopen", at__lte=publication.at
        )
        .order_by("-at", "-pk")
        .first()
    )


def editions_create(*, publication_id: int) -> list[Edition]:
    """The editions of a publication, created once (a repeated job returns the stored ones).

    Nothing is made when the period has been reopened or published again since: that later
    publication makes its own editions.
    """
    publication = PeriodTransition.objects.select_related("period__plan", "user").get(
        pk=publication_id
    )
    existing = list(Edition.objects.filter(publication=publication))
    if existing:
        return existing
    period = publication.period
    latest = (
        PeriodTransition.objects.filter(period=period).order_by("-at", "-pk").only("pk").first()
    )
    if period.status != PeriodStatus.PUBLISHED or latest.pk != publication.pk:
        return []
    reopening = _reopening(publication)
    prepared = []
    for kind, report in _reports(period):
        is_correction = Edition.objects.filter(period=period, kind=kind).exists()
        edition = Edition(
            plan=period.plan,
            period=period,
            kind=kind,
            publication=publication,
            published_at=publication.at,
            published_by=publication.user,
            is_correction=is_correction,
            correction_reason=reopening.reason if is_correction and reopening else "",
        )
        content = content_bytes(report)
        pdf_url = reverse("reports:edition-file", args=[edition.uid, "pdf"])
        html = services.render_html(
            report, pdf_url=pdf_url, edition=edition, target="file"
        ).encode()
        pdf = services.render_pdf(services.render_html(report, edition=edition))
        edition.content_hash = sha256(content)
        edition.pdf_hash = sha256(pdf)
        edition.pdf_size = len(pdf)
        prepared.append((edition, content, html, pdf))
    created = []
    with transaction.atomic():
        for edition, content, html, pdf in prepared:
            stem = (
                f"editions/{period.plan.board_id}/{period.plan.year}/"
                f"{edition.kind}-{period.date}-{edition.uid}"
            )
            edition.content.name = default_storage.save(f"{stem}.json", ContentFile(content))
            edition.html.name = default_storage.save(f"{stem}.html", ContentFile(html))
            edition.pdf.name = default_storage.save(f"{stem}.pdf", ContentFile(pdf))
            edition.full_clean()
            edition.save()
            created.append(edition)
    return created


def editions_missing() -> list[int]:
    """Publications of periods still published whose editions were never made (e.g. published
    before editions existed, or a job lost): their ids, for `manage.py create_editions`."""
    latest = []
    published = FollowUpPeriod.objects.filter(status=PeriodStatus.PUBLISHED)
    for period in published:
        step = period.transitions.filter(transition="publish").order_by("-at", "-pk").first()
        if step is not None and not step.editions.exists():
            latest.append(step.pk)
    return latest


# -- reading --------------------------------------------------------------------------------


def edition_for(*, period: FollowUpPeriod, kind: str) -> Edition | None:
    """The newest edition of the report `kind` published at `period`, if any."""
    return Edition.objects.filter(period=period, kind=kind).order_by("-published_at", "-pk").first()


def editions_of_plan(*, plan) -> list[Edition]:
    """Every edition of a plan's reports, newest first, with its period."""
    return list(
        Edition.objects.filter(plan=plan).select_related("period").order_by("-published_at", "-pk")
    )
