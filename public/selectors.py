"""Reads for the public reader, each page in a fixed number of SQL queries whatever the data size.

Who sees what is decided by `access.policy` alone:

- a follow-up (text, forecast, goal fulfilment, activity status) is shown when its period is
  visible to the reader (`policy.visible_periods_q`): published periods for everyone, every
  period of their own boards for readers, editors and approvers;
- a plan — with its goals, activities, assignments and indicators — is shown when at least one
  of its follow-up periods is visible to the reader. The plan's structure is the adopted plan,
  but the reader presents it together with its follow-ups, and a plan that has been published
  in no follow-up has not been released through the board's workflow yet;
- an indicator value of year Y is public once the board has published a year-end (T3) period
  for Y or a later year (the year-end report shows the earlier years beside its own, as the
  API does); readers of the board see every value, later years marked as drafts.

Content that only a board member sees (a period not yet published) is marked as a draft.
Selectors return plain dataclasses; the templates only lay them out. A missing or hidden
object raises the model's DoesNotExist, which the views turn into 404.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Exists, Expression, F, Max, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from access import policy
from access.choices import Action
from activities.choices import AssignmentOrigin, WorkStatus
from activities.models import Activity, Assignment
from core.charts import LINE_COLOURS, TARGET_COLOUR, trend_chart_svg
from core.text import MINUS, format_decimal
from followups.document import ActivityEntry, AssignmentEntry, GoalEntry, plan_document_get
from followups.models import FollowUp
from goals.choices import PeriodKind, PeriodStatus
from goals.models import (
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    Plan,
    PlanSection,
)
from indicators.choices import Gender, Tertial
from indicators.models import Indicator, IndicatorValue
from reports.selectors import Trend, trend_get

#: Words for a period's workflow status, for the draft marking.
STATUS_WORDS = {
    PeriodStatus.OPEN: _("open"),
    PeriodStatus.SUBMITTED: _("submitted"),
    PeriodStatus.APPROVED: _("approved, not published"),
    PeriodStatus.PUBLISHED: _("published"),
}

#: How the chart draws each line, in words for the legend (same order as the chart's styles).
LINE_WORDS = (_("solid line"), _("dashed line"), _("dotted line"))
LINE_DASHES = ("", "4 3", "1 2")


# -- visibility -------------------------------------------------------------------------------


def visible_periods(user):
    """Follow-up periods the user may read (policy)."""
    return FollowUpPeriod.objects.filter(policy.visible_periods_q(user))


def visible_plans(user):
    """Plans the user may read (policy.visible_plans_q)."""
    return Plan.objects.filter(policy.visible_plans_q(user))


def is_draft(period) -> bool:
    """Content of a period that is not published is a draft: only board members see it."""
    return not period.is_published


def _mark_periods(periods):
    for period in periods:
        period.is_draft = is_draft(period)
        period.status_word = STATUS_WORDS.get(period.status, period.status)
    return periods


def _plan_periods(user, plan) -> list[FollowUpPeriod]:
    """The plan's periods the user may read, by date (none for an adopted plan not yet
    followed up); DoesNotExist when the user may not read the plan (policy.visible_plans_q)."""
    periods = list(visible_periods(user).filter(plan=plan).order_by("date"))
    if not periods and not policy.can_view_plan(user, plan):
        raise Plan.DoesNotExist("Hidden plan.")
    for period in periods:
        period.plan = plan
    return _mark_periods(periods)


@dataclass
class ValueScope:
    """Which indicator values of one board the user may read, and which of them are drafts."""

    published_until: int | None
    drafts: bool

    def visible(self, year: int) -> bool:
        return self.drafts or (self.published_until is not None and year <= self.published_until)

    def is_draft(self, year: int) -> bool:
        return self.published_until is None or year > self.published_until


def value_scope_get(*, user, board_id: int) -> ValueScope:
    """Values are public up to the board's latest published year-end; members see them all."""
    until = FollowUpPeriod.objects.filter(
        plan__board_id=board_id, kind=PeriodKind.TERTIAL_3, status=PeriodStatus.PUBLISHED
    ).aggregate(year=Max("plan__year"))["year"]
    return ValueScope(published_until=until, drafts=policy.can(user, Action.VIEW_DRAFT, board_id))


# -- start page and board page ----------------------------------------------------------------


@dataclass
class BoardEntry:
    """A board with the plans (years) the user may read, newest first."""

    board: Board
    plans: list[Plan] = field(default_factory=list)


def _plans_with_draft_flag(user):
    published = FollowUpPeriod.objects.filter(plan=OuterRef("pk"), status=PeriodStatus.PUBLISHED)
    return visible_plans(user).annotate(has_published=Exists(published))


def start_get(*, user) -> list[BoardEntry]:
    """Every board with at least one readable plan, with those plans: one query."""
    entries: dict[int, BoardEntry] = {}
    plans = (
        _plans_with_draft_flag(user)
        .select_related("board__municipality")
        .order_by("board__municipality__name", "board__name", "board__valid_from", "-year")
    )
    for plan in plans:
        entry = entries.setdefault(plan.board_id, BoardEntry(board=plan.board))
        entry.plans.append(plan)
    return list(entries.values())


