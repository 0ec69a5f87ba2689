"""An activity's area follows its goal (Activity.save keeps it so); fill it for the rows
that existed before the field."""

from django.db import migrations
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

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
