"""Reads that build the reports' contexts, in a fixed number of queries whatever the data size.

Two reports are built here, both from one plan (a board and a year):

- the verksamhetsplan, optionally with the follow-up texts of its periods up to a date;
- the verksamhetsberättelse (year-end report), written at the plan's year-end period (T3).

The selectors return plain dataclasses in document order; the templates only lay them out.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from activities.choices import AssignmentOrigin
from core.charts import LINE_COLOURS, bar_chart_svg, trend_chart_svg
from followups.document import AssignmentGroup, PlanDocument, plan_document_get
from followups.models import FollowUp
from goals.choices import PeriodKind
from goals.models import FollowUpPeriod, FulfilmentLevel, Goal, Plan, PlanSection
from indicators.choices import Direction, Gender, IndicatorKind, Tertial
from indicators.locks import year_end_indicators_q
from indicators.models import Indicator, IndicatorValue

from .models import EconomySummaryRow, InvestmentRow, OperatingSummaryRow

#: How many years the indicator tables show (the report year and the years before it).
INDICATOR_YEARS = 3


# -- shared pieces ----------------------------------------------------------------------------


@dataclass
class TocEntry:
    """A heading of the report as listed in its table of contents."""

    anchor: str
    title: str
    level: int


class Toc(list):
    """The table of contents, filled in document order while the report is assembled."""

    def add(self, anchor, title, level):
        self.append(TocEntry(anchor=anchor, title=str(title), level=level))
        return anchor


def plan_get(*, board_id: int, year: int) -> Plan:
    """The plan of a board for a year, with its board and municipality; raises DoesNotExist."""
    return Plan.objects.select_related("board__municipality").get(board_id=board_id, year=year)


def plan_periods_get(*, plan: Plan, until: date | None = None) -> list[FollowUpPeriod]:
    """The plan's follow-up periods up to and including `until` (all when None), by date."""
    periods = FollowUpPeriod.objects.filter(plan=plan).select_related("plan").order_by("date")
    if until is not None:
        periods = periods.filter(date__lte=until)
    return list(periods)


def year_end_period_get(*, plan: Plan) -> FollowUpPeriod:
    """The plan's year-end period (tertial 3); raises DoesNotExist when it has none."""
    return FollowUpPeriod.objects.get(plan=plan, kind=PeriodKind.TERTIAL_3)


def is_preliminary(*, plan: Plan, period: FollowUpPeriod | None) -> bool:
    """A report is printed as preliminary ("UTKAST") until its period is final (approved or
    published). A plan printed without follow-ups has no period: preliminary until the board
    adopted it. (Whether a reader may see it at all is access.policy's question.)"""
    if period is None:
        return plan.adopted_on is None
    return not period.is_final


# -- verksamhetsplan --------------------------------------------------------------------------


@dataclass
class PlanReport:
    """Everything the verksamhetsplan prints, in document order (followups.document)."""

    plan: Plan
    periods: list[FollowUpPeriod]
    period: FollowUpPeriod | None
    is_preliminary: bool
    title: str
    document: PlanDocument
    toc: Toc

    @property
    def board(self):
        return self.plan.board

    @property
    def kind(self):
        return "plan"

    @property
    def intro_sections(self):
        return self.document.intro_sections

    @property
    def areas(self):
        return self.document.areas

    @property
    def assignments(self):
        """The plan-wide assignments (those of a goal print under it), with their follow-ups."""
        follow_ups = self.document.assignment_follow_ups
        return [(a, follow_ups.get(a.pk, [])) for a in self.document.assignments]


def plan_report_get(*, plan: Plan, periods: list[FollowUpPeriod]) -> PlanReport:
    """The verksamhetsplan of `plan` with the follow-ups of `periods` (possibly none)."""
    periods = sorted(periods, key=lambda p: p.date)
    period = periods[-1] if periods else None
    document = plan_document_get(plan=plan, periods=periods)

    toc = Toc()
    for index, section in enumerate(document.intro_sections):
        toc.add(f"sec-{section.pk}", section.title, 1 if index == 0 else 2)
    for area in document.areas:
        toc.add(area.anchor, area.title, 1)
        for goal in area.goals:
            toc.add(goal.anchor, str(goal.goal), 2)
    if document.assignments:
        toc.add("assignments", _("Development assignments"), 1)

    return PlanReport(
        plan=plan,
        periods=periods,
        period=period,
        is_preliminary=is_preliminary(plan=plan, period=period),
        title=plan.title or f"Verksamhetsplan {plan.year}",
        document=document,
        toc=toc,
    )


