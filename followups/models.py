"""Follow-ups: texts written at each period about goals, activities, indicators, assignments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.choices import WorkStatus
from goals.choices import PeriodStatus
from goals.models import FollowUpPeriod, WorkflowStep

__all__ = [
    "CONTENT_FIELDS",
    "COVERABLE_FIELDS",
    "FollowUp",
    "FollowUpCoverage",
    "PeriodTransition",
    "SUBJECT_FIELDS",
    "coverage_label",
]

#: The kinds of subject a follow-up can be about; exactly one is set on each row (its owner).
SUBJECT_FIELDS = ("goal", "activity", "indicator", "indicator_item", "assignment")

#: The items a joint follow-up may cover besides its owner (all of the same goal).
COVERABLE_FIELDS = ("indicator_item", "assignment")

#: What a follow-up says: a change of any of them (or of what a joint one covers) is a change
#: of content, which takes back its "klar" mark (see FollowUp.ready_lapse).
CONTENT_FIELDS = ("text", "forecast", "fulfilment_id", "status")

#: The fields the ready-marking itself writes: a save of only these is no change of content.
READY_FIELDS = frozenset({"ready_at", "ready_by", "ready_lapsed_at", "updated_at"})


def coverage_label(numbers) -> str:
    """The row label of a follow-up covering items with these numbers: "1–2", "1, 3", "1–3, 5".

    Runs of consecutive whole numbers of two or more collapse into a range with an en dash.
    """
    numbers = [str(n).strip().rstrip(".") for n in numbers if str(n).strip()]
    parts, run = [], []

    def flush():
        if len(run) >= 2:
            parts.append(f"{run[0]}\u2013{run[-1]}")
        else:
            parts.extend(str(n) for n in run)
        run.clear()

    for number in numbers:
        if number.isdigit() and run and int(number) == int(run[-1]) + 1:
            run.append(number)
            continue
        flush()
        if number.isdigit():
            run.append(number)
        else:
            parts.append(number)
    flush()
    return ", ".join(parts)


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
    indicator_item = models.ForeignKey(
        to="goals.GoalIndicatorItem",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        null=True,
        blank=True,
        verbose_name=_("goal indicator"),
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
    ready_lapsed_at = models.DateTimeField(
        _("changed after it was marked ready"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a change of the content took back its ready mark (until marked again)."),
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
                | _only("indicator_item")
                | _only("assignment"),
                name="%(app_label)s_%(class)s_exactly_one_subject",
                violation_error_message=_(
                    "A follow-up must concern exactly one of: board goal, activity, "
                    "indicator, goal indicator or development assignment."
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

    def save(self, *args, **kwargs):
        """A save that changes the content (or, with `_coverage_changed` set by the writer,
        what a joint follow-up covers) takes back the ready mark, whatever path it comes by
        (admin, import, services); a save of the ready mark itself does not."""
        update_fields = kwargs.get("update_fields")
        marking = update_fields is not None and set(update_fields) <= READY_FIELDS
        changed = self.content_changed() or getattr(self, "_coverage_changed", False)
        if not marking and changed and self.ready_lapse() and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *READY_FIELDS}
        super().save(*args, **kwargs)
        self._stored_content = self._content()
        self._coverage_changed = False

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

    @property
    def owner_goal_id(self):
        """The goal of the item the follow-up is about (its own goal for a goal follow-up);
        a joint follow-up covers only items of this goal. Crosses one relation."""
        if self.goal_id:
            return self.goal_id
        if self.indicator_item_id:
            return self.indicator_item.goal_id
        if self.assignment_id:
            return self.assignment.goal_id
        if self.indicator_id:
            return self.indicator.goal_id
        return None

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "period_id" in field_names:
            instance._stored_period_id = instance.period_id
        if all(name in field_names for name in CONTENT_FIELDS):
            instance._stored_content = instance._content()
        return instance

    def _content(self) -> dict:
        return {name: getattr(self, name) for name in CONTENT_FIELDS}

    def content_changed(self) -> bool:
        """Has what the follow-up says changed since it was loaded? False for a row not
        loaded from the database (a new one has no ready mark to take back)."""
        stored = getattr(self, "_stored_content", None)
        return stored is not None and stored != self._content()

    def ready_lapse(self, now=None) -> bool:
        """Take back the "klar" mark after a change of content: nobody has confirmed the new
        content. True when there was a mark (the caller writes READY_FIELDS)."""
        if self.ready_at is None:
            return False
        self.ready_at = None
        self.ready_by = None
        self.ready_lapsed_at = now or timezone.now()
        return True

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
        if self.indicator_item_id and self.indicator_item.goal.plan_id != plan.pk:
            errors["indicator_item"] = _("The indicator belongs to another plan than the period.")
        if self.indicator_id and self.indicator.board_id != plan.board_id:
            errors["indicator"] = _("The indicator belongs to another board than the period.")
        if self.fulfilment_id and self.fulfilment.municipality_id != plan.board.municipality_id:
            errors["fulfilment"] = _("The level belongs to another municipality's scale.")
        for name in COVERABLE_FIELDS:
            item_id = getattr(self, f"{name}_id")
            if item_id and (
                FollowUpCoverage.objects.filter(period_id=self.period_id, **{f"{name}_id": item_id})
                .exclude(follow_up_id=self.pk)
                .exists()
            ):
                errors[name] = _("The item is already covered by another follow-up of the period.")
        if errors:
            raise ValidationError(errors)


class FollowUpCoverage(models.Model):
    """A further item (indicator or assignment of the same goal) that a joint follow-up covers.

    A joint follow-up ("1–2") is one row owned by its first item; each further item it
    covers is a coverage row. The period is repeated here so that PostgreSQL can hold that an
    item is followed up at most once per period; a trigger (triggers.py) holds that the
    period is the follow-up's, that the item is of the owner's goal and not owned by another
    follow-up of the period, and that a closed period's coverage does not change.
    """

    follow_up = models.ForeignKey(
        to="followups.FollowUp",
        on_delete=models.CASCADE,
        related_name="coverage",
        verbose_name=_("follow-up"),
    )
    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("follow-up period"),
    )
    indicator_item = models.ForeignKey(
        to="goals.GoalIndicatorItem",
        on_delete=models.CASCADE,
        related_name="covering",
        null=True,
        blank=True,
        verbose_name=_("goal indicator"),
    )
    assignment = models.ForeignKey(
        to="activities.Assignment",
        on_delete=models.CASCADE,
        related_name="covering",
        null=True,
        blank=True,
        verbose_name=_("development assignment"),
    )

    class Meta:
        ordering = ["follow_up", "pk"]
        verbose_name = _("also covers")
        verbose_name_plural = _("also covers")
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator_item__isnull=False) & Q(assignment__isnull=True))
                | (Q(indicator_item__isnull=True) & Q(assignment__isnull=False)),
                name="%(app_label)s_%(class)s_exactly_one_item",
                violation_error_message=_(
                    "A joint follow-up covers one indicator or one development assignment per row."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["period", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"%(app_label)s_%(class)s_unique_{field}",
                    violation_error_message=_(
                        "The item is already covered by another follow-up of the period."
                    ),
                )
                for field in COVERABLE_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.follow_up_id}: {self.indicator_item_id or self.assignment_id}"

    def save(self, *args, **kwargs):
        if self.follow_up_id:
            self.period_id = self.follow_up.period_id
        super().save(*args, **kwargs)
        self._follow_up_ready_lapse()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._follow_up_ready_lapse()
        return result

    def _follow_up_ready_lapse(self):
        """A joint follow-up covering something else says something else: its ready mark is
        taken back (the workbench service writes coverage in bulk and does the same)."""
        follow_up = self.follow_up
        if follow_up.ready_lapse():
            follow_up.save(update_fields=READY_FIELDS)

    @property
    def item(self):
        return self.indicator_item if self.indicator_item_id else self.assignment

    @property
    def is_locked(self) -> bool:
        """Part of its follow-up: locked with it (see FollowUp.is_locked)."""
        return bool(self.pk) and type(self).locked_among([self.pk]).exists()

    @classmethod
    def locked_among(cls, pks):
        return cls.objects.filter(pk__in=pks).exclude(period__status=PeriodStatus.OPEN)

    def clean(self):
        """The covered item is of the owner's goal, not its owner, and not owned by another
        follow-up of the period (the database holds the same, see triggers.py)."""
        if not self.follow_up_id:
            return
        follow_up = self.follow_up
        self.period_id = follow_up.period_id
        if follow_up.period_id and not follow_up.period.is_open:
            raise ValidationError(
                _(
                    "The follow-up belongs to a period that is not open: what it covers cannot "
                    "change until an approver reopens the period."
                )
            )
        field = "indicator_item" if self.indicator_item_id else "assignment"
        item = self.item
        if item is None:
            return
        goal_id = follow_up.owner_goal_id
        if goal_id is None or item.goal_id != goal_id:
            raise ValidationError(
                {field: _("A joint follow-up covers only items of the same board goal.")}
            )
        if getattr(follow_up, f"{field}_id") == item.pk:
            raise ValidationError({field: _("The follow-up is already about this item.")})
        owned = FollowUp.objects.filter(period_id=follow_up.period_id, **{f"{field}_id": item.pk})
        if owned.exclude(pk=follow_up.pk).exists():
            raise ValidationError(
                {field: _("The item has its own follow-up in the period; join the texts there.")}
            )


class PeriodTransition(WorkflowStep):
    """One step of a follow-up period's workflow: who moved it, when, and why (for reopening)."""

    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("follow-up period"),
    )
