"""The plan document: one read of a plan in document order, with the follow-ups of chosen periods.

Every view of a plan asks this module how the plan reads — the plan report (PDF/HTML), the
reader's plan and goal pages, the workbench's numbering and the published editions:

- the plan's narrative sections (plan-wide ones first, then each area's; a section placed
  before a goal prints right before that goal's heading);
- area by area in the board's order, each goal with its introduction, its numbered
  indicators, its links to municipal goals in its own order, its assignments (numbered
  within the goal) and its activities; an area without a goal of its own lists its
  activities directly;
- per goal and period, the follow-up table in document order: the goal's own assessment
  first, then one row per follow-up of its indicators and assignments, a joint follow-up
  once, at its first item, labelled by its coverage ("1–2", "1, 3"), with its forecast;
- every assignment of the plan (a goal's and the plan-wide ones) by origin — municipality-wide
  first, then the board's own — with the follow-ups printed at it: a joint follow-up once, at
  its first assignment, the others pointing to it.

Which periods a caller may show (drafts!) is access.policy's question: the caller passes
them. The read costs a fixed number of queries whatever the plan's size. Pages that list rather
than print read it `light` (no long texts) and may leave out the activities.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.choices import AssignmentOrigin
from activities.models import Activity, Assignment, number_sort_key
from goals.models import (
    FollowUpPeriod,
    Goal,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    Plan,
    PlanSection,
)
from indicators.choices import IndicatorKind
from indicators.models import Indicator

from .models import FollowUp, FollowUpCoverage, coverage_label

__all__ = [
    "ActivityEntry",
    "AreaEntry",
    "AssignmentEntry",
    "AssignmentGroup",
    "FollowUpRow",
    "GoalEntry",
    "PeriodTable",
    "PlanDocument",
    "plan_document_get",
]

KIND_LABELS = {
    "goal": _("Board goal"),
    "indicator": _("Indicator"),
    "indicator_item": _("Indicator"),
    "assignment": _("Assignment"),
    "activity": _("Activity"),
}


@dataclass
class FollowUpRow:
    """A follow-up as the document prints it: once, labelled by the items it covers."""

    follow_up: FollowUp
    period: FollowUpPeriod
    kind: str  # the owner's kind: goal, indicator_item, indicator, assignment, activity
    items: list  # the covered subjects, owner first, in document order
    label: str  # "1–2", "3", the item's words when it has no number; "" for the goal itself
    position: int = 0

    @property
    def is_joint(self) -> bool:
        return len(self.items) > 1

    @property
    def kind_label(self) -> str:
        """E.g. "Indikator 1–2", "Uppdrag 4", "Nämndmål"."""
        kinds = {_item_kind(item) for item in self.items} or {self.kind}
        if len(kinds) > 1:
            return self.label
        word = str(KIND_LABELS[self.kind])
        numbered = all(_number(item) for item in self.items)
        return f"{word} {self.label}" if numbered and self.label else word

    @property
    def text(self):
        return self.follow_up.text

    @property
    def forecast(self):
        return self.follow_up.forecast

    @property
    def assignments(self) -> list[Assignment]:
        """The assignments the row covers, in document order."""
        return [item for item in self.items if isinstance(item, Assignment)]


@dataclass
class PeriodTable:
    """A goal's follow-up table of one period: "Uppföljning <date> | Bedömning helår <year>"."""

    period: FollowUpPeriod
    rows: list[FollowUpRow]

    @property
    def has_forecast(self) -> bool:
        return any(row.forecast for row in self.rows)


@dataclass
class ActivityEntry:
    """An activity with its follow-ups of the chosen periods, by date."""

    activity: Activity
    follow_ups: list[FollowUp] = field(default_factory=list)

    @property
    def latest_status(self):
        with_status = [f for f in self.follow_ups if f.status]
        return with_status[-1] if with_status else None


@dataclass
class IndicatorEntry:
    """A numbered indicator of the goal, with the measured indicators that follow it up."""

    item: GoalIndicatorItem | None
    measured: list[Indicator] = field(default_factory=list)

    @property
    def number(self):
        return self.item.number if self.item else ""

    @property
    def text(self):
        return self.item.text if self.item else self.measured[0].name


