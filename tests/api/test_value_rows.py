"""The values list is built from plain rows: it must say exactly what the serializer says,
and the visibility rule written as SQL must select exactly what the ORM rule selects."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from api import visibility as api_visibility
from api.indicators.serializers import IndicatorValueSerializer
from core.api.throttling import ClientRateThrottle
from goals.choices import PeriodKind, PeriodStatus
from goals.models import FollowUpPeriod
from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db


def _edge_cases():
    """Values the seed lacks: a whole second, a fraction with trailing zeros, a negative
    number, a text-only value, a category, a tertial, and an indicator with a Kolada id."""
    indicator = Indicator.objects.filter(kolada_kpi="").first()
    kolada = Indicator.objects.exclude(pk=indicator.pk).first()
    Indicator.objects.filter(pk=kolada.pk).update(kolada_kpi="N00945")
    rows = [
        IndicatorValue(indicator=indicator, year=2031, gender="T", value=Decimal("-1.50")),
        IndicatorValue(indicator=indicator, year=2031, gender="K", text_value="Ej mätbart"),
        IndicatorValue(indicator=indicator, year=2031, gender="T", category="BOU", value=7),
        IndicatorValue(indicator=kolada, year=2031, tertial="T2", gender="M", value=0),
    ]
    IndicatorValue.objects.bulk_create(rows)
    IndicatorValue.objects.filter(pk=rows[0].pk).update(
        updated_at=datetime(2031, 6, 30, 10, 0, 0, tzinfo=UTC)
    )
    IndicatorValue.objects.filter(pk=rows[1].pk).update(
        updated_at=datetime(2031, 6, 30, 10, 0, 0, 500000, tzinfo=UTC)
    )


def test_value_rows_say_what_the_serializer_says(staff_client):
    """Every value of the list, read as plain rows, equals the serializer's output for the
    same value, field by field and in the same order of fields."""
    _edge_cases()
    response = staff_client.get(reverse("api:indicator-value-list"), {"page_size": 1000})
    listed = response.json()["results"]
    assert response.json()["count"] == len(listed) == IndicatorValue.objects.count() > 150

    request = Request(APIRequestFactory().get("/"))
    values = IndicatorValue.objects.select_related("indicator").in_bulk()
    for row in listed:
        expected = IndicatorValueSerializer(values[row["id"]], context={"request": request}).data
        assert list(row) == list(expected)
        assert row == json.loads(json.dumps(expected)), row["id"]
    stamps = {row["updated_at"] for row in listed}
    assert {"2031-06-30T10:00:00Z", "2031-06-30T10:00:00.500000Z"} <= stamps


def _orm_rule():
    """The public rule as the ORM writes it (the form PublishedYearEnd replaces)."""
    return Exists(
        FollowUpPeriod.objects.filter(
            plan__board=OuterRef("indicator__board"),
            plan__year__gte=OuterRef("year"),
            kind=PeriodKind.TERTIAL_3,
            status=PeriodStatus.PUBLISHED,
        )
    )


def _public(queryset):
    request = Request(APIRequestFactory().get("/"))
    request.user = AnonymousUser()
    return api_visibility.visible_values(request, queryset)


@pytest.mark.parametrize("published", [(), ("T3",), ("T1", "T2", "T3")])
def test_published_year_end_selects_what_the_orm_rule_selects(plan_2019, plan_2017, published):
    """With no period, the 2019 year-end, or every period of 2019 and 2017 published, the
    SQL rule and the ORM rule select the same values, also inside a subquery (the outer
    table then has another alias)."""
    FollowUpPeriod.objects.filter(kind__in=published).update(status=PeriodStatus.PUBLISHED)
    everything = IndicatorValue.objects.all()
    expected = set(everything.filter(_orm_rule()).values_list("pk", flat=True))
    assert set(_public(everything).values_list("pk", flat=True)) == expected
    nested = everything.filter(pk__in=_public(IndicatorValue.objects.all()).values("pk"))
    assert set(nested.values_list("pk", flat=True)) == expected
    assert bool(expected) == bool(published)


def test_signed_in_clients_have_their_own_rate(api_client, staff_client, monkeypatch):
    """A signed-in client is counted at the user rate, once per request, apart from the
    anonymous address."""
    monkeypatch.setattr(
        ClientRateThrottle, "THROTTLE_RATES", {"anon": "100/minute", "user": "2/minute"}
    )
    url = reverse("api:board-list")
    assert [staff_client.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert api_client.get(url).status_code == 200
