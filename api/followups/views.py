from django.db.models import Prefetch

from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from followups.models import FollowUp, FollowUpCoverage

from .filtersets import FollowUpFilterSet
from .serializers import FollowUpSerializer


class FollowUpViewSet(ReadOnlyViewSet):
    """Follow-up texts, goal fulfilment and status; the public sees published periods only."""

    queryset = FollowUp.objects.select_related(
        "period__plan", "fulfilment", "indicator_item", "assignment"
    ).prefetch_related(
        Prefetch(
            "coverage",
            queryset=FollowUpCoverage.objects.select_related("indicator_item", "assignment"),
        )
    )
    serializer_class = FollowUpSerializer
    filterset_class = FollowUpFilterSet
    visibility = staticmethod(api_visibility.visible_follow_ups)
    ordering = ["period__plan__board_id", "period__date", "pk"]
    ordering_fields = ["id", "updated_at"]
    # Publishing the period changes what the public sees of its follow-ups.
    etag_timestamps = ("updated_at", "period__updated_at")
