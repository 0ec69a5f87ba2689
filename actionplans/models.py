"""Action plans (åtgärdsplaner): measures with expected cost reductions, followed up monthly."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.choices import PeriodStatus
from goals.models import WorkflowStep

from .choices import MeasureKind, MeasureStatus

__all__ = [
    "ActionPlan",
    "ActionPlanSection",
    "BackgroundFigure",
    "DecisionPoint",
    "FollowUpMonth",
    "Measure",
    "MeasureFollowUp",
    "MeasureGroup",
    "MonthTransition",
]

MNKR = {"max_digits": 9, "decimal_places": 3}


class ActionPlan(models.Model):
    """A board's action plan after a forecast deficit (åtgärdsplan)."""

    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.PROTECT,
        related_name="action_plans",
        verbose_name=_("board"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    forecast_deficit = models.DecimalField(
        _("forecast deficit (mnkr)"),
        null=True,
        blank=True,
        help_text=_("The deficit the plan answers, in millions of kronor."),
        **MNKR,
    )
    effect_until = models.PositiveSmallIntegerField(
        _("effect shown until year"),
        help_text=_("The last year of the table of cost reductions per year."),
    )
    follow_up_from = models.DateField(
        _("monthly follow-up from"),
        null=True,
        blank=True,
        help_text=_("The first month the plan is reported back (e.g. 2020-08-01)."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    case_number = models.CharField(_("case number"), max_length=50, blank=True)
    prepared_by = models.CharField(_("prepared by"), max_length=200, blank=True)
    sent_to = models.CharField(_("decision sent to"), max_length=300, blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Anonymous readers see the plan once it is published."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["board", "-year", "pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("The board already has an action plan with this title."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(effect_until__gte=F("year")) & Q(effect_until__lte=F("year") + 10),
                name="%(app_label)s_%(class)s_effect_range",
                violation_error_message=_(
                    "The effect is shown from the plan's year and at most ten years ahead."
                ),
            ),
            models.CheckConstraint(
                condition=Q(forecast_deficit__isnull=True) | Q(forecast_deficit__gte=0),
                name="%(app_label)s_%(class)s_deficit_positive",
                violation_error_message=_("Give the deficit as a positive amount."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self):
        return self.published_at is not None


class ActionPlanSection(models.Model):
    """A narrative part of an action plan (Ärende, Bakgrund, Sammanfattning, …)."""

    plan = models.ForeignKey(
        to="actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("action plan"),
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_("One paragraph per line; lines starting with '- ' form a list."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    after_measures = models.BooleanField(
        _("after the measures"),
        default=False,
        help_text=_("Printed after the measures (e.g. the summary) instead of before them."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "after_measures", "order", "pk"]
        verbose_name = _("action plan section")
        verbose_name_plural = _("action plan sections")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("The plan already has a section with this key."),
            ),
        ]

    def __str__(self):
        return self.title


class DecisionPoint(models.Model):
    """A numbered point of the proposed decision (Förslag till beslut)."""

    plan = models.ForeignKey(
        to="actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="decision_points",
        verbose_name=_("action plan"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("text"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("decision point")
        verbose_name_plural = _("decision points")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_message=_(
                    "The plan already has a decision point with this number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:60]}"


class BackgroundFigure(models.Model):
    """A figure of the plan's background: a deficit, a cost of a year, a forecast (mnkr)."""

    plan = models.ForeignKey(
        to="actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="background_figures",
        verbose_name=_("action plan"),
    )
    label = models.CharField(_("label"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    amount = models.DecimalField(_("amount (mnkr)"), **MNKR)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=40,
        blank=True,
        help_text=_("As written before the amount: 'ca', 'drygt'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("background figure")
        verbose_name_plural = _("background figures")

    def __str__(self):
        return self.label


class MeasureGroup(models.Model):
    """Measures of one kind and area, with their narrative and consequences; sums are computed."""

    plan = models.ForeignKey(
        to="actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("action plan"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    title = models.CharField(_("area"), max_length=300)
    body = models.TextField(
        _("description"),
        blank=True,
        help_text=_(
            "The proposals as described; one paragraph per line, '- ' lines form a list,"
            " '### ' lines are subheadings."
        ),
    )
    consequences = models.TextField(
        _("consequences"),
        blank=True,
        help_text=_("The consequences (konsekvensbeskrivning), one paragraph per line."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("measure group")
        verbose_name_plural = _("measure groups")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_(
                    "The plan already has a group of measures with this name."
                ),
            ),
        ]

    def __str__(self):
        return self.title


class Measure(models.Model):
    """A proposed measure (förslag): expected cost reduction, timing and comment."""

    group = models.ForeignKey(
        to="actionplans.MeasureGroup",
        on_delete=models.CASCADE,
        related_name="measures",
        verbose_name=_("measure group"),
    )
    title = models.CharField(_("measure"), max_length=300)
    reduction = models.DecimalField(
        _("expected cost reduction (mnkr)"),
        help_text=_("Full-year effect in millions of kronor."),
        **MNKR,
    )
    approximate = models.BooleanField(_("approximate ('ca')"), default=False)
    reduction_note = models.CharField(
        _("about the reduction"),
        max_length=300,
        blank=True,
        help_text=_("What is reduced, as written (e.g. 'Reducering av kostnader på HVB')."),
    )
    timing_year = models.PositiveSmallIntegerField(_("timing: year"), null=True, blank=True)
    timing_quarter = models.PositiveSmallIntegerField(_("timing: quarter"), null=True, blank=True)
    timing_date = models.DateField(_("timing: date"), null=True, blank=True)
    timing_from = models.BooleanField(
        _("timing: from ('Från')"),
        default=False,
        help_text=_("As written (e.g. 'Från Q 4 2020')."),
    )
    timing_text = models.CharField(
        _("timing as text"),
        max_length=200,
        blank=True,
        help_text=_("When the timing is neither a year, a quarter nor a date."),
    )
    effect_from = models.DateField(
        _("effect from"),
        null=True,
        blank=True,
        help_text=_(
            "When the saving starts, if not at the start of the timing (e.g. a new contract"
            " from 2021-04-01). Used for the reduction per year."
        ),
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["group", "order", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "title"],
                name="%(app_label)s_%(class)s_unique_title",
                violation_error_message=_("The group already has a measure with this name."),
            ),
            models.CheckConstraint(
                condition=Q(reduction__gte=0),
                name="%(app_label)s_%(class)s_reduction_positive",
                violation_error_message=_("The cost reduction cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(timing_quarter__isnull=True)
                | (
                    Q(timing_quarter__gte=1)
                    & Q(timing_quarter__lte=4)
                    & Q(timing_year__isnull=False)
                ),
                name="%(app_label)s_%(class)s_quarter_range",
                violation_error_message=_("The quarter must be 1–4 and have a year."),
            ),
            models.CheckConstraint(
                condition=Q(timing_year__isnull=False)
                | Q(timing_date__isnull=False)
                | ~Q(timing_text=""),
                name="%(app_label)s_%(class)s_has_timing",
                violation_error_message=_("Give the timing: a year, a quarter, a date or a text."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def starts_on(self) -> datetime.date | None:
        """The first day the saving counts: effect_from, the date, the quarter or the year."""
        if self.effect_from:
            return self.effect_from
        if self.timing_date:
            return self.timing_date
        if self.timing_year and self.timing_quarter:
            return datetime.date(self.timing_year, 3 * self.timing_quarter - 2, 1)
        if self.timing_year:
            return datetime.date(self.timing_year, 1, 1)
        return None

    def effect_in(self, year: int) -> Decimal:
        """The reduction that falls in `year`: in the starting year, the months left of it."""
        start = self.starts_on
        if start is None or start.year > year:
            return Decimal(0)
        if start.year < year:
            return self.reduction
        months = 12 - start.month + 1
        return self.reduction * months / 12

    def clean(self):
        if self.timing_date and self.timing_year and self.timing_date.year < self.timing_year:
            raise ValidationError({"timing_date": _("The date lies before the timing's year.")})


class FollowUpMonth(models.Model):
    """A monthly follow-up of an action plan, with the same workflow as a tertial period."""

    plan = models.ForeignKey(
        to="actionplans.ActionPlan",
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("action plan"),
    )
    date = models.DateField(_("follow-up date"), help_text=_("The last day of the month."))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["plan", "date"]
        verbose_name = _("monthly follow-up")
        verbose_name_plural = _("monthly follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "date"],
                name="%(app_label)s_%(class)s_unique_date",
                violation_error_message=_("The plan already has a follow-up on this date."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("date")),
                name="%(app_label)s_%(class)s_deadline_after_date",
                violation_error_message=_("The deadline cannot lie before the follow-up date."),
            ),
        ]

    def __str__(self):
        return f"{self.plan.title[:40]} {self.date:%Y-%m}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored: a form may not reopen a closed month by sending "open".
        if "status" in field_names:
            instance._stored_status = instance.status
        return instance

    @property
    def is_open(self):
        return self.status == PeriodStatus.OPEN

    @property
    def is_locked(self) -> bool:
        """A month that has left "open" is part of the record, as a closed tertial period:
        it changes, and is deleted, only after the workflow reopens it."""
        return getattr(self, "_stored_status", PeriodStatus.OPEN) != PeriodStatus.OPEN

    @classmethod
    def locked_among(cls, pks):
        """The rows among `pks` that may be neither changed nor deleted (one query)."""
        return cls.objects.filter(pk__in=pks).exclude(status=PeriodStatus.OPEN)

    def clean(self):
        errors = {}
        if self.plan_id and self.date:
            start = self.plan.follow_up_from
            if start and self.date < start:
                errors["date"] = _("The plan is followed up monthly from %(month)s.") % {
                    "month": f"{start:%Y-%m}"
                }
            if self.date.year < self.plan.year:
                errors["date"] = _("The follow-up cannot lie before the plan's year.")
        if errors:
            raise ValidationError(errors)


class MonthTransition(WorkflowStep):
    """One step of a monthly follow-up's workflow: who, when, and why (for reopening)."""

    period = models.ForeignKey(
        to="actionplans.FollowUpMonth",
        on_delete=models.PROTECT,
        related_name="transitions",
        verbose_name=_("monthly follow-up"),
    )


class MeasureFollowUp(models.Model):
    """A measure at a monthly follow-up: status, reduction realised so far, comment."""

    period = models.ForeignKey(
        to="actionplans.FollowUpMonth",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("monthly follow-up"),
    )
    measure = models.ForeignKey(
        to="actionplans.Measure",
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("measure"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.ONGOING
    )
    realised = models.DecimalField(
        _("realised reduction so far (mnkr)"),
        default=Decimal(0),
        **MNKR,
    )
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["period", "measure__group__order", "measure__order", "pk"]
        verbose_name = _("measure follow-up")
        verbose_name_plural = _("measure follow-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "measure"],
                name="%(app_label)s_%(class)s_unique_measure",
                violation_error_message=_("The measure is already followed up this month."),
            ),
            models.CheckConstraint(
                condition=Q(realised__gte=0),
                name="%(app_label)s_%(class)s_realised_positive",
                violation_error_message=_("The realised reduction cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.measure} {self.period.date:%Y-%m}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "period_id" in field_names:
            instance._stored_period_id = instance.period_id
        return instance

    @property
    def is_locked(self) -> bool:
        """A measure's figures of a month that has left "open" are part of the record, as a
        follow-up of a closed tertial period: they change, and are deleted (also with their
        measure), only after the workflow reopens the month."""
        period_id = getattr(self, "_stored_period_id", None)
        if period_id is None:
            return False
        if self.period_id == period_id and "period" in self._state.fields_cache:
            return not self.period.is_open
        closed = FollowUpMonth.objects.filter(pk=period_id).exclude(status=PeriodStatus.OPEN)
        return closed.exists()

    @classmethod
    def locked_among(cls, pks):
        """The rows among `pks` that may be neither changed nor deleted (one query)."""
        return cls.objects.filter(pk__in=pks).exclude(period__status=PeriodStatus.OPEN)

    def clean(self):
        if self.period_id and self.measure_id and self.measure.group.plan_id != self.period.plan_id:
            raise ValidationError({"measure": _("The measure belongs to another action plan.")})
