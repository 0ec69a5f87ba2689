"""Small builders for test data beyond the seed documents."""

from decimal import Decimal

from activities.models import Activity
from followups.models import FollowUp
from indicators.models import Indicator, IndicatorValue


def add_activities(plan, count, *, with_follow_ups=True):
    """Add `count` activities (numbered 90.1, 90.2, …) spread over the plan's goals."""
    goals = list(plan.goals.all())
    periods = list(plan.periods.all())
    created = []
    for i in range(1, count + 1):
        activity = Activity.objects.create(
            goal=goals[i % len(goals)], number=f"90.{i}", text=f"Extra aktivitet {i}", schedule="T3"
        )
        created.append(activity)
        if with_follow_ups:
            FollowUp.objects.bulk_create(
                FollowUp(period=p, activity=activity, text=f"Uppföljning {i} {p.date}")
                for p in periods
            )
    return created


def add_indicators(plan, count, *, years=3, breakdowns=("T", "K", "M")):
    """Add `count` goal indicators to the plan's goals, each with a value per year and gender."""
    goals = list(plan.goals.all())
    created = []
    for i in range(1, count + 1):
        indicator = Indicator.objects.create(
            board_id=plan.board_id,
            goal=goals[i % len(goals)],
            kind="goal",
            name=f"Extra indikator {i}",
            unit="%",
            target_comparator=">=",
            target_value=Decimal(50),
            direction="higher",
            source=f"Källa extra {i}",
            order=1000 + i,
        )
        created.append(indicator)
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                indicator=indicator,
                year=plan.year - offset,
                gender=gender,
                value=Decimal(40 + (i + offset) % 20),
            )
            for offset in range(years)
            for gender in breakdowns
        )
    return created
