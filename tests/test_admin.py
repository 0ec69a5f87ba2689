"""The admin site: every page renders, search and filters narrow, query counts stay flat.

Changelists and change pages must not run one query per row: the number of SQL queries is
measured with the seed documents and again with three times as much data, and must be equal.
"""

import math
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode

import pytest
from django import forms
from django.contrib import admin
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.choices import WorkStatus
from activities.models import Activity, Assignment, number_sort_key
from followups.models import FollowUp
from goals.choices import PeriodKind, PeriodStatus
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    FulfilmentLevel,
    Goal,
    GoalDomain,
    MunicipalGoal,
    Municipality,
    Plan,
    PlanSection,
)
from indicators.choices import Comparator, Gender, IndicatorKind
from indicators.models import Indicator, IndicatorValue
from tests.factories import add_activities

APP_LABELS = {"goals", "activities", "indicators", "followups"}

#: The models of the project's apps that have an admin, in registration order.
ADMIN_MODELS = [model for model in admin.site._registry if model._meta.app_label in APP_LABELS]

pytestmark = pytest.mark.django_db


def _ids(model):
    return model._meta.label


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _admin_search_q(model_admin, term):
    """The ORM condition the admin's search applies for one search word (all icontains)."""
    condition = Q()
    for field in model_admin.search_fields:
        assert field[0] not in "^=@", "only plain (icontains) search fields are expected"
        condition |= Q(**{f"{field}__icontains": term})
    return condition


def _orm_lookups(query_string):
    """Turn a changelist filter query string into keyword arguments for QuerySet.filter()."""
    lookups = {}
    for key, value in parse_qsl(query_string.lstrip("?"), keep_blank_values=True):
        if key.endswith("__isnull"):
            value = value in ("True", "true", "1")
        lookups[key] = value
    return lookups


# -- data three times as large as the seed ----------------------------------------------------


