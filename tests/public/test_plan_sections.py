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
