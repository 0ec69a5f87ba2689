"""The plan's structure in the API: a goal's introduction, numbered indicators and municipal-goal
links, nested in the goal in its own order and as resources of their own
(/goal-indicator-items/, /goal-municipal-goals/), and joint follow-ups ("1–2")."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from followups import workflow
from followups.models import FollowUp, FollowUpCoverage
from goals.choices import PeriodStatus
from goals.models import GoalIndicatorItem, GoalMunicipalGoal, MunicipalGoal
from reports import services as report_services
from tests.conftest import make_member
from tests.factories import build_plan_document
from tombstones.models import Tombstone

pytestmark = pytest.mark.django_db

ITEMS, LINKS = "goal-indicator-item", "goal-municipal-goal"


@pytest.fixture
def document():
    """A draft plan (not adopted, its one period open) shaped as an office writes it."""
    plan, period, _expected = build_plan_document()
    return plan, period


def _rows(client, route, **params):
    response = client.get(reverse(f"api:{route}-list"), {"page_size": 1000, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _ids(client, route, **params):
    return [row["id"] for row in _rows(client, route, **params)]


def _detail(client, route, pk):
    return client.get(reverse(f"api:{route}-detail", args=[pk]))


def _member_client(django_user_model, name, board, role="reader"):
    client = APIClient()
    client.force_login(make_member(django_user_model, name, board, role))
    return client


def _feed(client, since, model):
    response = client.get(
        reverse("api:deletion-list"), {"changed_since": since, "model": model, "page_size": 1000}
    )
    assert response.status_code == 200, response.content
    return [(row["object_id"], row["board"], row["reason"]) for row in response.json()["results"]]


def _adopt(plan):
    plan.adopted_on = datetime.date(plan.year - 1, 12, 14)
    plan.save()


def test_goal_carries_its_intro_indicators_and_links_in_its_own_order(staff_client, document):
    """A goal's detail has its introduction, its numbered indicators (number, text, order, and
    the link to each one's own resource) and its municipal goals in the goal's own order,
    which is the order of the links, not the municipal goals' order; reordering a link or an
    indicator reorders the goal, and the part lists give the same rows in the same order."""
    plan, _period = document
    goal = plan.goals.get(order=1)
    data = _detail(staff_client, "goal", goal.pk).json()
    assert data["intro"] == "Inledning till mål 1.\n\n## Rubrik mål 1\n\nStycke två mål 1."
    assert [(i["number"], i["text"], i["order"]) for i in data["indicator_items"]] == [
        (str(n), f"Indikator {n} av mål 1 gäller", n) for n in (1, 2, 3)
    ]
    titles = MunicipalGoal.objects.in_bulk(data["municipal_goals"])
    assert [titles[pk].title[:11] for pk in data["municipal_goals"]] == [
        "Kommunmål C",
        "Kommunmål B",
        "Kommunmål A",
    ]
    for item in data["indicator_items"]:
        own = staff_client.get(item["url"]).json()
        assert {key: own[key] for key in item} == item
        assert (own["goal"], own["plan"], own["year"]) == (goal.pk, plan.pk, 2031)

    last_link = goal.municipal_goal_links.get(order=3)
    last_link.order = 0
    last_link.save()
    last_item = goal.indicator_items.get(number="3")
    last_item.order = 0
    last_item.save()
    data = _detail(staff_client, "goal", goal.pk).json()
    assert data["municipal_goals"][0] == last_link.municipal_goal_id
    assert [i["number"] for i in data["indicator_items"]] == ["3", "1", "2"]
    assert _ids(staff_client, ITEMS, goal=goal.pk) == [i["id"] for i in data["indicator_items"]]
    links = _rows(staff_client, LINKS, goal=goal.pk)
    assert [row["municipal_goal"] for row in links] == data["municipal_goals"]
    assert [row["order"] for row in links] == [0, 1, 2]


def test_part_lists_are_in_document_order(staff_client, document):
    """By default the parts come goal by goal (the goals' order), then in each goal's order."""
    plan, _period = document
    expected = [
        item.pk
        for goal in plan.goals.order_by("order")
        for item in goal.indicator_items.order_by("order", "pk")
    ]
    assert _ids(staff_client, ITEMS, plan=plan.pk) == expected
    assert len(expected) == 12
    links = _rows(staff_client, LINKS, plan=plan.pk)
    assert [(row["goal"], row["order"]) for row in links] == [
        (goal.pk, n) for goal in plan.goals.order_by("order") for n in (1, 2, 3)
    ]


def test_parts_of_a_draft_plan_are_hidden_from_the_public(
    api_client, staff_client, document, plan_2017, django_user_model
):
    """A draft plan's indicators and links: the public gets no rows and 404 for a detail,
    a reader of another board the same; staff and a reader of the plan's board see them.
    Once the board adopts the plan the public sees them too."""
    plan, _period = document
    _adopt(plan_2017)
    own_reader = _member_client(django_user_model, "lasare", plan.board)
    other_reader = _member_client(django_user_model, "annan", plan_2017.board)
    parts = {
        ITEMS: sorted(
            GoalIndicatorItem.objects.filter(goal__plan=plan).values_list("pk", flat=True)
        ),
        LINKS: sorted(
            GoalMunicipalGoal.objects.filter(goal__plan=plan).values_list("pk", flat=True)
        ),
    }
    for route, pks in parts.items():
        assert len(pks) == 12, route
        for client in (api_client, other_reader):
            assert _ids(client, route, plan=plan.pk) == [], route
            assert _detail(client, route, pks[0]).status_code == 404, route
        for client in (staff_client, own_reader):
            assert sorted(_ids(client, route, plan=plan.pk)) == pks, route
            assert _detail(client, route, pks[0]).status_code == 200, route
        # The public still sees the parts of an adopted plan.
        assert _ids(api_client, route, plan=plan_2017.pk), route

    _adopt(plan)
    for route, pks in parts.items():
        assert sorted(_ids(api_client, route, plan=plan.pk)) == pks, route
        assert _detail(api_client, route, pks[0]).status_code == 200, route


def test_joint_follow_up_of_a_draft_period_never_reaches_the_public(
    api_client, staff_client, document
):
    """A joint follow-up ("1–2") of an open period of an adopted (public) plan: the public
    gets 404 for it and finds it by no filter, though it sees the plan's indicators; staff
    see its owner in `indicator_item`, the other item in `also_covers`, the label in
    `coverage`, and find it by either item. Published, the public gets the same row."""
    plan, period = document
    _adopt(plan)
    goal = plan.goals.get(order=1)
    one, two = goal.indicator_items.filter(number__in=["1", "2"]).order_by("order")
    joint = FollowUp.objects.get(period=period, indicator_item=one)
    url = reverse("api:follow-up-detail", args=[joint.pk])

    assert _detail(api_client, ITEMS, two.pk).status_code == 200  # the plan is public
    assert api_client.get(url).status_code == 404
    for params in ({"indicator_item": two.pk}, {"period": period.pk}, {"plan": plan.pk}):
        assert _ids(api_client, "follow-up", **params) == [], params

    row = staff_client.get(url).json()
    assert row["subject"] == "indicator_item"
    assert row["indicator_item"] == one.pk
    assert row["also_covers"] == [{"kind": "indicator_item", "id": two.pk}]
    assert row["coverage"] == "1\u20132"
    assert joint.pk in _ids(staff_client, "follow-up", indicator_item=two.pk)
    assert joint.pk in _ids(staff_client, "follow-up", indicator_item=one.pk)
    assert _ids(staff_client, "follow-up", indicator_item=f"{one.pk},{two.pk}") == [joint.pk]
    assert joint.pk in _ids(staff_client, "follow-up", area=goal.area_id)

    period.status = PeriodStatus.PUBLISHED
    period.save()
    assert api_client.get(url).json() == row
    assert _ids(api_client, "follow-up", indicator_item=two.pk) == [joint.pk]


def test_part_filters(staff_client, document, plan_2017):
    """board, plan, year, year_min/year_max, goal, area, number and municipal_goal narrow the
    part lists as named; `ordering` sorts them; a bad value is a 400 naming the parameter."""
    plan, _period = document
    items = GoalIndicatorItem.objects.filter(goal__plan=plan)
    links = GoalMunicipalGoal.objects.filter(goal__plan=plan)

    def ids(queryset):
        return sorted(queryset.values_list("pk", flat=True))

    for route, queryset in ((ITEMS, items), (LINKS, links)):
        assert sorted(_ids(staff_client, route, board=plan.board_id)) == ids(queryset), route
        assert sorted(_ids(staff_client, route, year=2031)) == ids(queryset), route
        assert sorted(_ids(staff_client, route, year_min=2030, year_max=2032)) == ids(queryset)
        assert _ids(staff_client, route, year=2030) == [], route
        both = sorted(_ids(staff_client, route, plan=f"{plan.pk},{plan_2017.pk}"))
        assert set(ids(queryset)) < set(both), route
        goals = list(plan.goals.order_by("order")[:2])
        assert sorted(_ids(staff_client, route, goal=f"{goals[0].pk},{goals[1].pk}")) == ids(
            queryset.filter(goal__in=goals)
        ), route
        area = goals[0].area
        assert sorted(_ids(staff_client, route, area=area.pk)) == ids(
            queryset.filter(goal__area=area)
        ), route
        rows = _rows(staff_client, route, plan=plan.pk, ordering="-order")
        assert [r["order"] for r in rows] == sorted((r["order"] for r in rows), reverse=True)
        for bad in ({"ordering": "text"}, {"goal": "x"}, {"year": "1066"}):
            response = staff_client.get(reverse(f"api:{route}-list"), bad)
            assert response.status_code == 400, (route, bad)
            assert set(response.json()) == set(bad), (route, bad)

    assert sorted(_ids(staff_client, ITEMS, plan=plan.pk, number="1,3")) == ids(
        items.filter(number__in=["1", "3"])
    )
    municipal = MunicipalGoal.objects.get(title__startswith="Kommunmål A 2031")
    assert sorted(_ids(staff_client, LINKS, municipal_goal=municipal.pk)) == ids(
        links.filter(municipal_goal=municipal)
    )
    assert len(_ids(staff_client, LINKS, municipal_goal=municipal.pk)) == 4


def test_changed_since_and_deletions_of_parts(api_client, staff_client, document):
    """After a moment T: an edited indicator and a reordered or added link are exactly the
    parts listed with `changed_since=T`, and their goals are listed as changed; a deleted
    indicator and a removed link are in the deletions feed with their board, for staff only
    (the plan is a draft)."""
    plan, _period = document
    first, second, third = plan.goals.order_by("order")[:3]
    since = timezone.now().isoformat()
    item = first.indicator_items.get(number="2")
    item.text = "Indikator 2, omskriven"
    item.save()
    link = second.municipal_goal_links.get(order=2)
    link.order = 5
    link.save()
    extra = MunicipalGoal.objects.create(
        municipality=plan.board.municipality, title="Kommunmål D", valid_from=2031
    )
    third.municipal_goals.add(extra, through_defaults={"order": 4})
    added = GoalMunicipalGoal.objects.get(goal=third, municipal_goal=extra)

    assert _ids(staff_client, ITEMS, changed_since=since) == [item.pk]
    assert _ids(staff_client, LINKS, changed_since=since) == [link.pk, added.pk]
    assert _ids(staff_client, "goal", changed_since=since) == [first.pk, second.pk, third.pk]
    assert _ids(staff_client, ITEMS, changed_since=timezone.now().isoformat()) == []

    deleted = first.indicator_items.get(number="3").pk
    GoalIndicatorItem.objects.filter(pk=deleted).delete()
    removed = second.municipal_goal_links.get(order=1)
    second.municipal_goals.remove(removed.municipal_goal)
    assert _feed(staff_client, since, ITEMS) == [(deleted, plan.board_id, "deleted")]
    assert _feed(staff_client, since, LINKS) == [(removed.pk, plan.board_id, "deleted")]
    assert _feed(api_client, since, f"{ITEMS},{LINKS}") == []
    assert not Tombstone.objects.get(model="goals.goalindicatoritem", object_id=deleted).was_public


def test_deleting_a_public_goal_lists_its_parts_to_the_public(api_client, plan_2017):
    """Deleting a goal of an adopted plan records each of its indicators and links (a cascade)
    as deleted, listed to the public."""
    _adopt(plan_2017)
    goal = plan_2017.goals.filter(indicator_items__isnull=False).distinct().first()
    items = sorted(goal.indicator_items.values_list("pk", flat=True))
    links = sorted(goal.municipal_goal_links.values_list("pk", flat=True))
    assert items and links
    since = timezone.now().isoformat()
    FollowUp.objects.filter(indicator_item__goal=goal).delete()
    goal.delete()
    board = plan_2017.board_id
    assert sorted(_feed(api_client, since, ITEMS)) == [(pk, board, "deleted") for pk in items]
    assert sorted(_feed(api_client, since, LINKS)) == [(pk, board, "deleted") for pk in links]


def test_publication_and_reopening_carry_the_parts(
    client,
    plan_2017,
    period_2017_08,
    django_user_model,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    """A plan public only through its published period: publishing lists each of its
    indicators and links with `changed_since` (anonymous); reopening withdraws each of them
    (deletions feed, reason "withdrawn") and the public no longer sees them."""
    monkeypatch.setattr(report_services, "render_pdf", lambda html: b"%PDF-1.7")
    approver = make_member(django_user_model, "chef", plan_2017.board, "approver")
    plan_2017.adopted_on = None
    plan_2017.save()
    items = set(GoalIndicatorItem.objects.filter(goal__plan=plan_2017).values_list("pk", flat=True))
    links = set(GoalMunicipalGoal.objects.filter(goal__plan=plan_2017).values_list("pk", flat=True))
    assert items and links
    assert _ids(client, ITEMS, plan=plan_2017.pk) == []

    since = timezone.now().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        for step in ("submit", "approve", "publish"):
            workflow.period_transition(period=period_2017_08, transition=step, user=approver)
    assert set(_ids(client, ITEMS, changed_since=since)) == items
    assert set(_ids(client, LINKS, changed_since=since)) == links

    reopened = timezone.now().isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.period_transition(
            period=period_2017_08, transition="reopen", user=approver, reason="Fel"
        )
    for route, pks in ((ITEMS, items), (LINKS, links)):
        withdrawn = {pk for pk, board, reason in _feed(client, reopened, route)}
        assert withdrawn == pks, route
        assert {reason for _pk, _board, reason in _feed(client, reopened, route)} == {"withdrawn"}
        assert _ids(client, route, plan=plan_2017.pk) == [], route


def test_part_lists_answer_conditional_requests(api_client, staff_client, document, plan_2017):
    """The part lists carry an ETag: 304 while nothing changed; editing an indicator gives
    staff a new ETag for the indicators and for the goals, but not the public, for whom the
    draft plan does not exist."""
    plan, _period = document
    _adopt(plan_2017)
    urls = [reverse(f"api:{route}-list") for route in (ITEMS, LINKS, "goal")]
    staff = {url: staff_client.get(url) for url in urls}
    public = {url: api_client.get(url) for url in urls}
    for url in urls:
        assert staff[url]["ETag"].startswith('W/"'), url
        again = staff_client.get(url, HTTP_IF_NONE_MATCH=staff[url]["ETag"])
        assert again.status_code == 304, url

    item = GoalIndicatorItem.objects.filter(goal__plan=plan).first()
    item.text = "Ändrad indikator"
    item.save()
    for url in (urls[0], urls[2]):
        changed = staff_client.get(url, HTTP_IF_NONE_MATCH=staff[url]["ETag"])
        assert changed.status_code == 200, url
    assert staff_client.get(urls[1], HTTP_IF_NONE_MATCH=staff[urls[1]]["ETag"]).status_code == 304
    for url in urls:
        same = api_client.get(url, HTTP_IF_NONE_MATCH=public[url]["ETag"])
        assert same.status_code == 304, url

    public_item = GoalIndicatorItem.objects.filter(goal__plan=plan_2017).first()
    public_item.text = "Ändrad offentlig indikator"
    public_item.save()
    changed = api_client.get(urls[0], HTTP_IF_NONE_MATCH=public[urls[0]]["ETag"])
    assert changed.status_code == 200


def test_a_joint_follow_up_changes_with_what_it_covers(staff_client, document):
    """Removing an item from a joint follow-up, or renumbering an item it covers, changes
    its `also_covers` and `coverage`, so it is listed with `changed_since`."""
    plan, period = document
    goal = plan.goals.get(order=1)
    one, two = goal.indicator_items.filter(number__in=["1", "2"]).order_by("order")
    joint = FollowUp.objects.get(period=period, indicator_item=one)
    url = reverse("api:follow-up-detail", args=[joint.pk])
    since = timezone.now().isoformat()
    two.number = "1a"
    two.save()
    assert _ids(staff_client, "follow-up", changed_since=since) == [joint.pk]
    assert staff_client.get(url).json()["coverage"] == "1, 1a"

    since = timezone.now().isoformat()
    FollowUpCoverage.objects.get(follow_up=joint).delete()
    assert _ids(staff_client, "follow-up", changed_since=since) == [joint.pk]
    row = staff_client.get(url).json()
    assert (row["also_covers"], row["coverage"]) == ([], "1")

    since = timezone.now().isoformat()
    FollowUpCoverage.objects.create(follow_up=joint, indicator_item=two)
    assert _ids(staff_client, "follow-up", changed_since=since) == [joint.pk]


def _count(client, url, params=None):
    """Queries of a first request (a repeated one is answered from the rendered-page cache)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json().get("count")


def test_plan_structure_costs_the_same_queries_at_two_sizes(api_client):
    """A plan of 4 goals and one of 24 (six times the shape): the goals with their indicators
    and links, both part lists, a goal's detail and the follow-ups with what joint ones also
    cover cost the same, pinned number of queries (anonymous, plans adopted)."""
    small, small_period, _ = build_plan_document(year=2031, scale=1)
    large, large_period, _ = build_plan_document(year=2032, scale=6)
    for plan, period in ((small, small_period), (large, large_period)):
        _adopt(plan)
        period.status = PeriodStatus.PUBLISHED
        period.save()
    expected = {"goal": 5, ITEMS: 2, LINKS: 2, "follow-up": 3}
    measured = {}
    for route in expected:
        url = reverse(f"api:{route}-list")
        counts = []
        for plan, goals in ((small, 4), (large, 24)):
            queries, rows = _count(api_client, url, {"plan": plan.pk, "page_size": 1000})
            assert rows >= goals, route
            counts.append(queries)
        measured[route] = counts
    details = [
        _count(api_client, reverse("api:goal-detail", args=[plan.goals.first().pk]))[0]
        for plan in (small, large)
    ]
    assert measured == {route: [n, n] for route, n in expected.items()}
    assert details == [5, 5]


def test_plan_and_period_carry_their_decisions(api_client, plan_2019, published_2019):
    """The plan's adoption and the year-end report's own decision (§, diarienummer) are in
    the API as the covers print them."""
    plan_2019.adopted_on = datetime.date(2018, 12, 13)
    plan_2019.decision_paragraph = "§ 201"
    plan_2019.diary_number = "SN 2018/0456"
    plan_2019.save()
    published_2019.report_adopted_on = datetime.date(2020, 2, 20)
    published_2019.report_decision_paragraph = "§ 15"
    published_2019.report_diary_number = "SN 2020/0077"
    published_2019.save()
    plan = api_client.get(reverse("api:plan-detail", args=[plan_2019.pk])).json()
    assert (plan["adopted_on"], plan["decision_paragraph"], plan["diary_number"]) == (
        "2018-12-13",
        "§ 201",
        "SN 2018/0456",
    )
    assert plan["adopted_by"] == ""
    period = api_client.get(reverse("api:follow-up-period-detail", args=[published_2019.pk])).json()
    assert period["report_adopted_on"] == "2020-02-20"
    assert (period["report_decision_paragraph"], period["report_diary_number"]) == (
        "§ 15",
        "SN 2020/0077",
    )