def triple_seed_data(plan_2017):
    """Add twice the seed rows for every admin model, so each changelist shows 3x the rows.

    The new rows hang off two new municipalities with their own boards, plans and periods, so
    related objects differ from row to row and a missing select_related shows as extra queries.
    """
    seed = {model: model.objects.count() for model in ADMIN_MODELS}

    def extra(model, units):
        """How many new rows of `model` each of `units` containers gets to reach 3x."""
        return math.ceil(2 * seed[model] / units)

    add_activities(plan_2017, 2 * seed[Activity])

    municipalities = [
        Municipality.objects.create(name=f"Testkommun {m}", code=f"99{m}0")
        for m in range(max(2, 2 * seed[Municipality]))
    ]
    boards_per_municipality = extra(Board, len(municipalities))
    plans = []
    for m, municipality in enumerate(municipalities):
        levels = FulfilmentLevel.objects.bulk_create(
            FulfilmentLevel(
                municipality=municipality,
                code=f"niva-{i}",
                label=f"Nivå {i}",
                colour=f"#{i % 10}{m % 10}a0b0",
                order=i,
            )
            for i in range(extra(FulfilmentLevel, len(municipalities)))
        )
        domains = GoalDomain.objects.bulk_create(
            GoalDomain(municipality=municipality, name=f"Målområde {m}.{i}", order=i)
            for i in range(extra(GoalDomain, len(municipalities)))
        )
        MunicipalGoal.objects.bulk_create(
            MunicipalGoal(
                municipality=municipality,
                domain=domains[i % len(domains)],
                title=f"Kommunmål {m}.{i}",
                valid_from=2018,
                valid_to=2020,
                order=i,
            )
            for i in range(extra(MunicipalGoal, len(municipalities)))
        )
        boards = [
            Board.objects.create(municipality=municipality, name=f"Testnämnd {m}.{b}")
            for b in range(boards_per_municipality)
        ]
        areas = ActivityArea.objects.bulk_create(
            ActivityArea(board=boards[i % len(boards)], name=f"Område {m}.{i}", order=i)
            for i in range(extra(ActivityArea, len(municipalities)))
        )
        for board in boards[:2]:
            plan = Plan.objects.create(board=board, year=2018, title=f"Verksamhetsplan {board}")
            plan.levels = levels
            plan.domains = domains
            plan.areas = [a for a in areas if a.board_id == board.pk] or [None]
            plans.append(plan)

    for plan in plans:
        periods = FollowUpPeriod.objects.bulk_create(
            [
                FollowUpPeriod(plan=plan, kind=PeriodKind.TERTIAL_2, date=date(2018, 8, 31)),
                FollowUpPeriod(plan=plan, kind=PeriodKind.TERTIAL_3, date=date(2018, 12, 31)),
            ]
        )
        goals = Goal.objects.bulk_create(
            Goal(
                plan=plan,
                area=plan.areas[i % len(plan.areas)],
                domain=plan.domains[i % len(plan.domains)],
                text=f"Nämndmål {i} i {plan}",
                order=i + 1,
            )
            for i in range(extra(Goal, len(plans)))
        )
        PlanSection.objects.bulk_create(
            PlanSection(
                plan=plan,
                key=f"avsnitt-{i}",
                title=f"Avsnitt {i}",
                body="Text.",
                area=plan.areas[i % len(plan.areas)],
                period=periods[i % len(periods)] if i % 3 else None,
                order=i,
            )
            for i in range(extra(PlanSection, len(plans)))
        )
        assignments = Assignment.objects.bulk_create(
            Assignment(
                plan=plan,
                goal=goals[i % len(goals)],
                number=str(i + 1),
                sort_key=number_sort_key(str(i + 1)),
                text=f"Utvecklingsuppdrag {i}",
                partners="Tillsammans med en annan nämnd",
            )
            for i in range(extra(Assignment, len(plans)))
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                board=plan.board,
                goal=goals[i % len(goals)],
                kind=IndicatorKind.GOAL,
                name=f"Indikator {i} för {plan.board}",
                unit="%",
                target_comparator=Comparator.GTE,
                target_value=Decimal("90"),
                order=i,
            )
            for i in range(extra(Indicator, len(plans)))
        )
        values_each = extra(IndicatorValue, len(plans) * len(indicators))
        IndicatorValue.objects.bulk_create(
            IndicatorValue(indicator=indicator, year=2010 + y, value=Decimal(y))
            for indicator in indicators
            for y in range(values_each)
        )
        FollowUp.objects.bulk_create(
            [
                *(
                    FollowUp(
                        period=period,
                        goal=goal,
                        text="Bedömning",
                        fulfilment=plan.levels[i % len(plan.levels)],
                    )
                    for period in periods
                    for i, goal in enumerate(goals)
                ),
                *(
                    FollowUp(
                        period=period,
                        assignment=assignment,
                        text="Pågår",
                        status=WorkStatus.IN_PROGRESS,
                    )
                    for period in periods
                    for assignment in assignments
                ),
                *(
                    FollowUp(period=period, indicator=indicator, text="Mätt")
                    for period in periods
                    for indicator in indicators
                ),
            ]
        )
    return seed


@pytest.fixture
def tripled(plan_2017):
    """Seed data plus twice as much again; returns the seed row counts per model."""
    return triple_seed_data(plan_2017)


# -- query counting -----------------------------------------------------------------------------


def _normalise(sql):
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    return re.sub(r"\b\d+\b", "?", sql)


def _shorten(sql, keep=160):
    """The start and the end (FROM … WHERE) of a long statement."""
    return sql if len(sql) <= 2 * keep else f"{sql[:keep]} … {sql[-keep:]}"


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in captured.captured_queries]


def _assert_same_query_count(small, large, what):
    """Equal query counts; otherwise the message lists the statements whose counts differ."""
    if len(small) == len(large):
        return
    before, after = Counter(map(_normalise, small)), Counter(map(_normalise, large))
    lines = [
        f"{before[sql]} → {after[sql]} × {_shorten(sql)}"
        for sql in sorted(set(before) | set(after))
        if before[sql] != after[sql]
    ]
    message = f"{what}: {len(small)} queries with the seed data, {len(large)} with 3x the data"
    print(message, *lines, sep="\n")
    pytest.fail(message + "; queries that differ:\n" + "\n".join(lines), pytrace=False)


