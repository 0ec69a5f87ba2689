"""Benchmark the reports on a large board, in a throwaway database.

    .venv/bin/python bench/reports_bench.py            # the database of DATABASE_URL's server
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malfoljning .venv/bin/python bench/...

Builds a board with 20 goals, 150 indicators × 5 years × 3 breakdowns (total, women, men) and
120 activities × 3 follow-ups in a new test database (dropped afterwards), then renders the
verksamhetsplan (with all follow-ups) and the verksamhetsberättelse and prints, per report:
pages, seconds to build the HTML (queries, template, charts), seconds for the PDF (in the
worker process, as the views do), pages per second, SQL queries, and WeasyPrint's own time on
the same saved HTML. The project's overhead is (HTML + PDF − WeasyPrint) / WeasyPrint.
Targets: at least 15 pages per second, overhead at most 15 %.
"""

import os
import sys
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402
from large_board import WORDS, add_indicators  # noqa: E402

GOALS = 20
INDICATORS = 150
YEARS = 5
ACTIVITIES = 120
YEAR = 2024


def build():
    """The large board and its plan; returns the plan."""
    from activities.models import Activity, Assignment
    from followups.models import FollowUp
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
    from reports.models import EconomySummaryRow, InvestmentRow, OperatingSummaryRow

    municipality = Municipality.objects.create(name="Benchkommun", code="9999")
    levels = FulfilmentLevel.objects.bulk_create(
        FulfilmentLevel(
            municipality=municipality,
            code=code,
            label=label,
            description=f"Visar att målet är {label.lower()}",
            colour=colour,
            symbol=symbol,
            order=i,
        )
        for i, (code, label, colour, symbol) in enumerate(
            [
                ("fulfilled", "Uppfyllt", "#2e7d32", "●"),
                ("partly", "Delvis uppfyllt", "#f2c200", "◐"),
                ("not_fulfilled", "Ej uppfyllt", "#c62828", "○"),
            ]
        )
    )
    board = Board.objects.create(municipality=municipality, name="Benchnämnden")
    domains = [
        GoalDomain.objects.create(municipality=municipality, name=f"Målområde {i}", order=i)
        for i in range(5)
    ]
    municipal_goals = [
        MunicipalGoal.objects.create(
            municipality=municipality,
            domain=domains[i % 5],
            title=f"Kommunmål {i}",
            valid_from=YEAR,
            order=i,
        )
        for i in range(10)
    ]
    areas = [
        ActivityArea.objects.create(board=board, name=f"Verksamhetsområde {i}", order=i)
        for i in range(5)
    ]
    plan = Plan.objects.create(board=board, year=YEAR, title=f"Verksamhetsplan {YEAR}")
    periods = [
        FollowUpPeriod.objects.create(plan=plan, kind=kind, date=date(YEAR, month, day))
        for kind, month, day in (("T1", 4, 30), ("T2", 8, 31), ("T3", 12, 31))
    ]
    year_end = periods[-1]
    PlanSection.objects.create(plan=plan, key="inledning", title="Inledning", body=WORDS * 8)
    for i, area in enumerate(areas):
        PlanSection.objects.create(
            plan=plan, key=f"area-{i}", title=area.name, body=WORDS * 5, area=area, order=100 + i
        )
    for i, key in enumerate(
        ["chief-officer-assessment", "overall-assessment", "events", "outlook", "goal-report-intro"]
    ):
        PlanSection.objects.create(
            plan=plan, key=key, title=f"Avsnitt {key}", body=WORDS * 6, period=year_end, order=i
        )
    goals = []
    for i in range(GOALS):
        goal = Goal.objects.create(
            plan=plan,
            area=areas[i % 5],
            domain=domains[i % 5],
            text=f"Nämndmål {i + 1}: medborgarna ska få stöd och hjälp när behov uppstår",
            summary="Sammanfattningsvis bidrar verksamheterna till målet. " + WORDS,
            order=i + 1,
        )
        goal.municipal_goals.set([municipal_goals[i % 10]])
        goals.append(goal)
        FollowUp.objects.create(
            period=year_end,
            goal=goal,
            text=WORDS * 4 + "\n- Punkt ett\n- Punkt två",
            fulfilment=levels[i % 3],
        )
    for i in range(1, ACTIVITIES + 1):
        goal = goals[i % GOALS]
        activity = Activity.objects.create(
            goal=goal, number=f"{goal.order}.{i}", text=f"Aktivitet {i}. " + WORDS, schedule="T3"
        )
        FollowUp.objects.bulk_create(
            FollowUp(period=period, activity=activity, text=f"{period.date}: " + WORDS * 2)
            for period in periods
        )
    add_indicators(board, goals, INDICATORS, year=YEAR, years=YEARS)
    for i in range(10):
        assignment = Assignment.objects.create(
            plan=plan, origin="board", number=str(i + 1), text=f"Uppdrag {i + 1}. " + WORDS
        )
        FollowUp.objects.create(period=year_end, assignment=assignment, text=WORDS, status="done")
    for i in range(4):
        EconomySummaryRow.objects.create(plan=plan, label=f"Rad {i}", outcome=1000 * i, order=i)
        OperatingSummaryRow.objects.create(plan=plan, label=f"Område {i}", outcome=900, order=i)
        InvestmentRow.objects.create(plan=plan, label=f"Investering {i}", budget=100, order=i)
    return plan


