"""Benchmark the whole-dataset CSV of the values list on 1,000,000 values.

    .venv/bin/python bench/download_bench.py [--values 1000000] [--kind csv]

Uses the PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/):
creates a throwaway database, fills it as bench/api_bench.py does (20 boards with a
published year-end 2019, values 1990–2019 × whole year and tertials × T/K/M, by COPY), then
in a fresh Python process (so that the filling does not count) requests
`/api/v1/indicator-values/all.<kind>` as an anonymous reader through Django's request
handler and reads the streamed body chunk by chunk, counting rows. Prints the rows, the
bytes, rows/s and the process's peak resident memory (ru_maxrss) before and after the
download: bounded memory means the peak hardly grows with the number of rows. The database
is dropped at the end, also after an error or Ctrl-C.
"""

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind):
    """In this process: Django set up, one download read to the end; prints JSON."""
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/api/v1/boards/")  # imports and connections warmed up
    before = _peak_mib()
    start = time.perf_counter()
    response = client.get(f"/api/v1/indicator-values/all.{kind}")
    assert response.status_code == 200, response.status_code
    rows = size = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    elapsed = time.perf_counter() - start
    print(
        json.dumps(
            {
                "rows": rows - 1,  # the header
                "bytes": size,
                "seconds": elapsed,
                "peak_before_mib": before,
                "peak_after_mib": _peak_mib(),
            }
        )
    )


def main():
    from bench.api_bench import _admin, _server_url, _with_database, fill

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument("--kind", default="csv", choices=["csv", "sv.csv", "xlsx"])
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.kind)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    server = _server_url()
    name = f"malfoljning_downloadbench_{os.getpid()}"
    env = {
        **os.environ,
        "DATABASE_URL": _with_database(server, name),
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "SECRET_KEY": "bench-only-not-secret",
    }
    with _admin(server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ.update(env)
        import django
        from django.core.management import call_command

        django.setup()
        t0 = time.monotonic()
        call_command("migrate", verbosity=0)
        indicator_ids, rows = fill(args.values)
        print(
            f"database {name}: {rows:,} indicator values of {len(indicator_ids):,} indicators, "
            f"built in {time.monotonic() - t0:.0f} s"
        )
        from django.db import connections

        connections.close_all()
        output = subprocess.run(
            [sys.executable, __file__, "--measure", "--kind", args.kind],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        result = json.loads(output.strip().splitlines()[-1])
        print(
            f"all.{args.kind}: {result['rows']:,} rows, {result['bytes'] / 2**20:.0f} MiB in "
            f"{result['seconds']:.1f} s = {result['rows'] / result['seconds']:,.0f} rows/s; "
            f"peak RSS {result['peak_before_mib']:.0f} MiB before, "
            f"{result['peak_after_mib']:.0f} MiB after the download"
        )
        assert result["rows"] == rows, "not every row was written"
    finally:
        from django.db import connections

        connections.close_all()
        with _admin(server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
