"""Reads of action plans: visibility, the plan with its computed sums, and the follow-ups.

Every sum is computed here from the measures; nothing typed in a document is stored as a sum.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q

from access import policy
from access.choices import Action
from goals.choices import PeriodStatus

from .models import ActionPlan, FollowUpMonth, Measure, MeasureFollowUp, MeasureGroup

ONE_DECIMAL = Decimal("0.1")


def rounded(value: Decimal) -> Decimal:
    """A sum as the documents print it: one decimal, halves up (8.025 → 8.0)."""
    return value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


# -- visibility --------------------------------------------------------------------------------


def visible_plans_q(user) -> Q:
    """Action plans the user may read: published ones, and every plan of own boards."""
    ids = policy.board_ids(user, Action.VIEW_DRAFT)
    if ids is policy.ALL:
        return Q()
    return Q(published_at__isnull=False) | Q(board__in=ids)


def visible_months_q(user, prefix: str = "") -> Q:
    """Monthly follow-ups the user may read: published ones of published plans, or own boards.

    `user=None` is the server itself (the render_report command): everything."""
    if user is None:
        return Q()
    ids = policy.board_ids(user, Action.VIEW_DRAFT)
    if ids is policy.ALL:
        return Q()
    published = Q(**{f"{prefix}status": PeriodStatus.PUBLISHED}) & Q(
        **{f"{prefix}plan__published_at__isnull": False}
    )
    return published | Q(**{f"{prefix}plan__board__in": ids})


def can_view_plan(user, plan: ActionPlan) -> bool:
    return plan.published_at is not None or policy.can(user, Action.VIEW_DRAFT, plan.board_id)


def action_plans_visible(*, user):
    return ActionPlan.objects.filter(visible_plans_q(user)).select_related("board")


def action_plan_get(*, user, board_id: int, year: int) -> ActionPlan:
    """The board's (first) action plan of the year that the user may read; DoesNotExist else."""
    return (
        action_plans_visible(user=user)
        .select_related("board__municipality")
        .filter(board_id=board_id, year=year)
        .order_by("pk")[:1]
        .get()
    )


# -- the report --------------------------------------------------------------------------------


@dataclass
class MeasureRow:
    measure: Measure
    effect_in_year: Decimal
    follow_up: MeasureFollowUp | None = None

    @property
    def realised(self) -> Decimal | None:
        return self.follow_up.realised if self.follow_up else None


@dataclass
class GroupView:
    group: MeasureGroup
    rows: list[MeasureRow]
    total: Decimal
    blocks: list[tuple[str, str]]

    @property
    def realised(self) -> Decimal:
        return sum((row.realised or Decimal(0) for row in self.rows), Decimal(0))

    @property
    def effect_in_year(self) -> Decimal:
        return sum((row.effect_in_year for row in self.rows), Decimal(0))


@dataclass
class ActionPlanReport:
    """What the report, the reader and the API show of an action plan."""

    plan: ActionPlan
    groups: list[GroupView]
    total: Decimal
    effect_per_year: list[tuple[int, Decimal]]
    months: list[FollowUpMonth]
    month: FollowUpMonth | None
    kind: str = "action-plan"
    chart_svg: str | None = None
    toc: list[dict] = field(default_factory=list)

    @property
    def board(self):
        return self.plan.board

    @property
    def title(self):
        return self.plan.title

    @property
    def is_draft(self):
        return self.plan.published_at is None or (
            self.month is not None and self.month.status != PeriodStatus.PUBLISHED
        )

    @property
    def surplus(self) -> Decimal | None:
        """Total reduction minus the forecast deficit (positive: the plan covers the deficit)."""
        if self.plan.forecast_deficit is None:
            return None
        return self.total - self.plan.forecast_deficit

    @property
    def realised(self) -> Decimal:
        return sum((group.realised for group in self.groups), Decimal(0))

    @property
    def effect_in_year(self) -> Decimal:
        return sum((group.effect_in_year for group in self.groups), Decimal(0))

    @property
    def sections_before(self):
        return [s for s in self.plan.sections.all() if not s.after_measures]

    @property
    def sections_after(self):
        return [s for s in self.plan.sections.all() if s.after_measures]


