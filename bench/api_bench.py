"""Benchmark the REST API's values list against a plain Django view, on 1,000,000+ values.

    .venv/bin/python bench/api_bench.py [--values 1000000] [--rate 100] [--seconds 20]

Uses the PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/) and,
with BENCH_REDIS_URL (e.g. redis://127.0.0.1:6379/14, emptied), Redis for the cache and the
throttle as scripts/serve does with REDIS_URL; without it they are in the database:
creates a throwaway database, migrates it, fills it with COPY (boards with a published
year-end 2019, indicators with values 1990–2019 × whole year and three tertials × T/K/M),
serves it with gunicorn as scripts/serve does (config/gunicorn.py: 2 × cores + 1 sync
workers, worker recycling) on 127.0.0.1 and measures two
URLs that return the same 100 rows of one indicator from 2000 on:

- baseline: /bench/baseline/values/?indicator=<id>&year_min=2000 — a plain view returning
            `.values()` of the same queryset as JSON (bench/api_urls.py; not in the product);
- API:      /api/v1/indicator-values/?indicator=<id>&year_min=2000&page_size=100 (anonymous:
            throttle, visibility rule, count and ETag query, then the page). The 64 URLs
            repeat, so after the warm-up each worker answers from the ETag-keyed response
            cache (core/api/caching.py): one aggregate query, no serializing;
- API cold: the same with a distinct `year_max` beyond the data (2020–2100) on each request
            (5184 distinct URLs), so that no rendered
            page can be reused: filter, count/ETag query, page query (plain rows, see
            IndicatorValueViewSet.row_columns), representation, JSON renderer.

The load generator is a small asyncio HTTP/1.1 client in this file (no extra tool). Two
phases per target, cycling over 64 indicators:
1. fixed rate (open loop): requests are sent on a fixed schedule whether or not earlier
   ones have finished; latency counts from the scheduled time (no coordinated omission).
   Prints p50/p95/p99 and the achieved requests/s.
2. saturation (closed loop): 4 connections send back-to-back requests; the requests/s
   completed is each target's capacity. The targets take turns in 5 slices each, so that a
   slow spell of the shared machine hits all of them alike. The throughput ratios to the
   baseline come from here.
Targets: ratio ≥ 0.6, API p95 ≤ 30 ms at the fixed rate. When the baseline's capacity is below
the fixed rate (a busy shared machine), the three are also run at half the baseline's capacity
and their p95 compared. The database is dropped at the end, also after an error or Ctrl-C.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEARS = range(1990, 2020)
TERTIALS = ("", "T1", "T2", "T3")
GENDERS = ("T", "K", "M")
PER_INDICATOR = len(YEARS) * len(TERTIALS) * len(GENDERS)  # 360
BOARDS = 20
SAMPLE_INDICATORS = 64


# -- database ------------------------------------------------------------------------------
def _server_url():
    url = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    return url


def _with_database(url, name):
    return urlunsplit((url.scheme, url.netloc, f"/{name}", "", ""))


def _admin(url):
    import psycopg

    return psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
        autocommit=True,
    )


def fill(total_values):
    """Boards, plans with a published year-end, indicators, and the values by COPY."""
    from django.db import connection

    from goals.choices import PeriodKind, PeriodStatus
    from goals.models import Board, FollowUpPeriod, Municipality, Plan
    from indicators.models import Indicator

    municipality = Municipality.objects.create(name="Linköpings kommun", code="0580")
    per_board = -(-total_values // (BOARDS * PER_INDICATOR))
    indicator_ids = []
    for b in range(BOARDS):
        board = Board.objects.create(municipality=municipality, name=f"Nämnd {b}")
        plan = Plan.objects.create(board=board, year=2019, title=f"Verksamhetsplan {b}")
        FollowUpPeriod.objects.create(
            plan=plan,
            kind=PeriodKind.TERTIAL_3,
            date="2019-12-31",
            status=PeriodStatus.PUBLISHED,
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(board=board, kind="volume", name=f"Volym {b}.{i}", unit="st", order=i)
            for i in range(per_board)
        )
        indicator_ids += [i.pk for i in indicators]
    now = datetime.now(UTC)
    rows = 0
    with connection.cursor() as cursor:
        copy_sql = (
            "COPY indicators_indicatorvalue (indicator_id, year, tertial, gender, category, "
            "value, text_value, is_estimate, note, updated_at) FROM STDIN"
        )
        with cursor.cursor.copy(copy_sql) as copy:
            for indicator_id in indicator_ids:
                for year in YEARS:
                    for tertial in TERTIALS:
                        for gender in GENDERS:
                            rows += 1
                            if rows % 50 == 0:
                                value, text = None, "Uppgift saknas"
                            else:
                                value, text = (rows % 9973) / 10, ""
                            copy.write_row(
                                (
                                    indicator_id,
                                    year,
                                    tertial,
                                    gender,
                                    "",
                                    value,
                                    text,
                                    False,
                                    "",
                                    now,
                                )
                            )
        cursor.execute("ANALYZE")
    return indicator_ids, rows


# -- load generator ------------------------------------------------------------------------
async def fetch(port, path):
    """One GET on a new connection (gunicorn's sync workers close after each response)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
            # As the TLS proxy in front of production sends it (no redirect to https).
            "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        length = None
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        body = await (reader.readexactly(length) if length is not None else reader.read())
        return status, body
    finally:
        writer.close()


async def fixed_rate(port, paths, rate, seconds):
    loop = asyncio.get_running_loop()
    count = int(rate * seconds)
    start = loop.time() + 0.2
    latencies, errors = [], 0
    by_second = {}

    async def one(i):
        nonlocal errors
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - loop.time()))
        status, _ = await fetch(port, paths(i))
        latency = loop.time() - scheduled
        latencies.append(latency)
        second = int(i / rate)
        by_second[second] = max(by_second.get(second, 0.0), latency)
        errors += status != 200

    await asyncio.gather(*(one(i) for i in range(count)))
    # The seconds of the phase with the slowest answers: a stall shows as one bad second.
    worst = sorted(by_second.items(), key=lambda item: -item[1])[:3]
    return latencies, count / (loop.time() - start), errors, worst


