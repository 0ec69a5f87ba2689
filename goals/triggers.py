"""Database triggers for the one rule that spans two tables: a period lies in its plan's year.

Check constraints cannot look at another table, so PostgreSQL and the embedded SQLite get
triggers that refuse a period outside its plan's year, and a plan-year change that would
strand its periods. SQLite rebuilds a table to alter it, which drops that table's triggers
and breaks triggers elsewhere that name it; so the triggers are dropped before every
`migrate` and installed again after it (signals wired in GoalsConfig.ready()).
"""

MESSAGE = "Uppföljningsdatumet måste ligga inom planens år."

POSTGRES_INSTALL = f"""
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

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS goals_plan_year_keeps_periods ON goals_plan;
DROP FUNCTION IF EXISTS goals_plan_year_keeps_periods();
DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year ON goals_followupperiod;
DROP FUNCTION IF EXISTS goals_followupperiod_in_plan_year();
"""

SQLITE_INSTALL = [
    f"""
CREATE TRIGGER goals_followupperiod_in_plan_year_{event.lower()}
BEFORE {event} ON goals_followupperiod
WHEN CAST(strftime('%Y', NEW.date) AS INTEGER)
     <> (SELECT year FROM goals_plan WHERE id = NEW.plan_id)
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

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_insert;",
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_update;",
    "DROP TRIGGER IF EXISTS goals_plan_year_keeps_periods;",
]


def _tables_exist(connection):
    tables = set(connection.introspection.table_names())
    return {"goals_plan", "goals_followupperiod"} <= tables


def drop_triggers(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_DROP)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_DROP:
                cursor.execute(statement)


def install_triggers(connection):
    if not _tables_exist(connection):
        return
    drop_triggers(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INSTALL)
        elif connection.vendor == "sqlite":
            for statement in SQLITE_INSTALL:
                cursor.execute(statement)


def before_migrate(sender, using, **kwargs):
    from django.db import connections

    drop_triggers(connections[using])


def after_migrate(sender, using, **kwargs):
    from django.db import connections

    install_triggers(connections[using])