def text_blocks(body: str) -> list[tuple[str, str]]:
    """A body split at its '### ' subheadings: [(heading or '', text), …]."""
    blocks, heading, lines = [], "", []
    for line in body.splitlines():
        if line.startswith("### "):
            if heading or any(s.strip() for s in lines):
                blocks.append((heading, "\n".join(lines).strip()))
            heading, lines = line[4:].strip(), []
        else:
            lines.append(line)
    if heading or any(s.strip() for s in lines):
        blocks.append((heading, "\n".join(lines).strip()))
    return blocks


def effect_per_year(plan: ActionPlan, measures) -> list[tuple[int, Decimal]]:
    """The reduction that falls in each year from the plan's year to `effect_until`."""
    return [
        (year, sum((m.effect_in(year) for m in measures), Decimal(0)))
        for year in range(plan.year, plan.effect_until + 1)
    ]


def action_plan_report_get(*, plan: ActionPlan, user, chart: bool = True) -> ActionPlanReport:
    """The plan with its groups, computed sums, effect per year and the latest visible month.

    Fixed number of queries whatever the number of groups, measures or months.
    """
    plan = (
        ActionPlan.objects.select_related("board__municipality")
        .prefetch_related(
            "sections",
            "decision_points",
            "background_figures",
            Prefetch(
                "groups",
                queryset=MeasureGroup.objects.prefetch_related(
                    Prefetch("measures", queryset=Measure.objects.order_by("order", "pk"))
                ),
            ),
        )
        .get(pk=plan.pk)
    )
    months = list(
        FollowUpMonth.objects.filter(plan=plan).filter(visible_months_q(user)).order_by("date")
    )
    month = months[-1] if months else None
    follow_ups = {}
    if month is not None:
        follow_ups = {f.measure_id: f for f in MeasureFollowUp.objects.filter(period=month)}
    year = month.date.year if month else plan.year
    groups, measures = [], []
    for group in plan.groups.all():
        rows = [
            MeasureRow(measure=m, effect_in_year=m.effect_in(year), follow_up=follow_ups.get(m.pk))
            for m in group.measures.all()
        ]
        measures.extend(group.measures.all())
        total = sum((m.reduction for m in group.measures.all()), Decimal(0))
        groups.append(
            GroupView(group=group, rows=rows, total=total, blocks=text_blocks(group.body))
        )
    report = ActionPlanReport(
        plan=plan,
        groups=groups,
        total=sum((g.total for g in groups), Decimal(0)),
        effect_per_year=effect_per_year(plan, measures),
        months=months,
        month=month,
    )
    if chart and month is not None:
        from .charts import realised_chart_svg

        report.chart_svg = realised_chart_svg(
            [(g.group.title, g.effect_in_year, g.realised) for g in groups]
        )
    report.toc = _toc(report)
    return report


def _toc(report: ActionPlanReport) -> list[dict]:
    toc = [{"level": 1, "anchor": "beslut", "title": "Förslag till beslut"}]
    toc += [
        {"level": 1, "anchor": f"avsnitt-{s.key}", "title": s.title} for s in report.sections_before
    ]
    toc.append({"level": 1, "anchor": "atgarder", "title": "Åtgärder"})
    toc += [
        {"level": 2, "anchor": f"grupp-{g.group.pk}", "title": g.group.title} for g in report.groups
    ]
    toc.append({"level": 1, "anchor": "per-ar", "title": "Kostnadsreducering per år"})
    if report.month is not None:
        toc.append({"level": 1, "anchor": "uppfoljning", "title": "Uppföljning"})
    toc += [
        {"level": 1, "anchor": f"avsnitt-{s.key}", "title": s.title} for s in report.sections_after
    ]
    return toc
