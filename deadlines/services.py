"""Reminder e-mails before a period's deadline and the approvers' summary after it, and
reminders of missing indicator values before its deadline for values.

`reminders_send_due(now=...)` is the whole schedule: it works out from the clock it is
given which e-mails are due, so the job that calls it can run as often as it likes (every
hour from `manage.py send_reminders --every`) and several servers may run it at once. Each
e-mail is recorded in ReminderSent *before* it is sent, in the same transaction: the unique
constraint lets only one run send it, and a failed send rolls the record back so that the
next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from goals.choices import PeriodStatus
from goals.models import MAX_REMINDER_DAYS, FollowUpPeriod
from indicators.choices import Tertial

from .choices import ReminderKind
from .models import ReminderPreference, ReminderSent
from .selectors import (
    Progress,
    approvers_of_board,
    period_tertial,
    progress_get,
    reminders_of_period,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """Which e-mails a period owes on a given day."""

    days_before: int | None  # the reminder due now (the nearest one reached), if any
    summary: bool  # the deadline has passed: the approvers' summary
    #: the reminder of missing indicator values due now (before `values_deadline`), if any
    values_days_before: int | None = None


def _reached(period, deadline, today) -> int | None:
    """The nearest reminder day reached before `deadline`, up to and including it."""
    reached = [d for d in period.reminder_offsets if (deadline - today).days <= d]
    return min(reached) if reached else None


def due_on(period: FollowUpPeriod, today: datetime.date) -> Due:
    """The reminders of `period` due on `today`: the nearest reminder day reached, up to and
    including the deadline (a run that missed the 7-day reminder sends the 1-day one, not
    both), and the summary from the day after the deadline. The values' reminders follow
    the same reminder days before `values_deadline`, when the period has one."""
    if not period.deadline or period.status != PeriodStatus.OPEN:
        return Due(None, False)
    values_days = None
    if period.values_deadline and period.values_deadline >= today:
        values_days = _reached(period, period.values_deadline, today)
    if period.deadline < today:
        return Due(None, True, values_days)
    return Due(_reached(period, period.deadline, today), False, values_days)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _opted_out(user_ids) -> set[int]:
    return set(
        ReminderPreference.objects.filter(user__in=user_ids, opt_out=True).values_list(
            "user_id", flat=True
        )
    )


def _send_once(*, period, user, kind, days_before, row_count, subject, body) -> ReminderSent | None:
    """Record, then send; None when this e-mail was already sent (by this or another run)."""
    try:
        with transaction.atomic():
            record = ReminderSent.objects.create(
                period=period,
                user=user,
                kind=kind,
                days_before=days_before,
                email=user.email,
                row_count=row_count,
                sent_at=timezone.now(),
            )
            EmailMessage(
                subject=subject,
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email],
            ).send()
    except IntegrityError:
        return None
    return record


def _render(name, context) -> tuple[str, str]:
    subject = render_to_string(f"deadlines/email/{name}_subject.txt", context)
    body = render_to_string(f"deadlines/email/{name}_body.txt", context)
    return " ".join(subject.split()), body


def _row_links(period, rows):
    workbench = reverse("followups:workbench", args=[period.pk])
    return [{"row": row, "url": site_url(f"{workbench}?mina=1#{row.key}")} for row in rows]


def _context(period: FollowUpPeriod, **extra) -> dict:
    return {
        "period": period,
        "plan": period.plan,
        "board": period.plan.board,
        "workbench_url": site_url(reverse("followups:workbench", args=[period.pk])),
        "mine_url": site_url(reverse("followups:workbench", args=[period.pk]) + "?mina=1"),
        "progress_url": site_url(reverse("deadlines:progress", args=[period.pk])),
        "preferences_url": site_url(reverse("deadlines:preferences")),
        **extra,
    }


def _send_reminders(period, progress: Progress, days_before, today) -> list[ReminderSent]:
    people = [p for p in progress.people if p.tally.missing and p.user.email]
    opted_out = _opted_out([p.user.pk for p in people])
    sent = []
    for person in people:
        if person.user.pk in opted_out:
            continue
        subject, body = _render(
            "reminder",
            _context(
                period,
                person=person,
                days_left=(period.deadline - today).days,
                rows=_row_links(period, person.tally.missing_rows),
            ),
        )
        try:
            record = _send_once(
                period=period,
                user=person.user,
                kind=ReminderKind.BEFORE_DEADLINE,
                days_before=days_before,
                row_count=person.tally.missing,
                subject=subject,
                body=body,
            )
        except Exception:
            # The record was rolled back with the failed send: the next run tries again.
            logger.exception("Reminder to %s about period %s not sent", person.user, period.pk)
            continue
        if record:
            sent.append(record)
    return sent


def _value_links(rows):
    """Where each indicator's values are entered: its page in the administration."""
    return [
        {
            "row": row,
            "url": site_url(reverse("admin:indicators_indicator_change", args=[row.subject.pk])),
        }
        for row in rows
    ]


