"""Economy tables of the year-end report: economy summary, operating summary, investments.

The other parts of the reports are read from the plan, goal, indicator and follow-up tables;
these three tables hold what only the report has. Amounts are in thousands of kronor (tkr).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Edition", "EconomySummaryRow", "InvestmentRow", "OperatingSummaryRow"]


def _amount(verbose_name):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, null=True, blank=True)


class YearEndRecord(models.Model):
    """A row of the year-end report's economy tables: part of the record once the plan's
    year-end period (T3) has left "open", until an approver reopens it."""

    class Meta:
        abstract = True

    @property
    def is_locked(self) -> bool:
        if not self.pk:
            return False
        stored = type(self).objects.filter(pk=self.pk).values_list("plan_id", flat=True).first()
        return _year_end_closed().filter(plan_id=stored).exists()

    @classmethod
    def locked_among(cls, pks):
        return cls.objects.filter(pk__in=pks, plan__in=_year_end_closed().values("plan_id"))

    def clean(self):
        super().clean()
        closed = _year_end_closed()
        if self.is_locked or (self.plan_id and closed.filter(plan_id=self.plan_id).exists()):
            raise ValidationError(
                _(
                    "The row is printed in a year-end report that is no longer open: it "
                    "cannot be changed until an approver reopens the period."
                )
            )


def _year_end_closed():
    from goals.choices import PeriodKind, PeriodStatus
    from goals.models import FollowUpPeriod

    closed = FollowUpPeriod.objects.exclude(status=PeriodStatus.OPEN)
    return closed.filter(kind=PeriodKind.TERTIAL_3)


class EconomySummaryRow(YearEndRecord):
    """A row of the report's economy summary (Ekonomi, belopp tkr): outcome, budget, deviation."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="economy_summary_rows",
        verbose_name=_("plan"),
    )
    label = models.CharField(_("label"), max_length=200)
    outcome = _amount(_("outcome"))
    budget = _amount(_("budget"))
    deviation = _amount(_("deviation"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("economy summary row")
        verbose_name_plural = _("economy summary rows")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "label"],
                name="%(app_label)s_%(class)s_unique_label",
                violation_error_message=_("The economy summary already has a row with this name."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_part(self):
        """A 'varav …' row, printed indented under the row above it."""
        return self.label.lower().startswith("varav ")


class OperatingSummaryRow(YearEndRecord):
    """A row of the operating summary (driftsammandrag): net cost of an area against its budget."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="operating_summary_rows",
        verbose_name=_("plan"),
    )
    parent = models.ForeignKey(
        to="reports.OperatingSummaryRow",
        on_delete=models.CASCADE,
        related_name="parts",
        null=True,
        blank=True,
        verbose_name=_("part of"),
        help_text=_("For a 'varav' row: the row it is part of."),
    )
    label = models.CharField(_("label"), max_length=200)
    outcome = _amount(_("outcome"))
    budget = _amount(_("budget"))
    deviation = _amount(_("deviation"))
    previous_year = _amount(_("outcome previous year"))
    is_sum = models.BooleanField(_("sum row"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("operating summary row")
        verbose_name_plural = _("operating summary rows")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "label"],
                name="%(app_label)s_%(class)s_unique_label",
                violation_error_message=_(
                    "The operating summary already has a row with this name."
                ),
            ),
            models.CheckConstraint(
                condition=Q(is_sum=False) | Q(parent__isnull=True),
                name="%(app_label)s_%(class)s_sum_has_no_parent",
                violation_error_message=_("A total row cannot be part of another row."),
            ),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        errors = {}
        if self.parent_id:
            if self.parent_id == self.pk:
                errors["parent"] = _("A row cannot be part of itself.")
            elif self.plan_id and self.parent.plan_id != self.plan_id:
                errors["parent"] = _("The row belongs to another plan's operating summary.")
            elif self.parent.parent_id:
                errors["parent"] = _("A sub-row cannot have sub-rows of its own.")
        if errors:
            raise ValidationError(errors)


class InvestmentRow(YearEndRecord):
    """A row of the report's investment table: expenditure, income, net, budget and deviation."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="investment_rows",
        verbose_name=_("plan"),
    )
    label = models.CharField(_("label"), max_length=200)
    expenditure = _amount(_("expenditure"))
    income = _amount(_("income"))
    net = _amount(_("net"))
    budget = _amount(_("budget"))
    deviation = _amount(_("deviation"))
    previous_year = _amount(_("outcome previous year"))
    is_sum = models.BooleanField(_("sum row"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("investment row")
        verbose_name_plural = _("investment rows")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "label"],
                name="%(app_label)s_%(class)s_unique_label",
                violation_error_message=_("The investment table already has a row with this name."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_part(self):
        """A 'varav …' row, printed indented under the sum above it."""
        return self.label.lower().startswith("varav ")


class EditionKind(models.TextChoices):
    """The two reports a publication completes."""

    PLAN = "plan", _("Plan with follow-up")
    YEAR_END = "year-end", _("Year-end report")


class EditionQuerySet(models.QuerySet):
    """Editions are never changed or removed, also not in bulk."""

    def update(self, **kwargs):
        raise ValidationError(_("A published edition cannot be changed."))

    def delete(self):
        raise ValidationError(_("A published edition cannot be deleted."))


class Edition(models.Model):
    """A published report as it was published: its content as data, HTML and PDF, never changed."""

    uid = models.UUIDField(_("identifier"), default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.PROTECT,
        related_name="editions",
        verbose_name=_("plan"),
    )
    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="editions",
        verbose_name=_("follow-up period"),
    )
    kind = models.CharField(_("report"), max_length=20, choices=EditionKind.choices)
    publication = models.ForeignKey(
        to="followups.PeriodTransition",
        on_delete=models.PROTECT,
        related_name="editions",
        verbose_name=_("publication"),
    )
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    is_correction = models.BooleanField(_("corrected edition"), default=False)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    content = models.FileField(_("content (JSON)"), max_length=300)
    html = models.FileField(_("HTML"), max_length=300)
    pdf = models.FileField(_("PDF"), max_length=300)
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    pdf_hash = models.CharField(_("PDF hash (SHA-256)"), max_length=64)
    pdf_size = models.PositiveBigIntegerField(_("PDF size (bytes)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EditionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "kind", "published_at", "pk"]
        verbose_name = _("published edition")
        verbose_name_plural = _("published editions")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "kind"],
                name="%(app_label)s_%(class)s_one_per_publication",
                violation_error_message=_("The publication already has an edition of the report."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.plan.year} ({self.published_at:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("A published edition cannot be changed."))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("reports:edition-file", args=[self.uid, "pdf"])

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A published edition cannot be deleted."))
