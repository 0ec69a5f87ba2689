"""Pickers of plan content name board and year and offer only the plan's own rows; every
period has a visible link to its workflow; the plan shows its decision fields."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, Assignment
from goals.models import Goal, Municipality, Plan

pytestmark = pytest.mark.django_db


def autocomplete(client, model, field, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "activities", "model_name": model, "field_name": field, "term": term},
    )
    assert response.status_code == 200
    return [r["text"] for r in response.json()["results"]]


def test_goal_autocomplete_names_board_and_year(admin_client, plan_2017, plan_2019):
    """A goal in the goal picker reads "Omsorgsnämnden 2017 – <goal text>"; a year in the
    search narrows to that year's goals."""
    labels = autocomplete(admin_client, "activity", "goal")
    assert labels and all(re.match(r"^.+ (2017|2019) – .+", text) for text in labels)
    first = Goal.objects.filter(plan=plan_2017).order_by("order").first()
    assert any(text.startswith("Omsorgsnämnden 2017 – " + first.text[:30]) for text in labels)
    only_2019 = autocomplete(admin_client, "activity", "goal", "2019")
    assert only_2019 and all(" 2019 – " in text for text in only_2019)
    assert autocomplete(admin_client, "assignment", "plan", "Social")[0].startswith(
        "Social- och omsorgsnämnden 2019 – "
    )


def test_goal_autocomplete_queries_do_not_grow(admin_client, plan_2017):
    """The labels are read with the goals (same number of queries for 4 or 24 more goals)."""

    def count():
        with CaptureQueriesContext(connection) as ctx:
            autocomplete(admin_client, "activity", "goal")
        return len(ctx)

    Goal.objects.bulk_create(Goal(plan=plan_2017, text=f"Mål {i}", order=100 + i) for i in range(4))
    small = count()
    Goal.objects.bulk_create(
        Goal(plan=plan_2017, text=f"Mål {i}", order=200 + i) for i in range(20)
    )
    assert count() == small


def _options(html, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return re.findall(r'<option value="(\d+)"', select.group(1))


def test_section_inline_lists_only_the_plans_periods(admin_client, plan_2017, plan_2019):
    """The plan's section rows offer the plan's own follow-up periods, no other plan's."""
    html = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2017.pk])).content
    offered = set(_options(html.decode(), "sections-__prefix__-period"))
    assert offered == {str(pk) for pk in plan_2017.periods.values_list("pk", flat=True)}


def test_section_inline_places_before_the_plans_goals_only(admin_client, plan_2017, plan_2019):
    """The "before board goal" picker of the plan's section rows lists the plan's own goals,
    labelled; the section admin refuses another plan's goal, in Swedish, on that field."""
    html = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2017.pk])).content
    html = html.decode()
    offered = set(_options(html, "sections-__prefix__-before_goal"))
    assert offered == {str(pk) for pk in plan_2017.goals.values_list("pk", flat=True)}
    section = plan_2017.sections.get(title="E-hälsa")
    assert f'<option value="{section.before_goal_id}" selected>Omsorgsnämnden 2017 – ' in html
    url = reverse("admin:goals_plansection_change", args=[section.pk])
    response = admin_client.post(
        url,
        {
            "plan": plan_2017.pk,
            "before_goal": plan_2019.goals.first().pk,
            "key": section.key,
            "title": section.title,
            "body": section.body,
            "order": section.order,
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "before_goal" in errors
    section.refresh_from_db()
    assert section.before_goal.plan_id == plan_2017.pk


def test_activity_goal_picker_offers_the_plans_goals(admin_client, plan_2017, plan_2019):
    """An activity's goal picker lists its own plan's goals, labelled; another plan's goal
    posted anyway is refused on the goal field."""
    activity = Activity.objects.filter(plan=plan_2017).first()
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    html = admin_client.get(url).content.decode()
    assert set(_options(html, "goal")) == {
        str(pk) for pk in plan_2017.goals.values_list("pk", flat=True)
    }
    assert "Omsorgsnämnden 2017 – " in html
    other = plan_2019.goals.first()
    response = admin_client.post(
        url,
        {
            "goal": other.pk,
            "number": activity.number,
            "text": activity.text,
            "schedule": activity.schedule,
            "schedule_text": activity.schedule_text,
            "follow_ups-TOTAL_FORMS": 0,
            "follow_ups-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "goal" in response.context["adminform"].form.errors


def test_assignment_goal_picker_offers_the_plans_goals(admin_client, plan_2019):
    assignment = Assignment.objects.filter(plan=plan_2019).first()
    html = admin_client.get(
        reverse("admin:activities_assignment_change", args=[assignment.pk])
    ).content.decode()
    assert set(_options(html, "goal")) == {
        str(pk) for pk in plan_2019.goals.values_list("pk", flat=True)
    }


def test_workflow_link_per_period(admin_client, plan_2017):
    """Each follow-up period links to its workflow page by name ("Arbetsflöde"): in the
    plan's form, in the period list, on the period's page and in the workbench."""
    periods = list(plan_2017.periods.all())
    links = [reverse("followups:period_status", args=[p.pk]) for p in periods]
    plan_html = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2017.pk]))
    list_html = admin_client.get(reverse("admin:goals_followupperiod_changelist"))
    for page in (plan_html, list_html):
        text = page.content.decode()
        for link in links:
            assert f'<a class="workflow-link" href="{link}">Arbetsflöde</a>' in text
    period = periods[0]
    for url in (
        reverse("admin:goals_followupperiod_change", args=[period.pk]),
        reverse("followups:workbench", args=[period.pk]),
    ):
        text = admin_client.get(url).content.decode()
        assert f'<a class="workflow-link" href="{links[0]}">Arbetsflöde</a>' in text


def test_plan_form_has_decision_fields_and_municipality_its_logo(admin_client, plan_2017):
    html = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2017.pk])).content
    for name in ("adopted_on", "adopted_by", "decision_paragraph", "diary_number", "base_token"):
        assert f'name="{name}"'.encode() in html
    municipality = Municipality.objects.first()
    html = admin_client.get(
        reverse("admin:goals_municipality_change", args=[municipality.pk])
    ).content
    assert b'name="logo"' in html and b'enctype="multipart/form-data"' in html
    assert Plan.objects.exists()
