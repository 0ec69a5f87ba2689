"""A stable, global id for every indicator (the KPI id of local indicators in the Kolada
shape): added empty, filled with a fresh UUID per existing row, then made required and unique."""

import uuid

from django.db import migrations, models


def fill_keys(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for indicator in Indicator.objects.filter(key__isnull=True).only("pk").iterator():
        Indicator.objects.filter(pk=indicator.pk).update(key=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_english_msgids")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="key",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="indicator",
            name="key",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                unique=True,
                verbose_name="stable id",
                help_text=(
                    "A global id that stays the same across databases and installations; the "
                    "indicator's KPI id in the Kolada shape when it has no Kolada KPI."
                ),
            ),
        ),
    ]
