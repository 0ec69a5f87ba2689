"""Measured indicators (nämndindikatorer), volumes and staff figures with their yearly values."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import format_decimal
from core.years import FIRST_YEAR, LAST_YEAR

from .choices import Comparator, Direction, Gender, IndicatorKind, Tertial

__all__ = ["Indicator", "IndicatorValue"]


class Indicator(models.Model):
    """An indicator with a target, a direction and a source; belongs to a board and maybe a goal."""

    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("board"),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.SET_NULL,
        related_name="indicators",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
        help_text=_("Empty for volumes and staff figures."),
    )
    goal_item = models.ForeignKey(
        to="goals.GoalIndicatorItem",
        on_delete=models.SET_NULL,
        related_name="indicators",
        null=True,
        blank=True,
        verbose_name=_("numbered indicator of the goal"),
        help_text=_("The plan's numbered indicator that this measured indicator follows up."),
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.GOAL
    )
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=30, blank=True)
    target_comparator = models.CharField(
        _("target comparator"), max_length=2, choices=Comparator.choices, blank=True
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=14, decimal_places=3, null=True, blank=True
    )
    target_text = models.CharField(
        _("target as written"),
        max_length=200,
        blank=True,
        help_text=_("E.g. '98%', 'Max 120', 'Inom 3 mån' or '1 ny'."),
    )
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, blank=True
    )
    source = models.TextField(_("source"), blank=True)
    kolada_kpi = models.CharField(
        _("Kolada KPI"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("E.g. N00945, when the values come from Kolada."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    key = models.UUIDField(
        _("stable id"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_(
            "A global id that stays the same across databases and installations; the "
            "indicator's KPI id in the Kolada shape when it has no Kolada KPI."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["board", "kind", "order", "name"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "kind", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("The board already has an indicator with this name."),
            ),
            models.CheckConstraint(
                condition=Q(target_comparator="") | Q(target_value__isnull=False),
                name="%(app_label)s_%(class)s_comparator_needs_value",
                violation_error_message=_("A comparator needs a target value."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=IndicatorKind.GOAL) | Q(goal__isnull=False),
                name="%(app_label)s_%(class)s_goal_indicator_has_goal",
                violation_error_message=_("A board indicator must belong to a board goal."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.goal_id and self.board_id and self.goal.plan.board_id != self.board_id:
            raise ValidationError({"goal": _("The board goal belongs to another board.")})
        if self.goal_item_id and self.goal_item.goal_id != self.goal_id:
            raise ValidationError(
                {"goal_item": _("The numbered indicator belongs to another board goal.")}
            )

    @property
    def target_display(self):
        """The target as people write it: the text if given, else comparator and value."""
        if self.target_text:
            return self.target_text
        if self.target_value is None:
            return ""
        value = format_decimal(self.target_value)
        prefix = self.get_target_comparator_display() + " " if self.target_comparator else ""
        return f"{prefix}{value}{' ' + self.unit if self.unit else ''}".strip()


class IndicatorValue(models.Model):
    """One value of an indicator for a year (or tertial) and breakdown; a number or a text."""

    indicator = models.ForeignKey(
        to="indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    tertial = models.CharField(
        _("tertial"), max_length=2, choices=Tertial.choices, blank=True, default=Tertial.YEAR
    )
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, default=Gender.TOTAL
    )
    category = models.CharField(
        _("category"),
        max_length=40,
        blank=True,
        help_text=_("A named breakdown such as BOU, VUX or LSS; empty for the whole."),
    )
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4, null=True, blank=True)
    text_value = models.CharField(
        _("text value"),
        max_length=200,
        blank=True,
        help_text=_("When there is no number: 'Ej mätbart', 'Uppgift saknas i kolada', …"),
    )
    is_estimate = models.BooleanField(_("estimate (Bedömd)"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["indicator", "category", "gender", "year", "tertial"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "tertial", "gender", "category"],
                name="%(app_label)s_%(class)s_unique_cell",
                violation_error_message=_(
                    "The indicator already has a value for this year, tertial and breakdown."
                ),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=False) | ~Q(text_value=""),
                name="%(app_label)s_%(class)s_value_or_text",
                violation_error_message=_("Give a value or a text (e.g. 'Ej mätbart')."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must lie between 1990 and 2100."),
            ),
        ]

    def __str__(self):
        breakdown = " ".join(filter(None, [self.category, self.get_gender_display()]))
        return f"{self.year}{self.tertial and ' ' + self.tertial} {breakdown}: {self.display}"

    #: What identifies a value (its cell) and what it says.
    KEY_FIELDS = ("indicator_id", "year", "tertial", "gender", "category")
    VALUE_FIELDS = ("value", "text_value", "is_estimate", "note")

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # As stored, so that clean() can tell an edited value from one merely re-saved.
        instance._stored = {
            name: value
            for name, value in zip(field_names, values, strict=True)
            if value is not models.DEFERRED
        }
        return instance

    def _is_unchanged(self) -> bool:
        stored = getattr(self, "_stored", None)
        if not self.pk or stored is None:
            return False
        return all(
            getattr(self, name) == stored[name]
            for name in (*self.KEY_FIELDS, *self.VALUE_FIELDS)
            if name in stored
        )

    @classmethod
    def locked_among(cls, pks):
        """The values among `pks` that are part of the record (see locks.py)."""
        from .locks import ValueLocks

        values = list(cls.objects.filter(pk__in=pks).select_related("indicator"))
        locks = ValueLocks.load({v.indicator.board_id for v in values})
        return [v for v in values if locks.period_for(v.indicator, v.year, v.tertial)]

    @property
    def is_locked(self) -> bool:
        """Is the value as stored shown in a report that is no longer open (see locks.py)?"""
        stored = getattr(self, "_stored", None)
        if not self.pk or not stored or not self.indicator_id:
            return False
        return (
            self._locks().period_for(self.indicator, stored["year"], stored["tertial"]) is not None
        )

    def _locks(self):
        """The board's locks: from `indicator._value_locks` when the caller loaded them once
        for many values (the admin's value rows of one indicator), else two queries."""
        from .locks import ValueLocks

        locks = getattr(self.indicator, "_value_locks", None)
        if locks is None:
            locks = ValueLocks.load([self.indicator.board_id])
        return locks

    def clean(self):
        """A value shown in a report that is no longer open is locked (see locks.py): it can
        be neither changed nor moved there or away from there. Saving it unchanged (an
        indicator form with all its values) is no change.
        """
        if not (self.indicator_id and self.year) or self._is_unchanged():
            return
        locks = self._locks()
        cells = [(self.year, self.tertial)]
        stored = getattr(self, "_stored", None)
        if self.pk and stored and "year" in stored and "tertial" in stored:
            # Where the value stands comes first: moving it away from a locked year is the
            # refusal the editor needs to read.
            cells.insert(0, (stored["year"], stored["tertial"]))
        for year, tertial in cells:
            message = locks.message(self.indicator, year, tertial)
            if message:
                raise ValidationError(message)

    @property
    def display(self):
        if self.value is None:
            return self.text_value
        return format_decimal(self.value)