@dataclass
class GoalEntry:
    """A board goal as the plan document prints it."""

    goal: Goal
    anchor: str
    indicators: list[IndicatorEntry]
    municipal_goals: list
    assignments: list[Assignment]
    activities: list[ActivityEntry]
    tables: list[PeriodTable]
    summary: str = ""
    #: Narrative placed before the goal (PlanSection.before_goal), printed before its heading.
    sections_before: list[PlanSection] = field(default_factory=list)

    @property
    def intro(self):
        return self.goal.intro

    @property
    def assessments(self) -> list[FollowUpRow]:
        """The goal's own follow-ups (fulfilment and assessment), by date."""
        return [row for table in self.tables for row in table.rows if row.kind == "goal"]

    @property
    def rows(self) -> list[FollowUpRow]:
        return [row for table in self.tables for row in table.rows]


@dataclass
class AreaEntry:
    """An activity area (or the goal domain of goals without one): narrative, goals and the
    activities of an area without a goal of its own."""

    title: str
    anchor: str
    area: object = None
    sections: list[PlanSection] = field(default_factory=list)
    goals: list[GoalEntry] = field(default_factory=list)
    activities: list[ActivityEntry] = field(default_factory=list)


@dataclass
class AssignmentEntry:
    """An assignment (of a goal or plan-wide) with the follow-ups printed at it.

    `rows` are its own follow-ups and the joint ones whose first assignment it is; `joined`
    are the joint follow-ups printed at another assignment that also cover this one. Both by
    period date.
    """

    assignment: Assignment
    rows: list[FollowUpRow] = field(default_factory=list)
    joined: list[FollowUpRow] = field(default_factory=list)

    @property
    def follow_ups(self) -> list[FollowUp]:
        """Every follow-up about the assignment (own and joint), by date."""
        rows = sorted(self.rows + self.joined, key=lambda r: (r.period.date, r.follow_up.pk))
        return [row.follow_up for row in rows]

    @property
    def latest_status(self):
        with_status = [f for f in self.follow_ups if f.status]
        return with_status[-1] if with_status else None

    @property
    def lines(self) -> list[tuple[list[Assignment], FollowUpRow | None]]:
        """The lines of an assignment table (one period): each row printed here with the
        assignments it covers; the assignment alone when it has no follow-up; nothing when a
        joint follow-up printed at another assignment covers it."""
        if self.rows:
            return [(row.assignments, row) for row in self.rows]
        return [] if self.joined else [([self.assignment], None)]


@dataclass
class AssignmentGroup:
    """The plan's assignments of one origin: plan-wide ones by number, then the goals' ones
    in goal order."""

    origin: str
    entries: list[AssignmentEntry]

    @property
    def label(self):
        return AssignmentOrigin(self.origin).label


#: The order the assignment groups print in.
ORIGIN_ORDER = (AssignmentOrigin.MUNICIPAL, AssignmentOrigin.BOARD)


@dataclass
class PlanDocument:
    """The whole plan in document order with the follow-ups of `periods`."""

    plan: Plan
    periods: list[FollowUpPeriod]
    intro_sections: list[PlanSection]
    areas: list[AreaEntry]
    assignments: list[Assignment]  # assignments without a goal (plan-wide), by origin and number
    assignment_follow_ups: dict = field(default_factory=dict)
    #: Every assignment of the plan, by origin, with its follow-ups (AssignmentEntry).
    assignment_groups: list[AssignmentGroup] = field(default_factory=list)

    @property
    def goals(self) -> list[GoalEntry]:
        return [goal for area in self.areas for goal in area.goals]

    def goal(self, goal_id) -> GoalEntry | None:
        return next((g for g in self.goals if g.goal.pk == goal_id), None)

    @property
    def year_end_included(self) -> bool:
        return any(p.kind == "T3" for p in self.periods)


def _number(item) -> str:
    if isinstance(item, Indicator):
        return item.goal_item.number if item.goal_item_id and item.goal_item else ""
    return getattr(item, "number", "") or ""


def _item_kind(item) -> str:
    if isinstance(item, GoalIndicatorItem):
        return "indicator_item"
    if isinstance(item, Indicator):
        return "indicator"
    if isinstance(item, Assignment):
        return "assignment"
    if isinstance(item, Activity):
        return "activity"
    return "goal"


def _words(item) -> str:
    text = item.name if isinstance(item, Indicator) else item.text
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:59] + "…"


def _label(items) -> str:
    if not items or isinstance(items[0], Goal):
        return ""
    numbers = [_number(item) for item in items]
    if all(numbers):
        return coverage_label(numbers)
    return "; ".join(_words(item) for item in items)


