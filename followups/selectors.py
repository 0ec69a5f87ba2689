"""Reads for the follow-up workbench: a period's subjects in document order with their texts."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Assignment
from goals.models import ActivityArea, FollowUpPeriod, FulfilmentLevel, Goal
from indicators.models import Indicator

from .models import FollowUp

SUBJECT_LABELS = {
    "goal": _("Board goal"),
    "indicator": _("Indicator"),
    "activity": _("Activity"),
    "assignment": _("Development assignment"),
}


@dataclass
class WorkbenchRow:
    """One subject of the period: what it is, this period's follow-up and the previous one's."""

    kind: str  # one of followups.models.SUBJECT_FIELDS
    subject: object
    current: FollowUp | None = None
    previous: FollowUp | None = None

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
    """Everything the workbench shows, in a fixed number of queries whatever the plan's size."""
    plan = period.plan
    previous = previous_period_get(period=period)
    areas = list(
        ActivityArea.objects.filter(Q(goals__plan=plan) | Q(activities__plan=plan))
        .distinct()
        .order_by("order", "name")
    )
    selected_area = next((a for a in areas if a.pk == area_id), None)

    goals = (
        Goal.objects.filter(plan=plan)
        .select_related("area", "domain")
        .prefetch_related(
            Prefetch("activities", queryset=Activity.objects.order_by("sort_key")),
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "name")),
            Prefetch("assignments", queryset=Assignment.objects.order_by("origin", "sort_key")),
            "indicator_items",
        )
        .order_by("area__order", "order", "pk")
    )
    if selected_area:
        goals = goals.filter(area=selected_area)

    follow_ups = FollowUp.objects.filter(
        period__in=[p.pk for p in (period, previous) if p]
    ).select_related("fulfilment")
    by_key = {(f.period_id, f.subject_key): f for f in follow_ups}

    def row(kind, subject):
        return WorkbenchRow(
            kind=kind,
            subject=subject,
            current=by_key.get((period.pk, f"{kind}-{subject.pk}")),
            previous=by_key.get((previous.pk, f"{kind}-{subject.pk}")) if previous else None,
        )

    sections: list[WorkbenchSection] = []
    for goal in goals:
        group = goal.area or goal.domain
        if not sections or sections[-1].group != group:
            title = str(group) if group else _("Board goals")
            sections.append(WorkbenchSection(title=title, group=group))
        rows = sections[-1].rows
        rows.append(row("goal", goal))
        rows.extend(row("indicator", indicator) for indicator in goal.indicators.all())
        rows.extend(row("activity", activity) for activity in goal.activities.all())
        rows.extend(row("assignment", assignment) for assignment in goal.assignments.all())

    # Activities of an area without a goal of its own, under that area.
    area_activities = Activity.objects.filter(plan=plan, goal__isnull=True).select_related("area")
    if selected_area:
        area_activities = area_activities.filter(area=selected_area)
    for activity in area_activities.order_by("area__order", "sort_key"):
        section = next((s for s in sections if s.group == activity.area), None)
        if section is None:
            section = WorkbenchSection(title=str(activity.area), group=activity.area)
            sections.append(section)
        section.rows.append(row("activity", activity))

    if not selected_area:
        loose = Assignment.objects.filter(plan=plan, goal__isnull=True).order_by(
            "origin", "sort_key"
        )
        rows = [row("assignment", assignment) for assignment in loose]
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
