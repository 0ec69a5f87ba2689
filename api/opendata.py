"""The open-data description of the published data: DCAT-AP-SE as JSON-LD.

`/api/dcat.jsonld` describes a catalogue with one dataset per board that has indicators:
its indicator values as the public sees them, with licence (setting `OPEN_DATA_LICENSE`,
CC0 by default), publisher and contact point (`OPEN_DATA_PUBLISHER_*`,
`OPEN_DATA_CONTACT_*`), update frequency (three times a year: the tertials), the time of the
newest published change and its distributions (the whole-dataset files, the REST API and
the Kolada v3 route). Sweden's data portal harvests such a description.
"""

import copy

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Max
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from goals.models import Board
from indicators.models import IndicatorValue

from . import visibility

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms:modified": {"@type": "xsd:dateTime"},
    "dcterms:issued": {"@type": "xsd:dateTime"},
}
EU = "http://publications.europa.eu/resource/authority/"
#: Updated at each tertial (three times a year).
ACCRUAL_PERIODICITY = EU + "frequency/ANNUAL_3"
THEME = EU + "data-theme/GOVE"
LANGUAGE = EU + "language/SWE"
FORMATS = {
    "all.csv": ("text/csv", EU + "file-type/CSV", "CSV"),
    "all.sv.csv": ("text/csv", EU + "file-type/CSV", "CSV (Swedish Excel: ; and decimal comma)"),
    "all.xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        EU + "file-type/XLSX",
        "Excel (xlsx)",
    ),
}


def _text(value):
    return {"@value": str(value), "@language": "sv"}


def _texts(make):
    """A text in Swedish and English (DCAT-AP-SE: Swedish required, English welcome)."""
    texts = []
    for language in ("sv", "en"):
        with translation.override(language):
            texts.append({"@value": make(), "@language": language})
    return texts


def _public(request):
    """The request as an anonymous reader: the description is of the published data."""
    public = copy.copy(request)
    public.user = AnonymousUser()
    public.auth = None
    return public


def _publisher(request, municipality_name):
    name = settings.OPEN_DATA_PUBLISHER_NAME or municipality_name
    url = settings.OPEN_DATA_PUBLISHER_URL or request.build_absolute_uri("/")
    return {"@id": url, "@type": "foaf:Agent", "foaf:name": _text(name)}


def _contact(municipality_name):
    contact = {
        "@type": "vcard:Organization",
        "vcard:fn": settings.OPEN_DATA_CONTACT_NAME or municipality_name,
    }
    if settings.OPEN_DATA_CONTACT_EMAIL:
        contact["vcard:hasEmail"] = {"@id": f"mailto:{settings.OPEN_DATA_CONTACT_EMAIL}"}
    return contact


def _distributions(request, board):
    licence = {"@id": settings.OPEN_DATA_LICENSE}
    items = []
    for kind, (media_type, file_type, title) in FORMATS.items():
        url = request.build_absolute_uri(
            reverse("api:indicator-value-download", kwargs={"kind": kind[4:]})
            + f"?board={board.pk}"
        )
        items.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dcterms:title": _text(title),
                "dcat:accessURL": {"@id": url},
                "dcat:downloadURL": {"@id": url},
                "dcat:mediaType": {
                    "@id": f"https://www.iana.org/assignments/media-types/{media_type}"
                },
                "dcterms:format": {"@id": file_type},
                "dcterms:license": licence,
            }
        )
    for title, url in (
        ("REST API (JSON)", reverse("api:indicator-value-list") + f"?board={board.pk}"),
        ("Kolada API v3", reverse("api:kolada-v3-data") + f"?ou_id=N{board.pk}"),
    ):
        url = request.build_absolute_uri(url)
        items.append(
            {
                "@id": url,
                "@type": "dcat:Distribution",
                "dcterms:title": _text(title),
                "dcat:accessURL": {"@id": url},
                "dcat:mediaType": {
                    "@id": "https://www.iana.org/assignments/media-types/application/json"
                },
                "dcterms:format": {"@id": EU + "file-type/JSON"},
                "dcterms:license": licence,
            }
        )
    return items


def dcat_catalog(request) -> dict:
    """The DCAT-AP-SE catalogue of the published indicator values, as JSON-LD."""
    public = _public(request)
    values = visibility.visible_values(public, IndicatorValue.objects.all())
    modified = dict(
        values.values("indicator__board_id")
        .annotate(newest=Max("updated_at"))
        .values_list("indicator__board_id", "newest")
    )
    boards = list(
        visibility.visible_boards(public, Board.objects.select_related("municipality"))
        .filter(pk__in=modified)
        .order_by("pk")
    )
    municipality = boards[0].municipality.name if boards else ""
    publisher = _publisher(request, municipality)
    datasets = []
    for board in boards:
        url = request.build_absolute_uri(reverse("public:board", args=[board.pk]))
        datasets.append(
            {
                "@id": url,
                "@type": "dcat:Dataset",
                "dcterms:identifier": url,
                "dcterms:title": _texts(
                    lambda board=board: _("Indicators of %(board)s") % {"board": board.name}
                ),
                "dcterms:description": _texts(
                    lambda board=board: (
                        _(
                            "Yearly and tertial values of the indicators of %(board)s "
                            "(%(municipality)s): board indicators, volumes and staff figures, by "
                            "gender where measured, with estimates and notes."
                        )
                        % {"board": board.name, "municipality": board.municipality.name}
                    )
                ),
                "dcterms:publisher": publisher,
                "dcat:contactPoint": _contact(board.municipality.name),
                "dcterms:license": {"@id": settings.OPEN_DATA_LICENSE},
                "dcterms:accrualPeriodicity": {"@id": ACCRUAL_PERIODICITY},
                "dcterms:modified": modified[board.pk].isoformat(),
                "dcterms:language": {"@id": LANGUAGE},
                "dcat:theme": {"@id": THEME},
                "dcat:keyword": [_text(w) for w in ("nämnd", "indikatorer", "uppföljning")]
                + [_text(board.municipality.name)],
                "dcat:landingPage": {"@id": url},
                "dcat:distribution": _distributions(request, board),
            }
        )
    return {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(),
        "@type": "dcat:Catalog",
        "dcterms:title": _texts(lambda: _("Open data of the boards' goal and indicator follow-up")),
        "dcterms:description": _texts(
            lambda: _("The published indicator values of the municipality's boards.")
        ),
        "dcterms:publisher": publisher,
        "dcterms:license": {"@id": settings.OPEN_DATA_LICENSE},
        "dcterms:language": {"@id": LANGUAGE},
        "foaf:homepage": {"@id": request.build_absolute_uri("/")},
        "dcat:dataset": datasets,
    }


@require_safe
def dcat_view(request):
    """GET the DCAT-AP-SE description (application/ld+json)."""
    return JsonResponse(
        dcat_catalog(request),
        content_type="application/ld+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
