"""A goal's link to a municipal goal gets its own `updated_at`, so the API's `changed_since`
lists changed links (existing rows are dated at the migration)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0010_period_report_decision"),
    ]

    operations = [
        migrations.AddField(
            model_name="goalmunicipalgoal",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at"),
        ),
    ]
