"""The read endpoints: links, filters, stable paging, errors and throttling."""

import os

import pytest
from django.urls import reverse

from activities.models import Activity
from core.api.throttling import ClientRateThrottle
from followups.models import FollowUp
from goals.models import Goal
from indicators.models import Indicator, IndicatorValue

from .conftest import LIST_ROUTES

pytestmark = pytest.mark.django_db


def _rows(client, route, **params):
    response = client.get(reverse(f"api:{route}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _ids(client, route, **params):
    return sorted(row["id"] for row in _rows(client, route, **params))


def test_root_lists_every_resource(api_client):
    """/api/v1/ links every list under its plural kebab-case name."""
    data = api_client.get("/api/v1/").json()
    assert set(data) == {
        "boards",
        "activity-areas",
        "municipal-goals",
        "plans",
        "goals",
        "goal-indicator-items",
        "goal-municipal-goals",
        "follow-up-periods",
        "activities",
        "assignments",
        "follow-ups",
        "indicators",
        "indicator-values",
        "deletions",
        "action-plans",
        "action-plan-measures",
        "action-plan-follow-ups",
        "quality-reports",
        "quality-report-sections",
    }


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_rows_link_to_themselves(staff_client, plan_2019, route):
    """Each row has its stable id and the URL of its detail, which returns the same row."""
    FollowUp.objects.filter(goal__isnull=False).first().delete()  # something in /deletions/
    rows = _rows(staff_client, route, page_size=3)
    assert rows
    for row in rows:
        assert row["url"] == "http://testserver" + reverse(f"api:{route}-detail", args=[row["id"]])
        assert staff_client.get(row["url"]).json() == row


def test_filters_by_board_plan_year_area_goal(staff_client, plan_2017, plan_2019):
    """board, plan, year, year_min/year_max, area and goal narrow the lists as named."""
    assert _ids(staff_client, "goal", board=plan_2017.board_id) == sorted(
        plan_2017.goals.values_list("pk", flat=True)
    )
    assert _ids(staff_client, "goal", year=2019) == _ids(staff_client, "goal", plan=plan_2019.pk)
    assert _ids(staff_client, "goal", year_min=2018, year_max=2020) == _ids(
        staff_client, "goal", year=2019
    )
    assert _ids(staff_client, "goal", year="2017,2019") == sorted(
        Goal.objects.values_list("pk", flat=True)
    )
    goal = plan_2017.goals.filter(activities__isnull=False).first()
    assert _ids(staff_client, "activity", goal=goal.pk) == sorted(
        goal.activities.values_list("pk", flat=True)
    )
    assert _ids(staff_client, "activity", area=goal.area_id) == sorted(
        Activity.objects.filter(goal__area=goal.area_id).values_list("pk", flat=True)
    )
    period = plan_2017.periods.first()
    assert _ids(staff_client, "follow-up", period=period.pk) == sorted(
        period.follow_ups.values_list("pk", flat=True)
    )
    assert _ids(staff_client, "follow-up-period", board=plan_2017.board_id, kind="T2") == [
        period.pk
    ]


def test_value_filters(staff_client, plan_2019):
    """Values filter by indicator, Kolada id, year range, gender, category and tertial."""
    indicator = Indicator.objects.get(board=plan_2019.board, kind="goal", name="Total sjukfrånvaro")
    indicator.kolada_kpi = "N00090"
    indicator.save()
    by_kolada = _ids(staff_client, "indicator-value", kolada_kpi="N00090,N12345")
    assert by_kolada == _ids(staff_client, "indicator-value", indicator=indicator.pk)
    women = _rows(
        staff_client, "indicator-value", indicator=indicator.pk, gender="K", year_min=2018
    )
    assert {(r["gender"], r["year"] >= 2018) for r in women} == {("K", True)}
    categories = _rows(staff_client, "indicator-value", category="BOU,LSS")
    assert {r["category"] for r in categories} == {"BOU", "LSS"}
    with_category = _ids(staff_client, "indicator-value", has_category="true")
    assert with_category == sorted(
        IndicatorValue.objects.exclude(category="").values_list("pk", flat=True)
    )
    IndicatorValue.objects.create(indicator=indicator, year=2019, tertial="T1", gender="T", value=2)
    assert [r["tertial"] for r in _rows(staff_client, "indicator-value", tertial="T1")] == ["T1"]
    whole_year = _rows(staff_client, "indicator-value", tertial="year", indicator=indicator.pk)
    assert whole_year and all(r["tertial"] is None for r in whole_year)


def test_pages_are_stable_and_complete(staff_client):
    """Ordering by a column with ties still pages without gaps or repeats (pk tie-break)."""
    every = _ids(staff_client, "indicator-value")
    seen = []
    url = reverse("api:indicator-value-list") + "?ordering=-year&page_size=7"
    while url:
        data = staff_client.get(url).json()
        seen += [row["id"] for row in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == len(every)
    assert sorted(seen) == every


def test_page_size_is_capped(staff_client):
    """page_size is capped at 1000 and defaults to 100."""
    assert len(_rows(staff_client, "indicator-value", page_size=5000)) == min(
        1000, IndicatorValue.objects.count()
    )
    response = staff_client.get(reverse("api:follow-up-list"))
    assert len(response.json()["results"]) == min(100, FollowUp.objects.count())


@pytest.mark.parametrize(
    "params",
    [
        {"year": "99999"},
        {"year_min": "abc"},
        {"board": "1,x"},
        {"board": str(2**70)},
        {"changed_since": "yesterday"},
        {"changed_since": "0001-01-01T00:00:00+14:00"},
        {"gender": "X"},
        {"tertial": "T4"},
    ],
)
def test_invalid_filters_are_400(staff_client, params):
    """A malformed or out-of-range filter value is a 400 with the field named, never a 500."""
    response = staff_client.get(reverse("api:indicator-value-list"), params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_unknown_ids_and_pages_are_404(staff_client):
    """An unknown id, an id beyond the database's range and a page past the end are 404."""
    assert staff_client.get("/api/v1/goals/999999/").status_code == 404
    assert staff_client.get(f"/api/v1/goals/{2**70}/").status_code == 404
    assert staff_client.get("/api/v1/goals/abc/").status_code == 404
    assert staff_client.get("/api/v1/goals/", {"page": 999}).status_code == 404


def test_reads_only(staff_client):
    """The API is read-only for now: writes are refused with 405."""
    assert staff_client.post("/api/v1/goals/", {}).status_code == 405
    goal = Goal.objects.first()
    assert staff_client.delete(f"/api/v1/goals/{goal.pk}/").status_code == 405


def test_anonymous_reads_are_throttled(api_client, staff_client, monkeypatch):
    """Anonymous readers get 429 with Retry-After once over the rate; staff are not
    throttled."""
    monkeypatch.setattr(
        ClientRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1200/minute"}
    )
    statuses = [api_client.get("/api/v1/boards/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert api_client.get("/api/v1/boards/")["Retry-After"]
    assert {staff_client.get("/api/v1/boards/").status_code for _ in range(4)} == {200}


@pytest.fixture
def redis_cache():
    """A Redis cache on REDIS_TEST_DB (default 15) of the local Redis, emptied; skipped
    when no Redis answers."""
    import redis
    from django.core.cache.backends.redis import RedisCache

    url = f"redis://127.0.0.1:6379/{os.environ.get('REDIS_TEST_DB', '15')}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.fail("Redis must listen on 127.0.0.1:6379 (shared state is tested for real)")
    cache = RedisCache(url, {"KEY_PREFIX": "throttle-test"})
    cache.clear()
    yield cache
    cache.clear()


def test_throttle_on_redis_is_one_sliding_window(
    api_client, staff_client, monkeypatch, redis_cache
):
    """On Redis the anonymous limit counts every request of the address in one sorted set
    (shared by all servers): the limit's requests pass, the next is refused with a
    Retry-After within the window and is not counted; staff are not throttled."""
    monkeypatch.setattr(
        ClientRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "1200/minute"}
    )
    monkeypatch.setattr(ClientRateThrottle, "cache", redis_cache)
    statuses = [api_client.get("/api/v1/boards/").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    refused = api_client.get("/api/v1/boards/")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    client = redis_cache._cache.get_client()
    [key] = client.keys("throttle-test:*throttle_anon_*")
    assert client.zcard(key) == 3 and 0 < client.ttl(key) <= 61
    assert {staff_client.get("/api/v1/boards/").status_code for _ in range(4)} == {200}
    # The window slides: once the counted requests are older than a minute, one passes.
    client.zadd(key, dict.fromkeys(client.zrange(key, 0, -1), 0))
    assert api_client.get("/api/v1/boards/").status_code == 200
