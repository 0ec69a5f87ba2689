"""History rows of indicators carry the indicator's stable id (filled from the indicator)."""

import uuid

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

HELP = (
    "A global id that stays the same across databases and installations; the "
    "indicator's KPI id in the Kolada shape when it has no Kolada KPI."
)


def fill_keys(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    History = apps.get_model("audit", "HistoricalIndicator")
    History.objects.update(
        key=Subquery(Indicator.objects.filter(pk=OuterRef("id")).values("key")[:1])
    )
    orphans = History.objects.filter(key__isnull=True).values_list("id", flat=True).distinct()
    for indicator_id in list(orphans):
        # A deleted indicator's history: a key of its own, the same for all its rows.
        History.objects.filter(id=indicator_id, key__isnull=True).update(key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("indicators", "0004_indicator_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalindicator",
            name="key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="historicalindicator",
            name="key",
            field=models.UUIDField(
                db_index=True,
                default=uuid.uuid4,
                editable=False,
                help_text=HELP,
                verbose_name="stable id",
            ),
        ),
    ]
