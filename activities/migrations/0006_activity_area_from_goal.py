"""An activity's area follows its goal (Activity.save keeps it so); fill it for the rows
that existed before the field. The plan may be left blank in a form when a goal gives it."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def forward(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Goal = apps.get_model("goals", "Goal")
    area = Goal.objects.filter(pk=OuterRef("goal_id")).values("area_id")[:1]
    Activity.objects.filter(goal__isnull=False, area__isnull=True).update(area=Subquery(area))


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0005_assignment_goes_with_its_goal"),
        ("goals", "0008_goal_intro_indicator_items_links"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        # The plan may be left to the goal in a form: clean() takes it from there.
        migrations.AlterField(
            model_name="activity",
            name="plan",
            field=models.ForeignKey(
                blank=True,
                help_text=(
                    "Taken from the goal when there is one; it makes numbers unique within "
                    "a plan."
                ),
                on_delete=django.db.models.deletion.CASCADE,
                related_name="activities",
                to="goals.plan",
                verbose_name="plan",
            ),
        ),
    ]
