"""Filters of the API lists of action plans, measures and monthly follow-ups."""

from django.utils.translation import gettext_lazy as _

from actionplans.models import ActionPlan, Measure, MeasureFollowUp
from core.api.filters import ApiFilterSet, IdFilter, YearsFilter


class ActionPlanFilterSet(ApiFilterSet):
    board = IdFilter(field_name="board_id", help_text=_("Board id(s), comma-separated."))
    year = YearsFilter(field_name="year", help_text=_("Year(s), comma-separated."))

    class Meta:
        model = ActionPlan
        fields = []


class MeasureFilterSet(ApiFilterSet):
    board = IdFilter(
        field_name="group__plan__board_id", help_text=_("Board id(s), comma-separated.")
    )
    plan = IdFilter(field_name="group__plan_id", help_text=_("Action plan id(s), comma-separated."))

    class Meta:
        model = Measure
        fields = []


class MeasureFollowUpFilterSet(ApiFilterSet):
    plan = IdFilter(
        field_name="period__plan_id", help_text=_("Action plan id(s), comma-separated.")
    )
    period = IdFilter(field_name="period_id", help_text=_("Monthly follow-up id(s)."))
    measure = IdFilter(field_name="measure_id", help_text=_("Measure id(s), comma-separated."))

    class Meta:
        model = MeasureFollowUp
        fields = []
