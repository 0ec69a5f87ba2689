"""Filters of the API lists of activities and development assignments."""

from django.utils.translation import gettext_lazy as _

from activities.choices import AssignmentOrigin, Schedule
from activities.models import Activity, Assignment
from core.api.filters import ApiFilterSet, ChoiceInFilter, IdFilter, YearFilter, YearsFilter


class _PlanContentFilterSet(ApiFilterSet):
    board = IdFilter(field_name="plan__board_id", help_text=_("Board id(s), comma-separated."))
    plan = IdFilter(field_name="plan_id", help_text=_("Plan id(s), comma-separated."))
    year = YearsFilter(field_name="plan__year", help_text=_("Plan year(s), comma-separated."))
    year_min = YearFilter(
        field_name="plan__year", lookup_expr="gte", help_text=_("Plan year at least this.")
    )
    year_max = YearFilter(
        field_name="plan__year", lookup_expr="lte", help_text=_("Plan year at most this.")
    )
    goal = IdFilter(field_name="goal_id", help_text=_("Board goal id(s), comma-separated."))
    area = IdFilter(
        field_name="goal__area_id", help_text=_("Activity area id(s) of the board goal.")
    )


class ActivityFilterSet(_PlanContentFilterSet):
    schedule = ChoiceInFilter(choices=Schedule.choices, help_text=_("Schedule(s) (tidplan)."))

    class Meta:
        model = Activity
        fields = []


class AssignmentFilterSet(_PlanContentFilterSet):
    origin = ChoiceInFilter(
        choices=AssignmentOrigin.choices, help_text=_("Who gave the assignment.")
    )

    class Meta:
        model = Assignment
        fields = []
