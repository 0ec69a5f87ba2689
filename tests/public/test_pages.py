"""The public reader's pages: what each shows, to whom, and at which permanent address."""

import re

import pytest
from django.urls import reverse

from activities.models import Activity
from followups.models import FollowUp
from goals.choices import PeriodStatus
from indicators.models import Indicator
from tests.conftest import make_member

from .conftest import publish

pytestmark = pytest.mark.django_db

#: Activity 1.9's follow-ups in the 2017 seed: the interim report and the year-end differ.
TEXT_2017_08 = "Skrivelser har sänds till Socialdepartementet"
TEXT_2017_12 = "Samtal med socialdepartementet avseende goda exempel"


def _html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def _activity(plan, number):
    return Activity.objects.select_related("goal").get(plan=plan, number=number)


def _numeric_indicator(plan):
    """A 2019 goal indicator with numbers for all three years and a numeric target."""
    return (
        Indicator.objects.filter(goal__plan=plan, target_value__isnull=False, values__year=2017)
        .filter(values__value__isnull=False, values__gender="T", values__category="")
        .distinct()
        .order_by("order")
        .first()
    )


def test_start_lists_boards_and_years(
    client, plan_2017, plan_2019, published_2017_12, published_2019
):
    """The start page is Swedish and lists each board with links to its plans' years."""
    html = _html(client, reverse("public:start"))
    assert '<html lang="sv">' in html
    assert "Omsorgsnämnden" in html and "Social- och omsorgsnämnden" in html
    assert reverse("public:plan", args=[plan_2017.board_id, 2017]) in html
    assert reverse("public:plan", args=[plan_2019.board_id, 2019]) in html
    assert 'href="#innehall"' in html and '<main id="innehall"' in html
    assert "Utkast" not in html.split("<footer")[0]


