"""Benchmark the public reader's pages, in a throwaway database.

    .venv/bin/python bench/public_bench.py                 # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malfoljning .venv/bin/python bench/...

Creates a new test database (dropped afterwards), loads the seed documents with every period
published, and times each page type through Django's test client (the whole request: URL
routing, middleware, queries, template): p50 and p95 over REPEAT requests after a warm-up,
with the page's SQL query count. Then adds a large board (GOALS goals, ACTIVITIES activities
with a follow-up in each of three periods, INDICATORS indicators × YEARS years × total/women/
men, ASSIGNMENTS assignments) and times the same pages on it. Target: p95 ≤ 100 ms.
Not a test: the numbers depend on the machine.
"""

import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.test_settings")

import django  # noqa: E402
from large_board import WORDS, add_indicators  # noqa: E402

REPEAT = int(os.environ.get("BENCH_REPEAT", "40"))
WARMUP = 3
GOALS = 40
ACTIVITIES = 400
INDICATORS = 300
YEARS = 5
ASSIGNMENTS = 30
YEAR = 2024
TARGET_MS = 100


def build_large_board():
    """A board with one big plan, every period published; returns the plan."""
    from activities.models import Activity, Assignment
    from followups.models import FollowUp
    from goals.models import (
        ActivityArea,
        Board,
        FollowUpPeriod,
        FulfilmentLevel,
        Goal,
        GoalDomain,
        Municipality,
        Plan,
        PlanSection,
    )

    municipality = Municipality.objects.create(name="Benchkommun", code="9999")
    levels = [
        FulfilmentLevel.objects.create(
            municipality=municipality, code=code, label=label, colour=colour, symbol=sym, order=i
        )
        for i, (code, label, colour, sym) in enumerate(
            [
                ("fulfilled", "Uppfyllt", "#2e7d32", "●"),
                ("partly", "Delvis uppfyllt", "#f2c200", "◐"),
                ("not_fulfilled", "Ej uppfyllt", "#c62828", "○"),
            ]
        )
    ]
    board = Board.objects.create(municipality=municipality, name="Benchnämnden")
    domains = [
        GoalDomain.objects.create(municipality=municipality, name=f"Målområde {i}", order=i)
        for i in range(5)
    ]
    areas = [
        ActivityArea.objects.create(board=board, name=f"Verksamhetsområde {i}", order=i)
        for i in range(8)
    ]
    plan = Plan.objects.create(board=board, year=YEAR, title=f"Verksamhetsplan {YEAR}")
    periods = [
        FollowUpPeriod.objects.create(
            plan=plan, kind=kind, date=date(YEAR, month, day), status="published"
        )
        for kind, month, day in (("T1", 4, 30), ("T2", 8, 31), ("T3", 12, 31))
    ]
    year_end = periods[-1]
    for i, area in enumerate(areas):
        PlanSection.objects.create(
            plan=plan, key=f"area-{i}", title=area.name, body=WORDS * 5, area=area, order=100 + i
        )
    for i in range(12):
        PlanSection.objects.create(
            plan=plan, key=f"ye-{i}", title=f"Avsnitt {i}", body=WORDS * 8, period=year_end, order=i
        )
    goals = []
    for i in range(GOALS):
        goal = Goal.objects.create(
            plan=plan,
            area=areas[i % len(areas)],
            domain=domains[i % 5],
            text=f"Nämndmål {i + 1}: medborgarna ska få stöd och hjälp när behov uppstår",
            summary="Sammanfattningsvis bidrar verksamheterna till målet. " + WORDS,
            order=i + 1,
        )
        goals.append(goal)
        FollowUp.objects.bulk_create(
            FollowUp(period=p, goal=goal, text=WORDS * 3, fulfilment=levels[i % 3]) for p in periods
        )
    for i in range(1, ACTIVITIES + 1):
        goal = goals[i % GOALS]
        activity = Activity.objects.create(
            goal=goal, number=f"{goal.order}.{i}", text=f"Aktivitet {i}. " + WORDS, schedule="T3"
        )
        FollowUp.objects.bulk_create(
            FollowUp(
                period=p,
                activity=activity,
                text=f"{p.date}: " + WORDS * 2,
                status=("in_progress", "done", "postponed")[(i + n) % 3],
            )
            for n, p in enumerate(periods)
        )
    add_indicators(board, goals, INDICATORS, year=YEAR, years=YEARS)
    for i in range(ASSIGNMENTS):
        assignment = Assignment.objects.create(
            plan=plan, origin="board", number=str(i + 1), text=f"Uppdrag {i + 1}. " + WORDS
        )
        FollowUp.objects.bulk_create(
            FollowUp(period=p, assignment=assignment, text=WORDS, status="in_progress")
            for p in periods
        )
    return plan


