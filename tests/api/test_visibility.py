"""Anonymous readers see published content only; staff see everything."""

import pytest
from django.urls import reverse

from followups.models import FollowUp
from goals.choices import PeriodStatus
from indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def _ids(client, route, **params):
    response = client.get(reverse(f"api:{route}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_nothing_unpublished_is_public(api_client, staff_client):
    """With every period still open, the public sees no periods, follow-ups or values,
    while staff see all of them."""
    assert FollowUp.objects.exists() and IndicatorValue.objects.exists()
    for route in ("follow-up-period", "follow-up", "indicator-value"):
        assert _ids(api_client, route) == set()
        assert _ids(staff_client, route)


def test_publishing_the_year_end_opens_its_follow_ups_and_values(
    api_client, staff_client, plan_2019, published_2019
):
    """Publishing the 2019 year-end shows the public exactly that period, its follow-ups
    and the board's values up to 2019 (the report shows 2017–2019), and nothing of 2017."""
    assert _ids(api_client, "follow-up-period") == {published_2019.pk}
    assert _ids(api_client, "follow-up") == set(
        FollowUp.objects.filter(period=published_2019).values_list("pk", flat=True)
    )
    assert _ids(api_client, "indicator-value") == set(
        IndicatorValue.objects.filter(indicator__board=plan_2019.board, year__lte=2019).values_list(
            "pk", flat=True
        )
    )
    assert len(_ids(staff_client, "follow-up")) > len(_ids(api_client, "follow-up"))


def test_goal_fulfilment_is_nested_only_from_published_periods(api_client, staff_client, plan_2019):
    """A goal's nested fulfilment lists only periods the reader may see."""
    url = reverse("api:goal-list")
    params = {"plan": plan_2019.pk, "page_size": 100}
    assert all(g["fulfilment"] == [] for g in api_client.get(url, params).json()["results"])
    staff_goals = staff_client.get(url, params).json()["results"]
    assert all(len(g["fulfilment"]) == 1 for g in staff_goals)

    period = plan_2019.periods.get(kind="T3")
    period.status = PeriodStatus.PUBLISHED
    period.save()
    public_goals = api_client.get(url, params).json()["results"]
    assert public_goals == staff_goals
    first = public_goals[0]["fulfilment"][0]
    assert set(first) == {"period", "kind", "date", "code", "label", "colour", "symbol"}
    assert first["period"] == period.pk and first["colour"].startswith("#")


def test_unpublished_detail_is_not_found_for_the_public(api_client, staff_client, plan_2017):
    """The detail of a follow-up in an open period is 404 for the public, 200 for staff."""
    follow_up = FollowUp.objects.filter(period__plan=plan_2017).first()
    url = reverse("api:follow-up-detail", args=[follow_up.pk])
    assert api_client.get(url).status_code == 404
    assert staff_client.get(url).status_code == 200


def test_kolada_values_follow_the_same_rule(api_client, plan_2019, published_2019):
    """The Kolada-compatible endpoint shows the public only published years too."""
    url = "/api/v1/kolada/data/municipality/0580/year/2019"
    published_2019.status = PeriodStatus.OPEN
    published_2019.save()
    assert api_client.get(url).json()["count"] == 0
    published_2019.status = PeriodStatus.PUBLISHED
    published_2019.save()
    assert api_client.get(url).json()["count"] > 0


def test_plan_content_is_public_once_adopted_or_published(api_client, plan_2017, plan_2019):
    """A plan and its goals, activities and assignments are public once the board adopted it
    or published one of its periods (the same rule as the reader and the reports); a plan
    that is neither is a draft. Boards and indicators are always public."""
    import datetime

    from goals.models import Plan

    for route in ("board", "indicator"):
        assert _ids(api_client, route)
    Plan.objects.filter(pk__in=[plan_2017.pk, plan_2019.pk]).update(adopted_on=None)
    for route in ("plan", "goal", "activity", "assignment"):
        assert not _ids(api_client, route), route
    Plan.objects.filter(pk=plan_2017.pk).update(adopted_on=datetime.date(2016, 12, 14))
    plan_2019.periods.update(status=PeriodStatus.PUBLISHED)
    assert _ids(api_client, "plan") == {plan_2017.pk, plan_2019.pk}
    goals = _ids(api_client, "goal")
    assert goals == set(plan_2017.goals.values_list("pk", flat=True)) | set(
        plan_2019.goals.values_list("pk", flat=True)
    )
    assert _ids(api_client, "activity") and _ids(api_client, "assignment")
