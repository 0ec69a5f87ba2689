"""A corpus of hostile API requests: bodies, parameters, methods, content types.

Every answer under /api/ is JSON (also 404, 405, 413, 415, 429 and 500), no hostile body
answers 500, each refusal names the field (and row) in Swedish, and a refused or dry-run
request leaves the database unchanged (row counts and content of every table).
"""

import json

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from access.tokens import token_create
from indicators.models import Indicator

pytestmark = pytest.mark.django_db

BULK = "/api/v1/indicator-values/bulk/"


@pytest.fixture
def indicator(plan_2019):
    return Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro")


@pytest.fixture
def writer(plan_2019, django_user_model):
    """An API client with a read-write token on the 2019 board."""
    from tests.conftest import make_member

    user = make_member(django_user_model, "hostile-bi", plan_2019.board, "editor")
    _scope, secret = token_create(user=user, name="BI", boards=[plan_2019.board], can_write=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


def _row(indicator, **changes):
    return {"indicator": indicator.pk, "year": 2021, "gender": "K", "value": "7,1", **changes}


def _post(client, body: bytes | str, content_type="application/json"):
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    return client.generic("POST", BULK, body, content_type=content_type)


def _errors(response):
    return {(e["row"], e["field"]): e["message"] for e in response.json()["errors"]}


#: name: (body as text with {id} for the indicator, expected (row, field), message fragment)
ROW_CASES = {
    "NUL in a note": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "note": "a\\u0000"}]}',
        (1, "note"),
        "NUL-tecken",
    ),
    "NUL in text_value": (
        '{"values": [{"indicator": {id}, "year": 2021, "text_value": "\\u0000"}]}',
        (1, "text_value"),
        "NUL-tecken",
    ),
    "unpaired surrogate": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "category": "\\ud800"}]}',
        (1, "category"),
        "oparat surrogattecken",
    ),
    "1e400": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1e400}]}',
        (1, "value"),
        "för stort",
    ),
    "1e-400": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1e-400}]}',
        (1, "value"),
        "decimaler",
    ),
    "a number in a string, too long": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": "1' + "0" * 30 + '"}]}',
        (1, "value"),
        "för stort",
    ),
    "misspelled field": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "gendr": "K"}]}',
        (1, "gendr"),
        "Menade du ”gender”",
    ),
    "is_estimate as a string": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "is_estimate": "false"}]}',
        (1, "is_estimate"),
        "true eller false",
    ),
    "is_estimate as 0": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "is_estimate": 0}]}',
        (1, "is_estimate"),
        "true eller false",
    ),
    "indicator true": (
        '{"values": [{"indicator": true, "year": 2021, "value": 1}]}',
        (1, "indicator"),
        "positivt heltal",
    ),
    "year 2021.5": (
        '{"values": [{"indicator": {id}, "year": 2021.5, "value": 1}]}',
        (1, "year"),
        "positivt heltal",
    ),
    "indicator beyond bigint": (
        '{"values": [{"indicator": 99999999999999999999999, "year": 2021, "value": 1}]}',
        (1, "indicator"),
        "positivt heltal",
    ),
    "a row that is a list": ('{"values": [[1, 2]]}', (1, "-"), "objekt"),
    "a row that is a string": ('{"values": ["x"]}', (1, "-"), "objekt"),
    "value as an object": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": {"a": 1}}]}',
        (1, "value"),
        "Ange ett tal",
    ),
    "note too long": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "note": "' + "x" * 501 + '"}]}',
        (1, "note"),
        "Högst 500 tecken",
    ),
    "category as a number": (
        '{"values": [{"indicator": {id}, "year": 2021, "value": 1, "category": 5}]}',
        (1, "category"),
        "JSON-sträng",
    ),
    "dry_run as a string": ('{"values": [], "dry_run": "yes"}', (0, "dry_run"), "true eller false"),
    "unknown top-level field": (
        '{"values": [], "dryrun": true}',
        (0, "dryrun"),
        "Menade du ”dry_run”",
    ),
    "values not a list": ('{"values": {"a": 1}}', (0, "values"), "lista"),
    "5001 rows": ('{"values": [' + ",".join(["{}"] * 5001) + "]}", (0, "values"), "Högst 5000"),
}

