"""Load on loopback at a fixed rate for 60 s: reader pages, API lists, published PDF downloads
and editor saves at once, against scripts/serve's set-up (gunicorn + job worker, Redis).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/malfoljning .venv/bin/python bench/load_bench.py

Makes a new database on DATABASE_URL's server with the seed (periods published as scripts/run
does, editions made by the job queue), an editor's API token, then starts gunicorn
(LOAD_WEB_WORKERS, default 4) with REDIS_URL (LOAD_REDIS_URL, default Redis database 14) and runs
locust headless: LOAD_USERS (20) users at one request per second each for LOAD_SECONDS (60).
Prints p50/p95 and errors per kind, and each kind's p50 and p95 against the baseline's (a
static file, in the same run). The database is dropped at the end. Not a test: the client and
servers share the machine (the load average is printed).
"""

import csv
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = os.environ.get("LOAD_USERS", "20")
SECONDS = os.environ.get("LOAD_SECONDS", "60")
WEB_WORKERS = os.environ.get("LOAD_WEB_WORKERS", "4")
PORT = os.environ.get("LOAD_PORT", "18300")


def main():
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/malfoljning")
    server = server.rsplit("/", 1)[0]
    name = f"malfolj_load_bench_{os.getpid()}"
    tmp = Path(tempfile.mkdtemp(prefix="malfolj-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"{server}/{name}",
        "REDIS_URL": os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14"),
        "SECRET_KEY": "load-bench-" + "x" * 40,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
        # The load comes from one address and the saves from one token: the API's limits
        # would otherwise answer 429.
        "API_ANON_RATE": "100000/minute",
        "API_USER_RATE": "100000/minute",
        "API_WRITE_RATE": "100000/minute",
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
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()

    def manage(*args, **extra_env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**env, **extra_env},
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput")
    manage("load_seed")
    # Publishes 2017-08-31 and 2019-12-31, as scripts/run does (a local-run command: DEBUG).
    manage("demo_login", DEBUG="1")
    manage("process_jobs")
    ids = (
        manage(
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model\n"
            "from access.models import BoardMembership\n"
            "from followups.models import FollowUp\n"
            "from goals.models import Plan\n"
            "p17 = Plan.objects.get(year=2017); p19 = Plan.objects.get(year=2019)\n"
            "u, _ = get_user_model().objects.get_or_create(username='load-editor')\n"
            "BoardMembership.objects.get_or_create(user=u, board=p17.board, role='editor')\n"
            "f = FollowUp.objects.filter(period__plan=p17, period__status='open')"
            ".values_list('pk', flat=True)[:40]\n"
            "g = p19.goals.values_list('pk', flat=True)[:10]\n"
            "print(p19.board_id, ','.join(map(str, g)), ','.join(map(str, f)))\n",
        )
        .strip()
        .splitlines()[-1]
        .split()
    )
    token = re.search(
        r"Token (\S+)",
        manage(
            "create_api_token",
            "--user",
            "load-editor",
            "--name",
            "load",
            "--board",
            manage(
                "shell",
                "-c",
                "from goals.models import Plan; print(Plan.objects.get(year=2017).board_id)",
            )
            .strip()
            .splitlines()[-1],
            "--write",
        ),
    ).group(1)
    manage("collectstatic", "--noinput", "-v0")
    pdf = f"/rapporter/{ids[0]}/2019/verksamhetsberattelse.pdf"
    load_env = {
        **env,
        "LOAD_BOARD": ids[0],
        "LOAD_YEAR": "2019",
        "LOAD_GOALS": ids[1],
        "LOAD_PDF": pdf,
        "LOAD_TOKEN": token,
        "LOAD_FOLLOW_UPS": ids[2],
    }
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115
    web = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            WEB_WORKERS,
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"http://127.0.0.1:{PORT}{pdf}").status == 200:
                    break
            except Exception:  # noqa: BLE001
                time.sleep(0.5)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "locustfile.py"),
                "--headless",
                "-u",
                USERS,
                "-r",
                USERS,
                "-t",
                f"{SECONDS}s",
                "--host",
                f"http://127.0.0.1:{PORT}",
                "--csv",
                str(tmp / "load"),
                "--only-summary",
            ],
            cwd=ROOT,
            env=load_env,
            check=False,
            capture_output=True,
        )
    finally:
        web.terminate()
        web.wait(30)
        subprocess.run(
            [
                "psql",
                f"{server}/postgres",
                "-q",
                "-c",
                f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)',
            ],
            check=False,
        )
    with open(tmp / "load_stats.csv") as handle:
        rows = list(csv.DictReader(handle))
    base = next(row for row in rows if row["Name"].startswith("baseline"))
    print(f"{USERS} users × 1 request/s for {SECONDS} s, {WEB_WORKERS} gunicorn workers, Redis")
    print(
        f"{'kind':<24}{'requests':>9}{'errors':>8}{'p50 ms':>8}{'p95 ms':>8}{'req/s':>8}"
        f"{'p50/base':>10}{'p95/base':>10}"
    )
    for row in rows:
        print(
            f"{row['Name']:<24}{row['Request Count']:>9}{row['Failure Count']:>8}"
            f"{row['50%']:>8}{row['95%']:>8}{float(row['Requests/s']):>8.1f}"
            f"{float(row['50%']) / max(1.0, float(base['50%'])):>10.1f}"
            f"{float(row['95%']) / max(1.0, float(base['95%'])):>10.1f}"
        )
    load = os.getloadavg()
    print(f"load average at the end (2 cores): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
