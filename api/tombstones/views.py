from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from tombstones.models import Tombstone

from .filtersets import TombstoneFilterSet
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
