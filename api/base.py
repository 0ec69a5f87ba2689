"""The project's read-only viewset: core's base with this project's audience and watermarks."""

from django.db.models import Q

from core.api.viewsets import ReadOnlyViewSet as CoreReadOnlyViewSet
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod
from tombstones.models import Tombstone

from . import visibility

#: Newest changes that date every API response: a deletion (a tombstone), and a follow-up
#: period's change, since publishing a period changes what anonymous readers see.
WATERMARKS = ((Tombstone, "deleted_at"), (FollowUpPeriod, "updated_at"))
#: The same for the public, who must not see drafts move: deletions and withdrawals of rows
#: that were public, and changes of published periods (a reopening is dated by the
#: withdrawal tombstones it records).
PUBLIC_WATERMARKS = (
    (Tombstone, "deleted_at", Q(was_public=True)),
    (FollowUpPeriod, "updated_at", Q(status=PeriodStatus.PUBLISHED)),
)


def watermarks(request):
    """The watermarks that date every response to `request`: drafts never move the public's."""
    if visibility.audience(request) == "public":
        return PUBLIC_WATERMARKS
    return WATERMARKS


class ReadOnlyViewSet(CoreReadOnlyViewSet):
    """List and detail of one model, as the request's audience may see it."""

    audience = staticmethod(visibility.audience)
    etag_watermarks = WATERMARKS

    def get_etag_watermarks(self):
        return watermarks(self.request)