# -- 1. every page renders ----------------------------------------------------------------------


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=_ids)
def test_changelist_lists_seed_rows(admin_client, model):
    """The changelist renders for a superuser and lists every seed row of the model."""
    model_admin = admin.site._registry[model]
    total = model.objects.count()
    assert total > 0, f"the seed documents have no {model._meta.label} rows"

    response = admin_client.get(_url(model, "changelist"))

    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.result_count == total
    shown = {obj.pk for obj in cl.result_list}
    assert len(shown) == min(total, model_admin.list_per_page)
    assert shown <= set(model.objects.values_list("pk", flat=True))
    first = cl.result_list[0]
    assert _url(model, "change", first.pk) in response.content.decode()


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=_ids)
def test_add_page_renders(admin_client, model):
    """The add page renders for a superuser."""
    response = admin_client.get(_url(model, "add"))

    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk is None


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=_ids)
def test_change_page_renders_seed_object(admin_client, model):
    """The change page of an existing seed object renders for a superuser."""
    obj = model.objects.order_by("pk").first()

    response = admin_client.get(_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert response.context["adminform"].form.instance.pk == obj.pk


# -- 2. search and filters ------------------------------------------------------------------------


def _result_count(client, model, query):
    response = client.get(_url(model, "changelist") + query)
    assert response.status_code == 200, query
    return response.context["cl"].result_count


def test_activity_search_by_text(admin_client):
    """Searching activities for a word in their text lists just the activities that mention it."""
    model_admin = admin.site._registry[Activity]
    expected = Activity.objects.filter(_admin_search_q(model_admin, "boende")).count()
    assert 0 < expected < Activity.objects.count()

    assert _result_count(admin_client, Activity, "?q=boende") == expected


def test_activity_search_by_number(admin_client):
    """Searching for an activity number finds that number (and numbers containing it)."""
    expected = Activity.objects.filter(Q(number__icontains="6.1") | Q(text__icontains="6.1"))

    assert expected.filter(number="6.1").exists()
    assert _result_count(admin_client, Activity, "?q=6.1") == expected.count()


def test_activity_filters_by_board_year_area_and_schedule(admin_client, plan_2017):
    """Activity filters for board, plan year, activity area and schedule narrow the list."""
    area = plan_2017.board.activity_areas.order_by("order").first()
    cases = {
        f"?plan__board__id__exact={plan_2017.board_id}": Q(plan__board=plan_2017.board),
        "?plan__year=2017": Q(plan__year=2017),
        "?plan__year=2019": Q(plan__year=2019),
        f"?goal__area__id__exact={area.pk}": Q(goal__area=area),
        "?schedule__exact=T3": Q(schedule="T3"),
        f"?goal__area__id__exact={area.pk}&q=utveckling": Q(goal__area=area)
        & (Q(text__icontains="utveckling") | Q(number__icontains="utveckling")),
    }
    for query, condition in cases.items():
        assert _result_count(admin_client, Activity, query) == (
            Activity.objects.filter(condition).count()
        ), query
    assert _result_count(admin_client, Activity, f"?goal__area__id__exact={area.pk}") < (
        Activity.objects.count()
    )


def test_goal_filters_by_board_and_year(admin_client, plan_2017, plan_2019):
    """Goal filters for board and plan year list only that plan's goals."""
    total = Goal.objects.count()
    for plan in (plan_2017, plan_2019):
        expected = plan.goals.count()
        assert 0 < expected < total
        assert (
            _result_count(admin_client, Goal, f"?plan__board__id__exact={plan.board_id}")
            == expected
        )
        assert _result_count(admin_client, Goal, f"?plan__year={plan.year}") == expected


def test_follow_up_search_and_filters(admin_client, plan_2017):
    """Follow-up search and filters for year, period kind and status narrow the list."""
    model_admin = admin.site._registry[FollowUp]
    total = FollowUp.objects.count()
    cases = {
        "?" + urlencode({"q": "brukarundersökning"}): _admin_search_q(
            model_admin, "brukarundersökning"
        ),
        "?period__plan__year=2017": Q(period__plan__year=2017),
        f"?period__plan__board__id__exact={plan_2017.board_id}": Q(
            period__plan__board=plan_2017.board
        ),
        "?period__kind__exact=T3": Q(period__kind="T3"),
        "?status__exact=done": Q(status="done"),
        "?period__plan__year=2017&q=2017": Q(period__plan__year=2017)
        & _admin_search_q(model_admin, "2017"),
    }
    for query, condition in cases.items():
        expected = FollowUp.objects.filter(condition).distinct().count()
        assert 0 < expected < total, query
        assert _result_count(admin_client, FollowUp, query) == expected, query


def test_indicator_filters_by_kind_and_year(admin_client, plan_2019):
    """Indicator filters for kind and goal year list only those indicators."""
    total = Indicator.objects.count()
    for query, condition in {
        "?kind__exact=volume": Q(kind="volume"),
        "?goal__plan__year=2019": Q(goal__plan__year=2019),
        f"?board__id__exact={plan_2019.board_id}&q=antal": Q(board=plan_2019.board)
        & _admin_search_q(admin.site._registry[Indicator], "antal"),
    }.items():
        expected = Indicator.objects.filter(condition).count()
        assert 0 < expected < total, query
        assert _result_count(admin_client, Indicator, query) == expected, query


SEARCHABLE = [m for m in ADMIN_MODELS if admin.site._registry[m].search_fields]


@pytest.mark.parametrize("model", SEARCHABLE, ids=_ids)
def test_search_finds_a_word_of_a_seed_row(admin_client, model):
    """Searching for a word of a seed row lists exactly the rows the search fields match."""
    model_admin = admin.site._registry[model]
    obj = model.objects.order_by("pk").first()
    field = model_admin.search_fields[0]
    value = str(model.objects.filter(pk=obj.pk).values_list(field, flat=True).get())
    term = max(re.findall(r"\w+", value), key=len)
    expected = model.objects.filter(_admin_search_q(model_admin, term)).distinct().count()
    assert expected > 0

    assert _result_count(admin_client, model, "?" + urlencode({"q": term})) == expected


FILTERED = [m for m in ADMIN_MODELS if admin.site._registry[m].list_filter]


@pytest.mark.parametrize("model", FILTERED, ids=_ids)
def test_every_list_filter_choice_narrows_to_orm_count(admin_client, model, tripled):
    """Each choice of each list_filter lists as many rows as the same lookup in the ORM."""
    model_admin = admin.site._registry[model]
    response = admin_client.get(_url(model, "changelist"))
    assert response.status_code == 200
    cl = response.context["cl"]
    # With the extra municipalities every filter has more than one choice, so all are shown.
    assert len(cl.filter_specs) == len(model_admin.list_filter)

    checked = 0
    for spec in cl.filter_specs:
        for choice in spec.choices(cl):
            if choice["selected"]:  # "All" on the unfiltered list
                continue
            query = choice["query_string"]
            expected = model.objects.filter(**_orm_lookups(query)).distinct().count()
            assert _result_count(admin_client, model, query) == expected, query
            checked += 1
    assert checked >= len(model_admin.list_filter)


# -- 3. query counts do not grow with the data -------------------------------------------------


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=_ids)
def test_changelist_query_count_is_constant(admin_client, monkeypatch, plan_2017, model):
    """The changelist runs as many queries for 3x the rows as for the seed rows."""
    model_admin = admin.site._registry[model]
    monkeypatch.setattr(model_admin, "list_per_page", 1000)
    url = _url(model, "changelist")
    admin_client.get(url)  # warm caches (content types, session)

    response, small = _count_queries(admin_client, url)
    seed_rows = response.context["cl"].result_count
    triple_seed_data(plan_2017)
    response, large = _count_queries(admin_client, url)

    cl = response.context["cl"]
    assert cl.result_count >= 3 * seed_rows
    assert len(cl.result_list) == cl.result_count  # every row rendered, none paginated away
    _assert_same_query_count(small, large, f"{model._meta.label} changelist")


