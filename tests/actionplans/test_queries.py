"""Action plan pages and endpoints cost the same number of queries for small and large plans."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actionplans.models import ActionPlan, FollowUpMonth, Measure, MeasureFollowUp, MeasureGroup

pytestmark = pytest.mark.django_db


def grow(plan, groups, measures_per_group, months):
    """Add groups of measures and published months with a row per measure."""
    created = MeasureGroup.objects.bulk_create(
        MeasureGroup(plan=plan, kind="cost_reducing", title=f"Extra {i}", order=100 + i)
        for i in range(groups)
    )
    new = Measure.objects.bulk_create(
        Measure(group=g, title=f"Åtgärd {i}", reduction=Decimal("0.1"), timing_year=2021, order=i)
        for g in created
        for i in range(measures_per_group)
    )
    for month in range(months):
        period = FollowUpMonth.objects.create(
            plan=plan, date=datetime.date(2020, 8 + month, 28), status="published"
        )
        MeasureFollowUp.objects.bulk_create(
            MeasureFollowUp(period=period, measure=m, realised=Decimal("0.05"))
            for m in [
                *Measure.objects.filter(group__plan=plan).exclude(pk__in=[x.pk for x in new]),
                *new,
            ]
        )


def count(client, url, **params):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    return len(queries)


def measure(client, plan):
    args = [plan.board_id, plan.year]
    return {
        "report": count(client, reverse("actionplans:report", args=args)),
        "reader": count(client, reverse("actionplans:reader", args=args)),
        "plans": count(client, reverse("api:action-plan-list")),
        "measures": count(client, reverse("api:action-plan-measure-list"), page_size=500),
        "follow-ups": count(client, reverse("api:action-plan-follow-up-list"), page_size=500),
    }


def test_query_counts_do_not_grow_with_the_plan(client):
    """The seed plan with one month, and the same plan with 30 more groups of 20 measures and
    four months: the report, the reader page and each API list need the same queries (report:
    the plan, its sections, decision points, figures, groups, measures, months, follow-ups)."""
    plan = ActionPlan.objects.get()
    grow(plan, 0, 0, 1)
    small = measure(client, plan)
    grow(ActionPlan.objects.get(), 30, 20, 0)
    FollowUpMonth.objects.all().delete()
    grow(plan, 0, 0, 4)
    large = measure(client, plan)
    assert Measure.objects.count() > 600 and MeasureFollowUp.objects.count() > 2400
    assert (
        small
        == large
        == {
            "report": 9,
            "reader": 9,
            "plans": 4,
            "measures": 2,
            "follow-ups": 2,
        }
    )
