"""Bounded pages: an indicator with 100,000 values (5,000 categories over 20 years) makes a
reader page of bounded size in as many queries as a small indicator, its rows paginated and
its years limited to the latest; the year-end report prints a bounded table and says in
Swedish that the rest is in the open data."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from public.selectors import MAX_ROWS, MAX_YEARS
from reports import selectors as report_selectors
from reports.selectors import MAX_REPORT_LINES

pytestmark = pytest.mark.django_db

CATEGORIES = 5000
YEARS = range(2000, 2020)


def _indicator(plan, name, categories, years):
    goal = plan.goals.order_by("pk").first()
    indicator = Indicator.objects.create(board=plan.board, goal=goal, name=name, unit="antal")
    IndicatorValue.objects.bulk_create(
        (
            IndicatorValue(indicator=indicator, year=year, category=f"Enhet {c:05d}", value=c)
            for c in range(categories)
            for year in years
        ),
        batch_size=5000,
    )
    return indicator


@pytest.fixture
def huge(plan_2019):
    indicator = _indicator(plan_2019, "Besök per enhet", CATEGORIES, YEARS)
    assert IndicatorValue.objects.filter(indicator=indicator).count() == 100_000
    return indicator


def test_indicator_page_is_bounded(admin_client, plan_2019, huge, django_assert_num_queries):
    """The page of the 100,000-value indicator stays small (MAX_ROWS rows of the latest
    MAX_YEARS years, a pager), costs the queries a 4-value indicator's page costs, and its
    second page shows the next rows."""
    small = _indicator(plan_2019, "Liten indikator", 2, range(2018, 2020))
    url = reverse("public:indicator", args=[small.pk])
    admin_client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small_queries:
        assert admin_client.get(url).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        response = admin_client.get(reverse("public:indicator", args=[huge.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 200_000, len(response.content)
    assert page.count("Enhet ") <= MAX_ROWS + 5
    assert "Enhet 00000" in page and f"Enhet {MAX_ROWS:05d}" not in page
    assert f'<th scope="col" class="num">{2019 - MAX_YEARS}</th>' not in page
    assert "5000 rader" in page and "?rader=2" in page
    second = admin_client.get(reverse("public:indicator", args=[huge.pk]) + "?rader=2")
    assert f"Enhet {MAX_ROWS:05d}" in second.content.decode()
    for junk in ("x", "-5", "99999999999"):
        url = reverse("public:indicator", args=[huge.pk]) + f"?rader={junk}"
        assert admin_client.get(url).status_code == 200
    goal_page = admin_client.get(reverse("public:goal", args=[huge.goal_id]))
    assert len(goal_page.content) < 400_000
    assert "Alla rader på indikatorns sida" in goal_page.content.decode()


def test_year_end_report_summarises_the_huge_table(plan_2019, huge):
    """The year-end report prints at most MAX_REPORT_LINES rows of the indicator and one line
    that says, in Swedish, how many more there are and where they are."""
    period = report_selectors.year_end_period_get(plan=plan_2019)
    report = report_selectors.year_end_report_get(plan=plan_2019, period=period)
    blocks = [
        block
        for domain in report.indicator_domains
        for table in domain.tables
        for goal in table.goals
        for block in goal.indicators
        if block.indicator.pk == huge.pk
    ]
    (block,) = blocks
    assert len(block.lines) == MAX_REPORT_LINES + 1
    assert block.lines[-1].label == (
        f"{CATEGORIES - MAX_REPORT_LINES} rader till skrivs inte ut: för många för rapporten. "
        "Alla värden finns i de öppna data."
    )
