"""Representation of follow-ups: one text per subject and period."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from activities.models import number_sort_key
from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer, ReadSerializer
from followups.models import COVERABLE_FIELDS, SUBJECT_FIELDS, FollowUp, coverage_label


class FulfilmentSerializer(ReadSerializer):
    """A level of the municipality's goal-fulfilment scale."""

    code = serializers.CharField()
    label = serializers.CharField()
    colour = serializers.CharField()
    symbol = serializers.CharField()


class FollowUpSerializer(ReadModelSerializer):
    """What was written about one goal, activity, indicator or assignment at one period.

    `subject` names the kind; exactly one of goal/activity/indicator/indicator_item/assignment
    holds its id. A joint follow-up ("1–2") is owned by its first item and lists the others
    in `also_covers`; `coverage` is its row label.
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
    indicator_item = serializers.IntegerField(
        source="indicator_item_id",
        allow_null=True,
        help_text=_(
            "Id of the goal's numbered indicator followed up (/api/v1/goal-indicator-items/); "
            "for a joint follow-up, the first item it covers."
        ),
    )
    assignment = serializers.IntegerField(source="assignment_id", allow_null=True)
    also_covers = serializers.SerializerMethodField(
        help_text=_(
            "The further items of the goal that a joint follow-up covers, each as its kind "
            "(indicator_item or assignment) and id; empty for most follow-ups."
        )
    )
    coverage = serializers.SerializerMethodField(
        help_text=_(
            "The numbers of the items it covers as the plan prints them in the row label, "
            "e.g. 1–2 or 3; empty for a follow-up of a goal, an activity or an indicator."
        )
    )
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
            "indicator_item",
            "assignment",
            "also_covers",
            "coverage",
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

    @extend_schema_field(
        {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "kind": {"type": "string", "enum": list(COVERABLE_FIELDS)},
                    "id": {"type": "integer"},
                },
            },
        }
    )
    def get_also_covers(self, obj) -> list:
        """The further items of the goal a joint follow-up covers (empty for most)."""
        return [
            {"kind": "indicator_item", "id": row.indicator_item_id}
            if row.indicator_item_id
            else {"kind": "assignment", "id": row.assignment_id}
            for row in obj.coverage.all()
        ]

    def get_coverage(self, obj) -> str:
        """The row label of the items it covers, as the plan prints it: "1–2", "3"; empty
        for a goal's or an activity's follow-up."""
        owner = obj.indicator_item if obj.indicator_item_id else obj.assignment
        if owner is None:
            return ""
        items = [owner, *(row.indicator_item or row.assignment for row in obj.coverage.all())]
        return coverage_label(sorted((i.number for i in items), key=number_sort_key))
