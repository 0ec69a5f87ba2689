"""A follow-up of a period that is no longer open is part of the record (see goals/triggers.py).

Its text, forecast, assessment, status, subject and period cannot change and it cannot be
deleted — not directly, and not through a cascade from deleting its goal, activity,
indicator or assignment — until the workflow reopens its period.
"""

from goals.triggers import TriggerSet

MESSAGE = (
    "Uppföljningen hör till en period som inte är öppen: den kan varken ändras eller tas bort "
    "förrän en godkännare öppnat perioden igen."
)
CONTENT = (
    "text",
    "forecast",
    "fulfilment_id",
    "status",
    "period_id",
    *(f"{subject}_id" for subject in ("goal", "activity", "indicator", "assignment")),
)
_CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in CONTENT)
_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
_CLOSED = "(SELECT status FROM goals_followupperiod WHERE id = OLD.period_id) <> 'open'"

POSTGRES_INSTALL = f"""
CREATE OR REPLACE FUNCTION followups_followup_closed_is_kept() RETURNS trigger AS $$
BEGIN
  IF {_CLOSED} AND (TG_OP = 'DELETE' OR {_CHANGED}) THEN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation', MESSAGE = '{MESSAGE}',
      CONSTRAINT = 'followups_followup_closed_is_kept';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER followups_followup_closed_is_kept
  BEFORE UPDATE OR DELETE ON followups_followup
  FOR EACH ROW EXECUTE FUNCTION followups_followup_closed_is_kept();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS followups_followup_closed_is_kept ON followups_followup;
DROP FUNCTION IF EXISTS followups_followup_closed_is_kept();
"""

SQLITE_INSTALL = (
    f"""
CREATE TRIGGER followups_followup_closed_is_kept_update
BEFORE UPDATE ON followups_followup
WHEN {_CLOSED} AND ({_SQLITE_CHANGED})
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
""",
    f"""
CREATE TRIGGER followups_followup_closed_is_kept_delete
BEFORE DELETE ON followups_followup
WHEN {_CLOSED}
BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
""",
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS followups_followup_closed_is_kept_update;",
    "DROP TRIGGER IF EXISTS followups_followup_closed_is_kept_delete;",
)

TRIGGERS = TriggerSet(
    tables=frozenset({"goals_followupperiod", "followups_followup"}),
    postgres_install=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_DROP,
    sqlite_install=SQLITE_INSTALL,
    sqlite_drop=SQLITE_DROP,
)
