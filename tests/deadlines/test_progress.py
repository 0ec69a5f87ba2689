"""The progress page, "Mina uppföljningar" and marking a follow-up ready."""

import pytest
from django.urls import reverse

from access.models import BoardMembership
from followups.models import FollowUp
from responsibilities.models import Responsibility
from tests.conftest import make_member
from tests.factories import add_activities

from .helpers import make_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(period_2017_12, django_user_model):
    return make_scenario(period_2017_12, django_user_model)


def _progress_url(period):
    return reverse("deadlines:progress", args=[period.pk])


def test_progress_counts_per_person_and_links_to_their_rows(client, scenario):
    """Counts per responsible person: Anna 2 missing, Bertil 1 written + 2 missing, Cecilia
    1 written + 1 ready; each with a link to the workbench filtered to their rows."""
    client.force_login(scenario.chef)
    response = client.get(_progress_url(scenario.period))
    assert response.status_code == 200
    people = {p.user.username: p.tally for p in response.context["progress"].people}
    assert {k: (t.ready, t.written, t.missing) for k, t in people.items()} == {
        "anna": (0, 0, 2),
        "bertil": (0, 1, 2),
        "cecilia": (1, 1, 0),
        "dag": (0, 0, 1),
    }
    html = response.content.decode()
    assert f"?ansvarig={scenario.anna.pk}" in html
    assert "Per verksamhetsområde" in html and "Per ansvarig" in html
    total = response.context["progress"].total
    assert total.total == sum(a.tally.total for a in response.context["progress"].areas)
    assert "inga påminnelser via e-post" in html  # Dag has opted out


def test_progress_lists_reminders_sent(client, scenario):
    from deadlines.services import reminders_send_due

    from .helpers import at

    reminders_send_due(now=at(13))
    client.force_login(scenario.anna)
    html = client.get(_progress_url(scenario.period)).content.decode()
    assert "Skickade påminnelser" in html
    assert "&lt;anna@example.se&gt;" in html and "&lt;bertil@example.se&gt;" in html
    assert "7 dagar före" in html


def test_readers_and_strangers_may_not_see_progress(client, scenario, django_user_model, plan_2019):
    """Only the board's editors and approvers: a reader gets 403, someone of another board
    403, anonymous visitors the login page."""
    url = _progress_url(scenario.period)
    assert client.get(url).status_code == 302
    reader = make_member(django_user_model, "politiker", scenario.period.plan.board, "reader")
    client.force_login(reader)
    assert client.get(url).status_code == 403
    other = make_member(django_user_model, "annan", plan_2019.board, "approver")
    client.force_login(other)
    assert client.get(url).status_code == 403


def test_my_follow_ups_filters_the_workbench(client, scenario):
    """ "Mina uppföljningar": only the rows the person is responsible for; ?ansvarig=<id> the
    same for someone else."""
    client.force_login(scenario.bertil)
    url = reverse("followups:workbench", args=[scenario.period.pk])
    rows = client.get(url + "?mina=1").context["bench"].rows
    assert [r.subject.number for r in rows] == ["91.3", "91.4", "91.5"]
    rows = client.get(url + f"?ansvarig={scenario.anna.pk}").context["bench"].rows
    assert [r.subject.number for r in rows] == ["91.1", "91.2"]
    assert len(client.get(url).context["bench"].rows) > 8


def test_goal_responsibility_covers_its_rows_without_their_own(client, scenario):
    """A person responsible for a board goal is responsible for its indicators, activities
    and assignments that have no responsible person of their own."""
    goal = scenario.activities["91.1"].goal
    Responsibility.objects.create(user=scenario.cecilia, goal=goal)
    client.force_login(scenario.cecilia)
    url = reverse("followups:workbench", args=[scenario.period.pk])
    rows = client.get(url + "?mina=1").context["bench"].rows
    numbers = {(r.kind, getattr(r.subject, "number", None)) for r in rows}
    assert ("goal", None) in numbers
    assert ("activity", "91.6") in numbers and ("activity", "91.1") not in numbers  # Anna's
    assert any(r.kind == "activity" and r.subject.number == "1.1" for r in rows)


def _mark(client, period, key, ready=True):
    return client.post(
        reverse("followups:mark_ready", args=[period.pk]),
        {"subject" if ready else "unready": key},
    )


def test_writer_marks_ready_and_back(client, scenario):
    fu = FollowUp.objects.get(period=scenario.period, activity=scenario.activities["91.3"])
    client.force_login(scenario.bertil)
    response = _mark(client, scenario.period, f"activity-{fu.activity_id}")
    assert response.status_code == 302
    fu.refresh_from_db()
    assert fu.ready_by == scenario.bertil and fu.ready_at is not None
    assert fu.version == 1  # marking ready is not a change of text
    _mark(client, scenario.period, f"activity-{fu.activity_id}", ready=False)
    fu.refresh_from_db()
    assert fu.ready_at is None and fu.ready_by is None


def test_marking_ready_is_refused_where_it_must_be(client, scenario, django_user_model):
    """Unwritten rows, readers, other boards' editors and closed periods: nothing changes."""
    period = scenario.period
    client.force_login(scenario.anna)
    missing = scenario.activities["91.1"]
    response = _mark(client, period, f"activity-{missing.pk}")
    assert response.status_code == 302
    assert not FollowUp.objects.filter(period=period, activity=missing).exists()
    assert "Skriv uppföljningen innan" in str(list(response.wsgi_request._messages))

    written = FollowUp.objects.get(period=period, activity=scenario.activities["91.3"])
    reader = make_member(django_user_model, "politiker", period.plan.board, "reader")
    client.force_login(reader)
    assert _mark(client, period, f"activity-{written.activity_id}").status_code == 403
    BoardMembership.objects.filter(user=reader).delete()
    assert _mark(client, period, f"activity-{written.activity_id}").status_code == 403

    period.status = "submitted"
    period.save()
    client.force_login(scenario.bertil)
    response = _mark(client, period, f"activity-{written.activity_id}")
    assert "Perioden är stängd" in str(list(response.wsgi_request._messages))
    written.refresh_from_db()
    assert written.ready_at is None
    assert _mark(client, period, "nonsense").status_code == 302  # no 500 on hostile input


@pytest.mark.parametrize("extra", [0, 40])
def test_progress_and_filtered_workbench_queries_do_not_grow(
    client, scenario, django_assert_num_queries, extra
):
    """The same number of queries with 40 more activities, follow-ups and responsibilities."""
    if extra:
        for activity in add_activities(scenario.period.plan, extra, with_follow_ups=True):
            Responsibility.objects.create(user=scenario.anna, activity=activity)
    client.force_login(scenario.chef)
    client.get(_progress_url(scenario.period))  # warm the session
    with django_assert_num_queries(PROGRESS_QUERIES):
        assert client.get(_progress_url(scenario.period)).status_code == 200
    url = reverse("followups:workbench", args=[scenario.period.pk])
    with django_assert_num_queries(WORKBENCH_QUERIES):
        assert client.get(url + f"?ansvarig={scenario.anna.pk}").status_code == 200


PROGRESS_QUERIES = 25
WORKBENCH_QUERIES = 22
