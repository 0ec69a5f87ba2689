"""The diff page: what changed between the tertial and the year-end follow-ups of a plan, or
between two editions, per goal, indicator, activity and assignment; texts marked word by
word (escaped), values and assessments side by side; only what the reader may read; a fixed
number of queries; tolerant of content that grows new keys and sections."""

import pytest
from django.urls import reverse

from activities.models import Activity
from followups import workflow
from followups.models import FollowUp
from goals.models import FulfilmentLevel
from reports import diff, services
from reports.models import Edition
from tests.conftest import make_member

pytestmark = pytest.mark.django_db


def _url(plan, **query):
    url = reverse("public:compare", args=[plan.board_id, plan.year])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


@pytest.fixture
def assessed(plan_2017, period_2017_08, period_2017_12):
    """Activity 1.4 of the 2017 seed: its tertial and year-end texts differ (seed); here it
    also gets a status at each date, "in progress" then "done". Its goal gets an assessment:
    "partly fulfilled" at the tertial, "fulfilled" at year end."""
    activity = Activity.objects.get(plan=plan_2017, number="1.4")
    FollowUp.objects.filter(activity=activity, period=period_2017_08).update(status="in_progress")
    FollowUp.objects.filter(activity=activity, period=period_2017_12).update(status="done")
    for period, code, text in (
        (period_2017_08, "partly", "Nöjdheten ökar men mätningen är inte klar."),
        (period_2017_12, "fulfilled", "Nöjdheten ökar och mätningen är klar."),
    ):
        FollowUp.objects.create(
            goal=activity.goal,
            period=period,
            text=text,
            fulfilment=FulfilmentLevel.objects.get(code=code),
        )
    return activity


