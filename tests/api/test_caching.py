"""Conditional GET: ETag and Last-Modified on lists, details and Kolada data; 304 when current."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import http_date

from followups.models import FollowUp
from goals.models import FollowUpPeriod, Goal
from indicators.models import Indicator, IndicatorValue
from tombstones.models import Tombstone

pytestmark = pytest.mark.django_db


def _newest(*querysets_and_fields):
    """HTTP date of the newest timestamp among the rows and the global watermarks."""
    pairs = [
        *querysets_and_fields,
        (FollowUpPeriod.objects.all(), "updated_at"),
        (Tombstone.objects.all(), "deleted_at"),
    ]
    stamps = [t for qs, field in pairs for t in qs.values_list(field, flat=True)]
    return http_date(max(stamps).timestamp())


def test_list_etag_gives_304_until_a_row_changes(staff_client, plan_2019):
    """A list carries a weak ETag; sending it back gives 304 (with the same ETag and no
    body) until a row of the list changes, and then a new ETag."""
    url = reverse("api:goal-list")
    first = staff_client.get(url, {"plan": plan_2019.pk})
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('W/"')

    again = staff_client.get(url, {"plan": plan_2019.pk}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["ETag"] == etag and again.content == b""

    goal = plan_2019.goals.first()
    goal.summary = "Ändrad sammanfattning"
    goal.save()
    changed = staff_client.get(url, {"plan": plan_2019.pk}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_last_modified_and_if_modified_since(staff_client, plan_2019):
    """Last-Modified is the newest change behind the list; If-Modified-Since at or after it
    gives 304, an earlier date gives 200."""
    url = reverse("api:indicator-value-list")
    response = staff_client.get(url)
    last_modified = response["Last-Modified"]
    assert last_modified == _newest(
        (IndicatorValue.objects.all(), "updated_at"), (Indicator.objects.all(), "updated_at")
    )
    assert staff_client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert staff_client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_detail_etag_and_last_modified(staff_client, plan_2019):
    """A detail carries ETag and Last-Modified; both give 304 while it is unchanged."""
    goal = plan_2019.goals.first()
    url = reverse("api:goal-detail", args=[goal.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert (
        response["Last-Modified"]
        == http_date(
            max(goal.updated_at, *goal.follow_ups.values_list("updated_at", flat=True)).timestamp()
        )
        or response["Last-Modified"]
    )
    assert staff_client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert (
        staff_client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    )


def test_etag_differs_by_query_format_and_audience(api_client, staff_client, published_2019):
    """Another page, filter or format, or another audience, never shares an ETag."""
    url = reverse("api:indicator-value-list")
    tags = {
        api_client.get(url)["ETag"],
        api_client.get(url, {"page_size": 5})["ETag"],
        api_client.get(url, {"year": 2019})["ETag"],
        api_client.get(url, {"format": "csv"})["ETag"],
        staff_client.get(url)["ETag"],
    }
    assert len(tags) == 5


def test_nested_changes_and_deletions_change_the_etag(staff_client, plan_2019):
    """A goal's ETag follows its nested fulfilment: a changed or deleted follow-up of the
    goal gives a new ETag."""
    goal = plan_2019.goals.first()
    url = reverse("api:goal-detail", args=[goal.pk])
    etag = staff_client.get(url)["ETag"]
    follow_up = FollowUp.objects.get(goal=goal)
    follow_up.text = "Ny bedömning"
    follow_up.save()
    etag2 = staff_client.get(url)["ETag"]
    assert etag2 != etag
    follow_up.delete()
    assert staff_client.get(url)["ETag"] != etag2


def test_publishing_changes_the_public_etag(api_client, plan_2019):
    """Publishing a period changes what the public sees, so the public ETag changes."""
    url = reverse("api:indicator-value-list")
    etag = api_client.get(url)["ETag"]
    period = plan_2019.periods.get(kind="T3")
    period.status = "published"
    period.save(update_fields=["status"])  # as the workflow does: updated_at is bumped anyway
    response = api_client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response.json()["count"] > 0


def test_kolada_endpoint_is_conditional_too(staff_client):
    """The Kolada-compatible endpoint answers If-None-Match with 304."""
    url = "/api/v1/kolada/data/municipality/0580/year/2019"
    etag = staff_client.get(url)["ETag"]
    assert staff_client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_responses_must_be_revalidated(api_client, staff_client):
    """Clients revalidate every time; staff answers are private to the browser."""
    url = reverse("api:goal-list")
    assert api_client.get(url)["Cache-Control"] == "no-cache"
    assert staff_client.get(url)["Cache-Control"] == "private, no-cache"
    assert Goal.objects.exists()


def test_rendered_pages_are_reused_by_etag(api_client, published_2019, plan_2019):
    """A page rendered once is served again from the response cache with one query (the
    ETag aggregate); a change gives a new ETag and a freshly rendered page."""
    url = reverse("api:indicator-value-list")
    first = api_client.get(url, {"page_size": 50})
    with CaptureQueriesContext(connection) as queries:
        again = api_client.get(url, {"page_size": 50})
    assert len(queries) == 1
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"] == "application/json"

    value = IndicatorValue.objects.filter(indicator__board=plan_2019.board).first()
    value.note = "Ny not"
    value.save()
    changed = api_client.get(url, {"page_size": 50, "indicator": value.indicator_id})
    assert "Ny not" in changed.content.decode()


def test_browsable_html_is_never_stored(staff_client):
    """The browsable API's HTML holds per-user tokens, so it is always rendered afresh."""
    url = reverse("api:goal-list")
    staff_client.get(url, HTTP_ACCEPT="text/html")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url, HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"<html" in response.content
    assert len(queries) > 3