# -- verksamhetsberättelse --------------------------------------------------------------------


@dataclass
class Trend:
    """How the latest value compares with the previous one, given the indicator's direction."""

    code: str  # better, worse, unchanged, up, down
    symbol: str
    label: str


TRENDS = {
    "better": ("▲", _("Better")),
    "worse": ("▼", _("Worse")),
    "unchanged": ("►", _("Unchanged")),
    "up": ("↑", _("Increased")),
    "down": ("↓", _("Decreased")),
}


def trend_get(values: list[Decimal | None], direction: str) -> Trend | None:
    """Compare the last two numbers of `values` (oldest first); None with fewer than two."""
    numbers = [v for v in values if v is not None]
    if len(numbers) < 2:
        return None
    previous, latest = numbers[-2], numbers[-1]
    if latest == previous:
        code = "unchanged"
    elif direction == Direction.HIGHER:
        code = "better" if latest > previous else "worse"
    elif direction == Direction.LOWER:
        code = "better" if latest < previous else "worse"
    else:
        code = "up" if latest > previous else "down"
    symbol, label = TRENDS[code]
    return Trend(code=code, symbol=symbol, label=label)


class Footnotes(list):
    """Footnotes numbered through the whole report; the same text keeps its number."""

    def add(self, text):
        text = " ".join(str(text).split())
        if not text:
            return None
        for number, existing in enumerate(self, start=1):
            if existing == text:
                return number
        self.append(text)
        return len(self)


@dataclass
class ValueCell:
    """One printed value: the text as written, or the number; with its footnote numbers."""

    year: int = 0
    text: str = ""
    notes: list[int] = field(default_factory=list)
    is_text: bool = False


#: A text value longer than this does not fit a year column; alone in its row it spans them.
WIDE_TEXT = 14


@dataclass
class IndicatorLine:
    """A row of an indicator table: the total or one breakdown (women, men, BOU, …)."""

    label: str
    cells: list[ValueCell]
    trend: Trend | None
    is_breakdown: bool
    notes: list[int] = field(default_factory=list)

    @property
    def wide(self):
        """The line's only value when it is a text too long for one year column, else None."""
        filled = [cell for cell in self.cells if cell.text]
        if len(filled) == 1 and len(filled[0].text) > WIDE_TEXT:
            return filled[0]
        return None


@dataclass
class ChartKey:
    """One line of a chart with several lines (categories): its label and how it is drawn."""

    label: str
    colour: str
    style: str  # solid, dashed, dotted: the CSS border style that draws the line's sample


#: The CSS border styles that match core.charts.LINE_STYLES ("-", "--", ":").
LINE_KEY_STYLES = ("solid", "dashed", "dotted")


@dataclass
class IndicatorBlock:
    """An indicator in a table: its rows, target, footnotes and trend chart."""

    indicator: Indicator
    lines: list[IndicatorLine]
    target: str
    notes: list[int]
    chart: str | None
    chart_alt: str = ""
    chart_legend: list["ChartKey"] = field(default_factory=list)

    @property
    def trend(self):
        return self.lines[0].trend if self.lines else None

    @property
    def unit_suffix(self):
        """The unit to print after the name, unless it is a count or the name already says it."""
        unit = self.indicator.unit
        if not unit or unit == "antal" or unit in self.indicator.name:
            return ""
        return unit

    @property
    def row_count(self):
        return len(self.lines)


@dataclass
class GoalIndicators:
    """A board goal in the indicator tables, with its fulfilment and its indicators."""

    goal: Goal
    assessment: FollowUp | None
    indicators: list[IndicatorBlock]

    @property
    def row_count(self):
        return sum(block.row_count for block in self.indicators) or 1


