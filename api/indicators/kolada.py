"""Kolada-compatible routes: the data and metadata of Kolada's API v2 and v3.

Tools written for Kolada (pykolada speaks v2, koladapy v3) read the boards' own indicators
by pointing their base URL at `/api/v1/kolada/` (v2) or `/api/v1/kolada/v3/` (v3):

- data: v2 `data/kpi/<ids>/municipality/<ids>/year/<years>` (any two or all three) and
  `oudata/kpi/<ids>/ou/<ids>/year/<years>`; v3 `data?kpi_id=&municipality_id=&year=` and
  `oudata?kpi_id=&ou_id=&year=` (repeated or comma-separated values), both with `page`,
  `per_page` and `from_date`;
- metadata: `kpi`, `municipality` and `ou`, each also as `<kind>/<ids>`, with Kolada's
  `title` filter (and `description`, `operating_area` for KPIs, `type` for
  municipalities, `municipality` for units).

Lists answer `{"count", "values", "next_page", "previous_page"}` in v2 and
`{"count", "values", "next_url", "previous_url"}` in v3. An organisational unit is a board
("N<board id>"). A KPI is an indicator: its Kolada id, or its stable key when it has none.
"""

import re
from datetime import UTC, datetime

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from api import visibility as api_visibility
from api.base import watermarks
from core.api.caching import Validators, collection_state
from core.api.strict import StrictQueryMixin
from core.years import LAST_YEAR
from goals.models import Board
from indicators.choices import Gender
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import board_ids, kolada_page, kolada_values_filter, kpi_condition, ou_id

from . import serializers
from .views import IndicatorValueViewSet

ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}(,[A-Za-z0-9_-]{1,40})*$"
KPI_PATTERN = ID_PATTERN
MUNICIPALITY_PATTERN = r"^[0-9]{4}(,[0-9]{4})*$"
YEAR_PATTERN = r"^[0-9]{4}(,[0-9]{4})*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
MAX_LIST = 100
DEFAULT_PER_PAGE, MAX_PER_PAGE = 1000, 5000
#: Kolada holds years from 1970 on and pykolada asks for 1970 onwards by default; years
#: before the first one held here simply have no values.
KOLADA_FIRST_YEAR = 1900

#: The names of the paging links in each version of Kolada's API.
LINKS = {2: ("next_page", "previous_page"), 3: ("next_url", "previous_url")}

#: The query parameters of each route (v3 data takes its ids as parameters too).
PAGING = ("page", "per_page")
DATA_PARAMETERS = {2: (*PAGING, "from_date"), 3: (*PAGING, "from_date", "year")}
METADATA_PARAMETERS = {
    "kpi": (*PAGING, "title", "description", "operating_area"),
    "municipality": (*PAGING, "title", "type"),
    "ou": (*PAGING, "title", "municipality"),
}


