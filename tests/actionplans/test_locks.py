"""A closed month's figures are part of the record: the admin keeps them, also when a delete
of their measure, group or plan would take them along (core.locking.records_kept)."""

import datetime

import pytest
from django.urls import reverse

from actionplans.models import ActionPlan, FollowUpMonth, Measure, MeasureFollowUp

from .conftest import add_month

pytestmark = pytest.mark.django_db

AUGUST, SEPTEMBER = datetime.date(2020, 8, 31), datetime.date(2020, 9, 30)


def _first_measure(plan):
    return Measure.objects.filter(group__plan=plan).order_by("group__order", "order").first()


def test_closed_month_and_its_rows_are_locked(action_plan):
    """A submitted month and its rows are locked; an open month's are not, and reopening
    unlocks them (one query for a set of rows)."""
    closed = add_month(action_plan, AUGUST, status="submitted", measures=2)
    open_ = add_month(action_plan, SEPTEMBER, measures=2)
    rows = list(MeasureFollowUp.objects.filter(period__plan=action_plan).order_by("pk"))
    assert [row.is_locked for row in rows] == [True, True, False, False]
    assert FollowUpMonth.objects.get(pk=closed.pk).is_locked
    assert not FollowUpMonth.objects.get(pk=open_.pk).is_locked
    locked = MeasureFollowUp.locked_among([row.pk for row in rows])
    assert {row.period_id for row in locked} == {closed.pk}
    assert list(FollowUpMonth.locked_among([closed.pk, open_.pk])) == [closed]
    FollowUpMonth.objects.filter(pk=closed.pk).update(status="open")
    assert not MeasureFollowUp.locked_among([row.pk for row in rows]).exists()


def test_deleting_a_measure_with_figures_of_a_closed_month_is_refused(
    client, son_editor, action_plan
):
    """The measure's delete page names the closed month's row as protected; confirming
    deletes nothing."""
    add_month(action_plan, AUGUST, status="published", measures=1)
    measure = _first_measure(action_plan)
    client.force_login(son_editor)
    url = reverse("admin:actionplans_measure_delete", args=[measure.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert f"{measure} 2020-08" in page.text
    client.post(url, {"post": "yes"})
    assert Measure.objects.filter(pk=measure.pk).exists()
    assert MeasureFollowUp.objects.filter(measure=measure).count() == 1


def test_deleting_a_measure_with_figures_of_open_months_only_works(client, son_editor, action_plan):
    """Figures of a month still open go with their measure."""
    add_month(action_plan, AUGUST, measures=1)
    measure = _first_measure(action_plan)
    client.force_login(son_editor)
    url = reverse("admin:actionplans_measure_delete", args=[measure.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Measure.objects.filter(pk=measure.pk).exists()


def test_deleting_a_plan_with_a_closed_month_is_refused(client, son_editor, action_plan):
    """A plan whose months have left "open" stays, with its months and figures."""
    add_month(action_plan, AUGUST, status="approved", measures=1)
    client.force_login(son_editor)
    url = reverse("admin:actionplans_actionplan_delete", args=[action_plan.pk])
    client.post(url, {"post": "yes"})
    assert ActionPlan.objects.filter(pk=action_plan.pk).exists()
    assert FollowUpMonth.objects.filter(plan=action_plan).count() == 1


def test_workflow_log_of_a_month_is_kept(client, son_editor, action_plan, django_user_model):
    """A month that was submitted and reopened is open again, but its log stays on record:
    the admin lists the steps as protected and the database refuses the cascade."""
    from django.db.models import ProtectedError

    from actionplans.models import MonthTransition

    month = add_month(action_plan, AUGUST, measures=1)
    approver = django_user_model.objects.create_superuser("ap-chef", password="x")
    for step, before, after in (("submit", "open", "submitted"), ("reopen", "submitted", "open")):
        MonthTransition.objects.create(
            period=month,
            transition=step,
            from_status=before,
            to_status=after,
            user=approver,
            reason="Fel i siffran" if step == "reopen" else "",
        )
    client.force_login(son_editor)
    url = reverse("admin:actionplans_followupmonth_delete", args=[month.pk])
    client.post(url, {"post": "yes"})
    assert FollowUpMonth.objects.filter(pk=month.pk).exists()
    assert MonthTransition.objects.filter(period=month).count() == 2
    with pytest.raises(ProtectedError):
        FollowUpMonth.objects.filter(pk=month.pk).delete()
