"""Thin data renders: no follow-ups, a goal without activities, an indicator without values."""

import pytest

from goals.models import FollowUpPeriod, Goal, Plan, PlanSection
from indicators.models import Indicator
from reports import selectors

from .conftest import render

pytestmark = pytest.mark.django_db


def test_plan_without_follow_ups(plan_2017):
    """A plan printed without periods: no follow-up rows, no summaries, still a full document."""
    report = selectors.plan_report_get(plan=plan_2017, periods=[])
    rendered = render(report)
    assert "Uppföljning 20" not in rendered.text
    assert "Sammanfattningsvis" not in rendered.text
    assert "1.1 Utveckling av kö-redovisningen" in rendered.text
    # Not adopted by the board: still a draft.
    assert report.is_preliminary and all("UTKAST" in page for page in rendered.pages)


def test_new_plan_with_bare_goal_and_indicator(plan_2017):
    """A plan whose goal has no activities and whose indicator has no values renders whole."""
    plan = Plan.objects.create(board=plan_2017.board, year=2018, title="Verksamhetsplan 2018")
    goal = Goal.objects.create(plan=plan, text="Ett mål utan aktiviteter", order=1)
    Indicator.objects.create(board=plan.board, goal=goal, kind="goal", name="Indikator utan värden")
    PlanSection.objects.create(plan=plan, key="inledning", title="Inledning", body="Text.")
    period = FollowUpPeriod.objects.create(plan=plan, kind="T3", date="2018-12-31")
    plan = selectors.plan_get(board_id=plan.board_id, year=2018)

    rendered = render(selectors.plan_report_get(plan=plan, periods=[period]))
    assert "Ett mål utan aktiviteter" in rendered.text
    assert "Indikator utan värden" in rendered.text

    year_end = render(selectors.year_end_report_get(plan=plan, period=period))
    assert "Indikator utan värden" in year_end.text
    assert "Ingen bedömning är skriven." in year_end.text


def test_empty_plan(plan_2017):
    """A plan with nothing in it yet still gives a cover and an empty table of contents."""
    plan = Plan.objects.create(board=plan_2017.board, year=2016, title="Verksamhetsplan 2016")
    plan = selectors.plan_get(board_id=plan.board_id, year=2016)
    rendered = render(selectors.plan_report_get(plan=plan, periods=[]))
    assert "Verksamhetsplan 2016" in rendered.text
