"""The project's read-only viewset: core's base with this project's audience and watermarks."""

from core.api.viewsets import ReadOnlyViewSet as CoreReadOnlyViewSet
from goals.models import FollowUpPeriod
from tombstones.models import Tombstone

from . import visibility

#: Newest changes that date every API response: a deletion (a tombstone), and a follow-up
#: period's change, since publishing a period changes what anonymous readers see.
WATERMARKS = ((Tombstone, "deleted_at"), (FollowUpPeriod, "updated_at"))


class ReadOnlyViewSet(CoreReadOnlyViewSet):
    """List and detail of one model, as the request's audience may see it."""

    audience = staticmethod(visibility.audience)
    etag_watermarks = WATERMARKS
