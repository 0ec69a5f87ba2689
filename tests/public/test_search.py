"""Search over goals, activities, follow-ups and indicators, limited to what the reader may see."""

import pytest
from django.db import connection
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from goals.models import FollowUpPeriod

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)


def _search(client, query):
    response = client.get(reverse("public:search"), {"q": query})
    assert response.status_code == 200
    return response.content.decode()


def _activity_1_3(plan):
    return Activity.objects.get(plan=plan, number="1.3")


def test_finds_a_follow_up_text(client, plan_2017, published_2017_12):
    """The word "Lejonfastigheter" from activity 1.3's 2017-12-31 follow-up is found, marked,
    and linked to that follow-up on the activity's page."""
    html = _search(client, "Lejonfastigheter")
    activity = _activity_1_3(plan_2017)
    link = reverse("public:activity", args=[activity.pk]) + f"#period-{published_2017_12.pk}"
    assert f'href="{link}"' in html
    assert "<mark>Lejonfastigheter</mark>" in html
    assert "Uppföljning 2017-12-31 av aktivitet 1.3" in html


@postgres_only
def test_swedish_stemming_and_highlighting(client, plan_2017, published_2017_12):
    """Swedish stemming: the singular "lejonfastighet" and the definite "upphandlingen" find
    the plural and the indefinite forms in the text, and the headline marks them as written."""
    html = _search(client, "lejonfastighet upphandlingen")
    assert "<mark>Lejonfastigheter</mark>" in html
    assert "<mark>Upphandling</mark>" in html
    assert "Uppföljning 2017-12-31 av aktivitet 1.3" in html


@postgres_only
def test_ranked_across_kinds(client, plan_2017, plan_2019, published_2017_12, published_2019):
    """A word in goals, activities and follow-ups returns each kind, labelled."""
    html = _search(client, "brukarundersökning")
    assert "Aktivitet" in html and "Uppföljning" in html


def test_finds_goals_and_indicators(client, plan_2019, published_2019):
    """Goal texts and indicator names are searchable too."""
    goal = plan_2019.goals.order_by("order").first()
    html = _search(client, goal.text)
    assert reverse("public:goal", args=[goal.pk]) in html
    html = _search(client, "Akutbostäder")
    assert "Indikator" in html and "/las/indikator/" in html


def test_unpublished_content_is_not_found(client, plan_2017):
    """With nothing published, the public finds nothing."""
    html = _search(client, "Lejonfastigheter")
    assert "0 träffar" in html and "Inget hittades" in html


def test_unpublished_period_text_is_not_found(client, plan_2017, published_2017_12):
    """A text only in the open interim report (2017-08-31) is not found by the public (the
    plan's own narrative, public with the plan, also names Civildepartementet)."""
    assert "Inget hittades" in _search(client, "Seminarium Almedalen")


def test_reader_finds_drafts_marked(reader_client, plan_2017):
    """A reader of the board finds the unpublished follow-up, marked as a draft."""
    html = _search(reader_client, "Lejonfastigheter")
    assert "<mark>Lejonfastigheter</mark>" in html
    assert 'class="draft-mark">Utkast' in html


def test_snippet_escapes_user_text(client, plan_2017, published_2017_12):
    """A follow-up's text is escaped in the snippet; only the highlighting is markup."""
    follow_up = FollowUp.objects.get(activity=_activity_1_3(plan_2017), period=published_2017_12)
    # Written while the period was open (a published follow-up cannot change).
    FollowUpPeriod.objects.filter(pk=published_2017_12.pk).update(status="open")
    follow_up.text += ' <script>alert("x")</script> Lejonfastigheter'
    follow_up.save(update_fields=["text"])
    FollowUpPeriod.objects.filter(pk=published_2017_12.pk).update(status="published")
    html = _search(client, "Lejonfastigheter")
    snippet = html.split('class="hit-snippet">')[1].split("</p>")[0]
    assert "<script" not in snippet and "alert(&quot;x&quot;)" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_empty_and_long_queries(client, plan_2017, published_2017_12):
    """An empty query shows the form only; an overlong one is cut, not refused."""
    html = _search(client, "   ")
    assert "träff" not in html and '<input id="sok-sida"' in html
    assert "träff" in _search(client, "lejon " * 200)


@postgres_only
def test_follow_up_search_uses_the_gin_index(plan_2017, published_2017_12):
    """The follow-up search finds its matches through the GIN index on the stored tsvector
    (migration 0002), even for a common word, and never computes a follow-up's tsvector."""
    from django.contrib.auth.models import AnonymousUser
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    from public.selectors import search_get

    for word in ("Lejonfastigheter", "arbete"):
        with CaptureQueriesContext(connection) as queries:
            search_get(user=AnonymousUser(), query=word)
        sql = next(q["sql"] for q in queries if q["sql"].startswith('SELECT "followups_followup"'))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "public_followup_document" in plan, plan
        assert "search_document @@" in plan and "to_tsvector" not in plan, plan
