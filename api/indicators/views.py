import re

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api import visibility as api_visibility
from api.base import WATERMARKS, ReadOnlyViewSet
from core.api.caching import Validators, collection_state
from core.api.fields import detail_url_template
from core.api.filters import YEAR_MAX, YEAR_MIN
from core.api.strict import StrictQueryMixin
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import kolada_page, kolada_values_filter

from . import serializers
from .filtersets import IndicatorFilterSet, IndicatorValueFilterSet


class IndicatorViewSet(ReadOnlyViewSet):
    """Indicators (nämndindikatorer, volumes, staff figures) with their targets."""

    queryset = Indicator.objects.all()
    serializer_class = serializers.IndicatorSerializer
    filterset_class = IndicatorFilterSet
    visibility = staticmethod(api_visibility.visible_indicators)
    ordering = ["board_id", "kind", "order", "name", "pk"]
    ordering_fields = ["id", "order", "name", "updated_at"]


class IndicatorValueViewSet(ReadOnlyViewSet):
    """Indicator values in long form: one row per indicator, year, tertial and breakdown."""

    queryset = IndicatorValue.objects.select_related("indicator").only(
        *(f.name for f in IndicatorValue._meta.concrete_fields),
        *(f"indicator__{name}" for name in ("name", "unit", "kolada_kpi", "board_id")),
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


KPI_PATTERN = r"^[A-Za-z0-9_-]{1,40}(,[A-Za-z0-9_-]{1,40})*$"
MUNICIPALITY_PATTERN = r"^[0-9]{4}(,[0-9]{4})*$"
YEAR_PATTERN = r"^[0-9]{4}(,[0-9]{4})*$"
MAX_LIST = 100
DEFAULT_PER_PAGE, MAX_PER_PAGE = 1000, 5000


def _split(name, raw, pattern):
    if raw is None:
        return None
    items = raw.split(",")
    if not re.fullmatch(pattern, raw) or len(items) > MAX_LIST:
        raise ValidationError({name: [_("Invalid value or too many values (at most 100).")]})
    return items


def _years(raw):
    years = _split("year", raw, YEAR_PATTERN)
    if years is None:
        return None
    years = [int(y) for y in years]
    if not all(YEAR_MIN <= y <= YEAR_MAX for y in years):
        raise ValidationError(
            {
                "year": [
                    _("Years must lie between %(first)s and %(last)s.")
                    % {"first": YEAR_MIN, "last": YEAR_MAX}
                ]
            }
        )
    return years


def _positive_int(request, name, default, maximum):
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10) or not 1 <= int(raw) <= maximum:
        raise ValidationError(
            {name: [_("A whole number from 1 up to %(max)s.") % {"max": maximum}]}
        )
    return int(raw)


KOLADA_EXAMPLE = {
    "count": 1,
    "values": [
        {
            "kpi": "N00945",
            "municipality": "0580",
            "period": 2019,
            "values": [
                {"gender": "K", "count": 1, "status": "", "value": 81.2},
                {"gender": "M", "count": 1, "status": "", "value": 78.4},
                {"gender": "T", "count": 1, "status": "", "value": 79.9},
            ],
        },
        {
            "kpi": "LKP-17",
            "municipality": "0580",
            "period": 2019,
            "values": [{"gender": "T", "count": 1, "status": "Ej mätbart", "value": None}],
        },
    ],
    "next_page": None,
    "previous_page": None,
}

KOLADA_DESCRIPTION = (
    "Indicator values in the shape of Kolada's data API v2, so that tools written for Kolada "
    "can read them. Give any two (or all three) of KPI, municipality and year; each takes a "
    "comma-separated list.\n\n"
    "- `kpi` is the indicator's Kolada KPI id (e.g. N00945); an indicator without one has the "
    "stable id `LKP-<indicator id>` (lokal KPI).\n"
    "- `municipality` is the municipality code (Linköping: 0580).\n"
    "- One entry per KPI, municipality and year; `values` holds its gender breakdown "
    "(T total, K women, M men) with `count` 1. A text-only value has `value` null and the "
    "text (e.g. 'Ej mätbart', else 'Uppgift saknas') in `status`; a number has status ''.\n"
    "- Only whole-year values without a category: Kolada has no tertials and no category "
    "breakdown (BOU, VUX, LSS), so those values are left out here and are available at "
    "`/api/v1/indicator-values/`.\n"
    "- `count` is the number of entries on all pages; `per_page` (default 1000, at most "
    "5000) and `page` page through them, and `next_page` links to the next page."
)


def _path_parameter(name, pattern, description):
    return OpenApiParameter(
        name, str, OpenApiParameter.PATH, description=description, pattern=pattern
    )


KOLADA_PARAMETERS = {
    "kpi": _path_parameter(
        "kpi", KPI_PATTERN, "KPI id(s), comma-separated: Kolada ids or LKP-<indicator id>."
    ),
    "municipality": _path_parameter(
        "municipality", MUNICIPALITY_PATTERN, "Municipality code(s), comma-separated, e.g. 0580."
    ),
    "year": _path_parameter("year", YEAR_PATTERN, "Year(s), comma-separated, e.g. 2018,2019."),
}
PAGING_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description="Entries per page: default 1000, at most 5000."),
]


def kolada_schema(*path_names):
    return extend_schema(
        tags=["kolada"],
        summary="Indicator values in Kolada's data API v2 shape",
        description=KOLADA_DESCRIPTION,
        parameters=[KOLADA_PARAMETERS[n] for n in path_names] + PAGING_PARAMETERS,
        responses=serializers.KoladaResponseSerializer,
        examples=[OpenApiExample("Values of two KPIs", value=KOLADA_EXAMPLE, response_only=True)],
    )


class KoladaDataView(StrictQueryMixin, APIView):
    """Indicator values in Kolada's data API v2 shape (see KOLADA_DESCRIPTION)."""

    renderer_classes = [JSONRenderer]
    extra_query_params = ("page", "per_page")
    path_names = ()

    def get(self, request, kpi=None, municipality=None, year=None):
        page = _positive_int(request, "page", 1, 10**6)
        per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
        values = kolada_values_filter(
            api_visibility.visible_values(request, IndicatorValue.objects.all()),
            kpis=_split("kpi", kpi, KPI_PATTERN),
            municipalities=_split("municipality", municipality, MUNICIPALITY_PATTERN),
            years=_years(year),
        )
        state = collection_state(
            values, IndicatorValueViewSet.etag_timestamps, watermarks=WATERMARKS
        )
        validators = Validators.for_request(request, state, api_visibility.audience(request))
        ready = validators.ready_response(request)
        if ready is not None:
            return ready
        result = kolada_page(values, offset=(page - 1) * per_page, limit=per_page)
        url = request.build_absolute_uri()
        has_next = page * per_page < result.count
        data = {
            "count": result.count,
            "values": result.entries,
            "next_page": replace_query_param(url, "page", page + 1) if has_next else None,
            "previous_page": (
                None
                if page == 1
                else remove_query_param(url, "page")
                if page == 2
                else replace_query_param(url, "page", page - 1)
            ),
        }
        response = Response(data)
        validators.store_when_rendered(response, request)
        return validators.apply(response, request)


def kolada_view(*path_names):
    """The Kolada view for one of the route shapes, documented for exactly its parameters."""
    view_class = type(
        "KoladaData" + "".join(n.title() for n in path_names) + "View",
        (KoladaDataView,),
        {"get": kolada_schema(*path_names)(KoladaDataView.get)},
    )
    return view_class.as_view()
