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
    *(
        f"{subject}_id"
        for subject in ("goal", "activity", "indicator", "indicator_item", "assignment")
    ),
)
COVERAGE_CLOSED = (
    "Den gemensamma uppföljningen hör till en period som inte är öppen: det den omfattar kan "
    "inte ändras förrän en godkännare öppnat perioden igen."
)
COVERAGE_GOAL = "En gemensam uppföljning omfattar bara indikatorer och uppdrag i samma nämndmål."
COVERAGE_OWNED = "Punkten har en egen uppföljning i perioden; skriv den gemensamma texten där."
COVERAGE_PERIOD = "Raden ska ha samma period som uppföljningen den hör till."
_PERIOD_CLOSED = "(SELECT status FROM goals_followupperiod WHERE id = {row}.period_id) <> 'open'"
_OWNER_GOAL = """(SELECT COALESCE(f.goal_id, ii.goal_id, a.goal_id, ind.goal_id)
     FROM followups_followup f
     LEFT JOIN goals_goalindicatoritem ii ON ii.id = f.indicator_item_id
     LEFT JOIN activities_assignment a ON a.id = f.assignment_id
     LEFT JOIN indicators_indicator ind ON ind.id = f.indicator_id
     WHERE f.id = NEW.follow_up_id)"""
_ITEM_GOAL = """(CASE WHEN NEW.indicator_item_id IS NOT NULL
      THEN (SELECT goal_id FROM goals_goalindicatoritem WHERE id = NEW.indicator_item_id)
      ELSE (SELECT goal_id FROM activities_assignment WHERE id = NEW.assignment_id) END)"""
_OWNED = """EXISTS (SELECT 1 FROM followups_followup f WHERE f.period_id = NEW.period_id
     AND ((NEW.indicator_item_id IS NOT NULL AND f.indicator_item_id = NEW.indicator_item_id)
       OR (NEW.assignment_id IS NOT NULL AND f.assignment_id = NEW.assignment_id)))"""
_OTHER_PERIOD = (
    "NEW.period_id <> (SELECT period_id FROM followups_followup WHERE id = NEW.follow_up_id)"
)
_OWNER_GOAL_DIFFERS = f"{_OWNER_GOAL} IS NULL OR {_ITEM_GOAL} IS DISTINCT FROM {_OWNER_GOAL}"
_SQLITE_OWNER_GOAL_DIFFERS = f"{_OWNER_GOAL} IS NULL OR {_ITEM_GOAL} IS NOT {_OWNER_GOAL}"
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

CREATE OR REPLACE FUNCTION followups_followupcoverage_rules() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND {_PERIOD_CLOSED.format(row="OLD")} THEN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
      MESSAGE = '{COVERAGE_CLOSED}', CONSTRAINT = 'followups_followupcoverage_closed_is_kept';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  IF {_PERIOD_CLOSED.format(row="NEW")} THEN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
      MESSAGE = '{COVERAGE_CLOSED}', CONSTRAINT = 'followups_followupcoverage_closed_is_kept';
  END IF;
  IF {_OTHER_PERIOD} THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{COVERAGE_PERIOD}',
      CONSTRAINT = 'followups_followupcoverage_same_period';
  END IF;
  IF {_OWNER_GOAL_DIFFERS} THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{COVERAGE_GOAL}',
      CONSTRAINT = 'followups_followupcoverage_same_goal';
  END IF;
  IF {_OWNED} THEN
    RAISE EXCEPTION USING ERRCODE = 'check_violation', MESSAGE = '{COVERAGE_OWNED}',
      CONSTRAINT = 'followups_followupcoverage_not_owned';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER followups_followupcoverage_rules
  BEFORE INSERT OR UPDATE OR DELETE ON followups_followupcoverage
  FOR EACH ROW EXECUTE FUNCTION followups_followupcoverage_rules();
"""

POSTGRES_DROP = """
DROP TRIGGER IF EXISTS followups_followupcoverage_rules ON followups_followupcoverage;
DROP FUNCTION IF EXISTS followups_followupcoverage_rules();
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
    f"""
CREATE TRIGGER followups_followupcoverage_closed_delete
BEFORE DELETE ON followups_followupcoverage
WHEN {_PERIOD_CLOSED.format(row="OLD")}
BEGIN SELECT RAISE(ABORT, '{COVERAGE_CLOSED}'); END;
""",
    *(
        f"""
CREATE TRIGGER followups_followupcoverage_rules_{event.lower()}
BEFORE {event} ON followups_followupcoverage
BEGIN
  SELECT RAISE(ABORT, '{COVERAGE_CLOSED}') WHERE {_PERIOD_CLOSED.format(row="NEW")}{
            " OR " + _PERIOD_CLOSED.format(row="OLD") if event == "UPDATE" else ""
        };
  SELECT RAISE(ABORT, '{COVERAGE_PERIOD}') WHERE {_OTHER_PERIOD};
  SELECT RAISE(ABORT, '{COVERAGE_GOAL}') WHERE {_SQLITE_OWNER_GOAL_DIFFERS};
  SELECT RAISE(ABORT, '{COVERAGE_OWNED}') WHERE {_OWNED};
END;
"""
        for event in ("INSERT", "UPDATE")
    ),
)

SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS followups_followupcoverage_closed_delete;",
    "DROP TRIGGER IF EXISTS followups_followupcoverage_rules_insert;",
    "DROP TRIGGER IF EXISTS followups_followupcoverage_rules_update;",
    "DROP TRIGGER IF EXISTS followups_followup_closed_is_kept_update;",
    "DROP TRIGGER IF EXISTS followups_followup_closed_is_kept_delete;",
)

TRIGGERS = TriggerSet(
    tables=frozenset(
        {
            "goals_followupperiod",
            "goals_goalindicatoritem",
            "activities_assignment",
            "indicators_indicator",
            "followups_followup",
            "followups_followupcoverage",
        }
    ),
    postgres_install=POSTGRES_INSTALL,
    postgres_drop=POSTGRES_DROP,
    sqlite_install=SQLITE_INSTALL,
    sqlite_drop=SQLITE_DROP,
)
