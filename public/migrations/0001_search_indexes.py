"""GIN indexes for the public reader's full-text search (PostgreSQL only; nothing elsewhere).

Each index is on exactly the expression that `public.selectors` searches with
(`SearchVector(..., config="swedish")`), so PostgreSQL answers the match from the index
instead of computing every row's tsvector. tests/public/test_search.py checks that the
query plan uses them.
"""

from django.db import migrations

INDEXES = {
    "public_followup_search": (
        "followups_followup",
        "to_tsvector('swedish'::regconfig, COALESCE(text, '') || ' ' || COALESCE(forecast, ''))",
    ),
    "public_activity_search": (
        "activities_activity",
        "to_tsvector('swedish'::regconfig, COALESCE(number, '') || ' ' || COALESCE(text, ''))",
    ),
    "public_goal_search": (
        "goals_goal",
        "(setweight(to_tsvector('swedish'::regconfig, COALESCE(text, '')), 'A')"
        " || setweight(to_tsvector('swedish'::regconfig, COALESCE(indicator_text, '')), 'B'))",
    ),
    "public_indicator_search": (
        "indicators_indicator",
        "(setweight(to_tsvector('swedish'::regconfig, COALESCE(name, '')), 'A')"
        " || setweight(to_tsvector('swedish'::regconfig, COALESCE(source, '')), 'C'))",
    ),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0002_updated_at"),
        ("followups", "0003_updated_at_index"),
        ("goals", "0004_updated_at"),
        ("indicators", "0002_updated_at"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
