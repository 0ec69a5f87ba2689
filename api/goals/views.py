from django.db.models import Max, Prefetch

from access import policy
from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from followups.models import FollowUp
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

from . import filtersets, serializers


class BoardViewSet(ReadOnlyViewSet):
    """Boards (nämnder) of the municipalities."""

    queryset = Board.objects.select_related("municipality").prefetch_related("predecessors")
    serializer_class = serializers.BoardSerializer
    filterset_class = filtersets.BoardFilterSet
    visibility = staticmethod(api_visibility.visible_boards)
    ordering = ["municipality_id", "name", "valid_from", "pk"]
    ordering_fields = ["id", "name", "valid_from", "updated_at"]


class ActivityAreaViewSet(ReadOnlyViewSet):
    """Activity areas (verksamhetsområden) of the boards."""

    queryset = ActivityArea.objects.all()
    serializer_class = serializers.ActivityAreaSerializer
    filterset_class = filtersets.ActivityAreaFilterSet
    visibility = staticmethod(api_visibility.visible_activity_areas)
    ordering = ["board_id", "order", "name", "pk"]
    ordering_fields = ["id", "order", "name", "updated_at"]


class MunicipalGoalViewSet(ReadOnlyViewSet):
    """The municipality's overarching goals (kommunövergripande mål)."""

    queryset = MunicipalGoal.objects.select_related("municipality", "domain")
    serializer_class = serializers.MunicipalGoalSerializer
    filterset_class = filtersets.MunicipalGoalFilterSet
    visibility = staticmethod(api_visibility.visible_municipal_goals)
    ordering = ["municipality_id", "valid_from", "order", "title", "pk"]
    ordering_fields = ["id", "valid_from", "order", "updated_at"]


class PlanViewSet(ReadOnlyViewSet):
    """The boards' yearly plans (verksamhetsplaner)."""

    queryset = Plan.objects.all()
    serializer_class = serializers.PlanSerializer
    filterset_class = filtersets.PlanFilterSet
    visibility = staticmethod(api_visibility.visible_plans)
    ordering = ["board_id", "-year", "pk"]
    ordering_fields = ["id", "year", "updated_at"]


class FollowUpPeriodViewSet(ReadOnlyViewSet):
    """Follow-up periods of the plans; the public sees published ones."""

    queryset = FollowUpPeriod.objects.select_related("plan")
    serializer_class = serializers.FollowUpPeriodSerializer
    filterset_class = filtersets.FollowUpPeriodFilterSet
    visibility = staticmethod(api_visibility.visible_periods)
    ordering = ["plan__board_id", "date", "pk"]
    ordering_fields = ["id", "date", "updated_at"]


class GoalViewSet(ReadOnlyViewSet):
    """Board goals (nämndmål) with their goal fulfilment per visible follow-up period."""

    queryset = Goal.objects.select_related("plan", "domain").prefetch_related(
        "municipal_goal_links", "indicator_items"
    )
    serializer_class = serializers.GoalSerializer
    filterset_class = filtersets.GoalFilterSet
    visibility = staticmethod(api_visibility.visible_goals)
    ordering = ["plan__board_id", "plan__year", "order", "pk"]
    ordering_fields = ["id", "order", "updated_at"]
    # The nested fulfilment dates the representation too.
    etag_timestamps = ("updated_at", "follow_ups__updated_at")
    etag_distinct = True

    def get_etag_timestamps(self):
        # Only the follow-ups the reader may see date the goals: a draft's edit leaves no
        # trace in the public Last-Modified and ETag.
        visible = policy.visible_periods_q(self.request.user, "follow_ups__period__")
        if not visible:
            return self.etag_timestamps
        return ("updated_at", Max("follow_ups__updated_at", filter=visible))

    def get_queryset(self):
        fulfilments = api_visibility.visible_follow_ups(
            self.request,
            FollowUp.objects.filter(goal__isnull=False, fulfilment__isnull=False)
            .select_related("period", "fulfilment")
            .order_by("period__date", "pk"),
        )
        return (
            super()
            .get_queryset()
            .prefetch_related(Prefetch("follow_ups", queryset=fulfilments, to_attr="fulfilments"))
        )


class GoalIndicatorItemViewSet(ReadOnlyViewSet):
    """Numbered indicators of the board goals, in the plan's order (goal by goal); visible
    with their goal. Also nested in each goal as `indicator_items`."""

    queryset = GoalIndicatorItem.objects.select_related("goal__plan")
    serializer_class = serializers.GoalIndicatorItemSerializer
    filterset_class = filtersets.GoalIndicatorItemFilterSet
    visibility = staticmethod(api_visibility.visible_goal_parts)
    ordering = ["goal__plan__board_id", "goal__plan__year", "goal__order", "order", "pk"]
    ordering_fields = ["id", "order", "updated_at"]


class GoalMunicipalGoalViewSet(ReadOnlyViewSet):
    """Links of the board goals to the municipal goals they serve, in each goal's own order;
    visible with their goal. Also nested in each goal as `municipal_goals` (ids, in order)."""

    queryset = GoalMunicipalGoal.objects.select_related("goal__plan")
    serializer_class = serializers.GoalMunicipalGoalSerializer
    filterset_class = filtersets.GoalMunicipalGoalFilterSet
    visibility = staticmethod(api_visibility.visible_goal_parts)
    ordering = ["goal__plan__board_id", "goal__plan__year", "goal__order", "order", "pk"]
    ordering_fields = ["id", "order", "updated_at"]