#: name: (body, fragment of "detail")
BODY_CASES = {
    "NaN": ('{"values": [{"indicator": 1, "year": 2021, "value": NaN}]}', "NaN är inte tillåtet"),
    "Infinity": ('{"values": [{"value": -Infinity}]}', "-Infinity är inte tillåtet"),
    "nested 100,000 levels": ("[" * 100_000, "nästlad i fler än 32 nivåer"),
    "nested 40 levels in a note": (
        '{"values": [{"note": ' + "[" * 40 + "]" * 40 + "}]}",
        "nästlad i 43 nivåer",
    ),
    "invalid JSON": ('{"values": [', "Ogiltig JSON på rad 1"),
    "not UTF-8": (b'{"values": ["\xff"]}', "inte giltig UTF-8"),
    "an integer of 5000 digits": ('{"values": [' + "9" * 5000 + "]}", "för långt"),
}


@pytest.mark.parametrize("name", list(ROW_CASES))
def test_bad_row_is_named(writer, indicator, unchanged_db, name):
    """400 naming the row and field in Swedish; nothing written."""
    body, where, fragment = ROW_CASES[name]
    response = _post(writer, body.replace("{id}", str(indicator.pk)))
    assert response.status_code == 400, response.content[:300]
    assert fragment in _errors(response)[where], _errors(response)


