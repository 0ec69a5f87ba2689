"""Building a report runs a fixed number of SQL queries, whatever the amount of data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import selectors, services
from tests.factories import add_activities, add_indicators, add_joint_assignments

pytestmark = pytest.mark.django_db


def _plan_queries(plan):
    with CaptureQueriesContext(connection) as captured:
        plan = selectors.plan_get(board_id=plan.board_id, year=plan.year)
        periods = selectors.plan_periods_get(plan=plan)
        services.render_html(selectors.plan_report_get(plan=plan, periods=periods))
    return len(captured)


def _year_end_queries(plan):
    with CaptureQueriesContext(connection) as captured:
        plan = selectors.plan_get(board_id=plan.board_id, year=plan.year)
        period = selectors.year_end_period_get(plan=plan)
        services.render_html(selectors.year_end_report_get(plan=plan, period=period))
    return len(captured)


def test_plan_report_queries_do_not_grow(plan_2017):
    """The verksamhetsplan with three times the activities and follow-ups needs no more queries."""
    seed = _plan_queries(plan_2017)
    add_activities(plan_2017, 2 * plan_2017.activities.count())
    add_joint_assignments(plan_2017, plan_2017.periods.order_by("date").last(), 10)
    assert _plan_queries(plan_2017) == seed
    # plan, periods, then followups.document: sections, goals, indicator items, links,
    # measured indicators, activities, assignments, follow-ups, joint coverage.
    assert seed <= 11


def test_year_end_report_queries_do_not_grow(plan_2019):
    """The verksamhetsberättelse with three times the indicators, and assignments of goals
    followed up jointly, needs no more queries."""
    seed = _year_end_queries(plan_2019)
    indicators = plan_2019.board.indicators.count()
    add_indicators(plan_2019, 2 * indicators)
    add_joint_assignments(plan_2019, plan_2019.periods.get(kind="T3"), plan_2019.goals.count())
    assert _year_end_queries(plan_2019) == seed
    # plan, period, levels, the period's sections; followups.document without activities
    # (sections, goals, indicator items, links, measured indicators, assignments,
    # follow-ups, joint coverage); indicators and their values; the three economy tables.
    assert seed <= 17