def _send_values_reminders(period, progress: Progress, days_before, today) -> list[ReminderSent]:
    """Remind each responsible person whose indicators lack their value for the period."""
    people = [p for p in progress.people if p.values_missing and p.user.email]
    opted_out = _opted_out([p.user.pk for p in people])
    tertial = period_tertial(period)
    sent = []
    for person in people:
        if person.user.pk in opted_out:
            continue
        subject, body = _render(
            "values_reminder",
            _context(
                period,
                person=person,
                days_left=(period.values_deadline - today).days,
                year=period.plan.year,
                tertial=str(Tertial(tertial).label).lower() if tertial else "",
                rows=_value_links(person.values_missing_rows),
            ),
        )
        try:
            record = _send_once(
                period=period,
                user=person.user,
                kind=ReminderKind.VALUES_BEFORE_DEADLINE,
                days_before=days_before,
                row_count=person.values_missing,
                subject=subject,
                body=body,
            )
        except Exception:
            logger.exception(
                "Values reminder to %s about period %s not sent", person.user, period.pk
            )
            continue
        if record:
            sent.append(record)
    return sent


def _send_summaries(period, progress: Progress) -> list[ReminderSent]:
    approvers = [u for u in approvers_of_board(board_id=period.plan.board_id) if u.email]
    opted_out = _opted_out([u.pk for u in approvers])
    history = list(reminders_of_period(period=period))
    sent = []
    for approver in approvers:
        if approver.pk in opted_out:
            continue
        subject, body = _render(
            "summary",
            _context(period, progress=progress, approver=approver, history=history),
        )
        try:
            record = _send_once(
                period=period,
                user=approver,
                kind=ReminderKind.SUMMARY,
                days_before=0,
                row_count=progress.total.missing,
                subject=subject,
                body=body,
            )
        except Exception:
            logger.exception("Summary to %s about period %s not sent", approver, period.pk)
            continue
        if record:
            sent.append(record)
    return sent


def reminders_send_due(*, now: datetime.datetime | None = None) -> list[ReminderSent]:
    """Send every reminder (of texts and of indicator values) and summary due at `now`
    (default: the present) that has not been sent yet; returns the records of the e-mails
    this run sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    periods = (
        FollowUpPeriod.objects.filter(status=PeriodStatus.OPEN, deadline__isnull=False)
        .filter(
            Q(deadline__lte=today + datetime.timedelta(days=MAX_REMINDER_DAYS))
            | Q(values_deadline__lte=today + datetime.timedelta(days=MAX_REMINDER_DAYS))
        )
        .select_related("plan__board__municipality")
        .order_by("deadline", "pk")
    )
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for period in periods:
            due = due_on(period, today)
            if due.days_before is None and not due.summary and due.values_days_before is None:
                continue
            progress = progress_get(period=period)
            if due.days_before is not None:
                sent += _send_reminders(period, progress, due.days_before, today)
            if due.values_days_before is not None:
                sent += _send_values_reminders(period, progress, due.values_days_before, today)
            if due.summary:
                sent += _send_summaries(period, progress)
    return sent


def preference_get(*, user) -> bool:
    """Has the person turned reminder e-mails off?"""
    return ReminderPreference.objects.filter(user=user, opt_out=True).exists()


def preference_set(*, user, opt_out: bool) -> ReminderPreference:
    preference, _created = ReminderPreference.objects.update_or_create(
        user=user, defaults={"opt_out": opt_out}
    )
    return preference