async def saturation(port, paths, connections, seconds):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    done, errors = 0, 0

    async def worker(offset):
        nonlocal done, errors
        i = offset
        while loop.time() < deadline:
            status, _ = await fetch(port, paths(i))
            done += 1
            errors += status != 200
            i += connections

    start = loop.time()
    await asyncio.gather(*(worker(c) for c in range(connections)))
    return done, loop.time() - start, errors


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


# -- server --------------------------------------------------------------------------------
def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env, port):
    process = subprocess.Popen(
        # scripts/serve's configuration (workers 2 × CPUs + 1, worker recycling …).
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "-c",
            "config/gunicorn.py",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env={**env, "BIND_ADDRESS": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING"},
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            status, _ = asyncio.run(fetch(port, "/api/v1/"))
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited during start-up")
        time.sleep(0.2)
    stop(process)  # never left running: the caller has no handle on it yet
    raise RuntimeError("gunicorn did not answer within 120 s")


def stop(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# -- run -----------------------------------------------------------------------------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--rate", type=float, default=100, help="fixed rate, requests/s")
    parser.add_argument("--seconds", type=float, default=20, help="length of each phase")
    parser.add_argument("--connections", type=int, default=4, help="saturation phase")
    parser.add_argument(
        "--rounds", type=int, default=5, help="interleaved slices of the saturation phase"
    )
    args = parser.parse_args()
    # A plain `kill` ends the run through the `finally` below, which drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    server = _server_url()
    name = f"malfoljning_apibench_{os.getpid()}"
    database_url = _with_database(server, name)
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "SECRET_KEY": "bench-only-not-secret",
        "CONN_MAX_AGE": "600",
    }
    if os.environ.get("BENCH_REDIS_URL"):
        # As scripts/serve runs with REDIS_URL: throttle, page cache in Redis (emptied).
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
        import redis

        redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    process = None
    try:
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        t0 = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)  # the cache without Redis
        indicator_ids, rows = fill(args.values)
        print(
            f"database {name}: {rows:,} indicator values of {len(indicator_ids):,} indicators "
            f"in {BOARDS} boards, built in {time.monotonic() - t0:.0f} s; cache and throttle "
            f"in {'Redis' if env.get('REDIS_URL') else 'the database (no REDIS_URL)'}"
        )
        from django.db import connections

        connections.close_all()

        port = free_port()
        process = start_gunicorn(env, port)
        step = max(1, len(indicator_ids) // SAMPLE_INDICATORS)
        sample = indicator_ids[::step][:SAMPLE_INDICATORS]
        api = [
            f"/api/v1/indicator-values/?indicator={i}&year_min=2000&page_size=100" for i in sample
        ]
        baseline = [f"/bench/baseline/values/?indicator={i}&year_min=2000" for i in sample]

        # Same rows from both, before any timing.
        _, api_body = asyncio.run(fetch(port, api[0]))
        _, base_body = asyncio.run(fetch(port, baseline[0]))
        api_ids = [r["id"] for r in json.loads(api_body)["results"]]
        base_ids = [r["id"] for r in json.loads(base_body)["results"]]
        assert api_ids == base_ids and len(api_ids) == 100, "the two URLs disagree"

        targets = {
            "baseline": lambda i: baseline[i % len(baseline)],
            "API": lambda i: api[i % len(api)],
            # The API refuses unknown parameters: a year_max beyond the data (2020–2100)
            # changes the URL but not the rows; with the 64 indicators, 5184 distinct URLs.
            "API cold": lambda i: f"{api[i % len(api)]}&year_max={2020 + i % 81}",
        }
        both = api + baseline
        asyncio.run(saturation(port, lambda i: both[i % len(both)], args.connections, 3))
        results = {}
        for label, paths in targets.items():
            latencies, achieved, errors, worst = asyncio.run(
                fixed_rate(port, paths, args.rate, args.seconds)
            )
            results[label] = {
                "worst": worst,
                "p50": percentile(latencies, 50) * 1000,
                "p95": percentile(latencies, 95) * 1000,
                "p99": percentile(latencies, 99) * 1000,
                "achieved": achieved,
                "done": 0,
                "elapsed": 0.0,
                "errors": errors,
            }
        # Saturation in interleaved slices, so that a slower or faster spell of the shared
        # machine falls on every target alike.
        slice_seconds = args.seconds / args.rounds
        for _ in range(args.rounds):
            for label, paths in targets.items():
                done, elapsed, errors = asyncio.run(
                    saturation(port, paths, args.connections, slice_seconds)
                )
                results[label]["done"] += done
                results[label]["elapsed"] += elapsed
                results[label]["errors"] += errors
        for r in results.values():
            r["capacity"] = r["done"] / r["elapsed"]

        workers = int(env.get("WEB_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
        print(
            f"gunicorn as scripts/serve runs it (config/gunicorn.py): {workers} sync workers on "
            f"{os.cpu_count()} cores, 127.0.0.1; page of 100 values of one indicator"
        )
        print(
            f"fixed rate {args.rate:g} req/s for {args.seconds:g} s (open loop), then "
            f"saturation with {args.connections} connections for {args.seconds:g} s "
            f"({args.rounds} interleaved slices):"
        )
        print(
            f"{'':10} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} "
            f"{'max req/s':>10} {'errors':>7}"
        )
        for label, r in results.items():
            print(
                f"{label:10} {r['p50']:8.1f} {r['p95']:8.1f} {r['p99']:8.1f} "
                f"{r['achieved']:8.1f} {r['capacity']:10.1f} {r['errors']:7d}"
            )
        for label, r in results.items():
            seconds = ", ".join(f"{s}: {t * 1000:.0f} ms" for s, t in r["worst"])
            print(f"{label}: slowest answers by second of the fixed-rate phase: {seconds}")
        # When the shared machine cannot even serve the baseline at the fixed rate, its p95
        # says nothing about the API: the queue grows for every target alike. Then each
        # target is also measured at half the baseline's capacity, a rate all of them
        # sustain on this machine now, and its p95 set against the baseline's.
        modest = None
        if results["baseline"]["capacity"] < args.rate:
            modest = round(results["baseline"]["capacity"] / 2, 1)
            for label, paths in targets.items():
                latencies, achieved, errors, _worst = asyncio.run(
                    fixed_rate(port, paths, modest, args.seconds)
                )
                results[label]["modest"] = (
                    percentile(latencies, 50) * 1000,
                    percentile(latencies, 95) * 1000,
                    achieved,
                    errors,
                )
            print(
                f"the baseline's capacity is below {args.rate:g} req/s on this machine now; "
                f"fixed rate {modest:g} req/s (half of it) for {args.seconds:g} s:"
            )
            print(f"{'':10} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7}")
            for label, r in results.items():
                p50, p95, achieved, errors = r["modest"]
                print(f"{label:10} {p50:8.1f} {p95:8.1f} {achieved:8.1f} {errors:7d}")
        for label in ("API", "API cold"):
            ratio = results[label]["capacity"] / results["baseline"]["capacity"]
            p95 = results[label]["p95"]
            print(
                f"{label}: throughput ratio to baseline {ratio:.2f} (target ≥ 0.6: "
                f"{'met' if ratio >= 0.6 else 'missed'}); p95 at {args.rate:g} req/s "
                f"{p95:.1f} ms (target ≤ 30 ms: {'met' if p95 <= 30 else 'missed'})"
            )
            if modest is not None:
                p95, base95 = results[label]["modest"][1], results["baseline"]["modest"][1]
                print(
                    f"{label}: p95 at {modest:g} req/s {p95:.1f} ms, baseline {base95:.1f} ms "
                    f"(ratio {p95 / base95:.2f})"
                )
        load = os.getloadavg()
        print(f"load average at the end (2 cores): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        stop(process)
        from django.db import connections

        connections.close_all()
        with _admin(server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
