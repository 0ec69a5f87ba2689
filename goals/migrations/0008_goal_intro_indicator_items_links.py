"""A goal's own introduction, its numbered indicators (from the free-text lines) and its
municipal-goal links in the goal's own order (from the municipal goals' global order)."""

import re

import django.db.models.deletion
from django.db import migrations, models


def forward(apps, schema_editor):
    Goal = apps.get_model("goals", "Goal")
    Item = apps.get_model("goals", "GoalIndicatorItem")
    Link = apps.get_model("goals", "GoalMunicipalGoal")
    items, links = [], []
    for goal in Goal.objects.prefetch_related("municipal_goals").order_by("pk"):
        lines = [line.strip() for line in goal.indicator_text.splitlines() if line.strip()]
        items += [Item(goal=goal, number="", text=line, order=i) for i, line in enumerate(lines, 1)]
        ordered = sorted(goal.municipal_goals.all(), key=lambda m: (m.valid_from, m.order, m.title))
        links += [
            Link(goal=goal, municipal_goal=m, order=i) for i, m in enumerate(ordered, start=1)
        ]
    Item.objects.bulk_create(items)
    Link.objects.bulk_create(links)
    # A goal's opening text was kept as a section with a made-up key; it is the goal's now.
    Section = apps.get_model("goals", "PlanSection")
    for section in Section.objects.filter(key__regex=r"-goal-[0-9]+-context$", period=None):
        order = int(re.search(r"-goal-([0-9]+)-context$", section.key).group(1))
        goal = Goal.objects.filter(plan_id=section.plan_id, order=order).first()
        if goal is None:
            continue
        heading = f"## {section.title}" if section.title else ""
        goal.intro = "\n\n".join(p for p in (heading, section.body, goal.intro) if p)
        goal.save(update_fields=["intro"])
        section.delete()


def backward(apps, schema_editor):
    Goal = apps.get_model("goals", "Goal")
    for goal in Goal.objects.prefetch_related("indicator_items", "municipal_goal_links"):
        goal.indicator_text = "\n".join(i.text for i in goal.indicator_items.order_by("order"))
        goal.save(update_fields=["indicator_text"])
        goal.old_municipal_goals.set([link.municipal_goal_id for link in goal.municipal_goal_links.all()])


class Migration(migrations.Migration):
    dependencies = [
        ("goals", "0007_plan_decision_and_logo"),
        # Its search index on the goal's indicator text is dropped with the column; migration
        # public 0003 indexes the introduction instead.
        ("public", "0001_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="goal",
            name="intro",
            field=models.TextField(
                blank=True,
                help_text=(
                    "The text that opens the goal: paragraphs separated by blank lines; a line "
                    "starting with '## ' is a subheading, lines starting with '- ' a bulleted list."
                ),
                verbose_name="introduction",
            ),
        ),
        migrations.CreateModel(
            name="GoalIndicatorItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.CharField(blank=True, help_text="As the plan numbers it, e.g. 1 or 3a; empty when the plan does not number it.", max_length=10, verbose_name="number")),
                ("text", models.TextField(verbose_name="indicator")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("updated_at", models.DateTimeField(auto_now=True, db_index=True, verbose_name="updated at")),
                ("goal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="indicator_items", to="goals.goal", verbose_name="board goal")),
            ],
            options={
                "verbose_name": "goal indicator",
                "verbose_name_plural": "goal indicators",
                "ordering": ["goal", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("number", ""), _negated=True),
                        fields=("goal", "number"),
                        name="goals_goalindicatoritem_unique_number",
                        violation_error_code="number_taken",
                        violation_error_message="The board goal already has an indicator with this number.",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="GoalMunicipalGoal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("goal", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="municipal_goal_links", to="goals.goal", verbose_name="board goal")),
                ("municipal_goal", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="goal_links", to="goals.municipalgoal", verbose_name="municipal goal")),
            ],
            options={
                "verbose_name": "link to a municipal goal",
                "verbose_name_plural": "links to municipal goals",
                "ordering": ["goal", "order", "pk"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("goal", "municipal_goal"),
                        name="goals_goalmunicipalgoal_unique_link",
                        violation_error_message="The board goal is already linked to this municipal goal.",
                    )
                ],
            },
        ),
        # The old link table stays under another name until its rows are copied.
        migrations.RenameField(model_name="goal", old_name="municipal_goals", new_name="old_municipal_goals"),
        migrations.AlterField(
            model_name="goal",
            name="old_municipal_goals",
            field=models.ManyToManyField(blank=True, related_name="+", to="goals.municipalgoal"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="goal", name="old_municipal_goals"),
        migrations.RemoveField(model_name="goal", name="indicator_text"),
        migrations.AddField(
            model_name="goal",
            name="municipal_goals",
            field=models.ManyToManyField(
                blank=True,
                related_name="goals",
                through="goals.GoalMunicipalGoal",
                to="goals.municipalgoal",
                verbose_name="municipal goals",
            ),
        ),
    ]