@dataclass
class BoardPage:
    """A board: its readable plans, and the boards before and after it that have some."""

    board: Board
    plans: list[Plan]
    predecessors: list[Board]
    successors: list[Board]


def board_page_get(*, user, board_id: int) -> BoardPage:
    readable = Board.objects.filter(Exists(visible_plans(user).filter(board=OuterRef("pk"))))
    board = (
        Board.objects.select_related("municipality")
        .prefetch_related(
            Prefetch("predecessors", queryset=readable.order_by("valid_from", "name")),
            Prefetch("successors", queryset=readable.order_by("valid_from", "name")),
        )
        .get(pk=board_id)
    )
    plans = list(_plans_with_draft_flag(user).filter(board=board).order_by("-year"))
    if not plans:
        raise Board.DoesNotExist("No readable plan.")
    return BoardPage(
        board=board,
        plans=plans,
        predecessors=list(board.predecessors.all()),
        successors=list(board.successors.all()),
    )


# -- plan page --------------------------------------------------------------------------------


@dataclass
class StatusCount:
    """How many of a goal's activities stand at one status (or have none)."""

    label: str
    count: int
    code: str


@dataclass
class GoalCard:
    """A goal as the plan page lists it: fulfilment badge, activity status counts, links."""

    goal: Goal
    assessment: FollowUp | None
    activity_count: int
    status_counts: list[StatusCount]
    indicator_count: int
    #: Narrative placed before the goal (PlanSection.before_goal), shown before its card.
    sections_before: list[PlanSection] = field(default_factory=list)

    @property
    def fulfilment(self):
        return self.assessment.fulfilment if self.assessment else None


@dataclass
class GoalGroup:
    """The goals of one activity area (or goal domain), with the area's narrative and the
    activities of an area without a goal of its own — as the plan document groups them."""

    title: str
    anchor: str
    sections: list[PlanSection] = field(default_factory=list)
    goals: list[GoalCard] = field(default_factory=list)
    activities: list[ActivityEntry] = field(default_factory=list)

    @property
    def runs(self) -> list[tuple[list[PlanSection], list[GoalCard]]]:
        """The goal cards in runs, each after the narrative placed before its first goal: the
        page prints a section, then the list of cards up to the next section."""
        runs = []
        for card in self.goals:
            if not runs or card.sections_before:
                runs.append((card.sections_before, []))
            runs[-1][1].append(card)
        return runs


@dataclass
class PlanPage:
    """Everything the plan page shows."""

    plan: Plan
    periods: list[FollowUpPeriod]
    intro: list[PlanSection]
    groups: list[GoalGroup]
    year_end: FollowUpPeriod | None
    assignment_count: int
    levels: list[FulfilmentLevel]

    @property
    def latest(self):
        return self.periods[-1]

    @property
    def is_draft(self):
        return any(period.is_draft for period in self.periods)


def plan_get(*, user, board_id: int, year: int) -> tuple[Plan, list[FollowUpPeriod]]:
    """The plan and its readable periods, read together in one query; DoesNotExist when the
    plan is missing or hidden. A plan without a readable period is shown when the user may
    read the plan itself (adopted, policy.visible_plans_q): one more query, then."""
    periods = list(
        visible_periods(user)
        .filter(plan__board_id=board_id, plan__year=year)
        .select_related("plan__board__municipality")
        .order_by("date")
    )
    if not periods:
        plan = (
            Plan.objects.filter(policy.visible_plans_q(user))
            .select_related("board__municipality")
            .get(board_id=board_id, year=year)
        )
        return plan, []
    plan = periods[0].plan
    for period in periods:
        period.plan = plan
    return plan, _mark_periods(periods)


def _status_counts(activities: list[ActivityEntry]) -> list[StatusCount]:
    """How many activities stand at each status (their latest one), and how many have none."""
    counter = Counter(a.latest_status.status if a.latest_status else "" for a in activities)
    counts = [
        StatusCount(label=str(label), count=counter[value], code=value)
        for value, label in WorkStatus.choices
        if counter[value]
    ]
    if counter[""]:
        counts.append(StatusCount(label="Ingen status angiven", count=counter[""], code="none"))
    return counts


def _goal_card(entry: GoalEntry, by_id) -> GoalCard:
    """A goal of the plan document as a card: its latest fulfilment among the periods read,
    its activities' statuses (when the document read them) and its measured indicators."""
    with_level = [row.follow_up for row in entry.assessments if row.follow_up.fulfilment_id]
    assessment = _attach(with_level[-1:], by_id)[0] if with_level else None
    return GoalCard(
        goal=entry.goal,
        assessment=assessment,
        activity_count=len(entry.activities),
        status_counts=_status_counts(entry.activities),
        indicator_count=sum(len(i.measured) for i in entry.indicators),
        sections_before=entry.sections_before,
    )


