"""Backup and restore (scripts/backup, scripts/restore): a restored copy holds every table's
rows unchanged and the stored files byte for byte."""

import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def _url(name):
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _tables(cursor):
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    return [row[0] for row in cursor.fetchall()]


def _fingerprint(dsn):
    """Each table's row count and a hash of all its rows (in a fixed order)."""
    import psycopg

    with psycopg.connect(dsn) as conn, conn.cursor() as cursor:
        result = {}
        for table in _tables(cursor):
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))"
                f' FROM "{table}" t'
            )
            result[table] = cursor.fetchone()
        return result


def _run(script, *args, env):
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_backup_restores_every_table_and_file(tmp_path):
    """A backup of the seeded database restored into a new database has the same row count
    and content in every table, and the stored files come back identical."""
    if connection.vendor != "postgresql":
        env = {**os.environ, "DATABASE_URL": "sqlite:///db.sqlite3"}
        result = _run("backup", str(tmp_path / "b"), env=env)
        assert result.returncode == 2 and "PostgreSQL" in result.stderr
        return
    source_db = connection.settings_dict["NAME"]
    restored_db = f"{source_db}_restored"
    media = tmp_path / "media"
    (media / "editions").mkdir(parents=True)
    (media / "editions" / "utgava.pdf").write_bytes(b"%PDF-1.7 \x00\xff published")
    env = {**os.environ, "DATABASE_URL": _url(source_db), "MEDIA_ROOT": str(media)}
    backup = _run("backup", str(tmp_path / "backup"), env=env)
    assert backup.returncode == 0, backup.stderr

    admin = _url("postgres")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
        conn.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        restored_media = tmp_path / "restored-media"
        env = {**os.environ, "DATABASE_URL": _url(restored_db), "MEDIA_ROOT": str(restored_media)}
        restore = _run("restore", str(tmp_path / "backup"), env=env)
        assert restore.returncode == 0, restore.stderr
        original = _fingerprint(_url(source_db))
        copy = _fingerprint(_url(restored_db))
        assert original["goals_plan"][0] > 0 and original["followups_followup"][0] > 0
        assert copy == original
        restored = restored_media / "editions" / "utgava.pdf"
        assert restored.read_bytes() == b"%PDF-1.7 \x00\xff published"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{restored_db}" WITH (FORCE)')
