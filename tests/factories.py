"""Small builders for test data beyond the seed documents."""

from activities.models import Activity
from followups.models import FollowUp


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
