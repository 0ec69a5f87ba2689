"""Open data follows publication: `changed_since` lists every row a publication made public;
reopening withdraws them from anonymous readers and lists them in the deletions feed (reason
"withdrawn"); drafts leave no trace in public metadata (ETag/Last-Modified, the goals'
`changed_since`, the deletions feed)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from followups import workflow
from followups.models import FollowUp
from indicators.models import IndicatorValue
from reports import services
from tests.conftest import make_member
from tombstones.models import Tombstone

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_layout(monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7")


@pytest.fixture
def approver(plan_2017, django_user_model):
    return make_member(django_user_model, "chef", plan_2017.board, "approver")


def _publish(period, user, capture):
    with capture(execute=True):
        for step in ("submit", "approve", "publish"):
            workflow.period_transition(period=period, transition=step, user=user)


def _ids(client, name, **params):
    response = client.get(reverse(f"api:{name}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def _since(moment):
    return moment.isoformat()


def test_publication_lists_every_row_it_made_public(
    client, approver, plan_2017, period_2017_08, django_capture_on_commit_callbacks
):
    """After publishing 2017-08-31, `changed_since` (anonymous) lists the period, each of its
    follow-ups, and the plan's goals and activities; before, none of the follow-ups."""
    since = _since(timezone.now())
    assert _ids(client, "follow-up", changed_since=since) == set()
    _publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    follow_ups = set(FollowUp.objects.filter(period=period_2017_08).values_list("pk", flat=True))
    assert len(follow_ups) == 19
    assert _ids(client, "follow-up", changed_since=since) == follow_ups
    assert _ids(client, "follow-up-period", changed_since=since) == {period_2017_08.pk}
    assert _ids(client, "goal", changed_since=since) == set(
        plan_2017.goals.values_list("pk", flat=True)
    )
    assert _ids(client, "activity", changed_since=since) == set(
        plan_2017.activities.values_list("pk", flat=True)
    )


