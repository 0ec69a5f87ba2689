"""Benchmark: import 50,000 indicator values from xlsx into PostgreSQL (not a timed test).

Creates a throwaway database, migrates it, builds a long-form xlsx of 50,000 values and runs
the admin's import path on it (read the file → plan every row → write in one transaction with
a history row per value), then writes the same rows with a raw `bulk_create` for comparison.
Drops the database at the end.

    .venv/bin/python bench/import_bench.py [--rows 50000]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres (the server to use)
"""

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def admin_url(server_url: str, name: str) -> str:
    return server_url.rsplit("/", 1)[0] + "/" + name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument(
        "--repeat", type=int, default=1, help="Run each measurement N times, report the best."
    )
    args = parser.parse_args()
    server = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    name = f"malfoljning_bench_{os.getpid()}"
    with psycopg.connect(admin_url(server, "postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        os.environ["DATABASE_URL"] = admin_url(server, name)
        os.environ.setdefault("SECRET_KEY", "bench-only")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        os.environ["IMPORT_MAX_ROWS"] = str(max(args.rows, 100_000))
        os.environ["IMPORT_MAX_BYTES"] = str(200 * 1024 * 1024)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        run(args.rows, args.repeat)
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url(server, "postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(total, repeat=1):
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from simple_history.utils import bulk_create_with_history

    from core.formats import read_table, write_xlsx
    from goals.models import Board, Municipality
    from indicators.models import Indicator, IndicatorValue
    from indicators.resources import IndicatorValueResource

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(name="Benchköping", code="9999")
    board = Board.objects.create(municipality=municipality, name="Benchnämnden")
    user = get_user_model().objects.create_superuser("bench", password="x")
    per_indicator = 100  # 20 years × 5 breakdowns
    indicators = Indicator.objects.bulk_create(
        Indicator(board=board, kind="volume", name=f"Indikator {i}", order=i)
        for i in range(total // per_indicator + 1)
    )
    breakdowns = [("T", ""), ("K", ""), ("M", ""), ("T", "BOU"), ("T", "VUX")]
    cells = []
    for n in range(total):
        indicator = indicators[n // per_indicator]
        year = 2000 + (n % per_indicator) // len(breakdowns)
        gender, category = breakdowns[n % len(breakdowns)]
        cells.append((indicator, year, gender, category, Decimal(n % 997) / 10))
    headers = ["Nämnd", "Indikator", "Slag", "År", "Kön", "Kategori", "Värde", "Text", "Not"]
    rows = [[board.name, i.name, "Volym", y, g, c, v, None, None] for (i, y, g, c, v) in cells]
    started = time.perf_counter()
    data = write_xlsx(headers, rows)
    print(
        f"file: {total} rows, {len(data) / 1e6:.1f} MB xlsx (written in "
        f"{time.perf_counter() - started:.1f} s)"
    )

    def timed(label, fn, before=None):
        best = None
        for _ in range(repeat):
            if before:
                before()
            start = time.perf_counter()
            result = fn()
            seconds = time.perf_counter() - start
            best = seconds if best is None else min(best, seconds)
        print(f"{label:<58} {best:6.2f} s  {total / best:8.0f} rows/s")
        return result, best

    class NoHistoryResource(IndicatorValueResource):
        """For comparison only: the same import writing without history rows."""

        def _bulk_write(self, to_create, to_update, user, now, total, progress, chunk=2000):
            IndicatorValue.objects.bulk_create(to_create, batch_size=chunk)
            IndicatorValue.objects.bulk_update(to_update, self.update_fields(), batch_size=chunk)

    def import_file(dry_run):
        table = read_table(data)
        return IndicatorValueResource(user=user).import_data(
            table.as_dataset(), dry_run=dry_run, user=user
        )

    table, read_s = timed("read xlsx only", lambda: read_table(data))
    result, preview_s = timed("preview (read + plan, no writes)", lambda: import_file(True))
    assert not result.problems, result.problems[:3]

    def reset():
        # Raw deletes: no per-row signals (tombstones), the benchmark's own bookkeeping only.
        IndicatorValue.objects.all()._raw_delete(IndicatorValue.objects.db)
        history = IndicatorValue.history.model.objects.all()
        history._raw_delete(history.db)

    result, import_s = timed(
        "import: read + plan + write + history (one transaction)",
        lambda: import_file(False),
        before=reset,
    )
    assert result.written and len(result.new_rows) == total
    assert IndicatorValue.history.count() == total
    _result, unchanged_s = timed("same file again (0 changes)", lambda: import_file(False))

    def import_without_history():
        table = read_table(data)
        return NoHistoryResource(user=user).import_data(
            table.as_dataset(), dry_run=False, user=user
        )

    _result, no_history_s = timed(
        "import without history rows (comparison only)", import_without_history, before=reset
    )

    def objects():
        return [
            IndicatorValue(indicator=i, year=y, gender=g, category=c, value=v)
            for (i, y, g, c, v) in cells
        ]

    _r, raw_s = timed(
        "raw bulk_create (objects built in advance)",
        lambda: IndicatorValue.objects.bulk_create(objects(), batch_size=2000),
        before=reset,
    )
    _r, raw_history_s = timed(
        "raw bulk_create_with_history",
        lambda: bulk_create_with_history(
            objects(), IndicatorValue, batch_size=2000, default_user=user
        ),
        before=reset,
    )
    print()
    print(f"import: {import_s:.2f} s, {total / import_s:.0f} rows/s (target ≥ 5000 rows/s)")
    print(
        f"ratio to raw bulk_create: {raw_s / import_s:.2f}× (target ≥ 0.3×); "
        f"to raw bulk_create_with_history: {raw_history_s / import_s:.2f}×; "
        f"without reading the xlsx: {raw_s / (import_s - read_s):.2f}×"
    )
    print(
        f"import without history rows: {total / no_history_s:.0f} rows/s, "
        f"{raw_s / no_history_s:.2f}× raw bulk_create"
    )


if __name__ == "__main__":
    main()