@dataclass
class MunicipalGoalTable:
    """One indicator table: a municipal goal and the board goals that serve it."""

    title: str
    anchor: str
    goals: list[GoalIndicators]
    footnotes: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class DomainIndicators:
    """A målområde with its indicator tables."""

    title: str
    anchor: str
    tables: list[MunicipalGoalTable]


@dataclass
class SimpleTable:
    """A volume or staff table: indicators with a value per year and maybe a target."""

    years: list[int]
    rows: list[IndicatorBlock]
    footnotes: list[tuple[int, str]]
    show_target: bool


@dataclass
class GoalAssessment:
    """A board goal with its year-end fulfilment and assessment text."""

    goal: Goal
    anchor: str
    follow_up: FollowUp | None

    @property
    def fulfilment(self):
        return self.follow_up.fulfilment if self.follow_up else None


@dataclass
class OverviewGroup:
    """Goals of one målområde in the fulfilment overview."""

    title: str
    goals: list[GoalAssessment]


@dataclass
class OutlineItem:
    """One step of the year-end report: a heading, a section, or a block such as a table."""

    kind: str  # heading, section, block
    level: int
    title: str = ""
    anchor: str = ""
    section: PlanSection | None = None
    block: str = ""
    body: str = ""
    legend: bool = False
    legend_caption: str = ""


#: The year-end report's order, as in the board's own document. Sections are named by key;
#: blocks are the tables and lists built from data. Sections not named here follow at the end.
YEAR_END_OUTLINE = (
    ("section", "chief-officer-assessment", 1),
    ("section", "overall-assessment", 2),
    ("block", "economy_summary", 2, _("Economy, amounts in SEK thousands")),
    ("block", "fulfilment_overview", 2, _("Goal fulfilment: board goals")),
    ("block", "volumes", 2, _("Core mission")),
    ("block", "staff", 2, _("Staff")),
    ("heading", _("Key decisions and events"), 2),
    ("section", "decisions", 3),
    ("section", "events", 3),
    ("section", "outlook", 2),
    ("heading", _("Economic follow-up"), 1),
    ("heading", _("The board's costs %(year)s"), 2),
    ("block", "cost_chart", 3, ""),
    ("section", "economy-analysis", 3),
    ("heading", _("The board's income %(year)s"), 2),
    ("block", "income_chart", 3, ""),
    ("section", "income-and-costs-analysis", 3),
    ("block", "operating_summary", 2, _("Operating summary")),
    ("section", "operating-summary-analysis", 3),
    ("section", "administration-costs", 3),
    ("section", "general-operations", 3),
    ("section", "individual-and-family-care", 3),
    ("section", "social-psychiatry", 3),
    ("section", "intellectual-disability-services", 3),
    ("section", "personal-assistance-sfb", 3),
    ("section", "lss-services", 3),
    ("block", "investments", 2, _("Investments")),
    ("section", "investments-analysis", 3),
    ("heading", _("Follow-up of goals and direction"), 1),
    ("section", "goal-report-intro", 2),
    ("block", "goal_assessments", 3, ""),
    ("section", "strategic-assignments-intro", 1),
    ("block", "assignments", 2, ""),
    ("heading", _("Follow-up of the board's activities"), 1),
    ("heading", _("The board's core activities"), 2),
    ("section", "hvb-action-plan-follow-up", 3),
    ("heading", _("Follow-up of plans and programmes"), 2),
    ("section", "premises-plan", 3),
    ("section", "procurement-plan", 3),
    ("section", "internal-control-plan", 3),
    ("section", "provider-oversight-plan", 3),
    ("section", "object-plan-pm3", 3),
    ("section", "object-plan-maintenance", 4),
    ("section", "object-plan-development", 4),
    ("section", "indicators-intro", 1),
    ("block", "indicators", 2, ""),
)

#: Sections that a block prints itself (the notes under the volume and staff tables).
BLOCK_SECTIONS = {"volumes": ("volumes-note",), "staff": ("staff-comment", "staff-note")}

#: The assignment tables' titles, as the board's year-end report words them.
ASSIGNMENT_TITLES = {
    AssignmentOrigin.MUNICIPAL: _("Municipality-wide strategic development assignments"),
    AssignmentOrigin.BOARD: _("Board-specific strategic development assignments"),
}