def plan_page_get(*, user, board_id: int, year: int) -> PlanPage:
    """The plan grouped and ordered as the plan document (followups.document) reads it, each
    goal with its latest fulfilment and its activities' statuses; read light (no follow-up
    texts): a plan can have hundreds of activities with a follow-up in each period."""
    plan, periods = plan_get(user=user, board_id=board_id, year=year)
    by_id = {p.pk: p for p in periods}
    document = plan_document_get(plan=plan, periods=periods, light=True)
    groups = [
        GoalGroup(
            title=area.title,
            anchor=area.anchor,
            sections=area.sections,
            goals=[_goal_card(entry, by_id) for entry in area.goals],
            activities=area.activities,
        )
        for area in document.areas
    ]
    levels = list(FulfilmentLevel.objects.filter(municipality_id=plan.board.municipality_id))
    return PlanPage(
        plan=plan,
        periods=periods,
        intro=document.intro_sections,
        groups=groups,
        year_end=next((p for p in periods if p.kind == PeriodKind.TERTIAL_3), None),
        assignment_count=sum(len(group.entries) for group in document.assignment_groups),
        levels=levels,
    )


# -- indicators -------------------------------------------------------------------------------


@dataclass
class ValueCell:
    """One value as printed: the number or the text, and whether it is still a draft."""

    year: int
    text: str = ""
    is_draft: bool = False
    note: str = ""
    is_number: bool = False


@dataclass
class ValueRow:
    """A row of an indicator's value table: the total or one breakdown."""

    label: str
    cells: list[ValueCell]
    trend: Trend | None


@dataclass
class LegendItem:
    """What a line of the chart stands for, in words, with a sample of its stroke."""

    label: str
    colour: str
    dash: str
    words: str


@dataclass
class IndicatorBlock:
    """An indicator with its value table, chart (with target line) and trend."""

    indicator: Indicator
    years: list[int]
    rows: list[ValueRow]
    chart: SafeString | None
    legend: list[LegendItem]
    trend: Trend | None
    has_draft: bool
    follow_ups: list[FollowUp] = field(default_factory=list)
    row_count: int = 0
    row_page: int = 1
    row_pages: int = 1
    hidden_years: int = 0

    @property
    def pages(self):
        return range(1, self.row_pages + 1)

    @property
    def first_year(self):
        return self.years[0] if self.years else None

    @property
    def last_year(self):
        return self.years[-1] if self.years else None


BREAKDOWN_ORDER = {Gender.TOTAL: 0, Gender.WOMEN: 1, Gender.MEN: 2}


def _value_text(value: IndicatorValue) -> str:
    if value.value is None:
        return value.text_value
    text = format_decimal(value.value).replace("-", MINUS)
    return gettext("Estimated %(value)s") % {"value": text} if value.is_estimate else text


def _breakdown_label(category, gender, alone):
    if category:
        return category if gender == Gender.TOTAL else f"{category} {Gender(gender).label}"
    if gender == Gender.TOTAL:
        return gettext("Value") if alone else str(Gender.TOTAL.label)
    return str(Gender(gender).label)


#: A reader page shows at most this many breakdown rows of an indicator per page and this
#: many of its latest years: an indicator with 100,000 values (say 5,000 categories over 20
#: years) must not make a page of tens of megabytes. The open data has every value.
MAX_ROWS = 40
MAX_YEARS = 12


