from config import api_visibility
from core.api.viewsets import ReadOnlyViewSet

from ..filtersets import TombstoneFilterSet
from ..models import Tombstone
from .serializers import TombstoneSerializer


class DeletionViewSet(ReadOnlyViewSet):
    """Rows deleted from the API's models: poll with `changed_since` to drop them locally."""

    queryset = Tombstone.objects.all()
    serializer_class = TombstoneSerializer
    filterset_class = TombstoneFilterSet
    visibility = staticmethod(api_visibility.visible_deletions)
    ordering = ["deleted_at", "pk"]
    ordering_fields = ["deleted_at", "id"]
    etag_timestamps = ("deleted_at",)
