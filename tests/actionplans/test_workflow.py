"""Monthly follow-ups: the tertial workflow, locking of closed months, history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from actionplans import services, workflow
from actionplans.models import FollowUpMonth, Measure, MeasureFollowUp

pytestmark = pytest.mark.django_db


def test_month_moves_through_the_workflow_and_reopens_with_a_reason(action_plan, son_approver):
    """open → submitted → approved → published; reopening needs a reason, which is kept."""
    month = services.follow_up_month_create(
        plan=action_plan, date=datetime.date(2020, 8, 31), user=son_approver
    )
    for step in ("submit", "approve", "publish"):
        workflow.month_transition(period=month, transition=step, user=son_approver)
    month.refresh_from_db()
    assert month.status == "published"
    with pytest.raises(ValidationError) as error:
        workflow.month_transition(period=month, transition="reopen", user=son_approver)
    assert error.value.message_dict == {"reason": ["Ange varför perioden öppnas igen."]}
    workflow.month_transition(
        period=month, transition="reopen", user=son_approver, reason="Fel belopp i augusti"
    )
    steps = list(month.transitions.values_list("transition", "reason"))
    assert steps[-1] == ("reopen", "Fel belopp i augusti") and len(steps) == 4


def test_editor_may_not_publish(action_plan, son_editor):
    """Only an approver publishes: an editor's attempt is refused."""
    month = FollowUpMonth.objects.create(plan=action_plan, date=datetime.date(2020, 9, 30))
    assert [t.name for t in workflow.transitions_available(period=month, user=son_editor)] == []
    with pytest.raises(PermissionDenied):
        workflow.month_transition(period=month, transition="submit", user=son_editor)


def test_month_before_august_is_refused(action_plan, son_editor):
    """The plan is reported back from August: a July follow-up gets a Swedish error."""
    with pytest.raises(ValidationError) as error:
        services.follow_up_month_create(
            plan=action_plan, date=datetime.date(2020, 7, 31), user=son_editor
        )
    assert error.value.message_dict["date"] == ["Planen följs upp månadsvis från och med 2020-08."]
    assert not FollowUpMonth.objects.exists()


def test_new_month_carries_last_month_forward_and_closed_month_is_locked(
    action_plan, son_editor, son_approver
):
    """September starts with August's figures; once August is submitted it cannot change."""
    august = services.follow_up_month_create(
        plan=action_plan, date=datetime.date(2020, 8, 31), user=son_editor
    )
    measure = Measure.objects.get(title="Gemensamt HVB")
    services.measure_follow_up_save(
        period=august,
        measure=measure,
        user=son_editor,
        status="done",
        realised=Decimal("0.4"),
        comment="Startade 15 maj",
    )
    row = MeasureFollowUp.objects.get(period=august, measure=measure)
    assert row.history.latest().history_user == son_editor and row.history.count() == 2
    workflow.month_transition(period=august, transition="submit", user=son_approver)
    with pytest.raises(ValidationError):
        services.measure_follow_up_save(
            period=august, measure=measure, user=son_editor, status="done", realised=Decimal(1)
        )
    assert MeasureFollowUp.objects.get(period=august, measure=measure).realised == Decimal("0.4")
    september = services.follow_up_month_create(
        plan=action_plan, date=datetime.date(2020, 9, 30), user=son_editor
    )
    carried = MeasureFollowUp.objects.get(period=september, measure=measure)
    assert (carried.status, carried.realised) == ("done", Decimal("0.4"))
    assert september.follow_ups.count() == Measure.objects.filter(group__plan=action_plan).count()


def test_workflow_page_asks_the_policy(client, action_plan, son_approver, oms_reader):
    """The month's workflow page: anonymous visitors are sent to log in, a role holder of
    another board gets 403, the approver publishes with one POST."""
    month = FollowUpMonth.objects.create(
        plan=action_plan, date=datetime.date(2020, 8, 31), status="approved"
    )
    url = reverse("actionplans:month-status", args=[month.pk])
    response = client.get(url)
    assert response.status_code == 302 and "next=" in response["Location"]
    client.force_login(oms_reader)
    assert client.get(url).status_code == 403
    assert client.post(url, {"transition": "publish"}).status_code == 403
    client.force_login(son_approver)
    assert client.post(url, {"transition": "publish"}).status_code == 302
    month.refresh_from_db()
    assert month.status == "published"
    assert month.transitions.get().user == son_approver
