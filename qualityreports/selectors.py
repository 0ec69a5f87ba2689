"""Reads of quality reports: who may read which, and the report in document order."""

import re
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from access import policy
from access.choices import Action
from indicators.choices import Gender
from indicators.models import IndicatorValue
from indicators.visibility import values_visible

from .models import QualityReport, Reference, Section

_NOTE = re.compile(r"^(\d+)\s+(.*)$")


def visible_reports_q(user) -> Q:
    """Quality reports the user may read: published ones, and every report of own boards."""
    ids = policy.board_ids(user, Action.VIEW_DRAFT)
    if ids is policy.ALL:
        return Q()
    return Q(published_at__isnull=False) | Q(board__in=ids)


def can_view_report(user, report: QualityReport) -> bool:
    return report.published_at is not None or policy.can(user, Action.VIEW_DRAFT, report.board_id)


def quality_report_get(*, user, board_id: int, year: int) -> QualityReport:
    """The board's report of the year that the user may read; DoesNotExist otherwise."""
    return (
        QualityReport.objects.filter(visible_reports_q(user))
        .select_related("board__municipality")
        .get(board_id=board_id, year=year)
    )


@dataclass
class ReferenceView:
    reference: Reference
    values: list[IndicatorValue]

    @property
    def subject(self):
        return self.reference.indicator or self.reference.goal


@dataclass
class SectionView:
    section: Section
    notes: list[tuple[str, str]]
    references: list[ReferenceView]

    @property
    def anchor(self):
        return f"avsnitt-{self.section.key}"


@dataclass
class QualityReportView:
    """What the report and the reader show of a quality report."""

    report: QualityReport
    sections: list[SectionView]
    kind: str = "quality-report"
    toc: list[dict] = field(default_factory=list)

    @property
    def board(self):
        return self.report.board

    @property
    def title(self):
        return self.report.title

    @property
    def is_draft(self):
        return self.report.published_at is None


def _notes(text: str) -> list[tuple[str, str]]:
    notes = []
    for line in text.splitlines():
        match = _NOTE.match(line.strip())
        if match:
            notes.append((match.group(1), match.group(2)))
        elif line.strip():
            notes.append(("", line.strip()))
    return notes


def quality_report_view_get(*, report: QualityReport, user) -> QualityReportView:
    """The report's sections with footnotes and cited goals and indicators with their values
    (those the user may see; `user=None` is the server itself, e.g. render_report).
    Fixed number of queries, whatever the report's size."""
    sections = list(
        Section.objects.filter(report=report)
        .select_related("theme")
        .prefetch_related(
            Prefetch(
                "references",
                queryset=Reference.objects.select_related("goal__plan", "indicator"),
            )
        )
        .order_by("order", "pk")
    )
    references = [r for s in sections for r in s.references.all()]
    indicator_ids = {r.indicator_id for r in references if r.indicator_id}
    values = {}
    if indicator_ids:
        rows = IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids, gender=Gender.TOTAL, tertial="", category=""
        )
        if user is not None:
            # The API's rule: the public sees years up to the board's last published year-end.
            rows = values_visible(rows, user)
        rows = rows.order_by("year")
        for value in rows:
            values.setdefault(value.indicator_id, []).append(value)
    views = []
    for section in sections:
        cited = [
            ReferenceView(
                reference=r,
                values=[
                    v for v in values.get(r.indicator_id, []) if r.year is None or v.year <= r.year
                ],
            )
            for r in section.references.all()
        ]
        views.append(SectionView(section=section, notes=_notes(section.notes), references=cited))
    toc = [
        {"level": min(v.section.level, 2), "anchor": v.anchor, "title": v.section.title}
        for v in views
        if v.section.level <= 3
    ]
    return QualityReportView(report=report, sections=views, toc=toc)