def pages_of(plan):
    """The URL of each page type for `plan` (its busiest goal, activity and indicator)."""
    from django.db.models import Count
    from django.urls import reverse

    from activities.models import Activity
    from indicators.models import Indicator

    goal = plan.goals.annotate(n=Count("indicators")).order_by("-n", "order").first()
    activity = Activity.objects.filter(goal=goal).first() or plan.activities.first()
    indicator = Indicator.objects.filter(goal=goal).first()
    args = [plan.board_id, plan.year]
    pages = {
        "start": reverse("public:start"),
        "board": reverse("public:board", args=[plan.board_id]),
        "plan": reverse("public:plan", args=args),
        "goal": reverse("public:goal", args=[goal.pk]),
        "activity": reverse("public:activity", args=[activity.pk]) if activity else None,
        "indicator": reverse("public:indicator", args=[indicator.pk]) if indicator else None,
        "assignments": reverse("public:assignments", args=args),
        "year-end": reverse("public:year-end", args=args),
        # A word in every text (the worst case: every row matches), and a rarer one.
        "search (common)": reverse("public:search") + "?q=uppf%C3%B6ljningen",
        "search (3 words)": reverse("public:search") + "?q=samverkan+utförare+nämnden",
        "search (rare)": reverse("public:search") + "?q=Lejonfastigheter",
    }
    return {name: url for name, url in pages.items() if url}


def count_queries(client, url):
    """The SQL queries one request of `url` runs."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        response = client.get(url)
    return count, response


def measure(label, pages, client):

    print(f"\n{label}")
    print(f"{'page':18} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} {'kB':>7}")
    worst = 0.0
    for name, url in pages.items():
        for _ in range(WARMUP):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        queries, response = count_queries(client, url)
        times = []
        for _ in range(REPEAT):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        worst = max(worst, p95)
        print(
            f"{name:18} {p50:8.1f} {p95:8.1f} {times[-1]:8.1f} {queries:8d}"
            f" {len(response.content) / 1024:7.0f}"
        )
    verdict = "ok" if worst <= TARGET_MS else "OVER TARGET"
    print(f"worst p95 {worst:.1f} ms (target ≤ {TARGET_MS} ms): {verdict}")
    return worst


def main():
    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from followups.seed import seed_load
    from goals.models import FollowUpPeriod, Plan

    # Its own database name: never the one a concurrent test run uses.
    settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = f"bench_public_{os.getpid()}"
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database {name} ({connection.vendor}), {REPEAT} requests per page")
        seed_load()
        FollowUpPeriod.objects.update(status="published")
        client = Client()
        seed_pages = {}
        for plan in Plan.objects.order_by("year"):
            for page, url in pages_of(plan).items():
                seed_pages.setdefault(page if page != "plan" else f"plan {plan.year}", url)
                if page in ("plan", "goal", "year-end", "assignments"):
                    seed_pages[f"{page} {plan.year}"] = url
        seed_pages = {k: v for k, v in seed_pages.items() if k not in ("goal", "year-end")}
        worst = [measure("Seed documents (2017 and 2019)", seed_pages, client)]

        started = time.perf_counter()
        plan = build_large_board()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")  # as autovacuum would have done by now
        print(f"\nlarge board built in {time.perf_counter() - started:.1f} s")
        worst.append(measure("Large board", pages_of(plan), client))
        print(f"\nworst p95 overall: {max(worst):.1f} ms")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
