from django.db.models import Prefetch

from config.api.viewsets import ReadOnlyViewSet

from .. import filtersets
from ..models import ActionPlan, Measure, MeasureFollowUp, MeasureGroup
from ..selectors import visible_months_q, visible_plans_q
from . import serializers


def _visible_plans(request, queryset):
    return queryset.filter(visible_plans_q(request.user))


def _visible_measures(request, queryset):
    return queryset.filter(group__plan__in=ActionPlan.objects.filter(visible_plans_q(request.user)))


def _visible_follow_ups(request, queryset):
    return queryset.filter(visible_months_q(request.user, prefix="period__"))


class ActionPlanViewSet(ReadOnlyViewSet):
    """Action plans (åtgärdsplaner): anonymous readers see published ones."""

    queryset = ActionPlan.objects.prefetch_related(
        Prefetch("groups", queryset=MeasureGroup.objects.prefetch_related("measures"))
    )
    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filtersets.ActionPlanFilterSet
    visibility = staticmethod(_visible_plans)
    ordering = ["board_id", "year", "pk"]
    ordering_fields = ["id", "year", "updated_at"]
    etag_timestamps = ("updated_at", "groups__updated_at", "groups__measures__updated_at")
    etag_distinct = True


class MeasureViewSet(ReadOnlyViewSet):
    """Measures of the visible action plans."""

    queryset = Measure.objects.select_related("group")
    serializer_class = serializers.MeasureSerializer
    filterset_class = filtersets.MeasureFilterSet
    visibility = staticmethod(_visible_measures)
    ordering = ["group__plan_id", "group__order", "order", "pk"]
    ordering_fields = ["id", "updated_at"]


class MeasureFollowUpViewSet(ReadOnlyViewSet):
    """Measures at monthly follow-ups: anonymous readers see published months only."""

    queryset = MeasureFollowUp.objects.select_related("period")
    serializer_class = serializers.MeasureFollowUpSerializer
    filterset_class = filtersets.MeasureFollowUpFilterSet
    visibility = staticmethod(_visible_follow_ups)
    ordering = ["period__plan_id", "period__date", "measure_id", "pk"]
    ordering_fields = ["id", "updated_at"]
    etag_timestamps = ("updated_at", "period__updated_at")