def test_goal_change_page_query_count_is_constant(admin_client, plan_2017):
    """A goal's change page runs as many queries with 3x activities in its inline."""
    goal = plan_2017.goals.annotate(n=Count("activities")).order_by("-n", "pk").first()
    seed_activities = goal.activities.count()
    assert seed_activities > 1
    url = _url(Goal, "change", goal.pk)
    admin_client.get(url)

    _, small = _count_queries(admin_client, url)
    for i in range(1, 2 * seed_activities + 1):
        Activity.objects.create(goal=goal, number=f"91.{i}", text=f"Ny aktivitet {i}")
    response, large = _count_queries(admin_client, url)

    # Several inlines: count the activities'.
    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is Activity
    ]
    assert len(inline.formset.forms) == 3 * seed_activities
    _assert_same_query_count(small, large, "Goal change page (ActivityInline)")


def test_indicator_change_page_query_count_is_constant(admin_client, plan_2019):
    """An indicator's change page runs as many queries with 3x values in its inline."""
    indicator = (
        Indicator.objects.filter(board=plan_2019.board)
        .annotate(n=Count("values"))
        .order_by("-n", "pk")
        .first()
    )
    seed_values = indicator.values.count()
    assert seed_values > 1
    url = _url(Indicator, "change", indicator.pk)
    admin_client.get(url)

    _, small = _count_queries(admin_client, url)
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=indicator, year=1990 + i, gender=Gender.TOTAL, value=i)
        for i in range(2 * seed_values)
    )
    response, large = _count_queries(admin_client, url)

    (inline,) = [
        i for i in response.context["inline_admin_formsets"] if i.formset.model is IndicatorValue
    ]
    assert len(inline.formset.forms) == 3 * seed_values
    _assert_same_query_count(small, large, "Indicator change page (IndicatorValueInline)")


