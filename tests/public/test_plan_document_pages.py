"""The reader's plan, assignments and year-end pages read the plan as the plan document
(followups.document) does: the same groups in the same order, every assignment (a goal's
too), a joint follow-up once."""

import re

import pytest
from django.urls import reverse

from activities.models import Assignment
from followups.document import plan_document_get
from followups.models import FollowUp, FollowUpCoverage
from goals.models import Goal

from .conftest import publish

pytestmark = pytest.mark.django_db

JOINT = "Gemensam kommentar om alfa och beta"


def _html(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _group_anchors(html):
    return re.findall(r'<section class="goal-group" aria-labelledby="([\w-]+)">', html)


@pytest.fixture
def joint_2019(plan_2019):
    """Assignments 1–3 of the first 2019 goal: 1 and 2 followed up jointly at the year-end,
    3 on its own; the year-end then published."""
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
    FollowUp.objects.create(period=period, assignment=gamma, text="Egen kommentar om gamma")
    publish(period)
    return goal, (alpha, beta, gamma)


def test_plan_page_groups_as_the_plan_document(client, plan_2017, plan_2019):
    """Both seed plans: the page's groups are the document's areas in the document's order —
    also when a goal of a later goal domain comes first in the plan, and for an area that has
    activities but no goal (2017: Personlig assistans SFB, activity 5.1)."""
    publish(*plan_2017.periods.all(), *plan_2019.periods.all())
    last = plan_2019.goals.order_by("-order").first()  # Medarbetare
    Goal.objects.filter(pk=last.pk).update(order=0)
    for plan in (plan_2017, plan_2019):
        document = plan_document_get(plan=plan, periods=list(plan.periods.all()))
        html = _html(client, reverse("public:plan", args=[plan.board_id, plan.year]))
        assert _group_anchors(html) == [area.anchor for area in document.areas]
        goals = re.findall(r'<a href="/las/mal/(\d+)/">', html)
        assert [int(pk) for pk in goals] == [g.goal.pk for g in document.goals]
    assert _group_anchors(html)[0] == f"domain-{last.domain_id}"
    html = _html(client, reverse("public:plan", args=[plan_2017.board_id, 2017]))
    sfb = re.search(r'<h2 id="area-\d+">Personlig assistans SFB</h2>(.*?)</section>', html, re.S)
    assert sfb and "5.1" in sfb.group(1)


def test_year_end_page_lists_goal_assignments_and_a_joint_follow_up_once(client, joint_2019):
    """The year-end page's assignment tables: the goal's assignments are there, 1 and 2 in
    one row labelled as their joint follow-up, with its status."""
    goal, (alpha, beta, gamma) = joint_2019
    plan = goal.plan
    html = _html(client, reverse("public:year-end", args=[plan.board_id, plan.year]))
    assert html.count(beta.text) == 1 and html.count(alpha.text) == 1
    joint_row = r'<tr>\s*<th scope="row">([^<]*<span class="joint-label">.*?)</tr>'
    row = re.search(joint_row, html, re.S)
    assert row, "a joint row"
    assert "Uppdrag 1\u20132" in row.group(1)
    assert alpha.text in row.group(1) and beta.text in row.group(1)
    assert "Genomförd" in row.group(1)
    assert gamma.text in html
    total = Assignment.objects.filter(plan=plan).count()
    assert f"({total} uppdrag)" in html


def test_assignments_page_shows_a_joint_follow_up_once(client, joint_2019):
    """The joint comment stands once, at assignment 1, labelled; assignment 2 points to it."""
    goal, (alpha, beta, gamma) = joint_2019
    plan = goal.plan
    html = _html(client, reverse("public:assignments", args=[plan.board_id, plan.year]))
    assert html.count(JOINT) == 1
    card = re.search(rf'id="uppdrag-{alpha.pk}">(.*?)</li>', html, re.S).group(1)
    assert JOINT in card and "Uppdrag 1\u20132" in card
    card = re.search(rf'id="uppdrag-{beta.pk}">(.*?)</li>', html, re.S).group(1)
    assert JOINT not in card
    assert f'href="#uppdrag-{alpha.pk}"' in card
    assert "Genomförd" in card  # the joint follow-up's status is the assignment's too
    assert "Egen kommentar om gamma" in html
