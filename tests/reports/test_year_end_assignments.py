"""The verksamhetsberättelse reads its goals and assignments from the plan document: an
assignment of a goal is in the assignment tables, a joint follow-up of two assignments is
printed once with its label, and the goals' municipal goals follow the plan's own order."""

import pytest

from activities.models import Assignment
from followups.models import FollowUp, FollowUpCoverage
from goals.models import GoalMunicipalGoal, MunicipalGoal

from .conftest import build_report, normalise, render

pytestmark = pytest.mark.django_db

JOINT = "Gemensam kommentar om alfa och beta vid bokslutet"
OWN = "Egen kommentar om gamma vid bokslutet"


@pytest.fixture
def goal_assignments(plan_2019):
    """Three board assignments of the first goal at the year-end: 1 and 2 followed up
    jointly (done), 3 on its own (in progress)."""
    goal = plan_2019.goals.order_by("order").first()
    period = plan_2019.periods.get(kind="T3")
    alpha, beta, gamma = (
        Assignment.objects.create(plan=plan_2019, goal=goal, number=str(n), text=text)
        for n, text in (
            (1, "Uppdrag alfa om målets boende"),
            (2, "Uppdrag beta om målets insatser"),
            (3, "Uppdrag gamma om målets uppföljning"),
        )
    )
    joint = FollowUp.objects.create(period=period, assignment=alpha, text=JOINT, status="done")
    FollowUpCoverage.objects.create(follow_up=joint, assignment=beta)
    FollowUp.objects.create(period=period, assignment=gamma, text=OWN, status="in_progress")
    return goal, (alpha, beta, gamma)


def test_goal_assignments_and_joint_follow_up_once(goal_assignments):
    """HTML and PDF: the joint text once, labelled "Uppdrag 1–2", with both assignments in
    its one row; the goal's own assignment with its comment; the goal named."""
    goal, _assignments = goal_assignments
    report = build_report("year-end", 2019)
    board = next(group for title, group in report.assignment_groups if group.origin == "board")
    lines = [
        ([a.number for a in assignments], row.label if row else None)
        for entry in board.entries
        for assignments, row in entry.lines
        if assignments[0].goal_id == goal.pk
    ]
    assert lines == [(["1", "2"], "1\u20132"), (["3"], "3")]

    rendered = render(report)
    html = rendered.html
    assert html.count(JOINT) == 1
    assert html.count(OWN) == 1
    assert html.count("Uppdrag beta om målets insatser") == 1
    assert "Gemensam uppföljning: Uppdrag 1\u20132" in html
    assert f"Nämndmål: {goal.text}" in html
    text = rendered.text
    assert text.count(JOINT) == 1
    assert text.count(OWN) == 1
    assert text.count("Uppdrag beta om målets insatser") == 1
    joint_at = text.index("Gemensam uppföljning: Uppdrag 1\u20132")
    assert joint_at < text.index("Uppdrag alfa om målets boende") < text.index(JOINT)
    # The seed's own board assignments still print before the goals' ones.
    seed_board = Assignment.objects.filter(plan=goal.plan, goal=None, origin="board").first()
    first_words = normalise(seed_board.text)[:40]
    assert text.index(first_words) < joint_at


def test_municipal_goals_in_the_plans_own_order(plan_2019):
    """The indicator table of a goal is its first municipal goal in the plan's order
    (GoalMunicipalGoal.order), not in the municipality's list."""
    goal = plan_2019.goals.order_by("order").first()
    first = goal.municipal_goal_links.get()
    other = MunicipalGoal.objects.filter(
        municipality=plan_2019.board.municipality, order__gt=first.municipal_goal.order
    ).exclude(pk=first.municipal_goal_id)[0]
    GoalMunicipalGoal.objects.filter(pk=first.pk).update(order=2)
    goal.municipal_goal_links.create(municipal_goal=other, order=1)
    report = build_report("year-end", 2019)
    tables = [
        table
        for domain in report.indicator_domains
        for table in domain.tables
        if any(row.goal.pk == goal.pk for row in table.goals)
    ]
    assert [table.title for table in tables] == [other.title]