def indicator_block_build(indicator, values, scope: ValueScope, *, row_page=1) -> IndicatorBlock:
    """The value table, trend and chart of `indicator` from its yearly `values` (no queries):
    the latest MAX_YEARS years and the MAX_ROWS breakdown rows of page `row_page`."""
    series = defaultdict(dict)
    for value in values:
        if value.tertial == Tertial.YEAR and scope.visible(value.year):
            series[(value.category, value.gender)][value.year] = value
    keys = sorted(series, key=lambda k: (k[0] != "", k[0], BREAKDOWN_ORDER.get(k[1], 3)))
    all_years = sorted({year for by_year in series.values() for year in by_year})
    years = all_years[-MAX_YEARS:]
    row_pages = max(1, -(-len(keys) // MAX_ROWS))
    row_page = min(max(1, row_page), row_pages)
    row_count = len(keys)
    keys = keys[(row_page - 1) * MAX_ROWS : row_page * MAX_ROWS]
    series = {key: series[key] for key in keys}
    rows, numeric = [], {}
    for key in keys:
        by_year = series[key]
        label = _breakdown_label(*key, alone=len(keys) == 1)
        cells = [
            ValueCell(
                year=year,
                text=_value_text(by_year[year]) if year in by_year else "",
                is_draft=year in by_year and scope.is_draft(year),
                note=by_year[year].note if year in by_year else "",
                is_number=year in by_year and by_year[year].value is not None,
            )
            for year in years
        ]
        ordered = [by_year[year].value for year in sorted(by_year)]
        rows.append(
            ValueRow(label=label, cells=cells, trend=trend_get(ordered, indicator.direction))
        )
        numeric[key] = [(y, v.value) for y, v in sorted(by_year.items()) if v.value is not None]

    lines = []
    total = numeric.get(("", Gender.TOTAL), [])
    if len(total) >= 2:
        lines.append((_breakdown_label("", Gender.TOTAL, alone=True), total))
    else:
        for key in keys:
            if len(numeric[key]) >= 2:
                lines.append((_breakdown_label(*key, alone=False), numeric[key]))
    lines = lines[: len(LINE_COLOURS)]
    target = indicator.target_value
    chart, legend = None, []
    if lines:
        svg = trend_chart_svg(
            [points for _, points in lines], target, salt=f"indicator-{indicator.pk}"
        )
        chart = mark_safe(svg) if svg else None  # noqa: S308 - drawn from numbers only
        legend = [
            LegendItem(label=label, colour=colour, dash=dash, words=words)
            for (label, _), colour, dash, words in zip(
                lines, LINE_COLOURS, LINE_DASHES, LINE_WORDS, strict=False
            )
        ]
        if target is not None:
            legend.append(
                LegendItem(
                    label=gettext("Target %(target)s") % {"target": indicator.target_display},
                    colour=TARGET_COLOUR,
                    dash="3 2",
                    words=gettext("thin dashed line in red"),
                )
            )
    main = rows[0] if rows else None
    return IndicatorBlock(
        indicator=indicator,
        years=years,
        rows=rows,
        chart=chart,
        legend=legend,
        trend=main.trend if main else None,
        has_draft=any(cell.is_draft for row in rows for cell in row.cells),
        row_count=row_count,
        row_page=row_page,
        row_pages=row_pages,
        hidden_years=len(all_years) - len(years),
    )


def _values_prefetch():
    return Prefetch(
        "values",
        queryset=IndicatorValue.objects.filter(tertial=Tertial.YEAR).order_by("year"),
        to_attr="year_values",
    )


# -- goal page --------------------------------------------------------------------------------


@dataclass
class GoalPage:
    """Everything the goal page shows: the goal as the plan document reads it
    (followups.document) with the follow-ups of the periods the reader may see."""

    goal: Goal
    plan: Plan
    periods: list[FollowUpPeriod]
    entry: GoalEntry
    assessments: list[FollowUp]
    indicators: list[IndicatorBlock]
    activities: list[ActivityEntry]
    summary: str

    @property
    def year_end(self):
        return next((p for p in self.periods if p.kind == PeriodKind.TERTIAL_3), None)

    @property
    def latest_assessment(self):
        with_level = [a for a in self.assessments if a.fulfilment_id]
        return with_level[-1] if with_level else None

    @property
    def numbered_indicators(self):
        return [entry for entry in self.entry.indicators if entry.item is not None]

    @property
    def item_tables(self):
        """The follow-up tables without the goal's own assessment (shown above them)."""
        tables = []
        for table in self.entry.tables:
            rows = [row for row in table.rows if row.kind != "goal"]
            if rows:
                tables.append((table.period, rows))
        return tables


def _attach(follow_ups, periods_by_id):
    for follow_up in follow_ups:
        follow_up.period = periods_by_id[follow_up.period_id]
        follow_up.is_draft = follow_up.period.is_draft
    return follow_ups


def goal_page_get(*, user, goal_id: int) -> GoalPage:
    """A goal with its introduction, numbered indicators, links, assignments, activities and
    every follow-up (goal, indicator, assignment, activity, joint) of the readable periods."""
    goal = (
        Goal.objects.select_related("plan__board__municipality", "area", "domain")
        .annotate(
            # The text placed before the goal is read only when there is some.
            has_sections_before=Exists(
                PlanSection.objects.filter(before_goal=OuterRef("pk"), period__isnull=True)
            )
        )
        .get(pk=goal_id)
    )
    try:
        periods = _plan_periods(user, goal.plan)
    except Plan.DoesNotExist:
        raise Goal.DoesNotExist("Hidden plan.") from None
    by_id = {p.pk: p for p in periods}
    document = plan_document_get(plan=goal.plan, periods=periods, goal=goal)
    entry = document.goal(goal.pk)
    for row in entry.rows:
        _attach([row.follow_up], by_id)
    for activity_entry in entry.activities:
        _attach(activity_entry.follow_ups, by_id)
    assessments = [row.follow_up for row in entry.assessments]
    indicators = [m for indicator in entry.indicators for m in indicator.measured]
    values = defaultdict(list)
    if indicators:
        for value in IndicatorValue.objects.filter(
            indicator__in=[i.pk for i in indicators], tertial=Tertial.YEAR
        ).order_by("year"):
            values[value.indicator_id].append(value)
    for indicator in indicators:
        indicator.year_values = values[indicator.pk]
    scope = value_scope_get(user=user, board_id=goal.plan.board_id) if indicators else None
    year_end_visible = any(p.kind == PeriodKind.TERTIAL_3 for p in periods)
    return GoalPage(
        goal=goal,
        plan=goal.plan,
        periods=periods,
        entry=entry,
        assessments=assessments,
        indicators=[indicator_block_build(i, i.year_values, scope) for i in indicators],
        activities=entry.activities,
        summary=goal.summary if year_end_visible else "",
    )


# -- activity and indicator pages --------------------------------------------------------------


@dataclass
class ActivityPage:
    """An activity with its goal and its follow-ups in the readable periods."""

    activity: Activity
    plan: Plan
    periods: list[FollowUpPeriod]
    follow_ups: list[FollowUp]


def activity_page_get(*, user, activity_id: int) -> ActivityPage:
    activity = Activity.objects.select_related(
        "area", "goal__area", "goal__domain", "plan__board__municipality"
    ).get(pk=activity_id)
    try:
        periods = _plan_periods(user, activity.plan)
    except Plan.DoesNotExist:
        raise Activity.DoesNotExist("Hidden plan.") from None
    by_id = {p.pk: p for p in periods}
    follow_ups = _attach(
        list(FollowUp.objects.filter(activity=activity, period__in=by_id).order_by("period__date")),
        by_id,
    )
    return ActivityPage(
        activity=activity, plan=activity.plan, periods=periods, follow_ups=follow_ups
    )


@dataclass
class IndicatorPage:
    """An indicator with all its readable values, chart, and follow-up texts."""

    block: IndicatorBlock
    plan: Plan | None
    scope: ValueScope

    @property
    def indicator(self):
        return self.block.indicator


def indicator_page_get(*, user, indicator_id: int, row_page: int = 1) -> IndicatorPage:
    """The indicator when its goal's plan (or, without a goal, any plan of its board) is
    readable; its values by the board's value scope; its follow-ups of readable periods."""
    indicator = (
        Indicator.objects.select_related("board__municipality", "goal__plan__board")
        .prefetch_related(_values_prefetch())
        .get(pk=indicator_id)
    )
    plans = visible_plans(user)
    if indicator.goal_id:
        plan = indicator.goal.plan
        if not plans.filter(pk=plan.pk).exists():
            raise Indicator.DoesNotExist("Hidden plan.")
    else:
        plan = None
        if not plans.filter(board_id=indicator.board_id).exists():
            raise Indicator.DoesNotExist("Hidden board.")
    scope = value_scope_get(user=user, board_id=indicator.board_id)
    block = indicator_block_build(indicator, indicator.year_values, scope, row_page=row_page)
    block.follow_ups = list(
        FollowUp.objects.filter(indicator=indicator)
        .filter(policy.visible_periods_q(user, "period__"))
        .select_related("period__plan")
        .order_by("period__date")
    )
    _mark_periods([f.period for f in block.follow_ups])
    for follow_up in block.follow_ups:
        follow_up.is_draft = follow_up.period.is_draft
    return IndicatorPage(block=block, plan=plan, scope=scope)


# -- assignments and year-end -----------------------------------------------------------------


@dataclass
class AssignmentGroup:
    title: str
    assignments: list[AssignmentEntry]


@dataclass
class AssignmentsPage:
    plan: Plan
    periods: list[FollowUpPeriod]
    groups: list[AssignmentGroup]


ORIGIN_TITLES = {
    AssignmentOrigin.MUNICIPAL: _("Municipal strategic development assignments"),
    AssignmentOrigin.BOARD: _("Board-specific development assignments"),
}


def _assignment_groups(document, by_id) -> list[AssignmentGroup]:
    """The plan document's assignments by origin, their follow-ups marked as drafts or not."""
    groups = []
    for group in document.assignment_groups:
        for entry in group.entries:
            _attach([row.follow_up for row in entry.rows + entry.joined], by_id)
        title = ORIGIN_TITLES.get(group.origin, group.label)
        groups.append(AssignmentGroup(title=title, assignments=group.entries))
    return groups


def assignments_page_get(*, user, board_id: int, year: int) -> AssignmentsPage:
    """Every assignment of the plan (the goals' too) by origin as the plan document reads
    them, with the follow-ups of the readable periods: a joint one once, at its first
    assignment."""
    plan, periods = plan_get(user=user, board_id=board_id, year=year)
    by_id = {p.pk: p for p in periods}
    document = plan_document_get(plan=plan, periods=periods, activities=False)
    return AssignmentsPage(plan=plan, periods=periods, groups=_assignment_groups(document, by_id))


@dataclass
class LevelCount:
    level: FulfilmentLevel | None
    count: int


@dataclass
class YearEndPage:
    """The year-end follow-up: fulfilment overview per goal, the assignments' statuses,
    narrative sections."""

    plan: Plan
    period: FollowUpPeriod
    groups: list[GoalGroup]
    level_counts: list[LevelCount]
    sections: list[PlanSection]
    goal_count: int
    assignment_groups: list[AssignmentGroup]

    @property
    def assignment_count(self):
        return sum(len(group.assignments) for group in self.assignment_groups)


def year_end_page_get(*, user, board_id: int, year: int) -> YearEndPage:
    """The year-end period's goal fulfilment and assignment statuses, grouped and ordered as
    the plan document reads them (light: the texts are on the goal and assignment pages)."""
    plan, periods = plan_get(user=user, board_id=board_id, year=year)
    period = next((p for p in periods if p.kind == PeriodKind.TERTIAL_3), None)
    if period is None:
        raise Plan.DoesNotExist("No readable year-end period.")
    by_id = {period.pk: period}
    document = plan_document_get(plan=plan, periods=[period], light=True, activities=False)
    groups = [
        GoalGroup(
            title=area.title,
            anchor=area.anchor,
            goals=[_goal_card(entry, by_id) for entry in area.goals],
        )
        for area in document.areas
        if area.goals
    ]
    cards = [card for group in groups for card in group.goals]
    levels = list(FulfilmentLevel.objects.filter(municipality_id=plan.board.municipality_id))
    counter = Counter(card.assessment.fulfilment_id if card.fulfilment else None for card in cards)
    level_counts = [LevelCount(level, counter[level.pk]) for level in levels]
    if counter[None]:
        level_counts.append(LevelCount(None, counter[None]))
    return YearEndPage(
        plan=plan,
        period=period,
        groups=groups,
        level_counts=level_counts,
        sections=list(PlanSection.objects.filter(period=period).order_by("order", "pk")),
        goal_count=len(cards),
        assignment_groups=_assignment_groups(document, by_id),
    )


# -- search -----------------------------------------------------------------------------------

#: Hits shown per kind of content.
SEARCH_LIMIT = 25
#: Matches per kind that are ranked (PostgreSQL): the most recent ones.
SEARCH_CANDIDATES = 100
#: Longest query accepted (characters).
QUERY_MAX = 200
# Markers PostgreSQL puts around matched words; replaced by <mark> after escaping the text.
_START, _STOP = "\ue000", "\ue001"


@dataclass
class SearchHit:
    """One search result: what it is, where it lives, and a snippet with the words marked."""

    kind: str
    kind_label: str
    title: str
    url: str
    snippet: SafeString
    context: str
    rank: float
    is_draft: bool = False
    period: FollowUpPeriod | None = None


@dataclass
class SearchResult:
    query: str
    hits: list[SearchHit]
    truncated: bool


def _short(text, length=110):
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _marked(snippet: str) -> SafeString:
    """Escape a PostgreSQL headline, then turn its markers into <mark> elements."""
    text = escape(" ".join(snippet.split()))
    return mark_safe(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308


def _highlight(text: str, terms: list[str], width: int = 220) -> SafeString:
    """A window of `text` around the first term, escaped, with every term marked (SQLite)."""
    text = " ".join(str(text).split())
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    match = pattern.search(text)
    first = match.start() if match else 0
    start = max(0, first - width // 3)
    if start:  # begin at a word
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = start + width
    if end < len(text):  # end at a word
        space = text.rfind(" ", start, end)
        end = space if space > start + width // 2 else end
    window = text[start:end]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    parts, last = [], 0
    for found in pattern.finditer(window):
        parts.append(escape(window[last : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    parts.append(escape(window[last:]))
    return mark_safe(prefix + "".join(parts) + suffix)  # noqa: S308 - pieces escaped above


def _plan_context(plan):
    return gettext("%(board)s, plan %(year)s") % {"board": plan.board.name, "year": plan.year}


def _follow_up_target(follow_up):
    """Title, URL and kind of subject of a follow-up hit."""
    date = f"{follow_up.period.date:%Y-%m-%d}"
    if follow_up.activity_id:
        activity = follow_up.activity
        return (
            gettext("Follow-up %(date)s of activity %(number)s: %(text)s")
            % {"date": date, "number": activity.number, "text": _short(activity.text, 80)},
            reverse("public:activity", args=[activity.pk]) + f"#period-{follow_up.period_id}",
        )
    if follow_up.goal_id:
        return (
            gettext("Assessment %(date)s of the board goal: %(text)s")
            % {"date": date, "text": _short(follow_up.goal.text, 80)},
            reverse("public:goal", args=[follow_up.goal_id]) + f"#bedomning-{follow_up.period_id}",
        )
    if follow_up.indicator_id:
        return (
            gettext("Follow-up %(date)s of the indicator: %(text)s")
            % {"date": date, "text": _short(follow_up.indicator.name, 80)},
            reverse("public:indicator", args=[follow_up.indicator_id]),
        )
    assignment = follow_up.assignment
    plan = follow_up.period.plan
    return (
        gettext("Follow-up %(date)s of assignment %(number)s: %(text)s")
        % {"date": date, "number": assignment.number, "text": _short(assignment.text, 80)},
        reverse("public:assignments", args=[plan.board_id, plan.year])
        + f"#uppdrag-{assignment.pk}",
    )


def _search_querysets(user):
    """The four kinds of searchable content, each limited to what `user` may read.

    The readable periods are read first (one query) and the searches filter on their ids.
    """
    periods = list(visible_periods(user).values_list("pk", "plan_id", "plan__board_id"))
    period_ids = [period for period, _plan, _board in periods]
    plan_ids = {plan for _period, plan, _board in periods}
    board_ids = {board for _period, _plan, board in periods}
    # "id + 0" rather than the bare foreign key: PostgreSQL then finds the words through the
    # GIN index and checks the id on the matched rows, instead of reading every row of the
    # readable periods through the foreign key's index and computing its tsvector.
    goals = Goal.objects.alias(in_plan=F("plan_id") + 0).filter(in_plan__in=plan_ids)
    activities = Activity.objects.alias(in_plan=F("plan_id") + 0).filter(in_plan__in=plan_ids)
    follow_ups = (
        FollowUp.objects.alias(in_period=F("period_id") + 0)
        .filter(in_period__in=period_ids)
        .exclude(text="", forecast="")
    )
    indicators = Indicator.objects.filter(
        Q(goal__plan_id__in=plan_ids) | Q(goal__isnull=True, board_id__in=board_ids)
    )
    # The plan's own sections (introduction, area narratives) with a readable period of
    # the plan; a report's sections only with their period readable.
    sections = PlanSection.objects.alias(in_plan=F("plan_id") + 0).filter(
        Q(period__isnull=True, in_plan__in=plan_ids) | Q(period_id__in=period_ids)
    )
    return goals, activities, follow_ups, indicators, sections


#: What each kind of hit shows besides itself (a follow-up's subject comes separately).
SEARCH_RELATED = {
    "goal": ("plan__board",),
    "activity": ("plan__board",),
    "follow_up": ("period__plan__board",),
    "indicator": ("board",),
    "section": ("plan__board",),
}


def _attach_subjects(rows):
    """Give the follow-up hits their subjects, read in one query for all of them.

    Joining the four optional subjects into the ranked query costs PostgreSQL more time to
    plan than the search itself takes.
    """
    follow_ups = [row for row, _rank, _snippet in rows[:SEARCH_LIMIT]]
    if not follow_ups:
        return
    fields = (
        "pk",
        "activity__number",
        "activity__text",
        "goal__text",
        "indicator__name",
        "assignment__number",
        "assignment__text",
    )
    subjects = {
        values["pk"]: values
        for values in FollowUp.objects.filter(pk__in=[f.pk for f in follow_ups]).values(*fields)
    }
    for follow_up in follow_ups:
        values = subjects[follow_up.pk]
        if follow_up.activity_id:
            follow_up.activity = Activity(
                pk=follow_up.activity_id,
                number=values["activity__number"],
                text=values["activity__text"],
            )
        elif follow_up.goal_id:
            follow_up.goal = Goal(pk=follow_up.goal_id, text=values["goal__text"])
        elif follow_up.indicator_id:
            follow_up.indicator = Indicator(
                pk=follow_up.indicator_id, name=values["indicator__name"]
            )
        elif follow_up.assignment_id:
            follow_up.assignment = Assignment(
                pk=follow_up.assignment_id,
                number=values["assignment__number"],
                text=values["assignment__text"],
            )


def search_get(*, user, query: str) -> SearchResult:
    """Goals, activities, follow-ups and indicators matching `query`, best first.

    Six queries (the readable periods, one per kind, the follow-up hits' subjects), five when
    no follow-up matches. PostgreSQL: full-text search with the Swedish configuration
    (stemming), ranked, with the matched words marked in a headline. Elsewhere (SQLite):
    every word as a substring.
    """
    query = " ".join(query.split())[:QUERY_MAX]
    if not query:
        return SearchResult(query="", hits=[], truncated=False)
    querysets = _search_querysets(user)
    if connection.vendor == "postgresql":
        found = _search_postgres(query, *querysets)
    else:
        found = _search_substring(query, *querysets)
    _attach_subjects(dict(found)["follow_up"])
    hits, truncated = [], False
    for kind, rows in found:
        truncated |= len(rows) > SEARCH_LIMIT
        for row, rank, snippet in rows[:SEARCH_LIMIT]:
            hits.append(_hit(kind, row, rank, snippet))
    hits.sort(key=lambda hit: -hit.rank)
    return SearchResult(query=query, hits=hits, truncated=truncated)


def _hit(kind, row, rank, snippet) -> SearchHit:
    if kind == "goal":
        return SearchHit(
            kind=kind,
            kind_label=gettext("Board goal"),
            title=_short(row.text),
            url=reverse("public:goal", args=[row.pk]),
            snippet=snippet,
            context=_plan_context(row.plan),
            rank=rank,
        )
    if kind == "activity":
        return SearchHit(
            kind=kind,
            kind_label=gettext("Activity"),
            title=f"{row.number} {_short(row.text)}",
            url=reverse("public:activity", args=[row.pk]),
            snippet=snippet,
            context=_plan_context(row.plan),
            rank=rank,
        )
    if kind == "section":
        return SearchHit(
            kind=kind,
            kind_label=gettext("Plan text"),
            title=_short(row.title),
            url=reverse("public:plan", args=[row.plan.board_id, row.plan.year]) + f"#sec-{row.pk}",
            snippet=snippet,
            context=_plan_context(row.plan),
            rank=rank,
        )
    if kind == "indicator":
        return SearchHit(
            kind=kind,
            kind_label=gettext("Indicator"),
            title=_short(row.name),
            url=reverse("public:indicator", args=[row.pk]),
            snippet=snippet,
            context=row.board.name,
            rank=rank,
        )
    title, url = _follow_up_target(row)
    _mark_periods([row.period])
    return SearchHit(
        kind=kind,
        kind_label=gettext("Follow-up"),
        title=title,
        url=url,
        snippet=snippet,
        context=_plan_context(row.period.plan),
        rank=rank,
        is_draft=row.period.is_draft,
        period=row.period,
    )


class StoredDocument(Expression):
    """A follow-up's stored tsvector (`search_document`, public migration 0002; PostgreSQL):
    the same words as `SearchVector("text", "forecast", config="swedish")`, not computed
    again for each row that is tested or ranked."""

    def __init__(self):
        from django.contrib.postgres.search import SearchVectorField

        super().__init__(output_field=SearchVectorField())

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.search_document", []


def _search_postgres(query, goals, activities, follow_ups, indicators, sections):
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )
    from django.db.models import TextField, Value
    from django.db.models.functions import Concat

    search = SearchQuery(query, config="swedish", search_type="websearch")

    def vector(*fields, weights=None):
        """The tsvector of `fields`, exactly as the GIN indexes of migration 0001 have it."""
        if weights is None:
            return SearchVector(*fields, config="swedish")
        parts = [
            SearchVector(name, config="swedish", weight=weight)
            for name, weight in zip(fields, weights, strict=True)
        ]
        return parts[0] + parts[1]

    def ranked(kind, queryset, document, headline, recent):
        # The newest matches are ranked, so that ranking, which computes each row's tsvector,
        # costs the same at any data size.
        candidates = (
            queryset.annotate(document=document)
            .filter(document=search)
            .order_by(*recent)
            .values("pk")[:SEARCH_CANDIDATES]
        )
        rows = (
            queryset.model.objects.filter(pk__in=candidates)
            .select_related(*SEARCH_RELATED[kind])
            .annotate(
                rank=SearchRank(document, search),
                headline=SearchHeadline(
                    headline,
                    search,
                    config="swedish",
                    start_sel=_START,
                    stop_sel=_STOP,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by("-rank", "pk")[: SEARCH_LIMIT + 1]
        )
        return kind, [(row, float(row.rank), _marked(row.headline)) for row in rows]

    # Within this transaction PostgreSQL avoids sequential scans: its planner prices a match
    # through a GIN index at the cost of computing every matched row's tsvector again (which
    # a tsvector match in GIN does not need) and so would read a whole table for a common word.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return [
            ranked(
                "goal",
                goals,
                vector("text", "intro", weights="AB"),
                "text",
                ("-plan__year", "order", "pk"),
            ),
            ranked(
                "activity",
                activities,
                vector("number", "text"),
                "text",
                ("-plan__year", "sort_key", "pk"),
            ),
            ranked(
                "follow_up",
                follow_ups,
                StoredDocument(),
                Concat("text", Value(" "), "forecast", output_field=TextField()),
                ("-period__date", "pk"),
            ),
            ranked(
                "indicator",
                indicators,
                vector("name", "source", weights="AC"),
                "name",
                ("-pk",),
            ),
            ranked(
                "section",
                sections,
                vector("title", "body", weights="AB"),
                "body",
                ("-plan__year", "order", "pk"),
            ),
        ]


def _search_substring(query, goals, activities, follow_ups, indicators, sections):
    terms = [t for t in query.replace('"', " ").split() if t.lower() != "or" and t != "-"]
    terms = [t.lstrip("-") for t in terms if t.lstrip("-")] or [query]

    def matching(kind, queryset, fields, snippet_of):
        condition = Q()
        for term in terms:
            any_field = Q()
            for name in fields:
                any_field |= Q(**{f"{name}__icontains": term})
            condition &= any_field
        rows = (
            queryset.filter(condition)
            .select_related(*SEARCH_RELATED[kind])
            .order_by("pk")[: SEARCH_LIMIT + 1]
        )
        return kind, [(row, 1.0, _highlight(snippet_of(row), terms)) for row in rows]

    return [
        matching("goal", goals, ["text", "intro"], lambda r: r.text),
        matching("activity", activities, ["number", "text"], lambda r: r.text),
        matching(
            "follow_up",
            follow_ups,
            ["text", "forecast"],
            lambda r: " ".join([r.text, r.forecast]).strip(),
        ),
        matching("indicator", indicators, ["name", "source"], lambda r: r.name),
        matching("section", sections, ["title", "body"], lambda r: _short(r.body, 300)),
    ]
