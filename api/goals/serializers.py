"""Representations of the plan structure: ids for links, `url` for the row itself."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer, ReadSerializer
from goals.models import (
    ActivityArea,
    Board,
    FollowUpPeriod,
    Goal,
    GoalIndicatorItem,
    GoalMunicipalGoal,
    MunicipalGoal,
    Plan,
)


def self_link(name):
    return SelfLinkField(f"api:{name}-detail")


class BoardSerializer(ReadModelSerializer):
    """A board (nämnd); `predecessors` are the boards whose work passed to it."""

    url = self_link("board")
    municipality = serializers.CharField(source="municipality.name")
    municipality_code = serializers.CharField(source="municipality.code")
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Board
        fields = [
            "id",
            "url",
            "municipality",
            "municipality_code",
            "name",
            "short_name",
            "valid_from",
            "valid_to",
            "predecessors",
            "updated_at",
        ]


class ActivityAreaSerializer(ReadModelSerializer):
    """An activity area (verksamhetsområde) of a board."""

    url = self_link("activity-area")
    board = serializers.IntegerField(source="board_id")

    class Meta:
        model = ActivityArea
        fields = ["id", "url", "board", "name", "order", "updated_at"]


class MunicipalGoalSerializer(ReadModelSerializer):
    """An overarching goal of the municipality (kommunövergripande mål)."""

    url = self_link("municipal-goal")
    municipality_code = serializers.CharField(source="municipality.code")
    domain = serializers.CharField(source="domain.name", allow_null=True, default=None)

    class Meta:
        model = MunicipalGoal
        fields = [
            "id",
            "url",
            "municipality_code",
            "domain",
            "title",
            "valid_from",
            "valid_to",
            "order",
            "updated_at",
        ]


class PlanSerializer(ReadModelSerializer):
    """A board's yearly plan (verksamhetsplan)."""

    url = self_link("plan")
    board = serializers.IntegerField(source="board_id")

    class Meta:
        model = Plan
        # The decision that adopted the plan, as its cover prints it (public record).
        fields = [
            "id",
            "url",
            "board",
            "year",
            "title",
            "adopted_on",
            "adopted_by",
            "decision_paragraph",
            "diary_number",
            "updated_at",
        ]


class FollowUpPeriodSerializer(ReadModelSerializer):
    """A follow-up date of a plan (T1 04-30, T2 08-31, T3 12-31) and its workflow status."""

    url = self_link("follow-up-period")
    plan = serializers.IntegerField(source="plan_id")
    board = serializers.IntegerField(source="plan.board_id")
    year = serializers.IntegerField(source="plan.year")

    class Meta:
        model = FollowUpPeriod
        fields = [
            "id",
            "url",
            "plan",
            "board",
            "year",
            "kind",
            "date",
            "deadline",
            "status",
            # The board's decision on the report written at this follow-up (the year-end:
            # the verksamhetsberättelse), as its cover prints it; empty while a proposal.
            "report_adopted_on",
            "report_adopted_by",
            "report_decision_paragraph",
            "report_diary_number",
            "updated_at",
        ]


class GoalFulfilmentSerializer(ReadSerializer):
    """The goal fulfilment assessed at one follow-up period."""

    period = serializers.IntegerField(source="period_id")
    kind = serializers.CharField(source="period.kind")
    date = serializers.DateField(source="period.date")
    code = serializers.CharField(source="fulfilment.code")
    label = serializers.CharField(source="fulfilment.label")
    colour = serializers.CharField(source="fulfilment.colour")
    symbol = serializers.CharField(source="fulfilment.symbol")


class GoalIndicatorItemInGoalSerializer(ReadModelSerializer):
    """A numbered indicator within its board goal, in the goal's order; `url` is its own
    resource at /api/v1/goal-indicator-items/."""

    url = self_link("goal-indicator-item")

    class Meta:
        model = GoalIndicatorItem
        fields = ["id", "url", "number", "text", "order"]


class _GoalPartSerializer(ReadModelSerializer):
    """The goal a part belongs to, and the goal's plan, board and year."""

    goal = serializers.IntegerField(source="goal_id")
    plan = serializers.IntegerField(source="goal.plan_id")
    board = serializers.IntegerField(source="goal.plan.board_id")
    year = serializers.IntegerField(source="goal.plan.year")


class GoalIndicatorItemSerializer(_GoalPartSerializer):
    """A numbered indicator of a board goal as the plan writes it ("1. Fler personer ska …");
    `number` is empty when the plan does not number it, `order` its place in the goal.
    Follow-ups of it name it in `indicator_item` (or in `also_covers` when joint)."""

    url = self_link("goal-indicator-item")

    class Meta:
        model = GoalIndicatorItem
        fields = [
            "id",
            "url",
            "goal",
            "plan",
            "board",
            "year",
            "number",
            "text",
            "order",
            "updated_at",
        ]


class GoalMunicipalGoalSerializer(_GoalPartSerializer):
    """A board goal's link to a municipal goal (kommunövergripande mål) it serves; `order` is
    the link's place in the goal's own list of municipal goals."""

    url = self_link("goal-municipal-goal")
    municipal_goal = serializers.IntegerField(source="municipal_goal_id")

    class Meta:
        model = GoalMunicipalGoal
        fields = [
            "id",
            "url",
            "goal",
            "plan",
            "board",
            "year",
            "municipal_goal",
            "order",
            "updated_at",
        ]


class GoalSerializer(ReadModelSerializer):
    """A board goal (nämndmål) as the plan writes it: its introduction, its numbered
    indicators and its municipal goals in the goal's own order, and its goal fulfilment per
    follow-up period, oldest first."""

    url = self_link("goal")
    plan = serializers.IntegerField(source="plan_id")
    board = serializers.IntegerField(source="plan.board_id")
    year = serializers.IntegerField(source="plan.year")
    area = serializers.IntegerField(source="area_id", allow_null=True)
    domain = serializers.CharField(source="domain.name", allow_null=True, default=None)
    municipal_goals = serializers.SerializerMethodField(
        help_text=_(
            "Ids of the municipal goals the goal serves, in the goal's own order (the links: "
            "/api/v1/goal-municipal-goals/)."
        )
    )
    indicator_items = GoalIndicatorItemInGoalSerializer(
        many=True, read_only=True, help_text=_("The goal's numbered indicators, in its order.")
    )
    fulfilment = GoalFulfilmentSerializer(source="fulfilments", many=True)

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_municipal_goals(self, goal) -> list[int]:
        """The linked municipal goals in the goal's own order."""
        return [link.municipal_goal_id for link in goal.municipal_goal_links.all()]

    class Meta:
        model = Goal
        fields = [
            "id",
            "url",
            "plan",
            "board",
            "year",
            "area",
            "domain",
            "order",
            "text",
            "intro",
            "indicator_items",
            "summary",
            "municipal_goals",
            "fulfilment",
            "updated_at",
        ]
