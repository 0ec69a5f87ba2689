"""Published downloads against fresh renders, on a large board, in a throwaway database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malfoljning \
        .venv/bin/python bench/editions_bench.py

Builds the large board of bench/reports_bench.py (20 goals, 150 indicators × 5 years × 3
breakdowns, 120 activities × 3 follow-ups) in a new database on DATABASE_URL's server, publishes
its year-end period through the workflow and lets the job queue (`process_jobs`) make its
editions. Then, in the same run:

1. starts gunicorn (BENCH_WEB_WORKERS, default 4, sync workers) on loopback and lets
   BENCH_READERS (20) anonymous readers download the published year-end report for
   BENCH_SECONDS (60) seconds: p50/p95 latency, downloads per second, errors;
2. lays out the same report BENCH_READERS times afresh (as every download did before
   editions), BENCH_RENDER_PROCESSES (the CPU count) at a time: p50/p95 and renders per second.

Targets: published p95 ≤ 50 ms, ≥ 20× faster than a render, 0 errors. Not a test: the numbers
depend on the machine (the readers and the servers share its cores).
"""

import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

READERS = int(os.environ.get("BENCH_READERS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
WEB_WORKERS = int(os.environ.get("BENCH_WEB_WORKERS", "4"))
RENDER_PROCESSES = int(os.environ.get("BENCH_RENDER_PROCESSES", str(os.cpu_count() or 2)))
PORT = int(os.environ.get("BENCH_PORT", "18200"))
#: With a Redis URL the web servers keep their shared cache (the published-edition lookups)
#: in Redis, as in production; without it in the database's cache table.
SERVE_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def setup_environment():
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/malfoljning")
    server = server.rsplit("/", 1)[0]
    name = "malfolj_editions_bench"
    media = tempfile.mkdtemp(prefix="malfolj-editions-bench-")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{server}/{name}",
        "SECRET_KEY": "editions-bench-" + "x" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "MEDIA_ROOT": media,
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": "",
    }
    subprocess.run(
        [
            "psql",
            f"{server}/postgres",
            "-q",
            "-c",
            f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            "-c",
            f'CREATE DATABASE "{name}"',
        ],
        check=True,
    )
    os.environ.update(env)
    return env


def publish_large_board():
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from reports_bench import build

    from followups import workflow
    from goals.choices import PeriodKind
    from reports.models import Edition

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    plan = build()
    admin = get_user_model().objects.create_superuser("bench", password="bench-password-123")
    period = plan.periods.get(kind=PeriodKind.TERTIAL_3)
    for step in ("submit", "approve", "publish"):
        workflow.period_transition(period=period, transition=step, user=admin)
    started = time.perf_counter()
    call_command("process_jobs", verbosity=0)
    edition = Edition.objects.get(period=period, kind="year-end")
    print(
        f"editions made by the job queue in {time.perf_counter() - started:.1f} s; year-end PDF "
        f"{edition.pdf_size / 1e6:.1f} MB"
    )
    return plan, edition


def readers(url):
    latencies, errors, sizes = [], [], []
    lock = threading.Lock()
    deadline = time.monotonic() + SECONDS

    def reader():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as response:
                    body = response.read()
                    status = response.status
            except Exception as exc:  # noqa: BLE001 - every failure counts as an error
                with lock:
                    errors.append(repr(exc))
                continue
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                    sizes.append(len(body))
                else:
                    errors.append(status)

    threads = [threading.Thread(target=reader) for _ in range(READERS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, sizes, time.perf_counter() - started


def _render(html):
    from reports import services

    started = time.perf_counter()
    services.write_pdf(html)
    return time.perf_counter() - started


def _init():
    import django

    django.setup()


def fresh_renders(plan):
    from reports import selectors, services

    period = selectors.year_end_period_get(plan=plan)
    started = time.perf_counter()
    html = services.render_html(selectors.year_end_report_get(plan=plan, period=period))
    html_seconds = time.perf_counter() - started
    started = time.perf_counter()
    with ProcessPoolExecutor(RENDER_PROCESSES, initializer=_init) as pool:
        times = list(pool.map(_render, [html] * READERS))
    wall = time.perf_counter() - started
    return [t + html_seconds for t in times], wall


def main():
    env = setup_environment()
    import django

    django.setup()
    plan, edition = publish_large_board()
    url = f"http://127.0.0.1:{PORT}/rapporter/{plan.board_id}/{plan.year}/verksamhetsberattelse.pdf"
    log = open(Path(env["MEDIA_ROOT"]) / "gunicorn.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            str(WEB_WORKERS),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env={**os.environ, **env, "REDIS_URL": SERVE_REDIS_URL},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(url, timeout=5).read()
                break
            except Exception:  # noqa: BLE001
                time.sleep(0.5)
        print(f"load average before the readers: {os.getloadavg()}")
        latencies, errors, sizes, wall = readers(url)
        print(f"load average after the readers: {os.getloadavg()}")
    finally:
        server.terminate()
        server.wait(30)
    assert all(size == edition.pdf_size for size in sizes), "a download differed from the edition"
    print(
        f"published downloads: {READERS} readers × {SECONDS:.0f} s, {WEB_WORKERS} gunicorn "
        f"workers, cache {'Redis' if SERVE_REDIS_URL else 'database'}: "
        f"{len(latencies)} downloads, {len(latencies) / wall:.1f}/s, "
        f"p50 {statistics.median(latencies) * 1000:.1f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.1f} ms, errors {len(errors)}"
    )
    renders, render_wall = fresh_renders(plan)
    print(
        f"fresh renders of the same report: {READERS} renders, {RENDER_PROCESSES} at a time: "
        f"{READERS / render_wall:.2f}/s, p50 {statistics.median(renders):.2f} s, "
        f"p95 {percentile(renders, 95):.2f} s"
    )
    p50_ratio = statistics.median(renders) / statistics.median(latencies)
    print(
        f"published download vs render: p50 {p50_ratio:.0f}× "
        f"faster, p95 {percentile(renders, 95) / percentile(latencies, 95):.0f}× faster, "
        f"throughput {(len(latencies) / wall) / (READERS / render_wall):.0f}×"
    )


if __name__ == "__main__":
    main()
