"""Filters of the deletions list."""

from django.utils.translation import gettext_lazy as _

from core.api.filters import ApiFilterSet, ChangedSinceFilter, ChoiceInFilter, IdFilter
from tombstones.models import Tombstone
from tombstones.registry import BY_API_NAME, TRACKED


class TombstoneFilterSet(ApiFilterSet):
    changed_since = ChangedSinceFilter(
        field_name="deleted_at",
        help_text=_("Only rows deleted at or after this ISO 8601 timestamp (inclusive)."),
    )
    model = ChoiceInFilter(
        choices=[(t.api_name, t.api_name) for t in TRACKED],
        method="filter_model",
        help_text=_("Model name(s), comma-separated, e.g. indicator-value,indicator."),
    )
    board = IdFilter(
        field_name="board_id", help_text=_("Board id(s) the deleted rows belonged to.")
    )

    class Meta:
        model = Tombstone
        fields = []

    def filter_model(self, queryset, name, value: list[str]):
        return queryset.filter(model__in=[BY_API_NAME[v].label_lower for v in value])
