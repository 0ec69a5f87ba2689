from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from core.api.fields import detail_url_template
from indicators.models import Indicator, IndicatorValue

from . import serializers
from .filtersets import IndicatorFilterSet, IndicatorValueFilterSet


class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators (nämndindikatorer, volumes, staff figures) with their targets."""

    queryset = Indicator.objects.select_related("board__municipality")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    visibility = staticmethod(api_visibility.visible_indicators)
    ordering = ["board_id", "kind", "order", "name", "pk"]
    ordering_fields = ["id", "order", "name", "updated_at"]


class IndicatorValueViewSet(ReadOnlyViewSet):
    """Indicator values in long form: one row per indicator, year, tertial and breakdown."""

    queryset = IndicatorValue.objects.select_related("indicator__board__municipality").only(
        *(f.name for f in IndicatorValue._meta.concrete_fields),
        *(f"indicator__{name}" for name in ("name", "unit", "kolada_kpi", "key", "board_id")),
        "indicator__board__municipality__code",
    )
    serializer_class = serializers.IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    visibility = staticmethod(api_visibility.visible_values)
    ordering = ["indicator_id", "category", "gender", "year", "tertial", "pk"]
    ordering_fields = ["id", "year", "updated_at"]
    # The indicator's name, unit and KPI id are part of each row: any change of an
    # indicator renews the ETag of every values list (no join for it in the ETag query).
    etag_timestamps = ("updated_at", (Indicator, "updated_at"))

    row_columns = serializers.VALUE_ROW_COLUMNS

    def represent_rows(self, rows):
        template = detail_url_template("api:indicator-value-detail", self.request)
        return serializers.value_rows(rows, template)
