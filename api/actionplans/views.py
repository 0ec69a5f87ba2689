from django.db.models import Prefetch

from actionplans.models import ActionPlan, Measure, MeasureFollowUp, MeasureGroup
from api import visibility as api_visibility
from api.base import ReadOnlyViewSet

from . import filtersets, serializers


class ActionPlanViewSet(ReadOnlyViewSet):
    """Action plans (åtgärdsplaner): anonymous readers see published ones."""

    queryset = ActionPlan.objects.prefetch_related(
        Prefetch("groups", queryset=MeasureGroup.objects.prefetch_related("measures"))
    )
    serializer_class = serializers.ActionPlanSerializer
    filterset_class = filtersets.ActionPlanFilterSet
    visibility = staticmethod(api_visibility.visible_action_plans)
    ordering = ["board_id", "year", "pk"]
    ordering_fields = ["id", "year", "updated_at"]
    etag_timestamps = ("updated_at", "groups__updated_at", "groups__measures__updated_at")
    etag_distinct = True


class MeasureViewSet(ReadOnlyViewSet):
    """Measures of the visible action plans."""

    queryset = Measure.objects.select_related("group")
    serializer_class = serializers.MeasureSerializer
    filterset_class = filtersets.MeasureFilterSet
    visibility = staticmethod(api_visibility.visible_measures)
    ordering = ["group__plan_id", "group__order", "order", "pk"]
    ordering_fields = ["id", "updated_at"]
    # Publishing or unpublishing a plan changes which measures a reader sees.
    etag_timestamps = ("updated_at", (ActionPlan, "updated_at"))


class MeasureFollowUpViewSet(ReadOnlyViewSet):
    """Measures at monthly follow-ups: anonymous readers see published months only."""

    queryset = MeasureFollowUp.objects.select_related("period")
    serializer_class = serializers.MeasureFollowUpSerializer
    filterset_class = filtersets.MeasureFollowUpFilterSet
    visibility = staticmethod(api_visibility.visible_measure_follow_ups)
    ordering = ["period__plan_id", "period__date", "measure_id", "pk"]
    ordering_fields = ["id", "updated_at"]
    # A month's status and its plan's publication decide who sees its rows.
    etag_timestamps = ("updated_at", "period__updated_at", (ActionPlan, "updated_at"))
