"""API writes: scoped, hashed, expiring tokens; bulk values all-or-nothing; If-Match → 412."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from access.tokens import token_create
from followups.models import FollowUp
from indicators.models import Indicator, IndicatorValue
from tests.conftest import make_member

pytestmark = pytest.mark.django_db

BULK = "/api/v1/indicator-values/bulk/"


def _text_url(follow_up):
    return f"/api/v1/follow-ups/{follow_up.pk}/text/"


def _client(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
    return client


@pytest.fixture
def editor19(plan_2019, django_user_model):
    return make_member(django_user_model, "bi-klient", plan_2019.board, "editor")


@pytest.fixture
def indicator(plan_2019):
    return Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro")


def test_tokens_are_stored_hashed(editor19, plan_2019):
    """The secret is shown once; the database keeps only its digest."""
    _scope, secret = token_create(user=editor19, name="BI", boards=[plan_2019.board])
    stored = AuthToken.objects.get(user=editor19)
    assert secret not in (stored.digest, stored.token_key) and len(secret) > 40


def test_write_token_bulk_upserts(editor19, plan_2019, indicator):
    """A read-write token on the board writes values; the history names the token's user."""
    _scope, secret = token_create(
        user=editor19, name="BI", boards=[plan_2019.board], can_write=True
    )
    response = _client(secret).post(
        BULK,
        {"values": [{"indicator": indicator.pk, "year": 2020, "gender": "K", "value": "7,1"}]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 1, "updated": 0, "unchanged": 0, "dry_run": False}
    value = IndicatorValue.objects.get(indicator=indicator, year=2020, gender="K")
    assert value.history.get().history_user == editor19


def test_bulk_bad_row_writes_nothing_and_names_it(editor19, plan_2019, indicator):
    """One bad row: 400, nothing written, the error names the row and field."""
    _scope, secret = token_create(
        user=editor19, name="BI", boards=[plan_2019.board], can_write=True
    )
    before = IndicatorValue.objects.count()
    response = _client(secret).post(
        BULK,
        {
            "values": [
                {"indicator": indicator.pk, "year": 2020, "value": 1},
                {"indicator": indicator.pk, "year": 2021, "value": "x"},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": 2, "field": "value", "message": "Värdet är inte ett tal."}
    ]
    assert IndicatorValue.objects.count() == before


def test_bulk_takes_5000_values_and_refuses_more(editor19, plan_2019, indicator):
    """The most values one request may carry are written in one go, each with history;
    one more refuses the whole request in Swedish and writes nothing."""
    _scope, secret = token_create(
        user=editor19, name="BI", boards=[plan_2019.board], can_write=True
    )
    client = _client(secret)
    cells = [
        {
            "indicator": indicator.pk,
            "year": year,
            "tertial": tertial,
            "gender": gender,
            "category": category,
            "value": str(year % 97),
        }
        for category in ("", "BOU", "VUX", "LSS")
        for year in range(1990, 2101)
        for tertial in ("", "T1", "T2", "T3")
        for gender in ("T", "K", "M")
    ]
    existing = set(
        IndicatorValue.objects.filter(indicator=indicator).values_list(
            "year", "tertial", "gender", "category"
        )
    )
    rows = [
        c for c in cells if (c["year"], c["tertial"], c["gender"], c["category"]) not in existing
    ][:5000]
    before = IndicatorValue.objects.count()

    too_many = client.post(BULK, {"values": [*rows, rows[0]]}, format="json")
    assert too_many.status_code == 400
    assert too_many.json()["errors"][0]["message"].startswith("Högst 5000 värden per anrop")
    assert IndicatorValue.objects.count() == before

    response = client.post(BULK, {"values": rows}, format="json")
    assert response.status_code == 200, response.content[:500]
    assert response.json() == {
        "created": 5000,
        "updated": 0,
        "unchanged": 0,
        "dry_run": False,
    }
    assert IndicatorValue.objects.count() == before + 5000
    assert IndicatorValue.history.filter(history_user=editor19).count() == 5000


def test_read_token_cannot_write(editor19, plan_2019, indicator):
    """A read-only token of an editor cannot write."""
    _scope, secret = token_create(user=editor19, name="BI", boards=[plan_2019.board])
    response = _client(secret).post(
        BULK, {"values": [{"indicator": indicator.pk, "year": 2020, "value": 1}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Du får inte ändra värden för denna nämnd."


def test_token_scope_limits_boards(plan_2017, plan_2019, django_user_model, indicator):
    """A superuser's token scoped to one board cannot write to another board."""
    admin = django_user_model.objects.create_superuser("sys", password="x")
    _scope, secret = token_create(user=admin, name="BI", boards=[plan_2017.board], can_write=True)
    response = _client(secret).post(
        BULK, {"values": [{"indicator": indicator.pk, "year": 2020, "value": 1}]}, format="json"
    )
    assert response.status_code == 400


def test_expired_and_unknown_tokens_are_refused(editor19, plan_2019):
    """An expired or made-up token is refused with 401."""
    scope, secret = token_create(user=editor19, name="BI", boards=[plan_2019.board])
    AuthToken.objects.filter(pk=scope.token.pk).update(expiry=timezone.now() - timedelta(days=1))
    assert _client(secret).post(BULK, {"values": []}, format="json").status_code == 401
    assert _client("x" * 64).post(BULK, {"values": []}, format="json").status_code == 401
    assert APIClient().post(BULK, {"values": []}, format="json").status_code in (401, 403)


def test_if_match_lost_update(plan_2017, period_2017_12, django_user_model):
    """Two clients read the same follow-up; the second write gets 412 with both texts."""
    editor = make_member(django_user_model, "api-red", plan_2017.board, "editor")
    _scope, secret = token_create(
        user=editor, name="Verktyg", boards=[plan_2017.board], can_write=True
    )
    client = _client(secret)
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    first = client.get(_text_url(follow_up))
    etag = first["ETag"]
    assert first.json()["text"] == follow_up.text
    assert client.put(_text_url(follow_up), {"text": "A"}, format="json").status_code == 428
    ok = client.put(_text_url(follow_up), {"text": "Text A"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200 and ok["ETag"] != etag
    stale = client.put(_text_url(follow_up), {"text": "Text B"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    body = stale.json()
    assert body["current"]["text"] == "Text A" and body["yours"]["text"] == "Text B"
    follow_up.refresh_from_db()
    assert follow_up.text == "Text A"
    assert follow_up.history.latest().history_user == editor


def test_follow_up_write_refused_for_other_board_and_closed_period(
    plan_2017, plan_2019, period_2017_12, django_user_model
):
    """Another board's follow-up is not found; a closed period's follow-up is refused."""
    other = make_member(django_user_model, "api-annan", plan_2019.board, "editor")
    _scope, secret = token_create(user=other, name="X", boards=[plan_2019.board], can_write=True)
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    assert _client(secret).get(_text_url(follow_up)).status_code == 404
    editor = make_member(django_user_model, "api-red2", plan_2017.board, "editor")
    _scope, secret = token_create(user=editor, name="Y", boards=[plan_2017.board], can_write=True)
    period_2017_12.status = "submitted"
    period_2017_12.save()
    client = _client(secret)
    etag = client.get(_text_url(follow_up))["ETag"]
    response = client.put(_text_url(follow_up), {"text": "Sent"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 403


def test_create_api_token_command(editor19, plan_2019):
    """The command prints a working key once, scoped to the given board."""
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command(
        "create_api_token",
        "--user",
        editor19.username,
        "--name",
        "BI",
        "--board",
        str(plan_2019.board_id),
        stdout=out,
    )
    secret = out.getvalue().split("Token ", 1)[1].strip()
    response = _client(secret).get("/api/v1/follow-ups/")
    assert response.status_code == 200


def test_if_match_star_and_lists_of_etags(plan_2017, period_2017_12, django_user_model):
    """If-Match as RFC 9110 defines it: `*` holds for an existing follow-up; a list holds
    when one of its tags is current; a weak tag or a malformed header never holds (412)."""
    editor = make_member(django_user_model, "api-red3", plan_2017.board, "editor")
    _scope, secret = token_create(user=editor, name="V", boards=[plan_2017.board], can_write=True)
    client = _client(secret)
    follow_up = FollowUp.objects.get(period=period_2017_12, activity__number="1.3")
    url = _text_url(follow_up)
    first = client.get(url)["ETag"]

    def put(text, if_match):
        return client.put(url, {"text": text}, format="json", HTTP_IF_MATCH=if_match)

    star = put("Stjärna", "*")
    assert star.status_code == 200 and star.json()["text"] == "Stjärna"
    current = star["ETag"]
    listed = put("Lista", f'"v999", {current}')
    assert listed.status_code == 200
    assert put("Gammal", f'"v999", {first}').status_code == 412
    assert put("Svag", f"W/{listed['ETag']}").status_code == 412
    assert put("Trasig", f"{listed['ETag']}, x").status_code == 412
    follow_up.refresh_from_db()
    assert follow_up.text == "Lista"


@pytest.mark.parametrize("days", [0, -5])
def test_create_api_token_refuses_no_lifetime(editor19, plan_2019, days):
    """A lifetime of 0 days or less is refused by the command and the service; no token."""
    from django.core.exceptions import ValidationError
    from django.core.management import CommandError, call_command

    arguments = ["--user", editor19.username, "--name", "BI", "--board", str(plan_2019.board_id)]
    with pytest.raises(CommandError, match="minst 1"):
        call_command("create_api_token", *arguments, "--days", str(days))
    with pytest.raises(ValidationError):
        token_create(user=editor19, name="BI", boards=[plan_2019.board], days=days)
    assert not AuthToken.objects.filter(user=editor19).exists()