def test_nothing_published_shows_nothing(client, plan_2017, plan_2019):
    """With every period still open the public sees no plan, goal, activity or indicator."""
    assert "Inga planer är publicerade ännu" in _html(client, reverse("public:start"))
    activity = _activity(plan_2017, "1.3")
    indicator = _numeric_indicator(plan_2019)
    for url in (
        reverse("public:board", args=[plan_2017.board_id]),
        reverse("public:plan", args=[plan_2017.board_id, 2017]),
        reverse("public:assignments", args=[plan_2019.board_id, 2019]),
        reverse("public:year-end", args=[plan_2019.board_id, 2019]),
        reverse("public:goal", args=[activity.goal_id]),
        reverse("public:activity", args=[activity.pk]),
        reverse("public:indicator", args=[indicator.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_adopted_plan_is_read_before_any_follow_up(client, plan_2017):
    """An adopted plan is public (policy.visible_plans_q, as in the API) before any follow-up
    is published: the reader lists it without a draft mark and shows the plan, its goals and
    activities, but none of the follow-ups written in the open periods."""
    from followups.models import FollowUp

    draft = FollowUp.objects.filter(period__plan=plan_2017).exclude(text="").first()
    assert draft is not None
    plan_2017.adopted_on = "2016-12-14"
    plan_2017.save()
    board = _html(client, reverse("public:board", args=[plan_2017.board_id]))
    plan_url = reverse("public:plan", args=[plan_2017.board_id, 2017])
    assert plan_url in board and "Utkast" not in board
    html = _html(client, plan_url)
    activity = _activity(plan_2017, "1.3")
    goal_html = _html(client, reverse("public:goal", args=[activity.goal_id]))
    assert activity.goal.text in html and activity.goal.text in goal_html
    assert activity.text in _html(client, reverse("public:activity", args=[activity.pk]))
    assert "E-hälsa" in html  # the narrative placed before its goal
    for page in (html, goal_html):
        assert draft.text[:60] not in page
    year_end = reverse("public:year-end", args=[plan_2017.board_id, 2017])
    assert client.get(year_end).status_code == 404


def test_board_page(client, plan_2017, plan_2019, published_2017_12, published_2019):
    """A board lists its plans and links to the board it became (and came from)."""
    html = _html(client, reverse("public:board", args=[plan_2019.board_id]))
    assert "Verksamhetsplaner" in html
    assert reverse("public:plan", args=[plan_2019.board_id, 2019]) in html
    assert "Tidigare nämnd" in html and "Omsorgsnämnden" in html
    assert client.get(reverse("public:board", args=[999999])).status_code == 404


def test_plan_page_groups_goals_by_area(client, plan_2017, published_2017_12):
    """The 2017 plan lists its goals under their activity areas, each linked to its own page,
    with its activities counted; the download links give the PDF up to the visible period."""
    html = _html(client, reverse("public:plan", args=[plan_2017.board_id, 2017]))
    assert re.search(r"<h2 id=\"area-\d+\">Nämndövergripande verksamhet</h2>", html)
    assert re.search(r"<h2 id=\"area-\d+\">Individ och familjeomsorg</h2>", html)
    for goal in plan_2017.goals.all():
        assert reverse("public:goal", args=[goal.pk]) in html
    assert "3 st – ingen status angiven" in html  # goal 1: activities 1.1–1.3
    plan_pdf = reverse("reports:plan-pdf", args=[plan_2017.board_id, 2017])
    assert f'href="{plan_pdf}?till=2017-12-31" download' in html
    # Only the published period is named; the open interim report is not.
    assert "2017-12-31" in html and "2017-08-31" not in html


def test_plan_page_groups_by_domain_with_fulfilment_badges(client, plan_2019, published_2019):
    """The 2019 plan groups goals by målområde; each goal's fulfilment shows symbol, colour and
    text together; the year-end page, assignment list and both PDFs are linked."""
    html = _html(client, reverse("public:plan", args=[plan_2019.board_id, 2019]))
    for domain in ("Samhälle", "Medborgare", "Ekonomi", "Verksamhet", "Medarbetare"):
        assert re.search(rf"<h2 id=\"domain-\d+\">{domain}</h2>", html), domain
    badge = re.search(
        r'<span class="badge-symbol" style="background-color: (#[0-9a-f]{6}); color: #[0f]{6}"'
        r' aria-hidden="true">(.)</span> <span class="badge-label">(Uppfyllt|Delvis uppfyllt)',
        html,
    )
    assert badge, "a badge has colour, symbol and text"
    assert reverse("public:year-end", args=[plan_2019.board_id, 2019]) in html
    assert reverse("public:assignments", args=[plan_2019.board_id, 2019]) in html
    assert reverse("reports:year-end-pdf", args=[plan_2019.board_id, 2019]) in html


def test_goal_page_follow_up_history(client, plan_2017, published_2017_12):
    """A goal lists its activities with their follow-up texts of the published periods only:
    the open interim report's text is not shown to the public."""
    activity = _activity(plan_2017, "1.9")
    html = _html(client, reverse("public:goal", args=[activity.goal_id]))
    assert TEXT_2017_12 in html
    assert TEXT_2017_08 not in html
    assert "Utkast" not in html.split("<footer")[0]
    assert reverse("public:activity", args=[activity.pk]) in html


def test_goal_page_shows_both_periods_when_published(
    client, plan_2017, period_2017_08, published_2017_12
):
    """With the interim report published too, the goal page shows the history in date order."""
    publish(period_2017_08)
    activity = _activity(plan_2017, "1.9")
    html = _html(client, reverse("public:goal", args=[activity.goal_id]))
    assert html.index(TEXT_2017_08) < html.index(TEXT_2017_12)
    assert "Uppföljning 2017-08-31" in html and "Uppföljning 2017-12-31" in html


def test_goal_page_indicator_table_chart_and_trend(client, plan_2019, published_2019):
    """An indicator shows a captioned value table with header scopes, a chart with its target
    line described in a figcaption, and the trend in words."""
    indicator = _numeric_indicator(plan_2019)
    html = _html(client, reverse("public:goal", args=[indicator.goal_id]))
    assert f'<caption id="cap-{indicator.pk}">Värden per år: {indicator.name}' in html
    assert '<th scope="col" class="num">2017</th>' in html
    assert '<th scope="col" class="num">2019</th>' in html
    assert '<th scope="row">' in html
    assert "<svg" in html and 'aria-hidden="true"' in html
    assert f'<figure class="chart" aria-labelledby="fig-{indicator.pk}">' in html
    assert "Samma värden står i tabellen ovan" in html
    assert f"Målvärde {indicator.target_display}" in html
    assert re.search(r"(Bättre|Sämre|Oförändrat|Ökat|Minskat)", html)
    assert "Bedömning 2019-12-31" in html


def test_activity_page(client, plan_2017, published_2017_12):
    """An activity's page shows its goal, schedule and its published follow-ups."""
    activity = _activity(plan_2017, "1.3")
    html = _html(client, reverse("public:activity", args=[activity.pk]))
    assert "Lejonfastigheter" in html
    assert f'id="period-{published_2017_12.pk}"' in html
    assert reverse("public:goal", args=[activity.goal_id]) in html
    assert "Tidplan" in html


def test_indicator_page(client, plan_2019, published_2019):
    """An indicator's page shows every published value, the target and the source."""
    indicator = _numeric_indicator(plan_2019)
    html = _html(client, reverse("public:indicator", args=[indicator.pk]))
    assert f"<h1>{indicator.name}</h1>" in html
    assert "Målvärde" in html and "<table" in html and "<svg" in html
    if indicator.source:
        assert "Källa:" in html


def test_volume_indicator_without_goal(client, plan_2019, published_2019):
    """A volume (no goal) is readable once a plan of its board is."""
    volume = Indicator.objects.filter(board=plan_2019.board, goal__isnull=True).first()
    html = _html(client, reverse("public:indicator", args=[volume.pk]))
    assert volume.name in html


def test_assignments_page(client, plan_2019, published_2019):
    """Development assignments are grouped by origin with status and comment."""
    html = _html(client, reverse("public:assignments", args=[plan_2019.board_id, 2019]))
    assert "Kommungemensamma strategiska utvecklingsuppdrag" in html
    assert "Status" in html
    assert re.search(r"<strong>(Genomförd|Pågår|Ej påbörjad)</strong>", html)


def test_year_end_page(client, plan_2019, published_2019):
    """The year-end page tells how many goals reached each level and lists every goal with
    its fulfilment in captioned tables."""
    html = _html(client, reverse("public:year-end", args=[plan_2019.board_id, 2019]))
    goals = plan_2019.goals.count()
    assert f"av {goals} mål" in html
    assert '<caption id="tab-domain-' in html and '<th scope="col">Måluppfyllelse</th>' in html
    assert reverse("reports:year-end-pdf", args=[plan_2019.board_id, 2019]) in html


def test_year_end_page_needs_the_year_end_period(client, plan_2017, period_2017_08):
    """The year-end page of a plan whose year-end period is not readable is 404."""
    publish(period_2017_08)
    url = reverse("public:year-end", args=[plan_2017.board_id, 2017])
    assert client.get(url).status_code == 404
    assert client.get(reverse("public:plan", args=[plan_2017.board_id, 2017])).status_code == 200


def test_permanent_urls(client, plan_2017, plan_2019, published_2017_12, published_2019):
    """Goals, activities and indicators have short permanent addresses under /las/."""
    activity = _activity(plan_2017, "1.3")
    indicator = _numeric_indicator(plan_2019)
    assert reverse("public:goal", args=[activity.goal_id]) == f"/las/mal/{activity.goal_id}/"
    assert reverse("public:activity", args=[activity.pk]) == f"/las/aktivitet/{activity.pk}/"
    assert reverse("public:indicator", args=[indicator.pk]) == f"/las/indikator/{indicator.pk}/"
    assert reverse("public:start") == "/"
    for url in (
        f"/las/mal/{activity.goal_id}/",
        f"/las/aktivitet/{activity.pk}/",
        f"/las/indikator/{indicator.pk}/",
    ):
        assert client.get(url).status_code == 200
    assert client.get("/las/mal/99999999/").status_code == 404


def test_only_get(client, plan_2017, published_2017_12):
    """The pages are read-only: POST is refused."""
    assert client.post(reverse("public:plan", args=[plan_2017.board_id, 2017])).status_code == 405


# -- drafts for board members -------------------------------------------------------------------


def test_reader_sees_own_boards_drafts_marked(reader_client, plan_2017):
    """A reader of Omsorgsnämnden sees its unpublished follow-ups, each marked as a draft."""
    start = _html(reader_client, reverse("public:start"))
    assert reverse("public:plan", args=[plan_2017.board_id, 2017]) in start
    assert 'class="draft-mark">Utkast' in start
    plan_html = _html(reader_client, reverse("public:plan", args=[plan_2017.board_id, 2017]))
    assert "Sidan visar uppföljningar som inte är publicerade" in plan_html
    activity = _activity(plan_2017, "1.9")
    html = _html(reader_client, reverse("public:goal", args=[activity.goal_id]))
    assert TEXT_2017_08 in html and TEXT_2017_12 in html
    assert html.count('class="draft-mark">Utkast</strong>') >= 2
    assert "perioden är öppen" in html


def test_reader_sees_published_period_without_draft_mark(
    reader_client, plan_2017, published_2017_12
):
    """The published year-end carries no draft mark; the open interim report still does."""
    activity = _activity(plan_2017, "1.9")
    html = _html(reader_client, reverse("public:activity", args=[activity.pk]))
    year_end = html.split(f'id="period-{published_2017_12.pk}"')[1]
    interim = html.split(f'id="period-{published_2017_12.pk}"')[0]
    assert "draft-mark" not in year_end.split("</article>")[0]
    assert "draft-mark" in interim


def test_reader_of_another_board_sees_only_published(reader_client, plan_2019):
    """Membership of one board gives no drafts of another."""
    assert (
        reader_client.get(reverse("public:plan", args=[plan_2019.board_id, 2019])).status_code
        == 404
    )


def test_indicator_values_by_published_year_end(client, django_user_model, plan_2019, period_2019):
    """Values are public up to the board's latest published year-end; a board member sees the
    later ones, marked as drafts."""
    indicator = _numeric_indicator(plan_2019)
    url = reverse("public:indicator", args=[indicator.pk])
    member = make_member(django_user_model, "son-ledamot", plan_2019.board, "reader")
    client.force_login(member)
    html = _html(client, url)
    assert "(utkast)" in html and "Värden märkta" in html
    client.logout()
    assert client.get(url).status_code == 404
    publish(period_2019)
    html = _html(client, url)
    assert "(utkast)" not in html and '<td class="num">' in html


def test_unpublished_goal_assessment_is_hidden(client, plan_2019, period_2019, published_2019):
    """A goal's assessment (fulfilment and text) is shown only from readable periods."""
    goal = plan_2019.goals.order_by("order").first()
    assessment = FollowUp.objects.get(goal=goal, period=period_2019)
    assert assessment.text[:40] in _html(client, reverse("public:goal", args=[goal.pk]))
    period_2019.status = PeriodStatus.APPROVED
    period_2019.save(update_fields=["status"])
    assert client.get(reverse("public:goal", args=[goal.pk])).status_code == 404


def test_login_page(client):
    """The reader's sign-in page is Swedish, with labelled fields."""
    html = _html(client, reverse("public:login"))
    assert '<label for="id_username">Användarnamn</label>' in html
    assert '<label for="id_password">Lösenord</label>' in html


def test_sign_in_and_out(client, reader_2017, plan_2017):
    """A board member signs in on the reader's own page and is back on the start page,
    now seeing the board's drafts; signing out (POST) ends that."""
    response = client.post(reverse("public:login"), {"username": "ledamot", "password": "x"})
    assert response.status_code == 302 and response["Location"] == reverse("public:start")
    assert reverse("public:plan", args=[plan_2017.board_id, 2017]) in _html(client, "/")
    assert client.post(reverse("public:logout")).status_code == 302
    assert "Inga planer är publicerade ännu" in _html(client, "/")


def test_missing_page_is_explained_in_swedish(client):
    """An unknown address gives 404 with a Swedish page in the reader's layout that shows
    the address (escaped) and leads to the start page and the search."""
    response = client.get("/las/finns-inte/<script>alert(1)</script>/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "<h1>Sidan finns inte</h1>" in content
    assert "/las/finns-inte/%3Cscript%3E" in content and "<script>alert" not in content
    assert 'href="/"' in content and 'href="/las/sok/"' in content


def test_server_error_page_is_swedish(rf):
    """The 500 page needs no context (it is shown when something already failed)."""
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "<h1>Ett fel uppstod</h1>" in response.content.decode()


def test_activity_without_a_goal_has_its_page(client, plan_2017, published_2017_12):
    """An activity of an area without a goal of its own (2017: 5.1, Personlig assistans SFB)
    is linked from the plan page, and its page names its area instead of a goal."""
    activity = _activity(plan_2017, "5.1")
    assert activity.goal_id is None and activity.area is not None
    url = reverse("public:activity", args=[activity.pk])
    plan_html = _html(client, reverse("public:plan", args=[plan_2017.board_id, plan_2017.year]))
    assert f'href="{url}"' in plan_html
    html = _html(client, url)
    assert activity.area.name in html
    assert f"#area-{activity.area_id}" in html
    assert "Nämndmål" not in html
