"""Reads for the follow-up workbench: a period's subjects in document order with their texts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from goals.models import ActivityArea, FollowUpPeriod, FulfilmentLevel, GoalIndicatorItem
from indicators.models import Indicator

from .document import plan_document_get
from .models import FollowUp

SUBJECT_LABELS = {
    "goal": _("Board goal"),
    "indicator": _("Indicator"),
    "indicator_item": _("Indicator"),
    "activity": _("Activity"),
    "assignment": _("Development assignment"),
}


@dataclass
class WorkbenchRow:
    """One subject of the period: what it is, this period's follow-up and the previous one's.

    A joint follow-up is one row, at its owner, numbered by its coverage ("Indikator 1–2");
    the items it also covers have no row of their own.
    """

    kind: str  # one of followups.models.SUBJECT_FIELDS
    subject: object
    current: FollowUp | None = None
    previous: FollowUp | None = None
    number: str = ""
    also_covers: list = field(default_factory=list)

    @property
    def key(self):
        return f"{self.kind}-{self.subject.pk}"

    @property
    def label(self):
        """The subject's own words: an indicator's name, anything else's text."""
        return self.subject.name if self.kind == "indicator" else self.subject.text

    @property
    def kind_label(self):
        return SUBJECT_LABELS[self.kind]


@dataclass
class WorkbenchSection:
    """The rows of one activity area (or goal domain, or the plan-wide assignments)."""

    title: str
    group: object = None
    rows: list[WorkbenchRow] = field(default_factory=list)


@dataclass
class Workbench:
    period: FollowUpPeriod
    previous_period: FollowUpPeriod | None
    areas: list[ActivityArea]
    selected_area: ActivityArea | None
    sections: list[WorkbenchSection]
    fulfilment_levels: list[FulfilmentLevel]

    @property
    def rows(self):
        return [row for section in self.sections for row in section.rows]


def period_get(*, period_id: int) -> FollowUpPeriod:
    return FollowUpPeriod.objects.select_related("plan__board__municipality").get(pk=period_id)


def previous_period_get(*, period: FollowUpPeriod) -> FollowUpPeriod | None:
    """The period before this one: in the same plan, else the previous year's last one."""
    return (
        FollowUpPeriod.objects.filter(plan__board=period.plan.board_id, date__lt=period.date)
        .order_by("-date")
        .first()
    )


def workbench_get(*, period: FollowUpPeriod, area_id: int | None = None) -> Workbench:
    """Everything the workbench shows, in a fixed number of queries whatever the plan's size:
    the plan document's subjects (followups.document) in document order, numbered."""
    plan = period.plan
    previous = previous_period_get(period=period)
    document = plan_document_get(plan=plan, periods=[period])
    areas = [a.area for a in document.areas if a.area is not None]
    selected_area = next((a for a in areas if a.pk == area_id), None)

    previous_by_key = {}
    if previous:
        previous_by_key = {
            f.subject_key: f
            for f in FollowUp.objects.filter(period=previous).select_related("fulfilment")
        }
    current_rows = {}
    covered = set()
    for goal in document.goals:
        for doc_row in goal.rows:
            current_rows[doc_row.follow_up.subject_key] = doc_row
            for item in doc_row.items[1:]:
                covered.add(f"{_kind_of(item)}-{item.pk}")
    current_other = {
        f.subject_key: f
        for entry in document.areas
        for activity in [*entry.activities, *(a for g in entry.goals for a in g.activities)]
        for f in activity.follow_ups
    }
    for follow_ups in document.assignment_follow_ups.values():
        current_other.update({f.subject_key: f for f in follow_ups})

    def row(kind, subject, number=""):
        key = f"{kind}-{subject.pk}"
        doc_row = current_rows.get(key)
        current = doc_row.follow_up if doc_row else current_other.get(key)
        also = [
            f"{_number_of(i)} {_text_of(i)}".strip() for i in (doc_row.items[1:] if doc_row else [])
        ]
        if doc_row and doc_row.is_joint and doc_row.label:
            number = doc_row.label
        return WorkbenchRow(
            kind=kind,
            subject=subject,
            current=current,
            previous=previous_by_key.get(key),
            number=number,
            also_covers=also,
        )

    sections: list[WorkbenchSection] = []
    for entry in document.areas:
        if selected_area and entry.area != selected_area:
            continue
        rows = []
        for goal in entry.goals:
            rows.append(row("goal", goal.goal))
            for indicator in goal.indicators:
                item = indicator.item
                if item is not None and f"indicator_item-{item.pk}" not in covered:
                    rows.append(row("indicator_item", item, item.number))
                for measured in indicator.measured:
                    rows.append(row("indicator", measured, indicator.number))
            rows.extend(row("activity", a.activity, a.activity.number) for a in goal.activities)
            rows.extend(
                row("assignment", a, a.number)
                for a in goal.assignments
                if f"assignment-{a.pk}" not in covered
            )
        rows.extend(row("activity", a.activity, a.activity.number) for a in entry.activities)
        if rows:
            sections.append(WorkbenchSection(title=entry.title, group=entry.area, rows=rows))

    if not selected_area:
        rows = [
            row("assignment", assignment, assignment.number) for assignment in document.assignments
        ]
        if rows:
            sections.append(
                WorkbenchSection(title=_("Development assignments"), group=None, rows=rows)
            )

    levels = list(
        FulfilmentLevel.objects.filter(municipality=plan.board.municipality_id).order_by("order")
    )
    return Workbench(
        period=period,
        previous_period=previous,
        areas=areas,
        selected_area=selected_area,
        sections=sections,
        fulfilment_levels=levels,
    )


def _kind_of(item) -> str:
    if isinstance(item, GoalIndicatorItem):
        return "indicator_item"
    if isinstance(item, Indicator):
        return "indicator"
    return "assignment"


def _number_of(item) -> str:
    number = getattr(item, "number", "") or ""
    return f"{number}." if number else ""


def _text_of(item) -> str:
    text = item.name if isinstance(item, Indicator) else item.text
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"
