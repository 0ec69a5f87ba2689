"""Benchmark the whole-dataset files of the values list (CSV, Swedish CSV, xlsx) on 1,000,000
values.

    .venv/bin/python bench/download_bench.py [--values 1000000] [--kind csv --kind xlsx]

Uses the PostgreSQL server of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/):
creates a throwaway database, fills it as bench/api_bench.py does (20 boards with a
published year-end 2019, values 1990–2019 × whole year and tertials × T/K/M, by COPY), then
in a fresh Python process (so that the filling does not count) requests
`/api/v1/indicator-values/all.<kind>` as an anonymous reader through Django's request
handler and reads the streamed body chunk by chunk, counting rows (CSV: lines; xlsx: the
body is written to a temporary file and its sheet's rows counted from the zip stream).
Each kind (by default all three) in its own process. Prints the rows, the bytes, the time to
the first byte (what a WSGI server's timeout must allow: the xlsx is written whole before
it is sent), rows/s and the process's peak resident memory (ru_maxrss) before and after
the download: bounded memory means the peak hardly grows with the number of rows. The
database is dropped at the end, also after an error or Ctrl-C.
"""

import argparse
import json
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _xlsx_rows(path):
    """Rows of the workbook's sheet, counted from the zip stream (no workbook in memory)."""
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        rows, tail = 0, b""
        with archive.open(name) as sheet:
            while block := sheet.read(1 << 20):
                block = tail + block
                rows += len(re.findall(rb"<row[ >]", block))
                tail = block[-8:]
                rows -= len(re.findall(rb"<row[ >]", tail))
    return rows


def measure(kind):
    """In this process: Django set up, one download read to the end; prints JSON."""
    import django

    django.setup()
    from django.test import Client

    # As the TLS proxy in front of production sends it (no redirect to https).
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert client.get("/api/v1/boards/").status_code == 200  # imports, connections warmed up
    before = _peak_mib()
    start = time.perf_counter()
    response = client.get(f"/api/v1/indicator-values/all.{kind}")
    assert response.status_code == 200, response.status_code
    rows = size = 0
    first_byte = None
    body = response.streaming_content if response.streaming else [response.content]
    with tempfile.NamedTemporaryFile(suffix=f".{kind}") as copy:
        for chunk in body:
            if first_byte is None:
                first_byte = time.perf_counter() - start
            size += len(chunk)
            if kind == "xlsx":
                copy.write(chunk)
            else:
                rows += chunk.count(b"\r\n")
        elapsed = time.perf_counter() - start
        peak = _peak_mib()
        if kind == "xlsx":
            copy.flush()
            rows = _xlsx_rows(copy.name)
    print(
        json.dumps(
            {
                "rows": rows - 1,  # the header
                "bytes": size,
                "seconds": elapsed,
                "first_byte": first_byte,
                "peak_before_mib": before,
                "peak_after_mib": peak,
            }
        )
    )


def main():
    from bench.api_bench import _admin, _server_url, _with_database, fill

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--values", type=int, default=1_000_000)
    parser.add_argument(
        "--kind",
        action="append",
        choices=["csv", "sv.csv", "xlsx"],
        help="repeat for several; default all three",
    )
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.kind[0])
    kinds = args.kind or ["csv", "sv.csv", "xlsx"]
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
        call_command("createcachetable", verbosity=0)  # the API's cache and throttle
        indicator_ids, rows = fill(args.values)
        print(
            f"database {name}: {rows:,} indicator values of {len(indicator_ids):,} indicators, "
            f"built in {time.monotonic() - t0:.0f} s"
        )
        from django.db import connections

        connections.close_all()
        for kind in kinds:
            output = subprocess.run(
                [sys.executable, __file__, "--measure", "--kind", kind],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.PIPE,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            print(
                f"all.{kind}: {result['rows']:,} rows, {result['bytes'] / 2**20:.0f} MiB in "
                f"{result['seconds']:.1f} s = {result['rows'] / result['seconds']:,.0f} rows/s, "
                f"first byte after {result['first_byte']:.2f} s; peak RSS "
                f"{result['peak_before_mib']:.0f} MiB before, "
                f"{result['peak_after_mib']:.0f} MiB after the download",
                flush=True,
            )
            assert result["rows"] == rows, "not every row was written"
        load = os.getloadavg()
        print(f"load average at the end (2 cores): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    finally:
        from django.db import connections

        connections.close_all()
        with _admin(server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"database {name} dropped")


if __name__ == "__main__":
    main()