#: Headings up to this level are listed in the table of contents.
TOC_DEPTH = 2


@dataclass
class YearEndReport:
    """Everything the verksamhetsberättelse prints, in document order."""

    plan: Plan
    period: FollowUpPeriod
    is_preliminary: bool
    title: str
    outline: list[OutlineItem]
    toc: Toc
    levels: list[FulfilmentLevel]
    economy_summary: list[EconomySummaryRow]
    operating_summary: list[OperatingSummaryRow]
    investments: list[InvestmentRow]
    overview: list[OverviewGroup]
    goal_assessments: list[GoalAssessment]
    #: (title, followups.document.AssignmentGroup): every assignment, a joint follow-up once
    assignment_groups: list[tuple[str, AssignmentGroup]]
    volumes: SimpleTable
    staff: SimpleTable
    volume_notes: list[PlanSection]
    staff_notes: list[PlanSection]
    indicator_years: list[int]
    indicator_domains: list[DomainIndicators]
    footnotes: Footnotes
    cost_chart: "EconomyChart | None" = None
    income_chart: "EconomyChart | None" = None
    investment_columns: list[str] = field(default_factory=list)
    operating_columns: list[str] = field(default_factory=list)

    @property
    def board(self):
        return self.plan.board

    @property
    def kind(self):
        return "year-end"

    @property
    def periods(self):
        return [self.period]

    @property
    def investment_parts(self):
        """The columns under "Bokslut <year>" (utgifter, inkomster, netto) that have amounts."""
        return [c for c in self.investment_columns if c in ("expenditure", "income", "net")]


#: Value notes that only point at one of the source document's footnotes ("Fotnot 7"): the
#: footnote's text is in the indicator's source, which the report prints as its footnote.
SOURCE_FOOTNOTE_REF = re.compile(r"^fotnot\s*\d+$", re.IGNORECASE)


def _decimals(values) -> int:
    """The decimals an indicator's values are printed with: as many as the most precise one."""
    places = [-v.normalize().as_tuple().exponent for v in values if v is not None]
    return min(max([0, *places]), 2)


def _number(value: Decimal, decimals: int = 0) -> str:
    """A number as the documents print it: "1 089", "25,06", "−3" (no-break space, minus)."""
    text = f"{value:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
    return text.replace("-", "−")


def _cell(
    year: int, value: IndicatorValue | None, footnotes: Footnotes, decimals: int = 0
) -> ValueCell:
    if value is None:
        return ValueCell(year=year)
    if value.text_value:
        text = value.text_value
    elif value.value is not None:
        text = _number(value.value, decimals)
        if value.is_estimate:
            text = f"Bedömd {text}"
    else:
        text = ""
    note = "" if SOURCE_FOOTNOTE_REF.match(value.note.strip()) else value.note
    notes = [n for n in [footnotes.add(note)] if n]
    return ValueCell(year=year, text=text, notes=notes, is_text=bool(value.text_value))


BREAKDOWN_ORDER = {Gender.TOTAL: 0, Gender.WOMEN: 1, Gender.MEN: 2}

#: At most this many rows of one indicator in a printed table: an indicator with thousands of
#: categories would make a report of thousands of pages that cannot be laid out in time. The
#: rest is summarised in one line that says where the values are (the open data).
MAX_REPORT_LINES = 30


