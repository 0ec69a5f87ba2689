"""The verksamhetsberättelse 2019, rendered from the seed to PDF, reads like the document."""

import re

import pytest
from django.db.models import Count

from goals.choices import PeriodStatus
from indicators.models import Indicator

from .conftest import (
    PAGE_NUMBER,
    build_report,
    heading_page,
    outline_pages,
    render,
    toc_entries,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(rendered_report):
    return rendered_report("year-end", 2019)


def _position(text, needle, start=0):
    found = text.find(needle, start)
    assert found >= 0, f"{needle!r} saknas efter position {start}"
    return found


def test_sections_in_document_order(report):
    """Assessment, economy, fulfilment, volumes, staff, decisions, outlook, economy tables,
    goal assessments, assignments and indicator tables follow the document's order."""
    text = report.text
    at = _position(text, "Förvaltningschefens bedömning och analys Verksamhetsberättelsen är")
    for needle in [
        "Samlad bedömning och analys av ekonomi, verksamhet och personal",
        "Ekonomi, belopp tkr",
        "Verksamhetens nettokostnader 1 500 145 1 481 495 −18 650",
        "Måluppfyllelse: Nämndmål",
        "Basuppdrag",
        "Personal",
        "Viktiga beslut och händelser",
        "Beslut om att wifi ska införas i alla särskilda boenden.",
        "Framåtblick",
        "Driftsammandrag",
        "Investeringar",
        "Målredovisning",
        "Erbjuda boende och insatser utifrån behov Måluppfyllelse: ● Uppfyllt",
        "Strategiska utvecklingsuppdrag",
        "Kommungemensamma strategiska utvecklingsuppdrag Status Kommentar",
        "Nämndspecifika strategiska utvecklingsuppdrag",
        "Uppföljning av nämndindikatorer",
        "Målområde: Samhälle",
        "Kommunövergripande mål: Trygg och attraktiv kommun",
        "Målområde: Medarbetare",
    ]:
        at = _position(text, needle, at)


def test_fulfilment_overview_lists_every_goal_with_label(report, plan_2019):
    """Every board goal is in the overview with its symbol and label, not only a colour."""
    overview = report.text[_position(report.text, "Målområde Nämndmål Måluppfyllelse") :]
    overview = overview[: overview.find("Basuppdrag")]
    for goal in plan_2019.goals.all():
        level = goal.follow_ups.select_related("fulfilment").get().fulfilment
        assert f"{goal.text} {level.symbol} {level.label}" in overview, goal.text
    assert report.text.count("◐ Delvis uppfyllt Visar en positiv utveckling") == 2  # two legends


def test_indicator_values_and_targets_in_their_rows(report):
    """Values of the last three years, målvärde and women/men rows stand in one row each."""
    lines = {line for page in report.lines for line in page}
    assert "Total sjukfrånvaro (%) 5,3 6,6 6,7 5,3" in lines
    assert "Kvinnor 5,6 7,0 7,2 ▼ Sämre" in lines
    assert "Män 3,1 3,0 2,6 ▲ Bättre" in lines
    assert "Kvinnor 6,06 7,05 2,62 ▲ Bättre" in lines
    assert any(re.fullmatch(r"LSS ?9 130 174 141 ▲ Bättre", line) for line in lines)  # note 9
    text = report.text
    assert "erhåller arbete (socialpsykiatri) 19 24 32 20 ▲ Bättre" in text
    assert "Max 120" in text and "Inom 3 mån" in text
    # Staff and volume tables: this year and last year.
    assert "Total sjukfrånvaro (%) 6,7 6,6 5,3" in lines
    assert "Extern personalomsättning (%) 6,3 6,3 9" in lines


def test_sources_are_numbered_footnotes(report):
    """Each source is a numbered footnote under its table, referred to from the indicator name."""
    text = report.text
    assert "myndighet1 1 089 1 053" in text  # thousands separated as in the other tables
    assert "1 Källa Treserva Ärendestatistik per den 31/12 födelseår from fyller 20" in text
    assert re.search(r"\d+ Källa LinQ, rapport 14 endast avslutade period 2017", text)
    assert "Fotnot 7" not in text  # a pointer into the source document, not a note


def test_economy_tables(report):
    """Operating summary with its varav rows and sums, and the investments."""
    text = report.text
    assert "varav HVB barn och unga 133 102 85 000 −48 102" in text
    assert "Summa nettokostnader, tkr 1 500 145 1 481 495 −18 650" in text
    assert "varav kostnader 1 897 184 1 802 158 −95 026" in text
    assert "Summa investeringar 369 800 431" in text


def test_assignments_with_status_and_comment(report):
    """Strategic assignments show their status and comment."""
    text = report.text
    # "Genomfört" (ett uppdrag), as the source words it.
    assert "förkorta etableringstiden för nyanlända. Genomfört En översyn har genomförts" in text


def test_trend_charts_with_target_lines(report):
    """An indicator with two or more yearly numbers gets an SVG chart; a target a dashed line."""
    charts = report.html.count('<div class="chart"')
    with_series = sum(
        1
        for indicator in Indicator.objects.filter(kind="goal", goal__plan__year=2019)
        if indicator.values.filter(value__isnull=False, year__lte=2019)
        .values("category", "gender")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .exists()
    )
    assert charts == with_series > 10
    assert "stroke-dasharray" in report.html
    assert "▲ Bättre" in report.text and "▼ Sämre" in report.text


def test_page_numbers_and_toc(report):
    """ "N (M)" on every page after the cover; TOC numbers are where the headings are."""
    total = len(report.pages)
    for number, page in enumerate(report.pages[1:], start=2):
        assert (str(number), str(total)) in PAGE_NUMBER.findall(page), number
    entries, last_toc_page = toc_entries(report)
    assert len(entries) >= 20
    for title, page in entries:
        assert heading_page(report, title, after=last_toc_page) == page, title
    outline = outline_pages(report.pdf)
    assert (
        outline["Uppföljning av nämndindikatorer"]
        == dict(entries)["Uppföljning av nämndindikatorer"]
    )


def test_draft_marking(report, plan_2019):
    """UTKAST on every page while the year-end period is open, on none once it is published."""
    assert all("UTKAST" in page for page in report.pages)
    plan_2019.periods.filter(kind="T3").update(status=PeriodStatus.PUBLISHED)
    published = render(build_report("year-end", 2019))
    assert not any("UTKAST" in page for page in published.pages)