# -- 4. validation messages in Swedish -----------------------------------------------------------


def _post_value(value):
    value = getattr(value, "pk", value)
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [str(getattr(v, "pk", v)) for v in value]
    return str(value)


def form_data(response):
    """What a browser posts back from an admin form page, inlines and management forms included."""
    data = {}
    all_forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    for form in all_forms:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = _post_value(value)
            if bound.field.show_hidden_initial:  # the value as rendered, posted beside it
                if form.is_bound and bound.html_initial_name in form.data:
                    # A refused form passes on its hidden initials as they are in its data.
                    data[bound.html_initial_name] = _post_value(
                        bound.field.hidden_widget().value_from_datadict(
                            form.data, form.files, bound.html_initial_name
                        )
                    )
                else:
                    data[bound.html_initial_name] = _post_value(bound.initial)
    return data


def test_activity_add_refuses_duplicate_number_in_swedish(admin_client, plan_2017):
    """Adding an activity whose number the plan already uses shows the Swedish message."""
    goal = plan_2017.goals.order_by("order").last()
    assert Activity.objects.filter(plan=plan_2017, number="1.1").exists()
    url = _url(Activity, "add")
    data = form_data(admin_client.get(url))
    assert "follow_ups-TOTAL_FORMS" in data
    data.update(goal=goal.pk, number="1.1", text="Dubblett av 1.1", schedule="T2")
    before = Activity.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Aktivitetsnumret används redan i planen." in response.content.decode()
    assert Activity.objects.count() == before


def test_period_add_refuses_date_outside_plan_year_in_swedish(admin_client, plan_2017):
    """Adding a follow-up period dated outside the plan's year shows the Swedish message."""
    url = _url(FollowUpPeriod, "add")
    data = form_data(admin_client.get(url))
    data.update(
        plan=plan_2017.pk,
        kind=PeriodKind.TERTIAL_1,
        date="2018-04-30",
        deadline="",
        status=PeriodStatus.OPEN,
    )
    before = FollowUpPeriod.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Uppföljningsdatumet måste ligga inom planens år (2017)." in (response.content.decode())
    assert FollowUpPeriod.objects.count() == before


def test_plan_period_inline_refuses_date_outside_plan_year_in_swedish(admin_client, plan_2017):
    """A new period in the plan's inline dated in another year shows the Swedish message."""
    url = _url(Plan, "change", plan_2017.pk)
    response = admin_client.get(url)
    prefixes = [inline.formset.prefix for inline in response.context["inline_admin_formsets"]]
    assert prefixes == ["goals", "activities", "periods", "sections"]
    data = form_data(response)
    n = int(data["periods-TOTAL_FORMS"])
    assert n == plan_2017.periods.count()
    data.update(
        {
            "periods-TOTAL_FORMS": str(n + 1),
            f"periods-{n}-plan": str(plan_2017.pk),
            f"periods-{n}-kind": PeriodKind.TERTIAL_1,
            f"periods-{n}-date": "2018-04-30",
            f"periods-{n}-deadline": "",
            f"periods-{n}-status": PeriodStatus.OPEN,
        }
    )
    before = FollowUpPeriod.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "Uppföljningsdatumet måste ligga inom planens år (2017)." in (response.content.decode())
    assert FollowUpPeriod.objects.count() == before


def test_plan_change_form_round_trip_saves(admin_client, plan_2017):
    """Posting the plan's change form back unchanged saves and redirects (the data is valid)."""
    url = _url(Plan, "change", plan_2017.pk)
    data = form_data(admin_client.get(url))
    before = FollowUpPeriod.objects.count(), PlanSection.objects.count()

    response = admin_client.post(url, data)

    assert response.status_code == 302
    assert (FollowUpPeriod.objects.count(), PlanSection.objects.count()) == before
