from activities.models import Activity, Assignment
from api import visibility as api_visibility
from api.base import ReadOnlyViewSet

from . import filtersets, serializers


class ActivityViewSet(ReadOnlyViewSet):
    """Numbered activities of the plans, in natural number order (1.10 after 1.9)."""

    queryset = Activity.objects.select_related("plan", "goal")
    serializer_class = serializers.ActivitySerializer
    filterset_class = filtersets.ActivityFilterSet
    visibility = staticmethod(api_visibility.visible_activities)
    ordering = ["plan__board_id", "plan__year", "sort_key", "pk"]
    ordering_fields = ["id", "sort_key", "updated_at"]


class AssignmentViewSet(ReadOnlyViewSet):
    """Development assignments (utvecklingsuppdrag) of the plans."""

    queryset = Assignment.objects.select_related("plan")
    serializer_class = serializers.AssignmentSerializer
    filterset_class = filtersets.AssignmentFilterSet
    visibility = staticmethod(api_visibility.visible_assignments)
    ordering = ["plan__board_id", "plan__year", "origin", "sort_key", "pk"]
    ordering_fields = ["id", "sort_key", "updated_at"]
