"""Open data: the DCAT-AP-SE description (JSON-LD), CORS on the read endpoints, and
answers in the language of Accept-Language."""

import json

import pytest
from pyld import jsonld

from goals.models import Board

pytestmark = pytest.mark.django_db

DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
VCARD = "http://www.w3.org/2006/vcard/ns#"
CC0 = "http://creativecommons.org/publicdomain/zero/1.0/"


def _offline_loader(url, options=None):
    raise jsonld.JsonLdError(f"no remote contexts here: {url}", "loading document failed")


def _expanded(client):
    response = client.get("/api/dcat.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json; charset=utf-8"
    document = json.loads(response.content)
    expanded = jsonld.expand(document, {"documentLoader": _offline_loader})
    nodes = jsonld.flatten(expanded, None, {"documentLoader": _offline_loader})
    return {node["@id"]: node for node in nodes}


def _ids(node, prop):
    return [v["@id"] for v in node.get(prop, [])]


def test_dcat_description_is_json_ld_with_dcat_ap_se_properties(api_client, published_2019):
    """The description expands as JSON-LD (pyld) into a dcat:Catalog whose datasets have
    the properties DCAT-AP-SE requires or recommends: title, description, publisher,
    contact point, licence (CC0 by default), update frequency, modified, distributions with
    access URL, format and licence."""
    nodes = _expanded(api_client)
    [catalog] = [n for n in nodes.values() if DCAT + "Catalog" in n.get("@type", [])]
    datasets = [nodes[i] for i in _ids(catalog, DCAT + "dataset")]
    board = Board.objects.get(name="Social- och omsorgsnämnden")
    assert [d["@id"].rstrip("/").rsplit("/", 1)[1] for d in datasets] == [str(board.pk)]
    for node in (catalog, *datasets):
        assert {t["@language"] for t in node[DCT + "title"]} == {"sv", "en"}
        assert node[DCT + "description"] and _ids(node, DCT + "publisher")
        assert _ids(node, DCT + "license") == [CC0]
    [dataset] = datasets
    assert DCAT + "Dataset" in dataset["@type"]
    titles = {t["@language"]: t["@value"] for t in dataset[DCT + "title"]}
    assert titles == {
        "sv": "Indikatorer för Social- och omsorgsnämnden",
        "en": "Indicators of Social- och omsorgsnämnden",
    }
    publisher = nodes[_ids(dataset, DCT + "publisher")[0]]
    assert publisher[FOAF + "name"][0]["@value"] == "Linköpings kommun"
    contact = nodes[_ids(dataset, DCAT + "contactPoint")[0]]
    assert contact[VCARD + "fn"][0]["@value"] == "Linköpings kommun"
    assert _ids(dataset, DCT + "accrualPeriodicity") == [
        "http://publications.europa.eu/resource/authority/frequency/ANNUAL_3"
    ]
    assert dataset[DCT + "modified"][0]["@type"] == "http://www.w3.org/2001/XMLSchema#dateTime"
    distributions = [nodes[i] for i in _ids(dataset, DCAT + "distribution")]
    assert len(distributions) == 5
    for distribution in distributions:
        assert _ids(distribution, DCAT + "accessURL") and _ids(distribution, DCT + "format")
        assert _ids(distribution, DCT + "license") == [CC0]
    downloads = [u for d in distributions for u in _ids(d, DCAT + "downloadURL")]
    assert f"http://testserver/api/v1/indicator-values/all.csv?board={board.pk}" in downloads


def test_dcat_settings_and_nothing_unpublished(api_client, settings):
    """Licence, publisher and contact come from the settings; with no published year-end
    there is no dataset."""
    settings.OPEN_DATA_LICENSE = "http://creativecommons.org/licenses/by/4.0/"
    settings.OPEN_DATA_PUBLISHER_NAME = "Kommunen"
    settings.OPEN_DATA_CONTACT_EMAIL = "data@example.se"
    data = api_client.get("/api/dcat.jsonld").json()
    assert data["dcterms:license"] == {"@id": "http://creativecommons.org/licenses/by/4.0/"}
    assert data["dcterms:publisher"]["foaf:name"]["@value"] == "Kommunen"
    assert data["dcat:dataset"] == []


def test_dcat_with_contact_email(api_client, published_2019, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "data@example.se"
    [dataset] = api_client.get("/api/dcat.jsonld").json()["dcat:dataset"]
    assert dataset["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:data@example.se"}


def test_cors_for_anonymous_reads_only(api_client):
    """Reads and their preflight allow any origin, without credentials and only for GET,
    HEAD and OPTIONS; the write endpoints have no CORS at all."""
    origin = {"HTTP_ORIGIN": "https://example.org"}
    read = api_client.get("/api/v1/boards/", **origin)
    assert read["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in read
    assert "ETag" in read["Access-Control-Expose-Headers"]
    assert api_client.get("/api/dcat.jsonld", **origin)["Access-Control-Allow-Origin"] == "*"
    preflight = api_client.options(
        "/api/v1/indicator-values/",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
        **origin,
    )
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "authorization" not in preflight["Access-Control-Allow-Headers"]
    for url in ("/api/v1/indicator-values/bulk/", "/api/v1/follow-ups/1/text/"):
        for response in (
            api_client.post(url, {}, format="json", **origin),
            api_client.options(url, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PUT", **origin),
        ):
            assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Origin" not in api_client.get("/las/", **origin)


def test_api_answers_in_the_language_asked_for(api_client):
    """The API follows Accept-Language (English or Swedish) and says it varies by it; the
    reader stays Swedish unless the visitor chose English."""
    url = "/api/v1/indicator-values/?year=1066"
    english = api_client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    swedish = api_client.get(url, HTTP_ACCEPT_LANGUAGE="sv-SE,sv;q=0.9")
    assert english.status_code == swedish.status_code == 400
    assert english["Content-Language"] == "en" and swedish["Content-Language"] == "sv"
    assert english.json() != swedish.json()
    assert "Accept-Language" in english["Vary"]
    assert api_client.get("/las/", HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "sv"


def test_dcat_query_count_does_not_grow(api_client, published_2019):
    """The description takes the same queries for one published board as for two."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from goals.choices import PeriodKind, PeriodStatus
    from goals.models import FollowUpPeriod, Plan
    from indicators.models import Indicator, IndicatorValue

    counts, datasets = [], []
    for _round in range(2):
        with CaptureQueriesContext(connection) as queries:
            datasets.append(len(api_client.get("/api/dcat.jsonld").json()["dcat:dataset"]))
        counts.append(len(queries))
        board = Board.objects.create(
            municipality=published_2019.plan.board.municipality, name="Ny nämnd"
        )
        plan = Plan.objects.create(board=board, year=2019, title="Plan")
        FollowUpPeriod.objects.create(
            plan=plan, kind=PeriodKind.TERTIAL_3, date="2019-12-31", status=PeriodStatus.PUBLISHED
        )
        indicator = Indicator.objects.create(board=board, kind="volume", name="Volym")
        IndicatorValue.objects.create(indicator=indicator, year=2019, value=1)
    assert datasets == [1, 2]
    assert counts[0] == counts[1]
