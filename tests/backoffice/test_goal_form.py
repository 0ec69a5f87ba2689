"""The goal's form edits its numbered indicators, links, assignments and activities inline;
the plan's form edits its goals and the activities of areas without a goal. The rows never
ask for board, plan or goal, and a wrong row is refused on its own field."""

import pytest
from django.urls import reverse

from activities.models import Activity, Assignment
from goals.models import ActivityArea, Goal, MunicipalGoal, Plan
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db


def add_rows(data, prefix, rows):
    """Append new rows to an inline's posted data (as "Lägg till ytterligare" does)."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for i, row in enumerate(rows, start=start):
        for name, value in row.items():
            data[f"{prefix}-{i}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


@pytest.fixture
def new_goal(plan_2019):
    return Goal.objects.create(plan=plan_2019, text="Fler ska bli självförsörjande", order=90)


def test_goal_form_saves_numbered_rows_inline(admin_client, new_goal, plan_2019):
    """One submission of the goal form adds its intro, three numbered indicators, two
    ordered links, two assignments (numbered 4 and 5, continuing the indicators) and an
    activity; the assignments and activity take the goal's plan."""
    url = reverse("admin:goals_goal_change", args=[new_goal.pk])
    page = admin_client.get(url)
    assert b'name="base_token"' in page.content  # the version, for a browser to post back
    data = form_data(page)
    data["intro"] = "Första stycket.\n\nAndra stycket."
    add_rows(
        data,
        "indicator_items",
        [{"order": i, "number": str(i), "text": f"Indikator {i}"} for i in (1, 2, 3)],
    )
    links = list(MunicipalGoal.objects.order_by("pk")[:2])
    add_rows(
        data,
        "municipal_goal_links",
        [{"order": 1, "municipal_goal": links[1].pk}, {"order": 2, "municipal_goal": links[0].pk}],
    )
    add_rows(
        data,
        "assignments",
        [
            {"number": "4", "text": "Uppdrag fyra", "origin": "board"},
            {"number": "5", "text": "Uppdrag fem", "origin": "board"},
        ],
    )
    add_rows(data, "activities", [{"number": "90.1", "text": "Aktivitet", "schedule": "T2"}])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    new_goal.refresh_from_db()
    assert new_goal.intro == "Första stycket.\n\nAndra stycket."
    assert [(i.number, i.text) for i in new_goal.indicator_items.all()] == [
        ("1", "Indikator 1"),
        ("2", "Indikator 2"),
        ("3", "Indikator 3"),
    ]
    assert [link.municipal_goal_id for link in new_goal.municipal_goal_links.all()] == [
        links[1].pk,
        links[0].pk,
    ]
    assert list(
        Assignment.objects.filter(goal=new_goal).values_list("number", "plan_id").order_by("number")
    ) == [("4", plan_2019.pk), ("5", plan_2019.pk)]
    assert Activity.objects.get(goal=new_goal).plan_id == plan_2019.pk


def test_duplicate_assignment_number_is_refused_on_its_row(admin_client, new_goal):
    """Two assignments numbered 4 in one submission: the second row's number field carries
    the Swedish error, nothing is saved."""
    url = reverse("admin:goals_goal_change", args=[new_goal.pk])
    data = add_rows(
        form_data(admin_client.get(url)),
        "assignments",
        [
            {"number": "4", "text": "Ett", "origin": "board"},
            {"number": "4", "text": "Två", "origin": "board"},
        ],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "assignments"
    )
    assert formset.forms[0].errors == {}
    assert formset.forms[1].errors["number"] == ["Numret 4 används redan på en annan rad."]
    assert not Assignment.objects.filter(goal=new_goal).exists()


def test_assignment_number_taken_in_the_goal_is_refused_on_the_field(admin_client, new_goal):
    """A new row reusing a number the goal's saved assignment has is refused on its number
    field, not at the top of the form."""
    Assignment.objects.create(plan=new_goal.plan, goal=new_goal, number="4", text="Finns")
    url = reverse("admin:goals_goal_change", args=[new_goal.pk])
    data = add_rows(
        form_data(admin_client.get(url)),
        "assignments",
        [{"number": "4", "text": "Ny", "origin": "board"}],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.prefix == "assignments"
    )
    assert formset.forms[-1].errors["number"]
    assert formset.non_form_errors() == []


def test_plan_form_adds_goals_and_an_area_activity(admin_client, plan_2019):
    """The plan's form adds goals (order, area, text) and an activity of an area that has
    no goal, in one submission."""
    area = ActivityArea.objects.create(board=plan_2019.board, name="Område utan mål", order=99)
    url = reverse("admin:goals_plan_change", args=[plan_2019.pk])
    data = form_data(admin_client.get(url))
    add_rows(
        data,
        "goals",
        [
            {"order": 91, "area": "", "domain": "", "text": "Nytt mål A"},
            {"order": 92, "area": "", "domain": "", "text": "Nytt mål B"},
        ],
    )
    add_rows(
        data,
        "activities",
        [{"area": area.pk, "number": "9.1", "text": "Utan mål", "schedule": "T3"}],
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert list(
        plan_2019.goals.filter(order__gt=90).values_list("text", flat=True).order_by("order")
    ) == ["Nytt mål A", "Nytt mål B"]
    activity = Activity.objects.get(plan=plan_2019, number="9.1")
    assert activity.goal_id is None and activity.area_id == area.pk
    assert Plan.objects.filter(pk=plan_2019.pk).exists()
