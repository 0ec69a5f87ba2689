"""A stored tsvector of each follow-up for the full-text search (PostgreSQL only).

With many follow-ups matching a common word, PostgreSQL may walk them by another index and
test each row's words; on the expression index of migration 0001 that meant computing every
row's tsvector again (45 ms for 1,500 follow-ups). A generated column keeps the tsvector
stored, so testing, ranking and the GIN index all read it instead. The column is not a model
field: Django never writes it, PostgreSQL computes it on every insert and update. (A later
migration that changes the type of `text` or `forecast` must drop and re-add it.)
"""

from django.db import migrations

EXPRESSION = (
    "to_tsvector('swedish'::regconfig, COALESCE(text, '') || ' ' || COALESCE(forecast, ''))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE followups_followup ADD COLUMN IF NOT EXISTS search_document tsvector "
        f"GENERATED ALWAYS AS ({EXPRESSION}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS public_followup_document "
        "ON followups_followup USING gin (search_document)"
    )
    schema_editor.execute("DROP INDEX IF EXISTS public_followup_search")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS public_followup_search "
        f"ON followups_followup USING gin (({EXPRESSION}))"
    )
    schema_editor.execute("ALTER TABLE followups_followup DROP COLUMN IF EXISTS search_document")


class Migration(migrations.Migration):
    dependencies = [("public", "0001_search_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
