"""Reads for the follow-up workbench: a period's subjects in document order with their texts."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from goals.models import ActivityArea, FollowUpPeriod, FulfilmentLevel, GoalIndicatorItem
from indicators.models import Indicator
from responsibilities.selectors import effective_responsibles, responsibles_of_plan

from .document import plan_document_get
from .models import FollowUp

#: How far a row of the period has come (see WorkbenchRow.state).
MISSING, WRITTEN, READY = "missing", "written", "ready"

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
    #: The persons responsible for writing it (the goal's when the subject has none).
    responsibles: list = field(default_factory=list)
    #: The goal's other items this row may be written jointly with: (key, label) pairs of the
    #: items without a follow-up of their own in the period (nor another's coverage).
    joint_choices: list = field(default_factory=list)
    #: The keys of the items the row's follow-up covers now.
    joint_keys: list = field(default_factory=list)

    @property
    def state(self) -> str:
        """MISSING (no text yet), WRITTEN, or READY (marked "klar" by its writer)."""
        if self.current is None or not self.current.is_written:
            return MISSING
        return READY if self.current.is_ready else WRITTEN

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
    #: Only the rows of this person ("Mina uppföljningar"), when filtered.
    responsible_id: int | None = None
    #: Every indicator item and assignment of the plan by key, to read a posted coverage.
    coverable: dict = field(default_factory=dict)

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


def workbench_get(
    *, period: FollowUpPeriod, area_id: int | None = None, responsible_id: int | None = None
) -> Workbench:
    """Everything the workbench shows, in a fixed number of queries whatever the plan's size:
    the plan document's subjects (followups.document) in document order, numbered.

    `responsible_id` keeps only the rows that person is responsible for.
    """
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
    covered = {}  # covered item's key → the key of the follow-up's owner
    goal_items = {}  # goal id → its coverable items, in document order
    for goal in document.goals:
        goal_items[goal.goal.pk] = [
            *(i.item for i in goal.indicators if i.item is not None),
            *goal.assignments,
        ]
        for doc_row in goal.rows:
            current_rows[doc_row.follow_up.subject_key] = doc_row
            for item in doc_row.items[1:]:
                covered[f"{_kind_of(item)}-{item.pk}"] = doc_row.follow_up.subject_key
    coverable = {
        f"{_kind_of(item)}-{item.pk}": item for items in goal_items.values() for item in items
    }
    coverable.update({f"assignment-{a.pk}": a for a in document.assignments})
    current_other = {
        f.subject_key: f
        for entry in document.areas
        for activity in [*entry.activities, *(a for g in entry.goals for a in g.activities)]
        for f in activity.follow_ups
    }
    for follow_ups in document.assignment_follow_ups.values():
        current_other.update({f.subject_key: f for f in follow_ups})

    responsibles = responsibles_of_plan(plan_id=plan.pk)

    def row(kind, subject, number=""):
        key = f"{kind}-{subject.pk}"
        doc_row = current_rows.get(key)
        current = doc_row.follow_up if doc_row else current_other.get(key)
        also = [
            f"{_number_of(i)} {_text_of(i)}".strip() for i in (doc_row.items[1:] if doc_row else [])
        ]
        if doc_row and doc_row.is_joint and doc_row.label:
            number = doc_row.label
        choices = []
        if kind in ("indicator_item", "assignment") and subject.goal_id:
            for item in goal_items.get(subject.goal_id, []):
                item_key = f"{_kind_of(item)}-{item.pk}"
                if item_key == key or item_key in current_rows:
                    continue
                if covered.get(item_key, key) != key:
                    continue
                choices.append((item_key, f"{_number_of(item)} {_text_of(item)}".strip()))
        return WorkbenchRow(
            kind=kind,
            subject=subject,
            current=current,
            previous=previous_by_key.get(key),
            number=number,
            also_covers=also,
            responsibles=effective_responsibles(responsibles, kind, subject),
            joint_choices=choices,
            joint_keys=[f"{_kind_of(i)}-{i.pk}" for i in (doc_row.items[1:] if doc_row else [])],
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

    if responsible_id is not None:
        for section in sections:
            section.rows = [
                r for r in section.rows if any(u.pk == responsible_id for u in r.responsibles)
            ]
        sections = [section for section in sections if section.rows]

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
        responsible_id=responsible_id,
        coverable=coverable,
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
