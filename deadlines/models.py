"""Reminders of a follow-up period's deadline: who got which e-mail when, and who wants none."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import ReminderKind

__all__ = ["ReminderPreference", "ReminderSent"]


class ReminderSent(models.Model):
    """One reminder e-mail sent to one person about one period.

    The unique constraint makes "at most once per person and reminder" hold also for
    concurrent runs: the row is inserted before the e-mail is sent, in one transaction.
    """

    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("follow-up period"),
    )
    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders_sent",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReminderKind.choices)
    days_before = models.PositiveSmallIntegerField(
        _("days before the deadline"),
        default=0,
        help_text=_("For a reminder: how many days before the deadline it was due."),
    )
    email = models.EmailField(_("sent to"))
    row_count = models.PositiveIntegerField(_("follow-ups listed"), default=0)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "user", "kind", "days_before"],
                name="%(app_label)s_%(class)s_once_per_person",
                violation_error_message=_("The person has already been sent this reminder."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=ReminderKind.SUMMARY) | Q(days_before=0),
                name="%(app_label)s_%(class)s_summary_no_days",
                violation_error_message=_("A summary is not sent a number of days before."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.user} ({self.sent_at:%Y-%m-%d %H:%M})"


class ReminderPreference(models.Model):
    """A person's choice about reminder e-mails (none: they are sent)."""

    user = models.OneToOneField(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminder_preference",
        verbose_name=_("user"),
    )
    opt_out = models.BooleanField(
        _("no reminder e-mails"),
        default=False,
        help_text=_(
            "The person gets no reminders or summaries by e-mail; the progress page and the "
            "approvers' summary still list their follow-ups."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("reminder preference")
        verbose_name_plural = _("reminder preferences")

    def __str__(self):
        return str(self.user)