def _split(name, raw, pattern):
    if raw is None or raw == "":
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
    if not all(KOLADA_FIRST_YEAR <= y <= LAST_YEAR for y in years):
        raise ValidationError(
            {
                "year": [
                    _("Years must lie between %(first)s and %(last)s.")
                    % {"first": KOLADA_FIRST_YEAR, "last": LAST_YEAR}
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


def _from_date(request):
    """Kolada's `from_date` (YYYY-MM-DD): values changed on or after that day (UTC)."""
    raw = request.query_params.get("from_date")
    if not raw:
        return None
    try:
        if not re.fullmatch(DATE_PATTERN, raw):
            raise ValueError
        return datetime.strptime(raw, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        raise ValidationError({"from_date": [_("A date as YYYY-MM-DD.")]}) from None


def _joined(request, name):
    """A v3 parameter given repeated (`?kpi_id=a&kpi_id=b`) or comma-separated, as one list."""
    values = [v for v in request.query_params.getlist(name) if v]
    return ",".join(values) if values else None


def _window(request):
    """The page asked for and its size."""
    page = _positive_int(request, "page", 1, 10**6)
    per_page = _positive_int(request, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)
    return page, per_page


def _links(request, page, per_page, count, version):
    """The paging links under the version's names."""
    url = request.build_absolute_uri()
    next_name, previous_name = LINKS[version]
    has_next = page * per_page < count
    return {
        next_name: replace_query_param(url, "page", page + 1) if has_next else None,
        previous_name: (
            None
            if page == 1
            else remove_query_param(url, "page")
            if page == 2
            else replace_query_param(url, "page", page - 1)
        ),
    }


KOLADA_EXAMPLE = {
    "count": 2,
    "values": [
        {
            "kpi": "N00945",
            "municipality": "0580",
            "period": 2019,
            "values": [
                {
                    "gender": "K",
                    "count": 1,
                    "status": "",
                    "value": 81.2,
                    "isdeleted": False,
                    "is_estimate": False,
                    "note": "",
                },
                {
                    "gender": "T",
                    "count": 1,
                    "status": "",
                    "value": 79.9,
                    "isdeleted": False,
                    "is_estimate": True,
                    "note": "Bedömt utfall",
                },
            ],
        },
        {
            "kpi": "5f0c2a7e-8d1b-4c3e-9a57-2b1e6f0d9c41",
            "municipality": "0580",
            "period": 2019,
            "values": [
                {
                    "gender": "T",
                    "count": 1,
                    "status": "Ej mätbart",
                    "value": None,
                    "isdeleted": False,
                    "is_estimate": False,
                    "note": "",
                }
            ],
        },
    ],
}

KOLADA_DESCRIPTION = (
    "Indicator values in the shape of Kolada's data API, so that tools written for Kolada "
    "(pykolada for v2, koladapy for v3) can read them.\n\n"
    "- `kpi` is the indicator's Kolada KPI id (e.g. N00945); an indicator without one has "
    "its stable key (a UUID) as id. The earlier ids `LKP-<indicator id>` are still "
    "accepted.\n"
    "- `municipality` is the municipality code (Linköping: 0580); `ou` is a board "
    "(`N<board id>`, see the `ou` route).\n"
    "- One entry per KPI, place and year; `values` holds its gender breakdown "
    "(T total, K women, M men) with `count` 1. A text-only value has `value` null and the "
    "text (e.g. 'Ej mätbart', else 'Uppgift saknas') in `status`. Kolada has no place "
    "for an estimate or a note: they come as the extra fields `is_estimate` and `note`.\n"
    "- Only whole-year values without a category: Kolada has no tertials and no category "
    "breakdown (BOU, VUX, LSS); `/api/v1/indicator-values/` has them.\n"
    "- `from_date=YYYY-MM-DD` keeps the values changed on or after that day.\n"
    "- `count` is the number of entries on all pages; `per_page` (default 1000, at most "
    "5000) and `page` page through them."
)


def _path_parameter(name, pattern, description):
    return OpenApiParameter(
        name, str, OpenApiParameter.PATH, description=description, pattern=pattern
    )


PATH_PARAMETERS = {
    "kpi": _path_parameter(
        "kpi", KPI_PATTERN, "KPI id(s), comma-separated: Kolada ids or stable keys."
    ),
    "municipality": _path_parameter(
        "municipality", MUNICIPALITY_PATTERN, "Municipality code(s), comma-separated, e.g. 0580."
    ),
    "ou": _path_parameter("ou", ID_PATTERN, "Organisational unit(s) (boards): N<board id>."),
    "year": _path_parameter("year", YEAR_PATTERN, "Year(s), comma-separated, e.g. 2018,2019."),
    "ids": _path_parameter("ids", ID_PATTERN, "Id(s), comma-separated."),
}
PAGING_PARAMETERS = [
    OpenApiParameter("page", int, description="Page number, from 1."),
    OpenApiParameter("per_page", int, description="Entries per page: default 1000, at most 5000."),
]
FROM_DATE = OpenApiParameter(
    "from_date", OpenApiTypes.DATE, description="Only values changed on or after this day."
)
V3_DATA_PARAMETERS = [
    OpenApiParameter(
        "kpi_id", str, many=True, description="KPI id(s), repeated or comma-separated."
    ),
    OpenApiParameter(
        "municipality_id", str, many=True, description="Municipality code(s), e.g. 0580."
    ),
    OpenApiParameter("ou_id", str, many=True, description="Board(s) as units: N<board id>."),
    OpenApiParameter("year", int, many=True, description="Year(s), repeated or comma-separated."),
]


class KoladaDataView(StrictQueryMixin, APIView):
    """Indicator values in Kolada's data shape (see KOLADA_DESCRIPTION)."""

    renderer_classes = [JSONRenderer]
    version = 2
    by_unit = False
    extra_query_params = DATA_PARAMETERS[2]

    def selection(self, request, kwargs):
        return {
            "kpis": _split("kpi", kwargs.get("kpi"), KPI_PATTERN),
            "municipalities": _split(
                "municipality", kwargs.get("municipality"), MUNICIPALITY_PATTERN
            ),
            "ous": _split("ou", kwargs.get("ou"), ID_PATTERN),
            "years": _years(kwargs.get("year")),
        }

    def get(self, request, **kwargs):
        selection = self.selection(request, kwargs)
        ous = selection.pop("ous")
        values = kolada_values_filter(
            api_visibility.visible_values(request, IndicatorValue.objects.all()),
            boards=None if ous is None else board_ids(ous) or [0],
            changed_since=_from_date(request),
            **selection,
        )
        state = collection_state(
            values, IndicatorValueViewSet.etag_timestamps, watermarks=watermarks(request)
        )
        validators = Validators.for_request(request, state, api_visibility.audience(request))
        ready = validators.ready_response(request)
        if ready is not None:
            return ready
        page, per_page = _window(request)
        result = kolada_page(
            values, offset=(page - 1) * per_page, limit=per_page, by_unit=self.by_unit
        )
        links = _links(request, page, per_page, result.count, self.version)
        response = Response({"count": result.count, "values": result.entries, **links})
        validators.store_when_rendered(response, request)
        return validators.apply(response, request)


class KoladaV3DataView(KoladaDataView):
    """Kolada API v3's data: the ids as query parameters."""

    version = 3
    extra_query_params = (*DATA_PARAMETERS[3], "kpi_id", "municipality_id", "ou_id")
    repeatable_query_params = ("kpi_id", "municipality_id", "ou_id", "year")

    def selection(self, request, kwargs):
        return super().selection(
            request,
            {
                "kpi": _joined(request, "kpi_id"),
                "municipality": _joined(request, "municipality_id"),
                "ou": _joined(request, "ou_id"),
                "year": _joined(request, "year"),
            },
        )


def _data_schema(version, path_names=(), by_unit=False):
    parameters = [PATH_PARAMETERS[n] for n in path_names]
    if version == 3:
        parameters += [p for p in V3_DATA_PARAMETERS if by_unit or p.name != "ou_id"]
    example = dict(KOLADA_EXAMPLE)
    example.update(dict.fromkeys(LINKS[version]))
    return extend_schema(
        tags=["kolada"],
        summary=f"Indicator values in Kolada's data API v{version} shape"
        + (" by organisational unit" if by_unit else ""),
        description=KOLADA_DESCRIPTION,
        parameters=parameters + PAGING_PARAMETERS + [FROM_DATE],
        responses=(
            serializers.KoladaResponseSerializer
            if version == 2
            else serializers.KoladaV3ResponseSerializer
        ),
        examples=[
            OpenApiExample(
                "Values of a Kolada KPI and a local indicator", value=example, response_only=True
            )
        ],
    )


def kolada_view(*path_names, version=2, by_unit=False):
    """The Kolada data view for one route shape, documented for exactly its parameters."""
    base = KoladaV3DataView if version == 3 else KoladaDataView

    def get(self, request, **kwargs):  # a function of its own, documented for this route
        return base.get(self, request, **kwargs)

    view_class = type(
        f"KoladaV{version}{'Ou' if by_unit else ''}Data"
        + "".join(n.title() for n in path_names)
        + "View",
        (base,),
        {"by_unit": by_unit, "get": _data_schema(version, path_names, by_unit)(get)},
    )
    return view_class.as_view()


# --- metadata ---------------------------------------------------------------------------


def _contains(items, field, needle):
    if not needle:
        return items
    needle = needle.casefold()
    return [item for item in items if needle in (item.get(field) or "").casefold()]


def kpi_metadata(request, ids, version):
    """The visible indicators as Kolada KPIs, one per KPI id, in the order of their ids."""
    indicators = api_visibility.visible_indicators(
        request, Indicator.objects.select_related("board__municipality")
    )
    if ids:
        indicators = indicators.filter(kpi_condition(ids))
    divided = IndicatorValue.objects.filter(
        indicator_id=OuterRef("pk"), gender__in=[Gender.WOMEN, Gender.MEN]
    )
    indicators = indicators.annotate(is_divided=Exists(divided)).order_by("kolada_kpi", "key", "pk")
    auspice = "auspices" if version == 2 else "auspice"
    items = {}
    for indicator in indicators:
        kpi = indicator.kolada_kpi or str(indicator.key)
        if kpi in items:  # a Kolada KPI followed by several boards: described once
            continue
        items[kpi] = {
            "id": kpi,
            "title": indicator.name,
            "description": indicator.source,
            "operating_area": indicator.board.name,
            "perspective": str(indicator.get_kind_display()),
            "municipality_type": "K",
            "is_divided_by_gender": 1 if indicator.is_divided else 0,
            "has_ou_data": True,
            auspice: "X",
            "publication_date": None,
            "publ_period": None,
            "prel_publication_date": None,
            "ou_publication_date": None,
            # Not in Kolada: the unit and target of a board's own indicator.
            "unit": indicator.unit,
            "target": indicator.target_display,
            "key": str(indicator.key),
        }
    result = list(items.values())
    for field in ("title", "description", "operating_area"):
        result = _contains(result, field, request.query_params.get(field))
    return result


def municipality_metadata(request, ids, version):
    """The municipalities with a code that have boards, as Kolada describes them."""
    boards = api_visibility.visible_boards(
        request, Board.objects.select_related("municipality").exclude(municipality__code="")
    )
    items = {}
    for board in boards.order_by("municipality__code", "pk"):
        code = board.municipality.code
        items.setdefault(code, {"id": code, "title": board.municipality.name, "type": "K"})
    result = [item for item in items.values() if not ids or item["id"] in ids]
    kind = request.query_params.get("type")
    if kind:
        result = [item for item in result if item["type"] == kind]
    return _contains(result, "title", request.query_params.get("title"))


def ou_metadata(request, ids, version):
    """The boards as Kolada's organisational units."""
    boards = api_visibility.visible_boards(request, Board.objects.select_related("municipality"))
    if ids:
        boards = boards.filter(pk__in=board_ids(ids))
    result = [
        {"id": ou_id(board.pk), "municipality": board.municipality.code, "title": board.name}
        for board in boards.order_by("pk")
    ]
    municipality = request.query_params.get("municipality")
    if municipality:
        result = [item for item in result if item["municipality"] in municipality.split(",")]
    return _contains(result, "title", request.query_params.get("title"))


METADATA = {"kpi": kpi_metadata, "municipality": municipality_metadata, "ou": ou_metadata}

METADATA_EXAMPLES = {
    "kpi": {
        "id": "N00945",
        "title": "Andel brukare som är nöjda med hemtjänsten",
        "description": "Kolada, brukarundersökning",
        "operating_area": "Omsorgsnämnden",
        "perspective": "Board indicator",
        "municipality_type": "K",
        "is_divided_by_gender": 1,
        "has_ou_data": True,
        "unit": "%",
        "target": "Minst 90 %",
        "key": "5f0c2a7e-8d1b-4c3e-9a57-2b1e6f0d9c41",
    },
    "municipality": {"id": "0580", "title": "Linköping", "type": "K"},
    "ou": {"id": "N3", "municipality": "0580", "title": "Omsorgsnämnden"},
}


class KoladaMetadataView(StrictQueryMixin, APIView):
    """Kolada's metadata lists: KPIs, municipalities and organisational units."""

    renderer_classes = [JSONRenderer]
    kind = "kpi"
    version = 2

    def query_params_allowed(self) -> set:
        return super().query_params_allowed() | set(METADATA_PARAMETERS[self.kind])

    def get(self, request, ids=None):
        id_list = _split("id", ids, ID_PATTERN)
        page, per_page = _window(request)
        items = METADATA[self.kind](request, id_list, self.version)
        links = _links(request, page, per_page, len(items), self.version)
        offset = (page - 1) * per_page
        return Response({"count": len(items), "values": items[offset : offset + per_page], **links})


def metadata_view(kind, *, version=2, with_ids=False):
    """The metadata view of one kind (kpi, municipality, ou) in one Kolada version."""
    filters = [
        OpenApiParameter(name, str, description=f"Kolada's `{name}` filter (substring).")
        for name in METADATA_PARAMETERS[kind]
        if name not in PAGING
    ]
    example = {"count": 1, "values": [METADATA_EXAMPLES[kind]], **dict.fromkeys(LINKS[version])}
    schema = extend_schema(
        operation_id=f"kolada_v{version}_{kind}_{'ids' if with_ids else 'list'}",
        tags=["kolada"],
        summary=f"Kolada API v{version}: {kind}",
        description=(
            f"Kolada's `{kind}` metadata with Kolada's field names; `<ids>` takes a "
            "comma-separated list. KPIs are the boards' indicators (extra fields `unit`, "
            "`target` and `key`); units are boards."
        ),
        parameters=([PATH_PARAMETERS["ids"]] if with_ids else []) + filters + PAGING_PARAMETERS,
        responses=OpenApiTypes.OBJECT,
        examples=[OpenApiExample(f"Kolada {kind}", value=example, response_only=True)],
    )

    def get(self, request, ids=None):  # a function of its own, documented for this route
        return KoladaMetadataView.get(self, request, ids)

    view_class = type(
        f"KoladaV{version}{kind.title()}{'Ids' if with_ids else ''}View",
        (KoladaMetadataView,),
        {"kind": kind, "version": version, "get": schema(get)},
    )
    return view_class.as_view()
