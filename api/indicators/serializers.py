"""Representations of indicators, their values (long form) and the Kolada-compatible shape."""

from rest_framework import serializers

from core.api.fields import NumberField, SelfLinkField, UtcIsoText, utc_iso_text
from core.api.serializers import ReadModelSerializer
from indicators.choices import Gender
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import kpi_id


class IndicatorSerializer(ReadModelSerializer):
    """An indicator with its target. `key` is its stable, global id (a UUID that stays the
    same across databases and installations); `kpi` is its Kolada id, or `key` when it has
    none (the earlier "LKP-<id>" ids are still accepted as aliases by the filters)."""

    url = SelfLinkField("api:indicator-detail")
    kpi = serializers.SerializerMethodField()
    board = serializers.IntegerField(source="board_id")
    municipality = serializers.CharField(source="board.municipality.code")
    goal = serializers.IntegerField(source="goal_id", allow_null=True)
    target_value = NumberField(allow_null=True)
    target_display = serializers.CharField()

    class Meta:
        model = Indicator
        fields = [
            "id",
            "key",
            "url",
            "kpi",
            "board",
            "municipality",
            "goal",
            "kind",
            "name",
            "unit",
            "target_comparator",
            "target_value",
            "target_text",
            "target_display",
            "direction",
            "source",
            "kolada_kpi",
            "order",
            "updated_at",
        ]

    def get_kpi(self, obj) -> str:
        return kpi_id(kolada_kpi=obj.kolada_kpi, key=obj.key)


class IndicatorValueSerializer(ReadModelSerializer):
    """One value in long form: indicator, year, tertial (null: whole year), gender, category.

    `value` is a number, or null with the reason in `text_value` ("Ej mätbart", …).
    """

    url = SelfLinkField("api:indicator-value-detail")
    indicator = serializers.IntegerField(source="indicator_id")
    kpi = serializers.SerializerMethodField()
    indicator_name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    board = serializers.IntegerField(source="indicator.board_id")
    municipality = serializers.CharField(source="indicator.board.municipality.code")
    tertial = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    value = NumberField(allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "url",
            "indicator",
            "kpi",
            "indicator_name",
            "unit",
            "board",
            "municipality",
            "year",
            "tertial",
            "gender",
            "category",
            "value",
            "text_value",
            "is_estimate",
            "note",
            "updated_at",
        ]

    def get_kpi(self, obj) -> str:
        return kpi_id(kolada_kpi=obj.indicator.kolada_kpi, key=obj.indicator.key)

    def get_tertial(self, obj) -> str | None:
        return obj.tertial or None

    def get_category(self, obj) -> str | None:
        return obj.category or None


#: The columns `value_rows` reads, as `IndicatorValue.objects.values_list(*VALUE_ROW_COLUMNS)`.
VALUE_ROW_COLUMNS = (
    "id",
    "indicator_id",
    "indicator__kolada_kpi",
    "indicator__key",
    "indicator__name",
    "indicator__unit",
    "indicator__board_id",
    "indicator__board__municipality__code",
    "year",
    "tertial",
    "gender",
    "category",
    "value",
    "text_value",
    "is_estimate",
    "note",
    UtcIsoText("updated_at"),
)


def value_rows(rows, url_template: str) -> list[dict]:
    """IndicatorValueSerializer's representation of `VALUE_ROW_COLUMNS` tuples.

    A page of values is the API's largest list; building it from plain rows skips two model
    instances per value and DRF's per-field calls, which together cost most of a request.
    tests/indicators/test_api.py checks that both give the same output for every value.
    """
    return [
        {
            "id": pk,
            "url": url_template.format(pk=pk),
            "indicator": indicator,
            "kpi": kolada_kpi or str(key),
            "indicator_name": name,
            "unit": unit,
            "board": board,
            "municipality": municipality,
            "year": year,
            "tertial": tertial or None,
            "gender": gender,
            "category": category or None,
            "value": None if value is None else float(value),
            "text_value": text_value,
            "is_estimate": is_estimate,
            "note": note,
            "updated_at": utc_iso_text(updated_at),
        }
        for (
            pk,
            indicator,
            kolada_kpi,
            key,
            name,
            unit,
            board,
            municipality,
            year,
            tertial,
            gender,
            category,
            value,
            text_value,
            is_estimate,
            note,
            updated_at,
        ) in rows
    ]


class KoladaValueSerializer(serializers.Serializer):
    """One gender's value: `value` null when missing, with the reason in `status`."""

    gender = serializers.ChoiceField(choices=Gender.choices)
    count = serializers.IntegerField()
    status = serializers.CharField(allow_blank=True)
    value = serializers.FloatField(allow_null=True)
    isdeleted = serializers.BooleanField()
    is_estimate = serializers.BooleanField(help_text="Bedömt värde (not in Kolada's own data).")
    note = serializers.CharField(allow_blank=True, help_text="The value's note (not in Kolada).")


class KoladaEntrySerializer(serializers.Serializer):
    """The values of one KPI in one municipality and year."""

    kpi = serializers.CharField()
    municipality = serializers.CharField(required=False, help_text="In data.")
    ou = serializers.CharField(required=False, help_text="In oudata: the board, N<board id>.")
    period = serializers.IntegerField()
    values = KoladaValueSerializer(many=True)


class KoladaResponseSerializer(serializers.Serializer):
    """Kolada's data API v2 response: entries of this page, their total count, paging links."""

    count = serializers.IntegerField()
    values = KoladaEntrySerializer(many=True)
    next_page = serializers.URLField(allow_null=True)
    previous_page = serializers.URLField(allow_null=True)


class KoladaV3ResponseSerializer(serializers.Serializer):
    """Kolada's data API v3 response: as v2, with the paging links named `*_url`."""

    count = serializers.IntegerField()
    values = KoladaEntrySerializer(many=True)
    next_url = serializers.URLField(allow_null=True)
    previous_url = serializers.URLField(allow_null=True)