def plan_document_get(
    *,
    plan: Plan,
    periods: list[FollowUpPeriod],
    goal: Goal | None = None,
    light: bool = False,
    activities: bool = True,
) -> PlanDocument:
    """The plan in document order with the follow-ups of `periods` (the caller decides which
    periods its reader may see). Nine queries at most, whatever the plan's size; with `goal`
    (loaded with its area and domain) only that goal is read, in seven — eight with the
    sections placed before it, unless the caller annotated the goal with
    `has_sections_before` False (the reader's goal page: no query for a goal without).

    `light` reads what a page listing goals and statuses needs, in one query less: no goal
    introductions and summaries, follow-up texts and forecasts (reading one of them then
    costs a query), and no links to municipal goals. `activities=False` leaves out the
    activities and their follow-ups (one query less)."""
    periods = sorted(periods, key=lambda p: p.date)
    period_ids = [p.pk for p in periods]
    periods_by_id = {p.pk: p for p in periods}

    goal_ids = None if goal is None else [goal.pk]
    if goal is None:
        sections = list(
            PlanSection.objects.filter(plan=plan, period__isnull=True)
            .select_related("area")
            .order_by("order", "pk")
        )
        goal_qs = Goal.objects.filter(plan=plan).select_related("area", "domain")
        if light:
            goal_qs = goal_qs.defer("intro", "summary")
        goals = list(goal_qs.order_by("area__order", "area__name", "order", "pk"))
    else:
        sections = []
        if getattr(goal, "has_sections_before", True):
            sections = list(
                PlanSection.objects.filter(before_goal=goal, period__isnull=True)
                .select_related("area")
                .order_by("order", "pk")
            )
        goals = [goal]
    goal_filter = {"goal__in": goal_ids} if goal_ids is not None else {"goal__plan": plan}

    items = defaultdict(list)
    for item in GoalIndicatorItem.objects.filter(**goal_filter).order_by("order", "pk"):
        items[item.goal_id].append(item)
    links = defaultdict(list)
    link_qs = GoalMunicipalGoal.objects.none() if light else GoalMunicipalGoal.objects
    for link in (
        link_qs.filter(**goal_filter)
        .select_related("municipal_goal__domain")
        .order_by("order", "pk")
    ):
        links[link.goal_id].append(link.municipal_goal)
    measured = defaultdict(list)
    for indicator in (
        Indicator.objects.filter(kind=IndicatorKind.GOAL, **goal_filter)
        .select_related("goal_item")
        .order_by("order", "name")
    ):
        measured[indicator.goal_id].append(indicator)
    with_activities, activities = activities, []
    if with_activities:
        activity_qs = Activity.objects.filter(plan=plan).select_related("area")
        if goal_ids is not None:
            activity_qs = activity_qs.filter(goal__in=goal_ids)
        activities = list(activity_qs.order_by("sort_key"))
    assignment_qs = Assignment.objects.filter(plan=plan)
    if goal_ids is not None:
        assignment_qs = assignment_qs.filter(goal__in=goal_ids)
    assignments = sorted(assignment_qs, key=lambda a: (a.origin, a.sort_key))

    follow_ups, coverage = [], defaultdict(list)
    if period_ids:
        follow_up_qs = FollowUp.objects.filter(period__in=period_ids)
        if goal_ids is not None:
            follow_up_qs = follow_up_qs.filter(
                Q(goal__in=goal_ids)
                | Q(indicator_item__goal__in=goal_ids)
                | Q(indicator__goal__in=goal_ids)
                | Q(assignment__goal__in=goal_ids)
                | Q(activity__goal__in=goal_ids)
            )
        if not with_activities:
            follow_up_qs = follow_up_qs.filter(activity__isnull=True)
        if light:
            follow_up_qs = follow_up_qs.defer("text", "forecast")
        follow_ups = list(follow_up_qs.select_related("fulfilment").order_by("pk"))
        for row in FollowUpCoverage.objects.filter(period__in=period_ids).order_by("pk"):
            coverage[row.follow_up_id].append(row)
    for follow_up in follow_ups:
        follow_up.period = periods_by_id[follow_up.period_id]

    # Every subject of the plan by key, and its place in its goal's document order.
    subjects = {}
    for plan_goal in goals:
        subjects[("goal", plan_goal.pk)] = plan_goal
    for goal_items in items.values():
        for item in goal_items:
            subjects[("indicator_item", item.pk)] = item
    for goal_measured in measured.values():
        for indicator in goal_measured:
            subjects[("indicator", indicator.pk)] = indicator
    for assignment in assignments:
        subjects[("assignment", assignment.pk)] = assignment

    by_goal_assignments = defaultdict(list)
    loose_assignments = []
    goals_by_id = {plan_goal.pk: plan_goal for plan_goal in goals}
    for assignment in assignments:
        if assignment.goal_id in goals_by_id:
            assignment.goal = goals_by_id[assignment.goal_id]  # read once, not per assignment
        if assignment.goal_id:
            by_goal_assignments[assignment.goal_id].append(assignment)
        else:
            loose_assignments.append(assignment)
    for goal_assignments in by_goal_assignments.values():
        goal_assignments.sort(key=lambda a: number_sort_key(a.number))

    position = {}
    for goal in goals:
        order = [("goal", goal.pk)]
        order += [("indicator_item", i.pk) for i in items[goal.pk]]
        order += [("indicator", m.pk) for m in measured[goal.pk] if not m.goal_item_id]
        order += [("assignment", a.pk) for a in by_goal_assignments[goal.pk]]
        for index, key in enumerate(order):
            position[key] = index
    # A measured indicator that follows up a numbered one stands in its place.
    for goal_measured in measured.values():
        for indicator in goal_measured:
            if indicator.goal_item_id:
                position[("indicator", indicator.pk)] = position.get(
                    ("indicator_item", indicator.goal_item_id), 0
                )

    activity_follow_ups = defaultdict(list)
    rows_by_goal = defaultdict(list)
    assignment_follow_ups = defaultdict(list)
    assignment_rows = []
    for follow_up in follow_ups:
        kind = follow_up.subject_kind
        if kind == "activity":
            activity_follow_ups[follow_up.activity_id].append(follow_up)
            continue
        owner = subjects.get((kind, getattr(follow_up, f"{kind}_id")))
        if owner is None:
            continue
        covered = [owner]
        for extra in coverage.get(follow_up.pk, []):
            field_name = "indicator_item" if extra.indicator_item_id else "assignment"
            item = subjects.get((field_name, getattr(extra, f"{field_name}_id")))
            if item is not None:
                covered.append(item)
        covered.sort(key=lambda s: position.get((_item_kind(s), s.pk), 0))
        goal_id = owner.pk if kind == "goal" else owner.goal_id
        row = FollowUpRow(
            follow_up=follow_up,
            period=follow_up.period,
            kind=kind,
            items=covered,
            label=_label(covered),
            position=min(position.get((_item_kind(s), s.pk), 0) for s in covered),
        )
        if row.assignments:
            assignment_rows.append(row)
        if kind == "assignment" and not goal_id:
            assignment_follow_ups[owner.pk].append(follow_up)
            continue
        rows_by_goal[goal_id].append(row)
    for entries in activity_follow_ups.values():
        entries.sort(key=lambda f: (f.period.date, f.pk))

    def tables(goal_id):
        by_period = defaultdict(list)
        for row in rows_by_goal.get(goal_id, []):
            by_period[row.period.pk].append(row)
        return [
            PeriodTable(
                period=period,
                rows=sorted(by_period[period.pk], key=lambda r: (r.position, r.follow_up.pk)),
            )
            for period in periods
            if by_period.get(period.pk)
        ]

    def activity_entries(goal_activities):
        return [ActivityEntry(a, activity_follow_ups.get(a.pk, [])) for a in goal_activities]

    goal_activities = defaultdict(list)
    area_activities = defaultdict(list)
    for activity in activities:
        if activity.goal_id:
            goal_activities[activity.goal_id].append(activity)
        else:
            area_activities[activity.area_id].append(activity)

    year_end_included = any(p.kind == "T3" for p in periods)
    # A section placed before one of the plan's goals prints there; one whose goal is not
    # read here (another goal's page) is left out, not moved into the narrative.
    before_goal = defaultdict(list)
    for section in sections:
        if section.before_goal_id:
            before_goal[section.before_goal_id].append(section)
    sections = [s for s in sections if not s.before_goal_id]
    intro = [s for s in sections if s.area_id is None]
    area_sections = defaultdict(list)
    for section in sections:
        if section.area_id:
            area_sections[section.area_id].append(section)

    # Groups in printed order: the board's areas, then goal domains, then goals with neither.
    groups = {}
    for section in sections:
        if section.area_id:
            groups.setdefault(("area", section.area_id), (section.area.order, section.area.name))
    for goal in goals:
        if goal.area_id:
            groups.setdefault(("area", goal.area_id), (goal.area.order, goal.area.name))
    for activity in activities:
        if not activity.goal_id and activity.area_id:
            groups.setdefault(("area", activity.area_id), (activity.area.order, activity.area.name))
    areas: list[AreaEntry] = []
    by_group = {}
    area_objects = {s.area_id: s.area for s in sections if s.area_id}
    area_objects.update({g.area_id: g.area for g in goals if g.area_id})
    area_objects.update({a.area_id: a.area for a in activities if a.area_id})
    for key, (_order, name) in sorted(groups.items(), key=lambda item: item[1]):
        entry = AreaEntry(
            title=name,
            anchor=f"area-{key[1]}",
            area=area_objects.get(key[1]),
            sections=area_sections[key[1]],
            activities=activity_entries(area_activities.get(key[1], [])),
        )
        by_group[key] = entry
        areas.append(entry)
    for goal in goals:
        if goal.area_id:
            key = ("area", goal.area_id)
        elif goal.domain_id:
            key = ("domain", goal.domain_id)
        else:
            key = ("none", 0)
        entry = by_group.get(key)
        if entry is None:
            title = goal.domain.name if goal.domain_id else _("Board goals")
            entry = AreaEntry(title=str(title), anchor=f"{key[0]}-{key[1]}")
            by_group[key] = entry
            areas.append(entry)
        indicator_entries = []
        linked = defaultdict(list)
        for indicator in measured[goal.pk]:
            if indicator.goal_item_id:
                linked[indicator.goal_item_id].append(indicator)
        for item in items[goal.pk]:
            indicator_entries.append(IndicatorEntry(item=item, measured=linked.get(item.pk, [])))
        for indicator in measured[goal.pk]:
            if not indicator.goal_item_id:
                indicator_entries.append(IndicatorEntry(item=None, measured=[indicator]))
        entry.goals.append(
            GoalEntry(
                goal=goal,
                anchor=f"goal-{goal.pk}",
                indicators=indicator_entries,
                municipal_goals=links[goal.pk],
                assignments=by_goal_assignments[goal.pk],
                activities=activity_entries(goal_activities[goal.pk]),
                tables=tables(goal.pk),
                summary=goal.summary if year_end_included and not light else "",
                sections_before=before_goal.get(goal.pk, []),
            )
        )
    goal_order = {g.goal.pk: index for index, g in enumerate(g for a in areas for g in a.goals)}
    # An area's activities without a goal print after its goals.
    return PlanDocument(
        plan=plan,
        periods=periods,
        intro_sections=intro,
        areas=areas,
        assignments=loose_assignments,
        assignment_follow_ups=dict(assignment_follow_ups),
        assignment_groups=_assignment_groups(
            loose_assignments, by_goal_assignments, goal_order, assignment_rows
        ),
    )


