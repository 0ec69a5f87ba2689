"""The action plan and quality report resources follow the API's strict parameters: their
filters work, an unknown or misspelled parameter is a 400 naming it."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from actionplans.models import ActionPlan
from tests.actionplans.conftest import add_month

pytestmark = pytest.mark.django_db

LISTS = {
    "api:action-plan-list": ("board", "year"),
    "api:action-plan-measure-list": ("board", "plan"),
    "api:action-plan-follow-up-list": ("plan", "period", "measure"),
    "api:quality-report-list": ("board", "year"),
    "api:quality-report-section-list": ("report", "theme"),
}


@pytest.fixture
def client(db):
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    return APIClient()


@pytest.mark.parametrize("name,filters", LISTS.items())
def test_declared_filters_are_accepted_and_others_refused(client, name, filters):
    """Each declared filter is read (200); a misspelled one is a 400 suggesting it, and a
    filter on a detail address is a 400 too."""
    add_month(ActionPlan.objects.get(year=2020), datetime.date(2020, 8, 31), status="published")
    url = reverse(name)
    for filter_name in filters:
        value = "2020" if filter_name == "year" else "1"
        assert client.get(url, {filter_name: value}).status_code == 200, filter_name
    misspelled = filters[0] + "s"
    response = client.get(url, {misspelled: "1"})
    assert response.status_code == 400
    assert filters[0] in response.json()[misspelled][0]
    first = client.get(url).json()["results"][0]
    detail = reverse(name.replace("-list", "-detail"), args=[first["id"]])
    assert client.get(detail).status_code == 200
    assert client.get(detail, {"board": "1"}).status_code == 400