def test_year_end_publication_lists_the_values_it_made_public(
    client, plan_2019, django_user_model, django_capture_on_commit_callbacks
):
    """Publishing the 2019 year-end makes the board's values up to 2019 public: each of them
    is in `changed_since`; reopening withdraws each of them."""
    approver = make_member(django_user_model, "chef19", plan_2019.board, "approver")
    period = plan_2019.periods.get(kind="T3")
    since = _since(timezone.now())
    _publish(period, approver, django_capture_on_commit_callbacks)
    values = set(
        IndicatorValue.objects.filter(indicator__board=plan_2019.board, year__lte=2019).values_list(
            "pk", flat=True
        )
    )
    assert len(values) > 50
    assert _ids(client, "indicator-value", changed_since=since) == values
    reopened = _since(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.period_transition(period=period, transition="reopen", user=approver, reason="Fel")
    feed = client.get(
        reverse("api:deletion-list"),
        {"changed_since": reopened, "model": "indicator-value", "page_size": 1000},
    ).json()
    assert {row["object_id"] for row in feed["results"]} == values
    assert {row["reason"] for row in feed["results"]} == {"withdrawn"}
    assert _ids(client, "indicator-value") & values == set()


def test_reopening_withdraws_the_rows_from_the_public(
    client, approver, plan_2017, period_2017_08, django_capture_on_commit_callbacks
):
    """Reopen a published period: anonymous readers no longer get its follow-ups, and the
    deletions feed lists the period and each follow-up as withdrawn; publishing it again
    brings them back through `changed_since`."""
    _publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    follow_ups = set(FollowUp.objects.filter(period=period_2017_08).values_list("pk", flat=True))
    assert _ids(client, "follow-up") >= follow_ups
    reopened = _since(timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        workflow.period_transition(
            period=period_2017_08, transition="reopen", user=approver, reason="Fel siffra"
        )
    assert _ids(client, "follow-up") & follow_ups == set()
    feed = client.get(
        reverse("api:deletion-list"), {"changed_since": reopened, "page_size": 1000}
    ).json()["results"]
    withdrawn = {(row["model"], row["object_id"]) for row in feed if row["reason"] == "withdrawn"}
    assert {("follow-up", pk) for pk in follow_ups} <= withdrawn
    assert ("follow-up-period", period_2017_08.pk) in withdrawn
    # The plan is public only through this publication (it records no adoption): its
    # goals and activities are withdrawn too.
    assert ("goal", plan_2017.goals.first().pk) in withdrawn
    again = _since(timezone.now())
    _publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    assert _ids(client, "follow-up", changed_since=again) == follow_ups


def test_drafts_leave_no_trace_in_public_metadata(
    client,
    approver,
    staff_client,
    plan_2017,
    period_2017_08,
    period_2017_12,
    published_2019,
    django_capture_on_commit_callbacks,
):
    """With 08-31 published and 12-31 a draft: editing the draft period, and editing and
    deleting a draft follow-up, changes neither the public ETag/Last-Modified of the goals,
    periods and deletions lists and of Kolada's data routes, nor the
    goals' `changed_since`; the deletion is listed to staff, not to the public."""
    _publish(period_2017_08, approver, django_capture_on_commit_callbacks)
    goal = plan_2017.goals.order_by("pk").first()
    draft = FollowUp.objects.create(goal=goal, period=period_2017_12, text="Utkast")
    urls = [reverse(f"api:{name}-list") for name in ("goal", "follow-up-period", "deletion")]
    # Kolada's data routes (v2 and v3) date their answers by the same public watermarks (the
    # 2019 values are public: their year-end is published).
    urls += ["/api/v1/kolada/data/municipality/0580/year/2019", "/api/v1/kolada/v3/data?year=2019"]
    before = {url: client.get(url) for url in urls}
    assert all(response.status_code == 200 for response in before.values())
    assert all(before[url].json()["count"] > 0 for url in urls[-2:])
    period_2017_12.save()  # a draft period's own change (its updated_at moves)
    since = _since(timezone.now())
    draft.text = "Utkast, ändrat"
    draft.save()
    FollowUp.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    assert _ids(client, "goal", changed_since=since) == set()
    draft_pk = draft.pk
    draft.delete()
    for url in urls:
        after = client.get(url)
        assert after["ETag"] == before[url]["ETag"], url
        assert after.get("Last-Modified") == before[url].get("Last-Modified"), url
    assert _ids(client, "goal", changed_since=since) == set()
    public_feed = client.get(reverse("api:deletion-list"), {"changed_since": since}).json()
    assert draft_pk not in {row["object_id"] for row in public_feed["results"]}
    staff_feed = staff_client.get(reverse("api:deletion-list"), {"changed_since": since}).json()
    assert draft_pk in {row["object_id"] for row in staff_feed["results"]}
    assert not Tombstone.objects.get(model="followups.followup", object_id=draft_pk).was_public


def test_adoption_lists_the_plan_as_a_publication_does(client, plan_2017):
    """Adopting a plan (no period published) makes its goals, their numbered indicators,
    activities and assignments public: anonymous `changed_since` lists every one of them;
    undoing the adoption withdraws them (deletions feed, reason "withdrawn")."""
    goals = set(plan_2017.goals.values_list("pk", flat=True))
    activities = set(plan_2017.activities.values_list("pk", flat=True))
    assert goals and activities
    since = _since(timezone.now())
    assert _ids(client, "goal") & goals == set()
    plan_2017.adopted_on = "2017-01-26"
    plan_2017.save()
    assert _ids(client, "goal", changed_since=since) == goals
    assert _ids(client, "activity", changed_since=since) == activities
    assert _ids(client, "plan", changed_since=since) == {plan_2017.pk}
    undone = _since(timezone.now())
    plan_2017.adopted_on = None
    plan_2017.save()
    assert _ids(client, "goal") & goals == set()
    feed = client.get(
        reverse("api:deletion-list"), {"changed_since": undone, "page_size": 1000}
    ).json()["results"]
    withdrawn = {(row["model"], row["object_id"]) for row in feed if row["reason"] == "withdrawn"}
    assert {("goal", pk) for pk in goals} <= withdrawn
    assert {("activity", pk) for pk in activities} <= withdrawn
    # An edit of an adopted plan changes nothing of its goals' dates.
    plan_2017.adopted_on = "2017-01-26"
    plan_2017.save()
    edited = _since(timezone.now())
    plan_2017.title = "Verksamhetsplan 2017 (rättad)"
    plan_2017.save()
    assert _ids(client, "goal", changed_since=edited) == set()
