"""Database triggers for rules that a constraint cannot hold.

- A period lies in its plan's year (spans two tables): PostgreSQL and the embedded SQLite
  refuse a period outside its plan's year, and a plan-year change that would strand it.
- A period that has left "open" (submitted, approved, published) is part of the record: its
  plan, kind and date cannot change and it cannot be deleted, by any path, until the
  workflow reopens it.

Check constraints cannot look at another table or at the old row, hence triggers.
SQLite rebuilds a table to alter it, which drops that table's triggers
and breaks triggers elsewhere that name it; so the triggers are dropped before every
`migrate` and installed again after it (signals wired in GoalsConfig.ready()).
"""

from dataclasses import dataclass

from django.db.models.signals import post_migrate, pre_migrate

MESSAGE = "Uppföljningsdatumet måste ligga inom planens år."
CLOSED_MESSAGE = (
    "Uppföljningsperioden är inte öppen: den kan varken ändras eller tas bort förrän "
    "en godkännare öppnat den igen."
)

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

CREATE OR REPLACE FUNCTION goals_followupperiod_closed_is_kept() RETURNS trigger AS $$
BEGIN
  IF OLD.status <> 'open' AND (TG_OP = 'DELETE' OR NEW.date <> OLD.date
      OR NEW.kind <> OLD.kind OR NEW.plan_id <> OLD.plan_id) THEN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
      MESSAGE = '{CLOSED_MESSAGE}', CONSTRAINT = 'goals_followupperiod_closed_is_kept';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER goals_followupperiod_closed_is_kept
  BEFORE UPDATE OR DELETE ON goals_followupperiod
  FOR EACH ROW EXECUTE FUNCTION goals_followupperiod_closed_is_kept();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS goals_followupperiod_closed_is_kept ON goals_followupperiod;
DROP FUNCTION IF EXISTS goals_followupperiod_closed_is_kept();
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
""",
    f"""
CREATE TRIGGER goals_followupperiod_closed_is_kept_update
BEFORE UPDATE ON goals_followupperiod
WHEN OLD.status <> 'open' AND (NEW.date <> OLD.date OR NEW.kind <> OLD.kind
                               OR NEW.plan_id <> OLD.plan_id)
BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;
""",
    f"""
CREATE TRIGGER goals_followupperiod_closed_is_kept_delete
BEFORE DELETE ON goals_followupperiod
WHEN OLD.status <> 'open'
BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;
""",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS goals_followupperiod_closed_is_kept_update;",
    "DROP TRIGGER IF EXISTS goals_followupperiod_closed_is_kept_delete;",
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_insert;",
    "DROP TRIGGER IF EXISTS goals_followupperiod_in_plan_year_update;",
    "DROP TRIGGER IF EXISTS goals_plan_year_keeps_periods;",
]


@dataclass(frozen=True)
class TriggerSet:
    """An app's triggers: installed after every `migrate`, dropped before it (SQLite)."""

    tables: frozenset
    postgres_install: str
    postgres_drop: str
    sqlite_install: tuple
    sqlite_drop: tuple

    def drop(self, connection):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(self.postgres_drop)
            elif connection.vendor == "sqlite":
                for statement in self.sqlite_drop:
                    cursor.execute(statement)

    def install(self, connection):
        if not self.tables <= set(connection.introspection.table_names()):
            return
        self.drop(connection)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(self.postgres_install)
            elif connection.vendor == "sqlite":
                for statement in self.sqlite_install:
                    cursor.execute(statement)

    def connect(self, app_config):
        """Wire the drop/install around `migrate` (from the app's AppConfig.ready())."""
        label = app_config.label

        def before_migrate(sender, using, **kwargs):
            from django.db import connections

            self.drop(connections[using])

        def after_migrate(sender, using, **kwargs):
            from django.db import connections

            self.install(connections[using])

        pre_migrate.connect(
            before_migrate, sender=app_config, weak=False, dispatch_uid=f"{label}_drop_triggers"
        )
        post_migrate.connect(
            after_migrate, sender=app_config, weak=False, dispatch_uid=f"{label}_install_triggers"
        )


TRIGGERS = TriggerSet(
    tables=frozenset({"goals_plan", "goals_followupperiod"}),
    postgres_install=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_DROP,
    sqlite_install=tuple(SQLITE_INSTALL),
    sqlite_drop=tuple(SQLITE_DROP),
)