def test_tertial_against_year_end_of_the_2017_seed(client, plan_2017, assessed, editor):
    """Staff of the board compare the 2017 tertial (08-31) with the year-end (12-31), both
    still drafts: activity 1.4's follow-up text is marked word by word and its status and
    fulfilment are shown side by side; activities whose text did not change are not listed."""
    client.force_login(editor)
    response = client.get(_url(plan_2017, fran="2017-08-31", till="2017-12-31"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1.4 Analys och uppföljning av brukarundersökningar" in page
    # The seed's known change: "Brukarundersökningar är genomförda … våren 2016" at the
    # tertial, "Brukarundersökning har genomförts under hösten 2017" at year end.
    assert "<del>Brukarundersökningar är genomförda inom" in page
    assert "<ins>Brukarundersökning</ins> har genomförts" in page
    assert "<ins>hösten</ins>" in page
    item = page.split("1.4 Analys och uppföljning")[1].split("</article>")[0]
    assert "Pågår" in item and "Genomförd" in item
    assert item.index("Pågår") < item.index("Genomförd")
    # The goal's assessment, side by side, and its text marked.
    goal = page.split(assessed.goal.text)[1].split("</article>")[0]
    assert goal.index("Delvis uppfyllt") < goal.index(">Uppfyllt<")
    assert "<del>men</del><ins>och</ins>" in goal.replace(" ", "") or "<del>men</del>" in goal
    # Without parameters the page compares the last two readable follow-ups: the same.
    assert client.get(_url(plan_2017)).content.decode().count("<del>") == page.count("<del>")


def test_texts_are_escaped_never_markup(client, plan_2017, period_2017_08, period_2017_12, editor):
    """A follow-up text with HTML in it is shown as text in the diff: only the page's own
    <ins>/<del> are markup."""
    activity = Activity.objects.get(plan=plan_2017, number="1.3")
    FollowUp.objects.filter(activity=activity, period=period_2017_12).update(
        text='Ny <script>alert("x")</script> text <ins>falsk</ins>'
    )
    client.force_login(editor)
    page = client.get(_url(plan_2017, fran="2017-08-31", till="2017-12-31")).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<ins>falsk</ins>" not in page and "&lt;ins&gt;falsk" in page


def test_drafts_stay_hidden_from_the_public(client, plan_2017, editor):
    """The 2017 follow-ups are drafts: for an anonymous reader the page does not exist (404,
    like the plan's other reader pages) and shows nothing of them; a reader who may see the
    plan and names something that is not one of its editions or readable dates gets a clear
    message (400), never a 500."""
    response = client.get(_url(plan_2017, fran="2017-08-31", till="2017-12-31"))
    assert response.status_code == 404
    assert "Brukarundersökning" not in response.content.decode()
    client.force_login(editor)
    junk = ("<script>", "x" * 36, "2017-13-45", "00000000-0000-0000-0000-000000000000", "\x00")
    statuses = {j: client.get(_url(plan_2017), {"fran": j, "till": "2017-12-31"}) for j in junk}
    assert {j: r.status_code for j, r in statuses.items()} == dict.fromkeys(junk, 400)
    page = statuses["<script>"].content.decode()
    assert "Välj två publicerade utgåvor eller uppföljningsdatum" in page


def test_editions_compared_for_the_public(
    client,
    plan_2017,
    period_2017_08,
    period_2017_12,
    assessed,
    django_capture_on_commit_callbacks,
    monkeypatch,
    django_user_model,
):
    """Once both periods are published, anyone compares their stored editions (by UUID or by
    date); a change made in the database afterwards does not show: the editions are compared."""
    monkeypatch.setattr(services, "render_pdf", lambda html: b"%PDF-1.7")
    approver = make_member(django_user_model, "chef", plan_2017.board, "approver")
    with django_capture_on_commit_callbacks(execute=True):
        for period in (period_2017_08, period_2017_12):
            for step in ("submit", "approve", "publish"):
                workflow.period_transition(period=period, transition=step, user=approver)
    tertial = Edition.objects.get(period=period_2017_08)
    year_end = Edition.objects.get(period=period_2017_12, kind="plan")
    Activity.objects.filter(pk=assessed.pk).update(text="Ändrad efter publiceringen")
    response = client.get(_url(plan_2017, fran=tertial.uid, till=year_end.uid))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<ins>hösten</ins>" in page and "Genomförd" in page
    assert "Ändrad efter publiceringen" not in page
    by_date = client.get(_url(plan_2017, fran="2017-08-31", till="2017-12-31")).content.decode()
    assert "<ins>hösten</ins>" in by_date
    assert ">Uppfyllt<" in by_date  # the year-end report's assessment (none printed at T2)
    # The reader reaches it from the plan page's editions.
    plan_page = client.get(reverse("public:plan", args=[plan_2017.board_id, 2017])).content
    assert _url(plan_2017).encode() in plan_page


def test_admin_links_to_the_diff(admin_client, plan_2017, period_2017_12):
    """The period admin links each follow-up to the diff against the one before it."""
    page = admin_client.get(reverse("admin:goals_followupperiod_changelist")).content.decode()
    assert _url(plan_2017, fran="2017-08-31", till="2017-12-31").replace("&", "&amp;") in page


def test_diff_page_queries_do_not_grow_with_the_plan(
    client, plan_2017, period_2017_08, period_2017_12, editor, django_assert_max_num_queries
):
    """The page costs the same number of queries for the seed plan and for the same plan
    with 30 more activities, each with a follow-up at both dates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(editor)
    url = _url(plan_2017, fran="2017-08-31", till="2017-12-31")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    goal = plan_2017.goals.order_by("pk").first()
    activities = Activity.objects.bulk_create(
        Activity(plan=plan_2017, goal=goal, number=f"9.{i}", text=f"Ny aktivitet {i}")
        for i in range(30)
    )
    FollowUp.objects.bulk_create(
        FollowUp(activity=a, period=p, text=f"Text {a.number} {p.date}")
        for a in activities
        for p in (period_2017_08, period_2017_12)
    )
    with CaptureQueriesContext(connection) as after:
        page = client.get(url).content.decode()
    assert "9.29 Ny aktivitet 29" in page
    assert len(after) == len(before)


def test_diff_tolerates_richer_content():
    """Content with keys and sections the diff does not know (a goal intro, numbered
    indicator items, a joint follow-up of several items) is compared without error: a key
    only one side has is not a change, a new section's rows are compared by identity."""
    goal = {"model": "goals.goal", "pk": 1, "text": "Mål ett", "goal_id": None}
    old = {
        "areas": [{"goals": [{"goal": goal, "summary": "Sammanfattning"}]}],
        "periods": [{"model": "goals.followupperiod", "pk": 7, "date": "2017-08-31"}],
        "follow_ups": [
            {
                "model": "followups.followup",
                "pk": 3,
                "goal_id": 1,
                "period_id": 7,
                "text": "Det går bra",
                "fulfilment_id": None,
            },
        ],
    }
    new = {
        "areas": [
            {
                "goals": [
                    {
                        "goal": {**goal, "intro": "Ny inledning"},
                        "summary": "Sammanfattning",
                        "items": [{"number": "1", "text": "Fler ska"}],
                    }
                ]
            }
        ],
        "periods": [{"model": "goals.followupperiod", "pk": 8, "date": "2017-12-31"}],
        "follow_ups": [
            {
                "model": "followups.followup",
                "pk": 4,
                "goal_id": 1,
                "period_id": 8,
                "text": "Det gick mycket bra",
                "fulfilment_id": 1,
                "covers": ["1", "2"],
            },
        ],
        "joint": [
            {"model": "followups.jointfollowup", "pk": 9, "label": "1-2", "text": "Gemensam"}
        ],
    }
    result = diff.report_diff(
        diff.side_read("A", [old]), diff.side_read("B", [new]), levels={1: "Uppfyllt"}
    )
    (goal_diff,) = result.goals
    assert goal_diff.fields == [] and goal_diff.values == []
    changes = {c.name: c for c in goal_diff.follow_up}
    assert "<del>går</del><ins>gick mycket</ins>" in str(changes["uppföljning"].marked)
    assert (changes["måluppfyllelse"].old, changes["måluppfyllelse"].new) == ("–", "Uppfyllt")
    (joint,) = result.others
    assert joint.state == "added" and joint.model == "followups.jointfollowup"


def test_word_diff_marks_words_and_escapes():
    marked = str(diff.word_diff("a <b> c", "a <b> d & e"))
    assert marked == "a &lt;b&gt; <del>c</del><ins>d &amp; e</ins>"
