"""A follow-up period's date lies in its plan's year: a rule across two tables, kept by triggers.

Check constraints cannot look at another table, so PostgreSQL (and the embedded SQLite)
get triggers that refuse a period outside the plan's year, and a plan year change that
would leave its periods outside it.
"""

from django.db import migrations

MESSAGE = "Uppföljningsdatumet måste ligga inom planens år."

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION goals_followupperiod_in_plan_year() RETURNS trigger AS $$
BEGIN
  IF EXTRACT(YEAR FROM NEW.date)::int <> (SELECT year FROM goals_plan WHERE id = NEW.plan_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{MESSAGE}',
      CONSTRAINT = 'goals_followupperiod_in_plan_year';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER goals_followupperiod_in_plan_year
  BEFORE INSERT OR UPDATE OF date, plan_id ON goals_followupperiod
  FOR EACH ROW EXECUTE FUNCTION goals_followupperiod_in_plan_year();

CREATE OR REPLACE FUNCTION goals_plan_year_keeps_periods() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM goals_followupperiod
             WHERE plan_id = NEW.id AND EXTRACT(YEAR FROM date)::int <> NEW.year) THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{MESSAGE}',
      CONSTRAINT = 'goals_followupperiod_in_plan_year';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER goals_plan_year_keeps_periods
  BEFORE UPDATE OF year ON goals_plan
  FOR EACH ROW EXECUTE FUNCTION goals_plan_year_keeps_periods();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS goals_plan_year_keeps_periods ON goals_plan;
DROP FUNCTION IF EXISTS goals_plan_year_keeps_periods();
DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year ON goals_followupperiod;
DROP FUNCTION IF EXISTS goals_followupperiod_in_plan_year();
"""

SQLITE_FORWARD = [
    f"""
CREATE TRIGGER goals_followupperiod_in_plan_year_{event.lower()}
BEFORE {event} ON goals_followupperiod
WHEN CAST(strftime('%Y', NEW.date) AS INTEGER) <> (SELECT year FROM goals_plan WHERE id = NEW.plan_id)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
    for event in ("INSERT", "UPDATE")
] + [
    f"""
CREATE TRIGGER goals_plan_year_keeps_periods
BEFORE UPDATE OF year ON goals_plan
WHEN EXISTS (SELECT 1 FROM goals_followupperiod
             WHERE plan_id = NEW.id AND CAST(strftime('%Y', date) AS INTEGER) <> NEW.year)
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
"""
]

SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_insert;",
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_update;",
    "DROP TRIGGER IF EXISTS goals_plan_year_keeps_periods;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement, params=None)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("goals", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
