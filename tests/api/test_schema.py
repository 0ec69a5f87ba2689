"""The OpenAPI schema: valid, free of generator warnings, every parameter described."""

import pytest
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


def test_spectacular_validates_without_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` passes: a valid OpenAPI 3 document
    and not a single warning or error from drf-spectacular."""
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml")
    )
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3")


def test_generator_in_process_emits_no_warnings():
    """Generating the schema in-process records no warnings or errors."""
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, GENERATOR_STATS


def test_every_operation_and_parameter_is_documented():
    """Every endpoint has a description and every parameter (filters included) one too;
    every list documents the shared filters, paging and conditional-GET responses (the
    Kolada routes page as Kolada does: `page` and `per_page`)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    writes = {"/api/v1/indicator-values/bulk/", "/api/v1/follow-ups/{id}/text/"}
    for path, item in schema["paths"].items():
        if path in writes:  # token-authenticated writes: described, no list machinery
            for operation in item.values():
                assert operation.get("description"), path
                assert {"401", "403"} <= set(operation["responses"]), path
            continue
        operation = item["get"]
        if not operation.get("description"):
            missing.append(f"{path}: description")
        for parameter in operation["parameters"]:
            if not parameter.get("description"):
                missing.append(f"{path}: {parameter['name']}")
        if path.endswith("/all.{kind}"):  # a whole-dataset file: see the test below
            continue
        assert {"200", "304", "400", "404", "429"} <= set(operation["responses"]), path
        if "{" not in path and "/kolada/" not in path:  # a list (Kolada's page its own way)
            names = {p["name"] for p in operation["parameters"]}
            assert {"changed_since", "ordering", "page", "page_size", "format"} <= names, path
    assert not missing


def test_values_list_documents_the_promised_filters():
    """The values list offers board, indicator, goal, area, Kolada id, years, breakdowns."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    names = {p["name"] for p in schema["paths"]["/api/v1/indicator-values/"]["get"]["parameters"]}
    assert {
        "board",
        "indicator",
        "goal",
        "area",
        "kolada_kpi",
        "year",
        "year_min",
        "year_max",
        "tertial",
        "gender",
        "category",
        "changed_since",
    } <= names


def test_kolada_operation_has_an_example():
    """The Kolada endpoint carries a response example in the documented shape."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"][
        "/api/v1/kolada/data/kpi/{kpi}/municipality/{municipality}/year/{year}"
    ]["get"]
    examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
    example = next(iter(examples.values()))["value"]
    assert set(example) >= {"count", "values", "next_page"}
    assert set(example["values"][0]) == {"kpi", "municipality", "period", "values"}


def test_schema_and_documentation_pages_are_served(client):
    """/api/schema/ serves the OpenAPI document; /api/docs/ and /api/redoc/ serve the UIs
    from our own static files (no CDN)."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
    for page in ("/api/docs/", "/api/redoc/"):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert "drf_spectacular_sidecar" in html
        assert "cdn.jsdelivr" not in html


def test_docs_teach_ordering_page_size_and_examples():
    """`ordering` lists its allowed values, `page_size` its maximum; the values list has
    examples of real queries; Kolada's v3 data and metadata are documented with examples;
    the description no longer calls the API read-only."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/indicator-values/"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["ordering"]["schema"]["items"]["enum"] == [
        "id", "-id", "year", "-year", "updated_at", "-updated_at"
    ]  # fmt: skip
    assert parameters["page_size"]["schema"]["maximum"] == 1000
    examples = operation["responses"]["200"]["content"]["application/json"]["examples"]
    assert set(examples) == {"OneIndicatorOverTheYearsByGender", "ChangedSinceADate"}
    rows = examples["OneIndicatorOverTheYearsByGender"]["value"]["results"]
    assert {(r["year"], r["gender"]) for r in rows} == {(y, g) for y in (2017, 2018) for g in "KMT"}
    v3 = schema["paths"]["/api/v1/kolada/v3/data/"]["get"]
    example = next(iter(v3["responses"]["200"]["content"]["application/json"]["examples"].values()))
    assert {"next_url", "previous_url"} <= set(example["value"])
    assert {"kpi_id", "municipality_id", "year", "from_date"} <= {
        p["name"] for p in v3["parameters"]
    }
    for path in ("/api/v1/kolada/kpi/", "/api/v1/kolada/v3/municipality/{ids}"):
        assert schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert "read-only" not in schema["info"]["description"].lower()


def test_download_routes_document_the_lists_filters_and_ordering():
    """Each whole-dataset route documents the filters and `ordering` of its list (not its
    paging, `format` or conditional GET, which a file does not have); the values' files
    show a real query's CSV and Swedish-Excel CSV."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    downloads = [path for path in schema["paths"] if path.endswith("/all.{kind}")]
    assert len(downloads) >= 15
    for path in downloads:
        operation = schema["paths"][path]["get"]
        listing = schema["paths"][path.removesuffix("all.{kind}")]["get"]
        query = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        list_query = {p["name"]: p for p in listing["parameters"] if p["in"] == "query"}
        assert set(query) == set(list_query) - {"page", "page_size", "format"}, path
        assert query["ordering"]["schema"] == list_query["ordering"]["schema"], path
        assert all(p.get("description") for p in operation["parameters"]), path
        assert {"200", "400", "429"} <= set(operation["responses"]), path
        assert "304" not in operation["responses"], path
    values = schema["paths"]["/api/v1/indicator-values/all.{kind}"]["get"]
    examples = values["responses"]["200"]["content"]["text/csv"]["examples"]
    plain, swedish = (example["value"] for example in examples.values())
    assert plain.startswith("id,url,indicator,") and ",2017,,K,,5.6," in plain
    assert swedish.startswith("\ufeffid;url;") and ";2017;;K;;5,6;" in swedish
    assert "indicator=28&tertial=year" in next(iter(examples.values()))["description"]


@pytest.mark.parametrize(
    ("language", "texts"),
    [
        (
            "en",
            {
                "board": "Board id(s) of the indicator.",
                "page_size": "Rows per page: 100 by default, at most 1000.",
                "ordering": "Sort order: one or more of id, year, updated_at",
                "summary": "The whole list as one CSV or xlsx file",
            },
        ),
        (
            "sv",
            {
                "board": "Id för indikatorns nämnd.",
                "page_size": "Rader per sida: 100 om inget anges, högst 1000.",
                "ordering": "Sorteringsordning: ett eller flera av id, year, updated_at",
                "summary": "Hela listan som en CSV- eller xlsx-fil",
            },
        ),
    ],
)
def test_schema_is_english_or_swedish_by_accept_language(client, language, texts):
    """/api/schema/ describes the parameters (filters, paging, ordering) and the
    whole-dataset routes in the language of Accept-Language."""
    response = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    paths = response.json()["paths"]
    listing = paths["/api/v1/indicator-values/"]["get"]
    download = paths["/api/v1/indicator-values/all.{kind}"]["get"]
    for operation in (listing, download):
        described = {p["name"]: p["description"] for p in operation["parameters"]}
        assert described["board"] == texts["board"]
        assert described["ordering"].startswith(texts["ordering"])
    assert {p["name"]: p["description"] for p in listing["parameters"]}["page_size"] == (
        texts["page_size"]
    )
    assert download["summary"] == texts["summary"]
