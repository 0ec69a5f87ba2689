"""`changed_since` returns exactly the rows changed since, and /deletions/ those deleted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.models import Assignment
from followups.models import FollowUp
from goals.choices import PeriodStatus
from goals.models import MunicipalGoal
from indicators.models import Indicator, IndicatorValue
from tombstones.models import Tombstone

pytestmark = pytest.mark.django_db


def _ids(client, route, **params):
    response = client.get(reverse(f"api:{route}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_changed_and_deleted_values_since_a_moment(staff_client, plan_2019):
    """After a moment T, one value is changed and another deleted: `changed_since=T` lists
    exactly the changed one, and /deletions/?changed_since=T&model=indicator-value exactly
    the deleted one (with the board it belonged to)."""
    since = timezone.now().isoformat()
    changed, deleted = IndicatorValue.objects.filter(value__isnull=False)[:2]
    changed.value = changed.value + 1
    changed.save()
    deleted_pk = deleted.pk
    deleted.delete()

    assert _ids(staff_client, "indicator-value", changed_since=since) == [changed.pk]
    response = staff_client.get(
        reverse("api:deletion-list"), {"changed_since": since, "model": "indicator-value"}
    )
    rows = response.json()["results"]
    assert [(r["model"], r["object_id"], r["board"]) for r in rows] == [
        ("indicator-value", deleted_pk, plan_2019.board_id)
    ]
    assert _ids(staff_client, "indicator", changed_since=since) == []


def test_changed_since_accepts_an_unescaped_plus(staff_client):
    """A timestamp whose '+02:00' arrived as ' 02:00' (unescaped in the URL) still parses."""
    stamp = timezone.localtime().isoformat()
    assert "+" in stamp
    url = reverse("api:goal-list") + "?changed_since=" + stamp  # '+' decodes to a space
    assert staff_client.get(url).status_code == 200


def test_cascaded_deletions_each_leave_a_tombstone(staff_client, plan_2019):
    """Deleting an indicator records it and each of its values (cascade) as deleted."""
    since = timezone.now().isoformat()
    indicator = Indicator.objects.filter(board=plan_2019.board, values__isnull=False).first()
    value_ids = sorted(indicator.values.values_list("pk", flat=True))
    follow_up_ids = sorted(indicator.follow_ups.values_list("pk", flat=True))
    indicator_pk = indicator.pk
    indicator.delete()
    rows = staff_client.get(
        reverse("api:deletion-list"), {"changed_since": since, "page_size": 1000}
    ).json()["results"]
    by_model = {}
    for row in rows:
        by_model.setdefault(row["model"], []).append(row["object_id"])
        assert row["board"] == plan_2019.board_id
    assert by_model.pop("indicator") == [indicator_pk]
    assert sorted(by_model.pop("indicator-value")) == value_ids
    assert sorted(by_model.pop("follow-up", [])) == follow_up_ids
    assert by_model == {}


def test_goal_changes_through_links_and_follow_ups(staff_client, plan_2019):
    """A goal counts as changed when its municipal goals change, when a follow-up of it
    (its fulfilment) changes, and when such a follow-up is deleted."""
    goals = list(plan_2019.goals.order_by("pk")[:3])
    since = timezone.now().isoformat()
    goals[0].municipal_goals.add(MunicipalGoal.objects.exclude(goals=goals[0]).first())
    follow_up = FollowUp.objects.get(goal=goals[1])
    follow_up.text = "Ny text"
    follow_up.save()
    FollowUp.objects.filter(goal=goals[2]).delete()
    assert _ids(staff_client, "goal", changed_since=since) == [g.pk for g in goals]


def test_reverse_link_changes_and_set_null_cascades_count(staff_client, plan_2017):
    """Changing the link from the municipal goal's side, and deleting a goal (which empties
    `goal` on its volume indicators), mark those rows as changed; its assignments, numbered
    within it, go with it (a deletion)."""
    goal, other = plan_2017.goals.order_by("pk")[:2]
    volume = Indicator.objects.create(
        board=plan_2017.board, goal=goal, kind="volume", name="Antal ärenden (test)"
    )
    assignment = Assignment.objects.create(plan=plan_2017, goal=goal, number="99", text="Test")
    since = timezone.now().isoformat()
    MunicipalGoal.objects.exclude(goals=other).first().goals.add(other)
    assert _ids(staff_client, "goal", changed_since=since) == [other.pk]
    goal.delete()
    assert _ids(staff_client, "indicator", changed_since=since) == [volume.pk]
    assert _ids(staff_client, "assignment", changed_since=since) == []
    assert not Assignment.objects.filter(pk=assignment.pk).exists()


def test_partial_save_bumps_updated_at(plan_2019):
    """save(update_fields=["status"]), as the period workflow does, still dates the row."""
    period = plan_2019.periods.get(kind="T3")
    before = period.updated_at
    period.status = PeriodStatus.SUBMITTED
    period.save(update_fields=["status"])
    period.refresh_from_db()
    assert period.updated_at > before


def test_deletions_filter_by_model_list_and_board(staff_client, plan_2017, plan_2019):
    """`model` takes a comma list; `board` keeps one board's deletions; a bad model is 400."""
    Tombstone.objects.create(model="goals.goal", object_id=1, board_id=plan_2017.board_id)
    Tombstone.objects.create(model="indicators.indicator", object_id=2, board_id=plan_2019.board_id)
    Tombstone.objects.create(model="goals.plan", object_id=3, board_id=plan_2019.board_id)
    url = reverse("api:deletion-list")
    rows = staff_client.get(url, {"model": "goal,indicator"}).json()["results"]
    assert sorted(r["model"] for r in rows) == ["goal", "indicator"]
    rows = staff_client.get(url, {"board": plan_2019.board_id}).json()["results"]
    assert sorted(r["object_id"] for r in rows) == [2, 3]
    assert staff_client.get(url, {"model": "nonsense"}).status_code == 400
