"""Filters of the API lists of boards, areas, municipal goals, plans, goals (and their
numbered indicators and municipal-goal links) and periods."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from access import policy
from core.api.filters import (
    ApiFilterSet,
    ChangedSinceFilter,
    CharInFilter,
    ChoiceInFilter,
    IdFilter,
    YearFilter,
    YearsFilter,
)
from followups.models import FollowUp
from goals.choices import PeriodKind, PeriodStatus
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    Goal,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
    Plan,
)

BOARD_HELP = _("Board id(s), comma-separated.")
PLAN_HELP = _("Plan id(s), comma-separated.")
YEAR_HELP = _("Plan year(s), comma-separated.")
YEAR_MIN_HELP = _("Plan year at least this.")
YEAR_MAX_HELP = _("Plan year at most this.")
AREA_HELP = _("Activity area id(s), comma-separated.")
MUNICIPALITY_HELP = _("Municipality code(s) as used by Kolada and SCB, e.g. 0580.")


class BoardFilterSet(ApiFilterSet):
    municipality = CharInFilter(field_name="municipality__code", help_text=MUNICIPALITY_HELP)
    year = YearFilter(method="filter_year", help_text=_("Only boards that existed in this year."))

    class Meta:
        model = Board
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=value),
            Q(valid_to__isnull=True) | Q(valid_to__gte=value),
        )


class ActivityAreaFilterSet(ApiFilterSet):
    board = IdFilter(field_name="board_id", help_text=BOARD_HELP)

    class Meta:
        model = ActivityArea
        fields = []


class MunicipalGoalFilterSet(ApiFilterSet):
    municipality = CharInFilter(field_name="municipality__code", help_text=MUNICIPALITY_HELP)
    year = YearFilter(
        method="filter_year", help_text=_("Only municipal goals in force in this year.")
    )
    goal = IdFilter(method="filter_goal", help_text=_("Board goal id(s) that serve it."))

    class Meta:
        model = MunicipalGoal
        fields = []

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            Q(valid_from__lte=value), Q(valid_to__isnull=True) | Q(valid_to__gte=value)
        )

    def filter_goal(self, queryset, name, value):
        links = Goal.municipal_goals.through.objects.filter(
            municipalgoal=OuterRef("pk"), goal__in=value
        )
        return queryset.filter(Exists(links))


class PlanFilterSet(ApiFilterSet):
    board = IdFilter(field_name="board_id", help_text=BOARD_HELP)
    year = YearsFilter(help_text=YEAR_HELP)
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text=YEAR_MIN_HELP)
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text=YEAR_MAX_HELP)

    class Meta:
        model = Plan
        fields = []


class GoalFilterSet(ApiFilterSet):
    board = IdFilter(field_name="plan__board_id", help_text=BOARD_HELP)
    plan = IdFilter(field_name="plan_id", help_text=PLAN_HELP)
    year = YearsFilter(field_name="plan__year", help_text=YEAR_HELP)
    year_min = YearFilter(field_name="plan__year", lookup_expr="gte", help_text=YEAR_MIN_HELP)
    year_max = YearFilter(field_name="plan__year", lookup_expr="lte", help_text=YEAR_MAX_HELP)
    area = IdFilter(field_name="area_id", help_text=AREA_HELP)
    municipal_goal = IdFilter(
        method="filter_municipal_goal", help_text=_("Municipal goal id(s) the goal serves.")
    )
    period = IdFilter(
        method="filter_period",
        help_text=_("Follow-up period id(s): goals with a follow-up in the period."),
    )
    changed_since = ChangedSinceFilter(
        method="filter_changed_since",
        help_text=_(
            "Only goals changed at or after this ISO 8601 timestamp (a change of their "
            "numbered indicators or municipal-goal links counts), or whose follow-ups (goal "
            "fulfilment) changed since. Deleted rows are listed at /api/v1/deletions/."
        ),
    )

    class Meta:
        model = Goal
        fields = []

    def filter_municipal_goal(self, queryset, name, value):
        links = Goal.municipal_goals.through.objects.filter(
            goal=OuterRef("pk"), municipalgoal__in=value
        )
        return queryset.filter(Exists(links))

    def filter_period(self, queryset, name, value):
        return queryset.filter(
            Exists(FollowUp.objects.filter(goal=OuterRef("pk"), period__in=value))
        )

    def filter_changed_since(self, queryset, name, value):
        # Only follow-ups the reader may see: a draft's edit leaves no trace in its goal.
        user = getattr(self.request, "user", None)
        changed_follow_ups = FollowUp.objects.filter(
            policy.visible_periods_q(user, "period__"), goal=OuterRef("pk"), updated_at__gte=value
        )
        return queryset.filter(Q(updated_at__gte=value) | Exists(changed_follow_ups))


class _GoalPartFilterSet(ApiFilterSet):
    """A part of a board goal, reached through its goal: `changed_since` is the part's own."""

    board = IdFilter(field_name="goal__plan__board_id", help_text=BOARD_HELP)
    plan = IdFilter(field_name="goal__plan_id", help_text=PLAN_HELP)
    year = YearsFilter(field_name="goal__plan__year", help_text=YEAR_HELP)
    year_min = YearFilter(field_name="goal__plan__year", lookup_expr="gte", help_text=YEAR_MIN_HELP)
    year_max = YearFilter(field_name="goal__plan__year", lookup_expr="lte", help_text=YEAR_MAX_HELP)
    goal = IdFilter(field_name="goal_id", help_text=_("Board goal id(s), comma-separated."))
    area = IdFilter(
        field_name="goal__area_id", help_text=_("Activity area id(s) of the board goal.")
    )


class GoalIndicatorItemFilterSet(_GoalPartFilterSet):
    number = CharInFilter(
        help_text=_("Number(s) as the plan writes them, e.g. 1 or 3a, comma-separated.")
    )

    class Meta:
        model = GoalIndicatorItem
        fields = []


class GoalMunicipalGoalFilterSet(_GoalPartFilterSet):
    municipal_goal = IdFilter(
        field_name="municipal_goal_id", help_text=_("Municipal goal id(s), comma-separated.")
    )

    class Meta:
        model = GoalMunicipalGoal
        fields = []


class FollowUpPeriodFilterSet(ApiFilterSet):
    board = IdFilter(field_name="plan__board_id", help_text=BOARD_HELP)
    plan = IdFilter(field_name="plan_id", help_text=PLAN_HELP)
    year = YearsFilter(field_name="plan__year", help_text=YEAR_HELP)
    year_min = YearFilter(field_name="plan__year", lookup_expr="gte", help_text=YEAR_MIN_HELP)
    year_max = YearFilter(field_name="plan__year", lookup_expr="lte", help_text=YEAR_MAX_HELP)
    kind = ChoiceInFilter(choices=PeriodKind.choices, help_text=_("Period kind(s): T1, T2, T3."))
    status = ChoiceInFilter(choices=PeriodStatus.choices, help_text=_("Workflow status(es)."))

    class Meta:
        model = FollowUpPeriod
        fields = []
