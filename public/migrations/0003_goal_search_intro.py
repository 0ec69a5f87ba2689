"""The reader's goal search reads the goal's text and its introduction (the free-text
indicators became numbered items), and the plan's sections are searched too; their GIN
indexes follow (PostgreSQL only)."""

from django.db import migrations

GOAL_EXPRESSION = (
    "(setweight(to_tsvector('swedish'::regconfig, COALESCE(text, '')), 'A')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(intro, '')), 'B'))"
)


SECTION_EXPRESSION = (
    "(setweight(to_tsvector('swedish'::regconfig, COALESCE(title, '')), 'A')"
    " || setweight(to_tsvector('swedish'::regconfig, COALESCE(body, '')), 'B'))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS public_goal_search")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS public_goal_search ON goals_goal USING gin (({GOAL_EXPRESSION}))"
    )
    # The plan's sections are found by the reader's search too.
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS public_section_search ON goals_plansection "
        f"USING gin (({SECTION_EXPRESSION}))"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS public_goal_search")
    schema_editor.execute("DROP INDEX IF EXISTS public_section_search")


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0002_followup_search_document"),
        ("goals", "0008_goal_intro_indicator_items_links"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