def _indicator_block(indicator, years, footnotes, *, with_chart=True) -> IndicatorBlock:
    """The rows of one indicator: total first, then women, men and named categories.

    Named categories keep the order in which they were entered (the source document's order,
    such as BOU, VUX, LSS), not the alphabet.
    """
    notes = [n for n in [footnotes.add(indicator.source)] if n]
    series = defaultdict(dict)
    first_seen = {}
    for value in sorted(indicator.values.all(), key=lambda v: v.pk):
        series[(value.category, value.gender)][value.year] = value
        first_seen.setdefault(value.category, len(first_seen))
    keys = sorted(
        series, key=lambda k: (k[0] != "", first_seen[k[0]], BREAKDOWN_ORDER.get(k[1], 3))
    )
    left_out = keys[MAX_REPORT_LINES:]
    keys = keys[:MAX_REPORT_LINES]
    lines = []
    for category, gender in keys:
        by_year = series[(category, gender)]
        if category:
            label = category if gender == Gender.TOTAL else f"{category} {Gender(gender).label}"
        elif gender == Gender.TOTAL:
            label = ""
        else:
            label = Gender(gender).label
        ordered_years = sorted(by_year)
        decimals = _decimals(v.value for v in by_year.values())
        cells = [_cell(year, by_year.get(year), footnotes, decimals) for year in years]
        lines.append(
            IndicatorLine(
                label=label,
                cells=cells,
                trend=trend_get(
                    [by_year[y].value for y in ordered_years if y <= years[-1]],
                    indicator.direction,
                ),
                is_breakdown=bool(label),
                notes=_line_notes(cells),
            )
        )
    if left_out:
        lines.append(
            IndicatorLine(
                label=ngettext(
                    "%(count)s more row is not printed: too many for the report. Every value "
                    "is in the open data.",
                    "%(count)s more rows are not printed: too many for the report. Every "
                    "value is in the open data.",
                    len(left_out),
                )
                % {"count": len(left_out)},
                cells=[ValueCell(year=year) for year in years],
                trend=None,
                is_breakdown=True,
            )
        )
    if not lines:
        lines.append(
            IndicatorLine(
                label="",
                cells=[ValueCell(year=year) for year in years],
                trend=None,
                is_breakdown=False,
            )
        )
    chart, legend = None, []
    if with_chart:
        total = series.get(("", Gender.TOTAL), {})
        shown = [(("", Gender.TOTAL), total)] if total else [(key, series[key]) for key in keys]
        numeric, labels = [], []
        for (category, gender), values in shown:
            points = [
                (y, v.value)
                for y, v in sorted(values.items())
                if v.value is not None and y <= years[-1]
            ]
            if len(points) >= 2 and len(numeric) < len(LINE_COLOURS):
                numeric.append(points)
                line = next(line for line in lines if line.label == _line_label(category, gender))
                labels.append(line.label)
        alt = chart_alt_text(indicator, numeric, labels)
        svg = trend_chart_svg(numeric, indicator.target_value, salt=f"i{indicator.pk}", title=alt)
        # Drawn by matplotlib from numbers only; the title is escaped by trend_chart_svg.
        chart = mark_safe(svg) if svg else None  # noqa: S308
        if chart and len(numeric) > 1:
            legend = [
                ChartKey(label=label, colour=colour, style=style)
                for label, colour, style in zip(labels, LINE_COLOURS, LINE_KEY_STYLES, strict=False)
            ]
        alt_text = alt
    else:
        alt_text = ""
    return IndicatorBlock(
        indicator=indicator,
        lines=lines,
        target=indicator.target_display,
        notes=notes,
        chart=chart,
        chart_alt=alt_text,
        chart_legend=legend,
    )


def _line_label(category, gender):
    if category:
        return category if gender == Gender.TOTAL else f"{category} {Gender(gender).label}"
    return "" if gender == Gender.TOTAL else Gender(gender).label


def _line_notes(cells):
    """Footnotes that every filled cell of a line carries move to the line's label, once."""
    filled = [cell for cell in cells if cell.text]
    if len(filled) < 2:
        return []
    shared = [n for n in filled[0].notes if all(n in cell.notes for cell in filled[1:])]
    for cell in filled:
        cell.notes = [n for n in cell.notes if n not in shared]
    return shared


def chart_alt_text(indicator, lines, labels) -> str:
    """The chart in words, for a screen reader: each line's yearly values and the target."""
    parts = []
    for points, label in zip(lines, labels, strict=True):
        values = ", ".join(f"{y}: {_number(value, _decimals([value]))}" for y, value in points)
        parts.append(f"{label} {values}" if label else values)
    text = f"Diagram över {indicator.name}. " + "; ".join(parts) + "."
    if indicator.target_display:
        text += f" Målvärde {indicator.target_display}."
    return text


#: The sentence that introduces a list, at the end of a text ("Färgsättningen indikerar:").
LEAD_IN = re.compile(r"(?:^|(?<=[.!?])\s+|\n+)([^.!?\n]+):\s*$")