def measure(name, build_report, render_pdf, render_html, weasyprint_html):
    from django.db import connection, reset_queries
    from pypdf import PdfReader

    reset_queries()
    started = time.perf_counter()
    report = build_report()
    html = render_html(report)
    html_seconds = time.perf_counter() - started
    queries = len(connection.queries)

    started = time.perf_counter()
    pdf = render_pdf(html)
    pdf_seconds = time.perf_counter() - started
    pages = len(PdfReader(BytesIO(pdf)).pages)

    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(html)
        saved = f.name
    started = time.perf_counter()
    weasyprint_html(saved)
    weasy_seconds = time.perf_counter() - started
    if "--keep-html" in sys.argv:
        print(f"  (HTML kept in {saved})")
    else:
        os.unlink(saved)

    total = html_seconds + pdf_seconds
    overhead = (total - weasy_seconds) / weasy_seconds
    print(
        f"{name:24} {pages:6d} {html_seconds:8.2f} {pdf_seconds:8.2f} {pages / total:9.1f}"
        f" {queries:8d} {weasy_seconds:10.2f} {overhead:9.1%}"
    )
    return pages, total, weasy_seconds


def main():
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment
    from weasyprint import HTML

    from reports import selectors, services
    from reports.services import PDF_VARIANT, REPORT_BASE_URL, StaticOnlyFetcher

    settings.DEBUG = True  # keeps connection.queries
    # Its own database name: never the one a concurrent test run uses.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_reports_{os.getpid()}"
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        plan = build()
        print(f"database {name}: large board built in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        services.render_pdf('<html lang="sv"><p>uppvärmning</p></html>')
        print(f"PDF worker fork server started in {time.perf_counter() - started:.1f} s (once)")
        services.write_pdf('<html lang="sv"><p>uppvärmning</p></html>')  # fonts, this process

        def weasyprint_html(path):
            HTML(
                filename=path, base_url=REPORT_BASE_URL, url_fetcher=StaticOnlyFetcher()
            ).write_pdf(pdf_variant=PDF_VARIANT)

        def plan_report():
            p = selectors.plan_get(board_id=plan.board_id, year=plan.year)
            return selectors.plan_report_get(plan=p, periods=selectors.plan_periods_get(plan=p))

        def year_end_report():
            p = selectors.plan_get(board_id=plan.board_id, year=plan.year)
            period = selectors.year_end_period_get(plan=p)
            return selectors.year_end_report_get(plan=p, period=period)

        print(
            f"{'report':24} {'pages':>6} {'html s':>8} {'pdf s':>8} {'pages/s':>9}"
            f" {'queries':>8} {'weasy s':>10} {'overhead':>9}"
        )
        totals = [
            measure(
                "verksamhetsplan",
                plan_report,
                services.render_pdf,
                services.render_html,
                weasyprint_html,
            ),
            measure(
                "verksamhetsberättelse",
                year_end_report,
                services.render_pdf,
                services.render_html,
                weasyprint_html,
            ),
        ]
        pages = sum(t[0] for t in totals)
        total = sum(t[1] for t in totals)
        weasy = sum(t[2] for t in totals)
        print(
            f"{'both':24} {pages:6d} {'':8} {total:8.2f} {pages / total:9.1f}"
            f" {'':8} {weasy:10.2f} {(total - weasy) / weasy:9.1%}"
        )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
