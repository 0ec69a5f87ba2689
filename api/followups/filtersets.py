"""Filters of the API list of follow-ups."""

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from activities.choices import WorkStatus
from core.api.filters import ApiFilterSet, ChoiceInFilter, IdFilter, YearFilter, YearsFilter
from followups.models import SUBJECT_FIELDS, FollowUp, FollowUpCoverage


class FollowUpFilterSet(ApiFilterSet):
    board = IdFilter(
        field_name="period__plan__board_id", help_text=_("Board id(s), comma-separated.")
    )
    plan = IdFilter(field_name="period__plan_id", help_text=_("Plan id(s), comma-separated."))
    year = YearsFilter(
        field_name="period__plan__year", help_text=_("Plan year(s), comma-separated.")
    )
    year_min = YearFilter(
        field_name="period__plan__year", lookup_expr="gte", help_text=_("Plan year at least this.")
    )
    year_max = YearFilter(
        field_name="period__plan__year", lookup_expr="lte", help_text=_("Plan year at most this.")
    )
    period = IdFilter(
        field_name="period_id", help_text=_("Follow-up period id(s), comma-separated.")
    )
    subject = ChoiceInFilter(
        choices=[(f, f) for f in SUBJECT_FIELDS],
        method="filter_subject",
        help_text=_("What the follow-ups are about: goal, activity, indicator, assignment."),
    )
    goal = IdFilter(field_name="goal_id", help_text=_("Board goal id(s) followed up."))
    activity = IdFilter(field_name="activity_id", help_text=_("Activity id(s) followed up."))
    indicator = IdFilter(field_name="indicator_id", help_text=_("Indicator id(s) followed up."))
    indicator_item = IdFilter(
        method="filter_indicator_item",
        help_text=_(
            "Numbered goal indicator id(s) followed up, alone or in a joint follow-up that "
            "also covers them."
        ),
    )
    assignment = IdFilter(
        field_name="assignment_id", help_text=_("Development assignment id(s) followed up.")
    )
    area = IdFilter(
        method="filter_area",
        help_text=_("Activity area id(s) of the goal followed up (or of the goal it serves)."),
    )
    status = ChoiceInFilter(
        choices=WorkStatus.choices, help_text=_("Status(es) of activities and assignments.")
    )

    class Meta:
        model = FollowUp
        fields = []

    def filter_subject(self, queryset, name, value):
        q = Q()
        for field in value:
            q |= Q(**{f"{field}__isnull": False})
        return queryset.filter(q)

    def filter_indicator_item(self, queryset, name, value):
        covering = FollowUpCoverage.objects.filter(
            follow_up=OuterRef("pk"), indicator_item__in=value
        )
        return queryset.filter(Q(indicator_item__in=value) | Exists(covering))

    def filter_area(self, queryset, name, value):
        return queryset.filter(
            Q(goal__area__in=value)
            | Q(activity__area__in=value)  # the goal's area, or its own without a goal
            | Q(indicator__goal__area__in=value)
            | Q(indicator_item__goal__area__in=value)
            | Q(assignment__goal__area__in=value)
        )