def _legend_body(body: str, levels: list[FulfilmentLevel]) -> tuple[str, bool, str]:
    """Take out the lines that describe the colours; the printed legend shows them in colour.

    Returns (body, legend, caption): the sentence that introduced those lines
    ("Färgsättningen indikerar:") leaves the body and becomes the legend's caption, so it is
    printed once.
    """
    descriptions = {" ".join(level.description.split()).lower() for level in levels}
    kept, removed = [], False
    for line in body.splitlines():
        text = " ".join(line.removeprefix("- ").split()).lower()
        if text and text in descriptions:
            removed = True
            continue
        kept.append(line)
    body = "\n".join(kept).strip()
    caption = ""
    if removed:
        match = LEAD_IN.search(body)
        if match:
            caption = match.group(1).strip()
            body = body[: match.start(1)].rstrip()
    return body, removed, caption


def year_end_report_get(*, plan: Plan, period: FollowUpPeriod) -> YearEndReport:
    """The verksamhetsberättelse of `plan` written at its year-end `period`."""
    year = plan.year
    years = list(range(year - INDICATOR_YEARS + 1, year + 1))
    levels = list(FulfilmentLevel.objects.filter(municipality=plan.board.municipality_id))
    sections = list(PlanSection.objects.filter(plan=plan, period=period).order_by("order", "pk"))
    # Goals, their links, assessments and the assignments as the plan document reads them.
    document = plan_document_get(plan=plan, periods=[period], activities=False)
    goals = [entry.goal for entry in document.goals]
    assessments = {
        entry.goal.pk: entry.assessments[0].follow_up
        for entry in document.goals
        if entry.assessments
    }
    municipal_goals = {entry.goal.pk: entry.municipal_goals for entry in document.goals}
    values = IndicatorValue.objects.filter(tertial=Tertial.YEAR, year__lte=year).order_by(
        "category", "gender", "year"
    )
    indicators = list(
        Indicator.objects.filter(year_end_indicators_q(plan))
        .prefetch_related(Prefetch("values", queryset=values))
        .order_by("kind", "order", "name")
    )
    goal_ids = {goal.pk for goal in goals}
    operating = list(OperatingSummaryRow.objects.filter(plan=plan).order_by("order", "pk"))
    economy = list(EconomySummaryRow.objects.filter(plan=plan).order_by("order", "pk"))
    investments = list(InvestmentRow.objects.filter(plan=plan).order_by("order", "pk"))

    footnotes = Footnotes()
    by_key = {section.key: section for section in sections}
    cost_chart, income_chart = _economy_charts(operating, year)

    # Volumes and staff, before the indicator tables as in the document (footnotes 1–5 …).
    volume_years = [year, year - 1]

    def simple_table(kind, show_target):
        first = len(footnotes)
        rows = [
            _indicator_block(i, volume_years, footnotes, with_chart=False)
            for i in indicators
            if i.kind == kind
        ]
        return SimpleTable(
            years=volume_years,
            rows=rows,
            footnotes=list(enumerate(footnotes[first:], start=first + 1)),
            show_target=show_target,
        )

    volumes = simple_table(IndicatorKind.VOLUME, show_target=False)
    staff = simple_table(IndicatorKind.STAFF, show_target=True)

    goal_assessments = [
        GoalAssessment(goal=goal, anchor=f"goal-{goal.pk}", follow_up=assessments.get(goal.pk))
        for goal in goals
    ]
    overview = []
    for assessment in goal_assessments:
        title = assessment.goal.domain.name if assessment.goal.domain_id else ""
        if not overview or overview[-1].title != title:
            overview.append(OverviewGroup(title=title, goals=[]))
        overview[-1].goals.append(assessment)

    # Indicator tables: målområde → municipal goal → board goal → indicators.
    goal_indicators = defaultdict(list)
    for indicator in indicators:
        if indicator.kind == IndicatorKind.GOAL and indicator.goal_id in goal_ids:
            goal_indicators[indicator.goal_id].append(indicator)
    domains: list[DomainIndicators] = []
    tables = {}
    for goal in goals:
        # The goal's first link in the plan's own order names its table.
        municipal = next(iter(municipal_goals[goal.pk]), None)
        domain = (municipal.domain if municipal and municipal.domain_id else None) or goal.domain
        domain_key = domain.pk if domain else 0
        table_key = (domain_key, municipal.pk if municipal else 0)
        if not domains or domains[-1].anchor != f"domain-{domain_key}":
            existing = next((d for d in domains if d.anchor == f"domain-{domain_key}"), None)
            if existing is None:
                existing = DomainIndicators(
                    title=domain.name if domain else str(_("Other board goals")),
                    anchor=f"domain-{domain_key}",
                    tables=[],
                )
                domains.append(existing)
        else:
            existing = domains[-1]
        table = tables.get(table_key)
        if table is None:
            table = MunicipalGoalTable(
                title=municipal.title if municipal else "",
                anchor=f"mgoal-{table_key[0]}-{table_key[1]}",
                goals=[],
            )
            tables[table_key] = table
            existing.tables.append(table)
        table.goals.append(
            GoalIndicators(goal=goal, assessment=assessments.get(goal.pk), indicators=[])
        )
    for domain in domains:
        for table in domain.tables:
            first = len(footnotes)
            for goal_row in table.goals:
                goal_row.indicators = [
                    _indicator_block(indicator, years, footnotes)
                    for indicator in goal_indicators.get(goal_row.goal.pk, [])
                ]
            table.footnotes = list(enumerate(footnotes[first:], start=first + 1))

    assignment_groups = [
        (ASSIGNMENT_TITLES.get(group.origin, group.label), group)
        for group in document.assignment_groups
    ]

    # The outline, with its table of contents.
    toc = Toc()
    outline: list[OutlineItem] = []
    used = set()

    def heading(title, level, anchor):
        if level <= TOC_DEPTH:
            toc.add(anchor, title, level)
        return anchor

    for number, step in enumerate(YEAR_END_OUTLINE):
        kind = step[0]
        if kind == "section":
            section = by_key.get(step[1])
            if section is None:
                continue
            used.add(section.key)
            body, legend, caption = _legend_body(section.body, levels)
            outline.append(
                OutlineItem(
                    kind="section",
                    level=step[2],
                    title=section.title,
                    anchor=heading(section.title, step[2], f"sec-{section.pk}"),
                    section=section,
                    body=body,
                    legend=legend,
                    legend_caption=caption,
                )
            )
        elif kind == "heading":
            title = str(step[1]).replace("%(year)s", str(year))
            outline.append(
                OutlineItem(
                    kind="heading",
                    level=step[2],
                    title=title,
                    anchor=heading(title, step[2], f"h-{number}"),
                )
            )
        else:
            name, level, title = step[1], step[2], step[3]
            used.update(BLOCK_SECTIONS.get(name, ()))
            if not _block_has_content(
                name, economy, operating, investments, volumes, staff, goals, assignment_groups
            ):
                continue
            anchor = f"block-{name}"
            if title:
                heading(title, level, anchor)
            outline.append(
                OutlineItem(kind="block", level=level, title=str(title), anchor=anchor, block=name)
            )
            if name == "goal_assessments":
                # The goals belong in the printed contents, under "Målredovisning".
                for assessment in goal_assessments:
                    toc.add(assessment.anchor, str(assessment.goal), level)
            if name == "indicators":
                for domain in domains:
                    title = _("Goal domain: %(name)s") % {"name": domain.title}
                    heading(title, level, domain.anchor)
    leftovers = [s for s in sections if s.key not in used]
    if leftovers:
        outline.append(
            OutlineItem(
                kind="heading",
                level=1,
                title=str(_("Other sections")),
                anchor=heading(_("Other sections"), 1, "h-other"),
            )
        )
        for section in leftovers:
            body, legend, caption = _legend_body(section.body, levels)
            outline.append(
                OutlineItem(
                    kind="section",
                    level=2,
                    title=section.title,
                    anchor=heading(section.title, 2, f"sec-{section.pk}"),
                    section=section,
                    body=body,
                    legend=legend,
                    legend_caption=caption,
                )
            )

    notes_by_key = {
        key: by_key[key] for keys in BLOCK_SECTIONS.values() for key in keys if key in by_key
    }
    staff_notes = []
    for key in BLOCK_SECTIONS["staff"]:
        section = notes_by_key.get(key)
        if section and all(section.body.strip() != s.body.strip() for s in staff_notes):
            staff_notes.append(section)
    return YearEndReport(
        plan=plan,
        period=period,
        is_preliminary=is_preliminary(plan=plan, period=period),
        title=f"Verksamhetsberättelse {year}",
        outline=outline,
        toc=toc,
        levels=levels,
        economy_summary=economy,
        operating_summary=operating,
        investments=investments,
        overview=overview,
        goal_assessments=goal_assessments,
        assignment_groups=assignment_groups,
        volumes=volumes,
        staff=staff,
        volume_notes=[notes_by_key[k] for k in BLOCK_SECTIONS["volumes"] if k in notes_by_key],
        staff_notes=staff_notes,
        indicator_years=years,
        indicator_domains=domains,
        footnotes=footnotes,
        cost_chart=cost_chart,
        income_chart=income_chart,
        investment_columns=_filled_columns(investments, INVESTMENT_COLUMNS),
        operating_columns=_filled_columns(operating, OPERATING_COLUMNS),
    )


