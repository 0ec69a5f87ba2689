"""Representation of follow-ups: one text per subject and period."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer, ReadSerializer
from followups.models import SUBJECT_FIELDS, FollowUp


class FulfilmentSerializer(ReadSerializer):
    """A level of the municipality's goal-fulfilment scale."""

    code = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField()
    symbol = serializers.CharField()


class FollowUpSerializer(ReadModelSerializer):
    """What was written about one goal, activity, indicator or assignment at one period.

    `subject` names the kind; exactly one of goal/activity/indicator/assignment holds its id.
    """

    url = SelfLinkField("api:follow-up-detail")
    period = serializers.IntegerField(source="period_id")
    plan = serializers.IntegerField(source="period.plan_id")
    board = serializers.IntegerField(source="period.plan.board_id")
    year = serializers.IntegerField(source="period.plan.year")
    date = serializers.DateField(source="period.date")
    subject = serializers.SerializerMethodField()
    goal = serializers.IntegerField(source="goal_id", allow_null=True)
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    indicator = serializers.IntegerField(source="indicator_id", allow_null=True)
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)
    fulfilment = FulfilmentSerializer(allow_null=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "url",
            "period",
            "plan",
            "board",
            "year",
            "date",
            "subject",
            "goal",
            "activity",
            "indicator",
            "assignment",
            "text",
            "forecast",
            "fulfilment",
            "status",
            "version",
            "updated_at",
        ]

    @extend_schema_field({"type": "string", "enum": list(SUBJECT_FIELDS)})
    def get_subject(self, obj) -> str:
        return obj.subject_kind
