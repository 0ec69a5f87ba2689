"""The monthly follow-up workflow: the tertial periods' steps, rules and roles, on months.

The steps (open → submitted → approved → published, reopen with a reason) and who may take
them are the ones of `followups.workflow`; only the period and its record differ.
"""

from access import policy
from followups.workflow import TRANSITIONS, Transition, step_take

from .models import FollowUpMonth, MonthTransition


def transitions_available(*, period: FollowUpMonth, user) -> list[Transition]:
    """The steps this user may take from the month's current status."""
    return [
        t
        for t in TRANSITIONS.values()
        if period.status in t.sources and policy.can(user, t.action, period.plan.board_id)
    ]


def month_transition(
    *, period: FollowUpMonth, transition: str, user, reason: str = ""
) -> MonthTransition:
    """Move the month one step, recording who, when and (for reopening) why."""
    return step_take(
        model=FollowUpMonth,
        record_model=MonthTransition,
        period=period,
        transition=transition,
        user=user,
        reason=reason,
    )