@dataclass
class EconomyChart:
    """A bar chart of the economy section: the SVG, and its description as alternative text."""

    svg: str
    alt: str


#: The amount columns of the investment and operating tables, in printed order; a column with
#: no amount in any row is left out, as the documents do.
INVESTMENT_COLUMNS = ("expenditure", "income", "net", "budget", "deviation", "previous_year")
OPERATING_COLUMNS = ("outcome", "budget", "deviation", "previous_year")


def _filled_columns(rows, columns) -> list[str]:
    return [name for name in columns if any(getattr(row, name) is not None for row in rows)]


def _economy_charts(operating, year) -> tuple[EconomyChart | None, EconomyChart | None]:
    """The diagrams under "Nämndens kostnader" and "Nämndens intäkter", drawn from the
    operating summary: net cost per activity, and costs and income against the budget."""
    areas = [(row.label, row.outcome) for row in operating if not row.parent_id and not row.is_sum]
    sums = [row for row in operating if row.is_sum]
    parts = [row for row in operating if sums and row.parent_id == sums[0].pk]
    cost = income = None
    if any(value is not None for _label, value in areas):
        title = _("Net cost per activity %(year)s, SEK thousands") % {"year": year}
        cost = _economy_chart(title, areas, f"cost{year}")
    bars = []
    for row in parts:
        label = row.label.removeprefix("varav ").strip().capitalize()
        names = {"label": label, "year": year}
        bars.append((_("%(label)s, outcome %(year)s") % names, row.outcome))
        bars.append((_("%(label)s, budget %(year)s") % names, row.budget))
    if any(value is not None for _label, value in bars):
        title = _("Costs and income %(year)s against the budget, SEK thousands") % {"year": year}
        income = _economy_chart(title, bars, f"income{year}")
    return cost, income


def _economy_chart(title, bars, salt) -> EconomyChart | None:
    shown = [(label, value) for label, value in bars if value is not None]
    listed = "; ".join(f"{label} {_number(value)}" for label, value in shown)
    alt = f"Diagram: {title}. {listed}."
    svg = bar_chart_svg(shown, title=alt, salt=salt)
    # Drawn by matplotlib with every text as paths; the title is escaped by bar_chart_svg.
    return EconomyChart(svg=mark_safe(svg), alt=alt) if svg else None  # noqa: S308


def _block_has_content(name, economy, operating, investments, volumes, staff, goals, assignments):
    return {
        "cost_chart": bool(operating),
        "income_chart": bool(operating),
        "economy_summary": bool(economy),
        "operating_summary": bool(operating),
        "investments": bool(investments),
        "volumes": bool(volumes.rows),
        "staff": bool(staff.rows),
        "fulfilment_overview": bool(goals),
        "goal_assessments": bool(goals),
        "indicators": bool(goals),
        "assignments": bool(assignments),
    }[name]
