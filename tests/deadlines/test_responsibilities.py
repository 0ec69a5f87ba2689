"""Responsible persons: one per subject row, carried to a new plan, set inline in the admin."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from activities.models import Activity
from deadlines.demo import demo_responsibilities_load
from responsibilities.models import Responsibility
from responsibilities.services import copy_responsibilities, responsibilities_set
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def test_exactly_one_subject_and_once_per_person(plan_2017, editor):
    goal = plan_2017.goals.first()
    activity = Activity.objects.filter(plan=plan_2017).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(user=editor, goal=goal, activity=activity)
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(user=editor)
    Responsibility.objects.create(user=editor, goal=goal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Responsibility.objects.create(user=editor, goal=goal)


def test_set_and_copy_to_a_new_plan(plan_2017, plan_2019, editor, django_user_model):
    """copy_responsibilities (for the plan roll-over) takes old ids to new ones; inactive
    users stay behind; running it twice adds nothing."""
    other = make_member(django_user_model, "gone", plan_2017.board, "editor")
    old_goal = plan_2017.goals.order_by("order").first()
    new_goal = plan_2019.goals.order_by("order").first()
    old_activity = Activity.objects.filter(plan=plan_2017).first()
    new_activity = Activity.objects.filter(plan=plan_2019).first() or Activity.objects.create(
        goal=new_goal, number="99.1", text="Ny"
    )
    responsibilities_set(kind="goal", subject=old_goal, users=[editor, other])
    responsibilities_set(kind="activity", subject=old_activity, users=[editor])
    other.is_active = False
    other.save()
    mapping = {
        "goals": {old_goal.pk: new_goal.pk},
        "activities": {old_activity.pk: new_activity.pk},
    }
    assert copy_responsibilities(**mapping) == 2
    assert copy_responsibilities(**mapping) == 0
    assert list(new_goal.responsibilities.values_list("user__username", flat=True)) == ["redaktor"]
    responsibilities_set(kind="goal", subject=old_goal, users=[])
    assert not old_goal.responsibilities.exists()


def test_admin_inline_sets_responsible_persons(client, plan_2017, django_user_model):
    """An editor adds a responsible person on the goal's admin page (inline); only persons
    with a role on the editor's boards are offered."""
    editor = make_member(django_user_model, "redaktor", plan_2017.board, "editor")
    make_member(django_user_model, "kollega", plan_2017.board, "reader")
    django_user_model.objects.create_user("utomstaende", password="x")
    goal = plan_2017.goals.order_by("order").first()
    client.force_login(editor)
    url = reverse("admin:goals_goal_change", args=[goal.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "kollega" in html and "utomstaende" not in html


def test_demo_assigns_the_open_period(period_2017_12):
    """The demo data (scripts/run) gives 2017-12-31 a deadline and responsible persons."""
    period = demo_responsibilities_load()
    assert period.pk == period_2017_12.pk
    assert str(period.deadline) == "2018-01-19"
    assert (
        Responsibility.objects.filter(goal__plan=period.plan).count() == period.plan.goals.count()
    )
    assert demo_responsibilities_load().deadline == period.deadline  # idempotent
