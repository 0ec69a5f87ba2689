"""Representations of action plans, their measures and monthly follow-ups."""

from decimal import Decimal

from rest_framework import serializers

from actionplans.models import ActionPlan, Measure, MeasureFollowUp
from actionplans.resources import timing_text
from actionplans.selectors import effect_per_year
from core.api.fields import NumberField, SelfLinkField
from core.api.serializers import ReadModelSerializer


class ActionPlanSerializer(ReadModelSerializer):
    """An action plan with its sums, computed from the measures: per group, in total, per year."""

    url = SelfLinkField("api:action-plan-detail")
    board = serializers.IntegerField(source="board_id")
    forecast_deficit = NumberField(allow_null=True)
    groups = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    effect_per_year = serializers.SerializerMethodField()

    class Meta:
        model = ActionPlan
        fields = [
            "id",
            "url",
            "board",
            "year",
            "title",
            "forecast_deficit",
            "total",
            "groups",
            "effect_per_year",
            "published_at",
            "updated_at",
        ]

    def _measures(self, plan):
        return [m for group in plan.groups.all() for m in group.measures.all()]

    def get_groups(self, plan) -> list[dict]:
        return [
            {
                "id": group.pk,
                "kind": group.kind,
                "title": group.title,
                "total": float(sum((m.reduction for m in group.measures.all()), Decimal(0))),
            }
            for group in plan.groups.all()
        ]

    def get_total(self, plan) -> float:
        return float(sum((m.reduction for m in self._measures(plan)), Decimal(0)))

    def get_effect_per_year(self, plan) -> list[dict]:
        return [
            {"year": year, "reduction": float(value)}
            for year, value in effect_per_year(plan, self._measures(plan))
        ]


class MeasureSerializer(ReadModelSerializer):
    """A measure: expected cost reduction (mnkr, full-year effect), timing and comment."""

    url = SelfLinkField("api:action-plan-measure-detail")
    plan = serializers.IntegerField(source="group.plan_id")
    group = serializers.IntegerField(source="group_id")
    group_title = serializers.CharField(source="group.title")
    kind = serializers.CharField(source="group.kind")
    reduction = NumberField()
    timing = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "url",
            "plan",
            "group",
            "group_title",
            "kind",
            "title",
            "reduction",
            "approximate",
            "reduction_note",
            "timing",
            "timing_year",
            "timing_quarter",
            "timing_date",
            "effect_from",
            "comment",
            "updated_at",
        ]

    def get_timing(self, measure) -> str:
        return timing_text(measure)


class MeasureFollowUpSerializer(ReadModelSerializer):
    """A measure at a monthly follow-up: status, reduction realised so far (mnkr), comment."""

    url = SelfLinkField("api:action-plan-follow-up-detail")
    plan = serializers.IntegerField(source="period.plan_id")
    period = serializers.IntegerField(source="period_id")
    date = serializers.DateField(source="period.date")
    period_status = serializers.CharField(source="period.status")
    measure = serializers.IntegerField(source="measure_id")
    realised = NumberField()

    class Meta:
        model = MeasureFollowUp
        fields = [
            "id",
            "url",
            "plan",
            "period",
            "date",
            "period_status",
            "measure",
            "status",
            "realised",
            "comment",
            "updated_at",
        ]
