from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from core.api.downloads import csv_lines
from core.api.fields import detail_url_template
from indicators.models import Indicator, IndicatorValue

from . import serializers
from .filtersets import IndicatorFilterSet, IndicatorValueFilterSet


def _row(pk, year, gender, value, updated_at="2026-12-01T19:45:41.729291Z", **extra):
    return {
        "id": pk,
        "url": f"https://malfolj.example.se/api/v1/indicator-values/{pk}/",
        "indicator": 28,
        "kpi": "aeadc034-8ec3-4c28-a330-f139d8c0c74e",
        "indicator_name": "Total sjukfrånvaro",
        "unit": "%",
        "board": 2,
        "municipality": "0580",
        "year": year,
        "tertial": None,
        "gender": gender,
        "category": None,
        "value": value,
        "text_value": "",
        "is_estimate": False,
        "note": "",
        "updated_at": updated_at,
        **extra,
    }


#: Taken from the seed documents (Social- och omsorgsnämnden, Linköping).
VALUE_EXAMPLES = [
    OpenApiExample(
        "One indicator over the years by gender",
        description=(
            "`GET /api/v1/indicator-values/?indicator=28&tertial=year&year_min=2017"
            "&year_max=2018&ordering=year` — whole-year values of one indicator, women (K), "
            "men (M) and total (T), oldest year first."
        ),
        value=[
            _row(63, 2017, "T", 5.3),
            _row(66, 2017, "M", 3.1),
            _row(69, 2017, "K", 5.6),
            _row(64, 2018, "T", 6.6),
            _row(67, 2018, "M", 3.6),
            _row(70, 2018, "K", 7.0),
        ],
        response_only=True,
    ),
    OpenApiExample(
        "Changed since a date",
        description=(
            "`GET /api/v1/indicator-values/?changed_since=2026-12-01T20:00:00Z` — the values "
            "saved at or after that time (deleted ones: `/api/v1/deletions/?model="
            "indicator-value&changed_since=…`)."
        ),
        value=[
            _row(
                65,
                2019,
                "T",
                6.7,
                updated_at="2026-12-01T20:14:03.118502Z",
                is_estimate=True,
                note="Bedömt utfall",
            )
        ],
        response_only=True,
    ),
]


def _csv_example(rows, *, swedish=False):
    return "".join(csv_lines(list(rows[0]), [rows], swedish=swedish))


_YEARS_BY_GENDER = VALUE_EXAMPLES[0].value
_QUERY = "indicator=28&tertial=year&year_min=2017&year_max=2018&ordering=year"

#: The whole-dataset files of the first example's query.
DOWNLOAD_EXAMPLES = [
    OpenApiExample(
        "One indicator over the years by gender as CSV",
        description=(
            f"`GET /api/v1/indicator-values/all.csv?{_QUERY}` — every matching row, "
            "comma-separated with a decimal point; `pandas.read_csv(url)` reads it."
        ),
        value=_csv_example(_YEARS_BY_GENDER),
        media_type="text/csv",
        response_only=True,
    ),
    OpenApiExample(
        "The same for Swedish Excel",
        description=(
            f"`GET /api/v1/indicator-values/all.sv.csv?{_QUERY}` — semicolons, decimal "
            "comma and a byte order mark, as Swedish Excel opens a file."
        ),
        value=_csv_example(_YEARS_BY_GENDER, swedish=True),
        media_type="text/csv",
        response_only=True,
    ),
]


class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators (nämndindikatorer, volumes, staff figures) with their targets."""

    queryset = Indicator.objects.select_related("board__municipality")
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    visibility = staticmethod(api_visibility.visible_indicators)
    ordering = ["board_id", "kind", "order", "name", "pk"]
    ordering_fields = ["id", "order", "name", "updated_at"]


@extend_schema_view(list=extend_schema(examples=VALUE_EXAMPLES))
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
    download_examples = DOWNLOAD_EXAMPLES
    # The indicator's name, unit and KPI id are part of each row: any change of an
    # indicator renews the ETag of every values list (no join for it in the ETag query).
    etag_timestamps = ("updated_at", (Indicator, "updated_at"))

    row_columns = serializers.VALUE_ROW_COLUMNS

    def represent_rows(self, rows):
        template = detail_url_template("api:indicator-value-detail", self.request)
        return serializers.value_rows(rows, template)
