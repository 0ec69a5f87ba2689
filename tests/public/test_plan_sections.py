"""The plan's own texts in the reader (issue 13): shown on the plan page, also for an area
without a goal, and found by the search — never before the plan may be read."""

import pytest
from django.urls import reverse

from goals.models import PlanSection

pytestmark = pytest.mark.django_db


def test_plan_page_shows_the_plan_text_and_areas_without_goals(
    client, plan_2017, published_2017_12
):
    """The introduction and the narrative of "Personlig assistans SFB" (no goal) are shown."""
    html = client.get(reverse("public:plan", args=[plan_2017.board_id, plan_2017.year]))
    html = html.content.decode()
    intro = PlanSection.objects.get(plan=plan_2017, title="Inledning")
    assert f'id="sec-{intro.pk}"' in html
    assert "Majoritetens program" in html
    assert "Personlig assistans SFB" in html
    assert "Försäkringskassan fattar beslut om personlig assistans" in html


def test_search_finds_plan_sections(client, plan_2017, published_2017_12):
    """A word of the plan's introduction finds it, linked to its place on the plan page."""
    intro = PlanSection.objects.get(plan=plan_2017, title="Inledning")
    html = client.get(reverse("public:search"), {"q": "samverkansprogrammet"}).content.decode()
    assert "Plantext" in html
    assert f"#sec-{intro.pk}" in html


def test_search_does_not_find_sections_of_unreadable_plans(client, plan_2017):
    """Before any period of the plan is published, the public finds none of its texts."""
    html = client.get(reverse("public:search"), {"q": "samverkansprogrammet"}).content.decode()
    assert "Plantext" not in html


def test_plan_page_shows_context_before_its_goal(client, plan_2017, published_2017_12):
    """A section placed before a goal ("E-hälsa") shows as a heading with its text right
    before that goal's card, not in the area's narrative; the area's narrative shows its
    subheadings as headings."""
    html = client.get(reverse("public:plan", args=[plan_2017.board_id, plan_2017.year]))
    html = html.content.decode()
    section = PlanSection.objects.get(plan=plan_2017, title="E-hälsa")
    goal = section.before_goal
    context = html.index(f'<div class="goal-context" id="sec-{section.pk}">')
    card = html.index(reverse("public:goal", args=[goal.pk]))
    assert context < card
    assert "<h3>E-hälsa</h3>" in html[context:card]
    assert "Linköping har som ambition" in html[context:card]
    # The goal before it is in the list closed before the section.
    previous = plan_2017.goals.get(order=goal.order - 1)
    assert html.index(reverse("public:goal", args=[previous.pk])) < context
    assert '<h3 class="subheading">Familjestödsinsatser</h3>' in html


def test_goal_page_shows_its_context(client, plan_2017, published_2017_12):
    """The goal's page opens with the text placed before the goal, as a heading of its own."""
    section = PlanSection.objects.get(plan=plan_2017, title="E-hälsa")
    html = client.get(reverse("public:goal", args=[section.before_goal_id])).content.decode()
    assert f'<h2 id="sec-{section.pk}">E-hälsa</h2>' in html
    assert html.index("E-hälsa</h2>") < html.index("Linköping har som ambition")
    other = plan_2017.goals.get(order=section.before_goal.order + 1)
    html = client.get(reverse("public:goal", args=[other.pk])).content.decode()
    assert "E-hälsa</h2>" not in html
