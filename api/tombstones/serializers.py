from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer
from tombstones.models import Tombstone
from tombstones.registry import BY_LABEL, TRACKED


class TombstoneSerializer(ReadModelSerializer):
    """A deleted or withdrawn row: which model, which id, which board, when, and why
    ("deleted", or "withdrawn": its period was reopened after publication)."""

    url = SelfLinkField("api:deletion-detail")
    model = extend_schema_field({"type": "string", "enum": [t.api_name for t in TRACKED]})(
        serializers.SerializerMethodField()
    )
    board = serializers.IntegerField(source="board_id", allow_null=True)

    class Meta:
        model = Tombstone
        fields = ["id", "url", "model", "object_id", "board", "deleted_at", "reason"]

    def get_model(self, obj) -> str:
        tracked = BY_LABEL.get(obj.model)
        return tracked.api_name if tracked else obj.model