@pytest.mark.parametrize("name", list(BODY_CASES))
def test_bad_body_is_a_json_400(writer, unchanged_db, name):
    """A body that is not acceptable JSON: 400 with the reason, never a 500."""
    body, fragment = BODY_CASES[name]
    response = _post(writer, body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert fragment in response.json()["detail"], response.json()


def test_all_errors_of_a_row_are_reported(writer, indicator, unchanged_db):
    """One row with four problems gets four errors, not only the first."""
    body = {
        "values": [
            _row(indicator, gendr="K", is_estimate="ja", note="\x00", value="sju"),
        ]
    }
    response = writer.post(BULK, body, format="json")
    assert response.status_code == 400
    assert set(_errors(response)) == {(1, "gendr"), (1, "is_estimate"), (1, "note"), (1, "value")}


def test_dry_run_checks_and_writes_nothing(writer, indicator, unchanged_db):
    """dry_run: the counts of what would happen, database rules included, nothing written."""
    response = writer.post(
        BULK,
        {"values": [_row(indicator), _row(indicator, gender="M")], "dry_run": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0, "dry_run": True}
    locked = writer.post(
        BULK, {"values": [_row(indicator, year=1800)], "dry_run": True}, format="json"
    )
    assert locked.status_code == 400


def test_maximal_batch_fits_the_body_limit(writer, indicator, unchanged_db):
    """5000 rows with every text at its longest in 4-byte characters, indented, are under
    the limit and checked (dry run); one byte over the limit is a JSON 413 naming it."""
    from django.conf import settings

    rows = [
        _row(
            indicator,
            year=2021,
            category="😀" * 40,
            text_value="😀" * 200,
            note="😀" * 500,
            is_estimate=False,
            tertial=["", "T1", "T2", "T3"][n % 4],
            value="-123456789012,3456",
        )
        | {"gender": "TKM"[n // 4 % 3], "category": f"{n:05d}" + "😀" * 35}
        for n in range(5000)
    ]
    body = json.dumps({"values": rows, "dry_run": True}, ensure_ascii=False, indent=2).encode()
    assert 15_000_000 < len(body) <= settings.API_MAX_BODY_BYTES
    response = _post(writer, body)
    assert response.status_code == 200, response.content[:300]
    assert response.json()["created"] == 5000
    too_large = _post(writer, body + b" " * (settings.API_MAX_BODY_BYTES - len(body) + 1))
    assert too_large.status_code == 413
    assert too_large["Content-Type"] == "application/json"
    assert str(settings.API_MAX_BODY_BYTES) in too_large.json()["detail"]
    assert too_large.json()["limit"] == settings.API_MAX_BODY_BYTES


@pytest.mark.parametrize(
    "path,fragment",
    [
        ("/api/v1/indicator-values/?gendr=K", "Menade du ”gender”"),
        ("/api/v1/indicator-values/?ordering=foo", "Okänd sortering ”foo”"),
        ("/api/v1/indicator-values/?page_size=0", "Ett heltal från 1"),
        ("/api/v1/indicator-values/?page_size=-5", "Ett heltal från 1"),
        ("/api/v1/indicator-values/?page_size=1e3", "Ett heltal från 1"),
        ("/api/v1/indicator-values/?has_category=maybe", "Ange true eller false"),
        ("/api/v1/boards/?format=xml", "Okänt format ”xml”"),
        ("/api/v1/boards/1/?page=2", "Okänd parameter"),
        ("/api/v1/boards/?year=2019&year=2020", "en gång"),
        ("/api/v1/boards/?q=%00", "NUL-tecken"),
        ("/api/v1/kolada/data/kpi/N1/year/2019?per_pag=5", "Menade du ”per_page”"),
        ("/api/v1/kolada/data/kpi/N1/year/2019?per_page=" + "9" * 5000, "Ett heltal från 1"),
    ],
)
def test_bad_parameter_is_a_json_400_naming_it(api_client_anon, unchanged_db, path, fragment):
    """Unknown, misspelled or invalid query parameters: 400 in JSON naming the parameter."""
    response = api_client_anon.get(path)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert fragment in json.dumps(response.json(), ensure_ascii=False)


@pytest.fixture
def api_client_anon(db):
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    return APIClient()


def test_every_status_under_api_is_json(api_client_anon, writer, unchanged_db):
    """404 (unknown address), 405, 415 and 401 answer JSON in Swedish, also to a browser."""
    for response, status in [
        (api_client_anon.get("/api/v1/no-such-thing/"), 404),
        (api_client_anon.get("/api/nothing"), 404),
        (api_client_anon.delete("/api/v1/boards/"), 405),
        (writer.generic("POST", BULK, "values=1", content_type="text/plain"), 415),
        (writer.post(BULK, b"x=1", content_type="application/x-www-form-urlencoded"), 415),
        (api_client_anon.post(BULK, {}, format="json"), 401),
        (api_client_anon.get("/api/v1/boards/999999/", HTTP_ACCEPT="text/html"), 404),
        (api_client_anon.get("/api/v1/boards/?ordering=x", HTTP_ACCEPT="text/html"), 400),
    ]:
        assert response.status_code == status, (status, response.content[:200])
        assert response["Content-Type"] == "application/json", status
        assert response.json(), status


def test_server_error_under_api_is_json(writer, monkeypatch, unchanged_db):
    """An unexpected error answers a JSON 500 saying nothing was saved."""
    from api.indicators import bulk

    def broken(**_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(bulk, "indicator_values_upsert", broken)
    writer.raise_request_exception = False
    response = writer.post(BULK, {"values": []}, format="json")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "Ingenting sparades" in response.json()["detail"]


@override_settings(
    REST_FRAMEWORK={
        **__import__("django.conf").conf.settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "1/minute", "api_write": "1/minute"},
    }
)
def test_throttling_is_json_and_wholly_swedish(api_client_anon, monkeypatch):
    """429 in JSON, in Swedish, with the waiting time in whole seconds and Retry-After."""
    from core.api.throttling import ClientRateThrottle

    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"anon": "1/minute", "user": None})
    api_client_anon.get("/api/v1/boards/")
    response = api_client_anon.get("/api/v1/boards/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    detail = response.json()["detail"]
    assert detail.startswith("För många anrop. Försök igen om ") and "sekund" in detail
    assert "Expected" not in detail and "second" not in detail.replace("sekund", "")
    assert int(response["Retry-After"]) > 0
