"""A published edition is never changed or removed, also not by SQL that bypasses the ORM.

`Edition.save`/`delete` and the queryset refuse already; these triggers (PostgreSQL and the
embedded SQLite, installed around `migrate` like goals/triggers.py) refuse any UPDATE or
DELETE of an edition row at the database. Deleting a plan or period with editions is refused
before that by the PROTECT foreign keys. (TRUNCATE, which only an administrator's script or
the test runner's flush issues, is not a row change and is not refused.)
"""

from goals.triggers import TriggerSet

MESSAGE = "En publicerad utgåva kan varken ändras eller tas bort."

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION reports_edition_is_kept() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = '{MESSAGE}',
    CONSTRAINT = 'reports_edition_is_kept';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER reports_edition_is_kept
  BEFORE UPDATE OR DELETE ON reports_edition
  FOR EACH ROW EXECUTE FUNCTION reports_edition_is_kept();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS reports_edition_is_kept ON reports_edition;
DROP FUNCTION IF EXISTS reports_edition_is_kept();
"""

SQLITE_INSTALL = tuple(
    f"""
CREATE TRIGGER reports_edition_is_kept_{event.lower()}
BEFORE {event} ON reports_edition
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
    for event in ("UPDATE", "DELETE")
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS reports_edition_is_kept_update;",
    "DROP TRIGGER IF EXISTS reports_edition_is_kept_delete;",
)

TRIGGERS = TriggerSet(
    tables=frozenset({"reports_edition"}),
    postgres_install=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_DROP,
    sqlite_install=SQLITE_INSTALL,
    sqlite_drop=SQLITE_DROP,
)
