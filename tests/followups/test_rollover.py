"""Next year's plan from this year's: structure copied, finished work left behind, follow-ups
and decisions not copied, refused when the year's plan exists."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from activities.choices import WorkStatus
from activities.models import Assignment
from followups.models import FollowUp
from followups.rollover import plan_roll_over
from goals.models import Plan
from tests.plan_shape import plan_structure

pytestmark = pytest.mark.django_db


def test_roll_over_copies_the_structure(plan_2017, admin_user):
    """The 2018 plan has the 2017 plan's goals, introductions, numbered indicators, links,
    activities (5.1 still without a goal under its area) and sections, no follow-ups, and is
    not adopted."""
    new_plan = plan_roll_over(plan=plan_2017, user=admin_user)
    assert (new_plan.board_id, new_plan.year) == (plan_2017.board_id, 2018)
    assert "2018" in new_plan.title and "2017" not in new_plan.title
    assert new_plan.adopted_on is None and new_plan.diary_number == ""
    assert plan_structure(new_plan) == plan_structure(plan_2017)
    # A section placed before a goal stands before the new plan's copy of that goal.
    placed = {s.title: s.before_goal for s in new_plan.sections.filter(before_goal__isnull=False)}
    assert set(placed) == {"FoU-centrum", "E-hälsa"}
    assert {goal.plan_id for goal in placed.values()} == {new_plan.pk}
    assert placed["E-hälsa"].text.startswith("Den enskildes upplevelse av delaktighet")
    assert not FollowUp.objects.filter(period__plan=new_plan).exists()
    assert not new_plan.periods.exists()
    assert new_plan.goals.first().history.first().history_user == admin_user


def test_finished_assignments_stay_behind(plan_2019, admin_user):
    """An assignment whose latest follow-up says "done" is not carried over; one still in
    progress is."""
    assignments = list(Assignment.objects.filter(plan=plan_2019).order_by("pk")[:2])
    period = plan_2019.periods.order_by("-date").first()
    for assignment, status in zip(
        assignments, [WorkStatus.DONE, WorkStatus.IN_PROGRESS], strict=True
    ):
        FollowUp.objects.update_or_create(
            period=period, assignment=assignment, defaults={"status": status}
        )
    texts = set(
        Assignment.objects.filter(plan=plan_roll_over(plan=plan_2019, user=admin_user)).values_list(
            "text", flat=True
        )
    )
    assert (
        assignments[0].text not in texts
        or Assignment.objects.filter(plan=plan_2019, text=assignments[0].text).count() > 1
    )
    assert assignments[1].text in texts


def test_refused_when_the_year_has_a_plan(plan_2017, admin_user):
    plan_roll_over(plan=plan_2017, user=admin_user)
    count = Plan.objects.count()
    with pytest.raises(ValidationError) as error:
        plan_roll_over(plan=plan_2017, user=admin_user)
    assert error.value.messages == [
        "Omsorgsnämnden har redan en verksamhetsplan för 2018; ingenting skapades."
    ]
    assert Plan.objects.count() == count


def test_admin_button_and_action(admin_client, plan_2017):
    """The plan page's button makes next year's plan and opens it with a Swedish message;
    the list action on the same plan again is refused with a message."""
    page = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2017.pk]))
    url = reverse("admin:goals_plan_roll_over", args=[plan_2017.pk])
    assert url in page.content.decode()
    assert "Ny verksamhetsplan 2018 från denna" in page.content.decode()
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    new_plan = Plan.objects.get(board=plan_2017.board, year=2018)
    assert response.url == reverse("admin:goals_plan_change", args=[new_plan.pk])
    message = [str(m) for m in get_messages(response.wsgi_request)][0]
    assert message.endswith("lägg till dess uppföljningsperioder.") and "skapades från" in message
    response = admin_client.post(
        reverse("admin:goals_plan_changelist"),
        {"action": "roll_over", "_selected_action": [plan_2017.pk]},
        follow=True,
    )
    assert "har redan en verksamhetsplan för 2018" in response.content.decode()


def test_responsible_persons_go_with_their_copies(plan_2017, admin_user, django_user_model):
    """A goal's and an activity's responsible persons are responsible for their copies in the
    new plan; an inactive user is left behind."""
    from responsibilities.models import Responsibility

    goal = plan_2017.goals.order_by("order").first()
    activity = plan_2017.activities.order_by("sort_key").first()
    anna = django_user_model.objects.create_user("anna", "anna@example.se", "x")
    gone = django_user_model.objects.create_user("gone", "gone@example.se", "x", is_active=False)
    Responsibility.objects.create(user=anna, goal=goal)
    Responsibility.objects.create(user=gone, goal=goal)
    Responsibility.objects.create(user=anna, activity=activity)

    new_plan = plan_roll_over(plan=plan_2017, user=admin_user)

    new_goal = new_plan.goals.get(order=goal.order)
    new_activity = new_plan.activities.get(number=activity.number)
    assert list(
        Responsibility.objects.filter(goal=new_goal).values_list("user__username", flat=True)
    ) == ["anna"]
    assert Responsibility.objects.filter(activity=new_activity, user=anna).exists()