def _assignment_groups(loose, by_goal, goal_order, rows) -> list[AssignmentGroup]:
    """Every assignment by origin (plan-wide ones by number, then the goals' in goal order),
    each row printed at the first assignment it covers in that order."""
    ordered = list(loose)
    for goal_id in sorted(by_goal, key=lambda pk: goal_order.get(pk, len(goal_order))):
        ordered += by_goal[goal_id]
    ordered.sort(key=lambda a: ORIGIN_ORDER.index(a.origin) if a.origin in ORIGIN_ORDER else 99)
    entries = {a.pk: AssignmentEntry(assignment=a) for a in ordered}
    place = {pk: index for index, pk in enumerate(entries)}
    for row in sorted(rows, key=lambda r: (r.period.date, r.follow_up.pk)):
        covered = sorted(row.assignments, key=lambda a: place.get(a.pk, len(place)))
        covered = [a for a in covered if a.pk in entries]
        if not covered:
            continue
        entries[covered[0].pk].rows.append(row)
        for other in covered[1:]:
            entries[other.pk].joined.append(row)
    groups = []
    for origin in dict.fromkeys([*ORIGIN_ORDER, *(a.origin for a in ordered)]):
        group = [entry for entry in entries.values() if entry.assignment.origin == origin]
        if group:
            groups.append(AssignmentGroup(origin=origin, entries=group))
    return groups
