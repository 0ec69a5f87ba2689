"""Which indicator values are locked: the one home of the rule, asked by every write path
(admin forms and inlines, import, API bulk write, services).

A value is part of the record as soon as a report that shows it is no longer open for
changes (its follow-up period submitted, approved or published):

- a tertial value (T1, T2) of a year: when that year's period of the same kind has left
  "open";
- a yearly value of year Y: when the board's year-end period (T3) of a plan of year Y or
  later has left "open" and that year-end report prints the indicator — its volumes and
  staff figures, and the indicators of its own goals (`year_end_indicators_q`). The report
  prints every earlier year too (tables of the last three years, charts and trends of all
  years), so those values are locked with it.

It stays locked until an approver reopens the period.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod, Goal

from .choices import IndicatorKind

#: Indicators that every year-end report of their board prints, whatever its goals.
YEAR_END_KINDS = (IndicatorKind.VOLUME, IndicatorKind.STAFF)


def year_end_indicators_q(plan) -> Q:
    """The indicators the year-end report of `plan` prints (asked by the report, too)."""
    return Q(board=plan.board_id) & (Q(kind__in=YEAR_END_KINDS) | Q(goal__plan=plan))


@dataclass
class ValueLocks:
    """The closed periods of some boards, read once (two queries), answering for any value."""

    #: (board id, plan year, period kind) → the closed period
    periods: dict = field(default_factory=dict)
    #: board id → [(plan id, plan year, closed year-end period)], latest year first
    year_ends: dict = field(default_factory=lambda: defaultdict(list))
    #: goal id → plan id, for the goals of plans with a closed year-end
    goal_plans: dict = field(default_factory=dict)

    @classmethod
    def load(cls, board_ids) -> "ValueLocks":
        locks = cls()
        board_ids = list(board_ids)
        if not board_ids:
            return locks
        closed = (
            FollowUpPeriod.objects.filter(plan__board__in=board_ids)
            .exclude(status=PeriodStatus.OPEN)
            .select_related("plan")
            .order_by("-plan__year")
        )
        for period in closed:
            plan = period.plan
            locks.periods[(plan.board_id, plan.year, period.kind)] = period
            if period.kind == PeriodKind.TERTIAL_3:
                locks.year_ends[plan.board_id].append((plan.pk, plan.year, period))
        year_end_plans = [plan_id for ends in locks.year_ends.values() for plan_id, *_r in ends]
        if year_end_plans:
            locks.goal_plans = dict(
                Goal.objects.filter(plan__in=year_end_plans).values_list("pk", "plan_id")
            )
        return locks

    def period_for(self, indicator, year: int, tertial: str = ""):
        """The closed period that locks this value of `indicator`, or None."""
        period = self.periods.get((indicator.board_id, year, tertial or PeriodKind.TERTIAL_3))
        if period is not None or tertial:
            return period
        goal_plan = self.goal_plans.get(indicator.goal_id)
        for plan_id, plan_year, period in self.year_ends.get(indicator.board_id, ()):
            if plan_year < year:
                break
            if indicator.kind in YEAR_END_KINDS or goal_plan == plan_id:
                return period
        return None

    def message(self, indicator, year: int, tertial: str = "") -> str | None:
        """Why the value may not change (Swedish), or None when it may."""
        period = self.period_for(indicator, year, tertial)
        if period is None:
            return None
        if period.plan.year == year:
            return _(
                "Values of %(year)s are locked: the follow-up %(period)s has the status "
                "%(status)s. An approver can reopen the period."
            ) % {"year": year, "period": period, "status": period.get_status_display()}
        return _(
            "Values for %(year)s are locked: they are shown in the year-end report "
            "%(plan_year)s, whose follow-up %(period)s has status %(status)s. An approver "
            "can reopen the period."
        ) % {
            "year": year,
            "plan_year": period.plan.year,
            "period": period,
            "status": period.get_status_display(),
        }
