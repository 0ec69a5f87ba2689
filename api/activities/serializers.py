"""Representations of activities and development assignments."""

from rest_framework import serializers

from activities.models import Activity, Assignment
from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer


class ActivitySerializer(ReadModelSerializer):
    """A numbered activity under a board goal, or under an area without a goal (`goal` is
    null); `schedule_label` is the schedule as written."""

    url = SelfLinkField("api:activity-detail")
    plan = serializers.IntegerField(source="plan_id")
    board = serializers.IntegerField(source="plan.board_id")
    year = serializers.IntegerField(source="plan.year")
    goal = serializers.IntegerField(source="goal_id", allow_null=True)
    area = serializers.IntegerField(source="area_id", allow_null=True)
    schedule_label = serializers.CharField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "url",
            "plan",
            "board",
            "year",
            "goal",
            "area",
            "number",
            "text",
            "schedule",
            "schedule_text",
            "schedule_label",
            "updated_at",
        ]


class AssignmentSerializer(ReadModelSerializer):
    """A development assignment (utvecklingsuppdrag) of a plan."""

    url = SelfLinkField("api:assignment-detail")
    plan = serializers.IntegerField(source="plan_id")
    board = serializers.IntegerField(source="plan.board_id")
    year = serializers.IntegerField(source="plan.year")
    goal = serializers.IntegerField(source="goal_id", allow_null=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "url",
            "plan",
            "board",
            "year",
            "goal",
            "origin",
            "number",
            "text",
            "partners",
            "updated_at",
        ]
