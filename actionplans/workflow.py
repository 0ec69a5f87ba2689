"""The monthly follow-up workflow: the tertial periods' steps, rules and roles, on months.

The steps (open → submitted → approved → published, reopen with a reason) and who may take
them are the ones of `followups.workflow`; only the period and its record differ.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from access import policy
from followups.workflow import TRANSITIONS, Transition
from goals.choices import PeriodStatus

from .models import FollowUpMonth, MonthTransition


def transitions_available(*, period: FollowUpMonth, user) -> list[Transition]:
    """The steps this user may take from the month's current status."""
    return [
        t
        for t in TRANSITIONS.values()
        if period.status in t.sources and policy.can(user, t.action, period.plan.board_id)
    ]


@transaction.atomic
def month_transition(
    *, period: FollowUpMonth, transition: str, user, reason: str = ""
) -> MonthTransition:
    """Move the month one step, recording who, when and (for reopening) why."""
    step = TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError(_("Unknown workflow step."))
    locked = FollowUpMonth.objects.select_for_update().select_related("plan").get(pk=period.pk)
    if not policy.can(user, step.action, locked.plan.board_id):
        raise PermissionDenied
    if locked.status not in step.sources:
        raise ValidationError(
            _("The period cannot go from %(status)s to %(target)s.")
            % {
                "status": locked.get_status_display(),
                "target": PeriodStatus(step.target).label,
            }
        )
    reason = reason.strip()
    if step.needs_reason and not reason:
        raise ValidationError({"reason": _("Give the reason for reopening the period.")})
    record = MonthTransition(
        period=locked,
        transition=step.name,
        from_status=locked.status,
        to_status=step.target,
        user=user,
        reason=reason,
    )
    record.full_clean(exclude=["period", "user"])
    locked.status = step.target
    locked._history_user = user
    locked.save(update_fields=["status", "updated_at"])
    record.save()
    period.status = locked.status
    return record
