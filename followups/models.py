"""Follow-ups: texts written at each period about goals, activities, indicators, assignments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.choices import WorkStatus
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod

__all__ = ["FollowUp", "PeriodTransition", "SUBJECT_FIELDS"]

#: The kinds of subject a follow-up can be about; exactly one is set on each row.
SUBJECT_FIELDS = ("goal", "activity", "indicator", "assignment")


def _only(field):
    """Q that holds when `field` is the one subject set."""
    q = Q(**{f"{field}__isnull": False})
    for other in SUBJECT_FIELDS:
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


class FollowUp(models.Model):
    """A follow-up (uppföljning): the text written about one subject at one follow-up period."""

    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        verbose_name=_("follow-up period"),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
    )
    activity = models.ForeignKey(
        to="activities.Activity",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("activity"),
    )
    indicator = models.ForeignKey(
        to="indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("indicator"),
    )
    assignment = models.ForeignKey(
        to="activities.Assignment",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("development assignment"),
    )
    text = models.TextField(_("follow-up"), blank=True)
    forecast = models.TextField(
        _("full-year assessment"),
        blank=True,
        help_text=_("'Bedömning helår': the forecast for the whole year."),
    )
    fulfilment = models.ForeignKey(
        to="goals.FulfilmentLevel",
        on_delete=models.PROTECT,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("goal fulfilment"),
    )
    status = models.CharField(_("status"), max_length=20, choices=WorkStatus.choices, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    updated_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("updated by"),
    )
    ready_at = models.DateTimeField(_("marked ready at"), null=True, blank=True, editable=False)
    ready_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("marked ready by"),
    )

    class Meta:
        ordering = ["period", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=_only("goal")
                | _only("activity")
                | _only("indicator")
                | _only("assignment"),
                name="%(app_label)s_%(class)s_exactly_one_subject",
                violation_error_message=_(
                    "A follow-up must concern exactly one of: board goal, activity, "
                    "indicator or development assignment."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["period", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"%(app_label)s_%(class)s_unique_{field}",
                    violation_error_message=_("The period already has a follow-up of this."),
                )
                for field in SUBJECT_FIELDS
            ],
            models.CheckConstraint(
                condition=Q(fulfilment__isnull=True) | Q(goal__isnull=False),
                name="%(app_label)s_%(class)s_fulfilment_only_for_goals",
                violation_error_message=_("Goal fulfilment can only be given for board goals."),
            ),
            models.CheckConstraint(
                condition=Q(status="") | Q(activity__isnull=False) | Q(assignment__isnull=False),
                name="%(app_label)s_%(class)s_status_only_for_work",
                violation_error_message=_(
                    "A status can only be given for activities and development assignments."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.subject} – {self.period}"

    @property
    def is_written(self) -> bool:
        """The follow-up text has been written (what the deadline asks for)."""
        return bool(self.text.strip())

    @property
    def is_ready(self) -> bool:
        """Its writer has marked it "klar"."""
        return self.ready_at is not None

    @property
    def subject_kind(self) -> str | None:
        """Which of SUBJECT_FIELDS this follow-up is about ("goal", "activity", …)."""
        return next((f for f in SUBJECT_FIELDS if getattr(self, f"{f}_id") is not None), None)

    @property
    def subject_key(self) -> str:
        """The subject as "<kind>-<id>", as the workbench names its rows."""
        kind = self.subject_kind
        return f"{kind}-{getattr(self, f'{kind}_id')}"

    @property
    def subject(self):
        kind = self.subject_kind
        return getattr(self, kind) if kind else None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "period_id" in field_names:
            instance._stored_period_id = instance.period_id
        return instance

    @property
    def is_locked(self) -> bool:
        """A follow-up of a period that has left "open" changes only after the workflow
        reopens the period (also kept by a trigger, see triggers.py)."""
        period_id = getattr(self, "_stored_period_id", None)
        if period_id is None:
            return False
        if self.period_id == period_id and "period" in self._state.fields_cache:
            return not self.period.is_open
        closed = FollowUpPeriod.objects.filter(pk=period_id).exclude(status=PeriodStatus.OPEN)
        return closed.exists()

    @classmethod
    def locked_among(cls, pks):
        """The rows among `pks` that may be neither changed nor deleted (one query)."""
        return cls.objects.filter(pk__in=pks).exclude(period__status=PeriodStatus.OPEN)

    def clean(self):
        """Cross-table rules: the subject is in the period's plan, the level in its municipality."""
        errors = {}
        if not self.period_id:
            return
        plan = self.period.plan
        if self.goal_id and self.goal.plan_id != plan.pk:
            errors["goal"] = _("The board goal belongs to another plan than the period.")
        if self.activity_id and self.activity.plan_id != plan.pk:
            errors["activity"] = _("The activity belongs to another plan than the period.")
        if self.assignment_id and self.assignment.plan_id != plan.pk:
            errors["assignment"] = _("The assignment belongs to another plan than the period.")
        if self.indicator_id and self.indicator.board_id != plan.board_id:
            errors["indicator"] = _("The indicator belongs to another board than the period.")
        if self.fulfilment_id and self.fulfilment.municipality_id != plan.board.municipality_id:
            errors["fulfilment"] = _("The level belongs to another municipality's scale.")
        if errors:
            raise ValidationError(errors)


class PeriodTransition(models.Model):
    """One step of a follow-up period's workflow: who moved it, when, and why (for reopening)."""

    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("follow-up period"),
    )
    transition = models.CharField(_("step"), max_length=20)
    from_status = models.CharField(_("from status"), max_length=20, choices=PeriodStatus.choices)
    to_status = models.CharField(_("to status"), max_length=20, choices=PeriodStatus.choices)
    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["period", "at", "pk"]
        verbose_name = _("workflow step")
        verbose_name_plural = _("workflow steps")
        constraints = [
            models.CheckConstraint(
                condition=~Q(transition="reopen") | ~Q(reason=""),
                name="%(app_label)s_%(class)s_reopen_has_reason",
                violation_error_message=_("Give the reason for reopening the period."),
            ),
        ]

    def __str__(self):
        return f"{self.transition} {self.at:%Y-%m-%d %H:%M}"

    @classmethod
    def locked_among(cls, pks):
        """The workflow log is never deleted: who published and reopened stays on record."""
        return cls.objects.filter(pk__in=pks)
