"""Every public page runs the same number of SQL queries whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, Assignment
from followups.models import FollowUp
from indicators.models import Indicator
from tests.factories import add_activities, add_indicators, add_joint_assignments

from .conftest import publish

pytestmark = pytest.mark.django_db

#: No page may need more than this, at any size.
MAX_QUERIES = 12


def _pages(plan_2017, plan_2019):
    activity = Activity.objects.filter(plan=plan_2017, number="1.3").get()
    goal_2019 = plan_2019.goals.order_by("order").first()
    indicator = Indicator.objects.filter(goal__plan=plan_2019).order_by("order").first()
    volume = Indicator.objects.filter(board=plan_2019.board, goal__isnull=True).first()
    return {
        "start": reverse("public:start"),
        "board": reverse("public:board", args=[plan_2019.board_id]),
        "plan-2017": reverse("public:plan", args=[plan_2017.board_id, 2017]),
        "plan-2019": reverse("public:plan", args=[plan_2019.board_id, 2019]),
        "goal-2017": reverse("public:goal", args=[activity.goal_id]),
        "goal-2019": reverse("public:goal", args=[goal_2019.pk]),
        # A goal with a text placed before it (E-hälsa): one query more, at any size.
        "goal-with-context": reverse(
            "public:goal", args=[plan_2017.sections.get(title="E-hälsa").before_goal_id]
        ),
        "activity": reverse("public:activity", args=[activity.pk]),
        "indicator": reverse("public:indicator", args=[indicator.pk]),
        "volume": reverse("public:indicator", args=[volume.pk]),
        "assignments": reverse("public:assignments", args=[plan_2019.board_id, 2019]),
        "year-end": reverse("public:year-end", args=[plan_2019.board_id, 2019]),
        "search": reverse("public:search") + "?q=uppf%C3%B6ljning",
    }


def _counts(client, pages):
    counts = {}
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
    return counts


def _grow(plan_2017, plan_2019):
    """About three times the seed: twice as many activities (each with follow-ups in every
    period), indicators (with values), and assignments (with follow-ups) added; and
    assignments of goals, in pairs followed up jointly."""
    for plan in (plan_2017, plan_2019):
        add_activities(plan, 2 * max(Activity.objects.filter(plan=plan).count(), 20))
    add_indicators(plan_2019, 2 * Indicator.objects.filter(board=plan_2019.board).count())
    period = plan_2019.periods.get(kind="T3")
    for i in range(2 * Assignment.objects.filter(plan=plan_2019).count()):
        assignment = Assignment.objects.create(
            plan=plan_2019, origin="board", number=f"90.{i}", text=f"Extra uppdrag {i}"
        )
        FollowUp.objects.create(period=period, assignment=assignment, text="Pågår", status="done")
    add_joint_assignments(plan_2019, period, plan_2019.goals.count())


@pytest.fixture
def all_published(plan_2017, plan_2019):
    publish(*plan_2017.periods.all(), *plan_2019.periods.all())


def test_constant_queries_anonymous(client, plan_2017, plan_2019, all_published):
    """Anonymous: each page's query count is the same on the seed and on three times as much."""
    pages = _pages(plan_2017, plan_2019)
    before = _counts(client, pages)
    _grow(plan_2017, plan_2019)
    after = _counts(client, pages)
    assert after == before
    assert max(before.values()) <= MAX_QUERIES, before


def test_constant_queries_board_reader(reader_client, plan_2017, plan_2019, published_2019):
    """A signed-in reader (drafts of own board): the same, with the session and roles read."""
    pages = _pages(plan_2017, plan_2019)
    before = _counts(reader_client, pages)
    _grow(plan_2017, plan_2019)
    after = _counts(reader_client, pages)
    assert after == before
    # +4: session, user and roles; +1: the plan page lists its published editions.
    assert max(before.values()) <= MAX_QUERIES + 5, before
