"""Every list endpoint needs the same, small number of SQL queries for 10 rows or 500."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Assignment
from followups.models import FollowUp
from goals.choices import PeriodStatus
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
)
from indicators.models import Indicator, IndicatorValue
from tests.factories import add_activities
from tombstones.models import Tombstone

from .conftest import LIST_ROUTES

pytestmark = pytest.mark.django_db

MANY = 520

#: Queries per list request of an anonymous reader: one aggregate for count and ETag, one
#: for the page, and one per prefetched relation (board predecessors; goal municipal goals
#: and fulfilment).
EXPECTED_QUERIES = {
    "board": 3,
    "activity-area": 2,
    "municipal-goal": 2,
    "plan": 2,
    "goal": 5,  # with its numbered indicators and ordered links
    "goal-indicator-item": 2,
    "goal-municipal-goal": 2,
    "follow-up-period": 2,
    "activity": 2,
    "assignment": 2,
    "follow-up": 3,  # with what joint ones also cover
    "indicator": 2,
    "indicator-value": 2,
    "deletion": 2,
}


@pytest.fixture
def lots_of_rows(plan_2017, plan_2019):
    """More than 500 rows in every list that can hold them, all visible to the public."""
    FollowUpPeriod.objects.update(status=PeriodStatus.PUBLISHED)
    board = plan_2019.board
    municipality = board.municipality
    add_activities(plan_2017, MANY)  # and a follow-up per period for each
    goals = Goal.objects.bulk_create(
        Goal(plan=plan_2019, order=1000 + i, text=f"Mål {i}") for i in range(MANY)
    )
    level = FulfilmentLevel.objects.filter(municipality=municipality).first()
    period = plan_2019.periods.get(kind="T3")
    FollowUp.objects.bulk_create(FollowUp(period=period, goal=g, fulfilment=level) for g in goals)
    for goal in goals[:50]:
        goal.municipal_goals.set(MunicipalGoal.objects.all()[:2])
    first = MunicipalGoal.objects.first()
    GoalMunicipalGoal.objects.bulk_create(
        GoalMunicipalGoal(goal=g, municipal_goal=first, order=1) for g in goals[50:]
    )
    GoalIndicatorItem.objects.bulk_create(
        GoalIndicatorItem(goal=g, number=str(n), text=f"Indikator {n}", order=n)
        for g in goals
        for n in (1, 2)
    )
    indicator = Indicator.objects.filter(board=board).first()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator=indicator,
            year=year,
            tertial=tertial,
            gender=gender,
            category=category,
            value=year,
        )
        for year in range(1990, 2020)  # public: up to the published year-end 2019
        for tertial in ("T1", "T2", "T3")
        for gender in "TKM"
        for category in ("X1", "X2")
    )
    Indicator.objects.bulk_create(
        Indicator(board=board, kind="volume", name=f"Volym {i}") for i in range(MANY)
    )
    boards = Board.objects.bulk_create(
        Board(municipality=municipality, name=f"Nämnd {i}") for i in range(MANY)
    )
    for new in boards[:50]:
        new.predecessors.set([board])
    ActivityArea.objects.bulk_create(
        ActivityArea(board=board, name=f"Område {i}") for i in range(MANY)
    )
    MunicipalGoal.objects.bulk_create(
        MunicipalGoal(municipality=municipality, title=f"Mål {i}", valid_from=2019)
        for i in range(MANY)
    )
    Assignment.objects.bulk_create(
        Assignment(plan=plan_2019, number=str(1000 + i), text=f"Uppdrag {i}") for i in range(MANY)
    )
    Tombstone.objects.bulk_create(
        Tombstone(model="indicators.indicatorvalue", object_id=i) for i in range(MANY)
    )


def _count_queries(client, route, page_size):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"api:{route}-list"), {"page_size": page_size})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"]), response.json()["count"]


def test_same_query_count_for_10_and_500_rows(api_client, staff_client, lots_of_rows):
    """For every list, 10 rows and 500 rows cost the same, pinned number of queries (no
    N+1). A logged-in reader costs five more, whatever the size: session and user, and the
    session's renewal (SESSION_SAVE_EVERY_REQUEST: a savepoint and an update). One test for
    all lists, so that the 500-row data is built once."""
    measured, expected = {}, {}
    for route in LIST_ROUTES:
        small, small_rows, total = _count_queries(api_client, route, 10)
        large, large_rows, _ = _count_queries(api_client, route, 500)
        assert (small_rows, large_rows) == (min(10, total), min(500, total)), route
        if route not in ("plan", "follow-up-period"):  # a plan per board and year: few
            assert total > 500, route
        staff_small, _, _ = _count_queries(staff_client, route, 10)
        staff_large, _, _ = _count_queries(staff_client, route, 500)
        measured[route] = (small, large, staff_small - 5, staff_large - 5)
        expected[route] = (EXPECTED_QUERIES[route],) * 4
    assert measured == expected
