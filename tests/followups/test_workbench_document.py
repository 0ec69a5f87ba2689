"""The workbench follows the plan document (issue 13): numbered rows ("Indikator 1"), a
joint follow-up as one row labelled by its coverage, the full-year assessment open, and a
goal indicator's follow-up saved like any other; queries do not grow with the plan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followups.models import FollowUp
from goals.models import GoalIndicatorItem
from tests.conftest import make_member
from tests.factories import build_plan_document

from .test_workbench import _form_data

pytestmark = pytest.mark.django_db


def _client(client, django_user_model, plan, name="skrivare"):
    client.force_login(make_member(django_user_model, name, plan.board, "editor"))
    return client


def test_rows_are_numbered_and_joint_rows_shown_once(client, django_user_model):
    """Indicator rows carry their number, a joint row its coverage; a covered item has no row
    of its own; the full-year assessment box is not folded away."""
    plan, period, _expected = build_plan_document(year=2050)
    client = _client(client, django_user_model, plan)
    response = client.get(reverse("followups:workbench", args=[period.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indikator 1\u20132" in html and "Indikator 3" in html
    covered = GoalIndicatorItem.objects.get(goal__plan=plan, goal__order=1, number="2")
    assert f'id="indicator_item-{covered.pk}"' not in html
    assert "Omfattar även" in html
    assert "<details" not in html.split('class="forecast-box"', 1)[0].rsplit("<tr", 1)[-1]


def test_saving_a_goal_indicator_follow_up(client, django_user_model):
    """A text written on a goal indicator's row is saved as its follow-up."""
    plan, period, _expected = build_plan_document(year=2051)
    client = _client(client, django_user_model, plan)
    url = reverse("followups:workbench", args=[period.pk])
    item = GoalIndicatorItem.objects.get(goal__plan=plan, goal__order=3, number="4")
    data = _form_data(client.get(url))
    data[f"indicator_item-{item.pk}-text"] = "Ny text för indikator 4"
    data[f"indicator_item-{item.pk}-forecast"] = "Prognos för indikator 4"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = FollowUp.objects.get(period=period, indicator_item=item)
    assert (saved.text, saved.forecast) == ("Ny text för indikator 4", "Prognos för indikator 4")


def test_workbench_queries_do_not_grow(client, django_user_model):
    """Three times the plan costs the workbench no more queries."""
    small, small_period, _ = build_plan_document(year=2052)
    large, large_period, _ = build_plan_document(year=2053, scale=3)
    counts = []
    for plan, period, name in ((small, small_period, "a"), (large, large_period, "b")):
        logged_in = _client(client, django_user_model, plan, name)
        url = reverse("followups:workbench", args=[period.pk])
        logged_in.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert logged_in.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
