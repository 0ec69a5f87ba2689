"""The follow-up period workflow: open → submitted → approved → published, and reopen."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

from access import policy
from access.choices import Action
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod

from .models import PeriodTransition

#: Sent inside the transaction that publishes a period (kwargs: period, publication, the
#: PeriodTransition record). `reports` connects it to create the published editions.
publication_made = Signal()
#: Sent inside the transaction that reopens a period (kwargs: period, from_status, reopening
#: the PeriodTransition record). `tombstones` withdraws a published period's rows from the
#: public change log.
period_reopened = Signal()


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    action: str
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit", _("Submit"), (PeriodStatus.OPEN,), PeriodStatus.SUBMITTED, Action.SUBMIT
        ),
        Transition(
            "approve",
            _("Approve"),
            (PeriodStatus.SUBMITTED,),
            PeriodStatus.APPROVED,
            Action.APPROVE,
        ),
        Transition(
            "publish",
            _("Publish"),
            (PeriodStatus.APPROVED,),
            PeriodStatus.PUBLISHED,
            Action.PUBLISH,
        ),
        Transition(
            "reopen",
            _("Reopen"),
            (PeriodStatus.SUBMITTED, PeriodStatus.APPROVED, PeriodStatus.PUBLISHED),
            PeriodStatus.OPEN,
            Action.REOPEN,
            needs_reason=True,
        ),
    )
}


def transitions_available(*, period: FollowUpPeriod, user) -> list[Transition]:
    """The steps this user may take from the period's current status."""
    return [
        t
        for t in TRANSITIONS.values()
        if period.status in t.sources and policy.can(user, t.action, period.plan.board_id)
    ]


@transaction.atomic
def step_take(*, model, record_model, period, transition: str, user, reason: str = ""):
    """Move a period-like row (`model`: a follow-up period, an action plan's month) one step,
    recording who, when and (for reopening) why in `record_model`. Returns the record."""
    step = TRANSITIONS.get(transition)
    if step is None:
        raise ValidationError(_("Unknown workflow step."))
    locked = model.objects.select_for_update().select_related("plan").get(pk=period.pk)
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
    record = record_model(
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


@transaction.atomic
def period_transition(
    *, period: FollowUpPeriod, transition: str, user, reason: str = ""
) -> PeriodTransition:
    """Move the period one step (step_take); publishing announces the publication, reopening
    the reopening, both inside the same transaction."""
    record = step_take(
        model=FollowUpPeriod,
        record_model=PeriodTransition,
        period=period,
        transition=transition,
        user=user,
        reason=reason,
    )
    if record.transition == "publish":
        publication_made.send(sender=FollowUpPeriod, period=record.period, publication=record)
    elif record.transition == "reopen":
        period_reopened.send(
            sender=FollowUpPeriod,
            period=record.period,
            from_status=record.from_status,
            reopening=record,
        )
    return record


def period_published(*, period: FollowUpPeriod) -> PeriodTransition | None:
    """Who published the period and when (the latest publish step), if it is published."""
    if period.status != PeriodStatus.PUBLISHED:
        return None
    return (
        PeriodTransition.objects.filter(period=period, transition="publish")
        .select_related("user")
        .order_by("-at", "-pk")
        .first()
    )
