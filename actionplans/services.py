"""Writes of action plans: monthly follow-ups of measures (only in an open month) and publishing."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from access import policy
from access.choices import Action

from .models import ActionPlan, FollowUpMonth, Measure, MeasureFollowUp


def measure_follow_up_save(
    *,
    period: FollowUpMonth,
    measure: Measure,
    user,
    status: str,
    realised: Decimal,
    comment: str = "",
) -> MeasureFollowUp:
    """Write a measure's status, realised reduction and comment for the month."""
    if not policy.can(user, Action.EDIT_FOLLOW_UP, period.plan.board_id):
        raise PermissionDenied
    if not period.is_open:
        raise ValidationError(_("The period is closed; follow-ups can no longer be changed."))
    row = MeasureFollowUp.objects.filter(period=period, measure=measure).first()
    row = row or MeasureFollowUp(period=period, measure=measure)
    row.status, row.realised, row.comment = status, realised, comment
    row.full_clean()
    row._history_user = user
    row.save()
    return row


@transaction.atomic
def follow_up_month_create(*, plan: ActionPlan, date, user, deadline=None) -> FollowUpMonth:
    """Open a month, with one row per measure carrying the previous month's figures forward."""
    if not policy.can(user, Action.EDIT, plan.board_id):
        raise PermissionDenied
    month = FollowUpMonth(plan=plan, date=date, deadline=deadline)
    month.full_clean()
    month._history_user = user
    month.save()
    previous = FollowUpMonth.objects.filter(plan=plan, date__lt=date).order_by("-date").first()
    carried = {}
    if previous is not None:
        carried = {f.measure_id: f for f in previous.follow_ups.all()}
    rows = []
    for measure in Measure.objects.filter(group__plan=plan):
        before = carried.get(measure.pk)
        rows.append(
            MeasureFollowUp(
                period=month,
                measure=measure,
                status=before.status
                if before
                else MeasureFollowUp._meta.get_field("status").default,
                realised=before.realised if before else Decimal(0),
            )
        )
    for row in rows:
        row._history_user = user
        row.save()  # one by one: each row gets its history entry
    return month


def action_plan_publish(*, plan: ActionPlan, user, published: bool = True) -> ActionPlan:
    """Publish the plan (anonymous readers see it) or take it back; approvers only."""
    if not policy.can(user, Action.PUBLISH, plan.board_id):
        raise PermissionDenied
    plan.published_at = timezone.now() if published else None
    plan._history_user = user
    plan.save(update_fields=["published_at", "updated_at"])
    return plan
