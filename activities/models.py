"""What a board does to reach its goals: numbered activities and development assignments."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from goals.models import field_errors as _field_errors

from .choices import AssignmentOrigin, Schedule

__all__ = ["Activity", "Assignment", "number_sort_key"]

NUMBER_RE = r"^[0-9]+(\.[0-9]+)*[a-z]?$"


def number_sort_key(number: str) -> str:
    """A string that sorts activity numbers naturally: "1.10" after "1.9"."""
    parts = re.findall(r"\d+|[a-z]+", number.lower())
    return ".".join(p.zfill(5) if p.isdigit() else p for p in parts)


class Activity(models.Model):
    """A numbered activity (aktivitet) under a board goal, or under an area without a goal."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="activities",
        blank=True,
        verbose_name=_("plan"),
        help_text=_(
            "Taken from the goal when there is one; it makes numbers unique within a plan."
        ),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="activities",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
    )
    area = models.ForeignKey(
        to="goals.ActivityArea",
        on_delete=models.PROTECT,
        related_name="activities",
        null=True,
        blank=True,
        verbose_name=_("activity area"),
        help_text=_(
            "For an activity of an area that has no goal of its own; else the goal's area."
        ),
    )
    number = models.CharField(
        _("number"),
        max_length=20,
        help_text=_("As in the plan, e.g. 1.1 or 6.10."),
    )
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    text = models.TextField(_("activity"))
    schedule = models.CharField(_("schedule"), max_length=10, choices=Schedule.choices, blank=True)
    schedule_text = models.CharField(
        _("schedule (free text)"),
        max_length=200,
        blank=True,
        help_text=_("When the schedule is 'Other', e.g. 'Påbörjas våren 2017'."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["plan", "sort_key"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_code="number_taken",
                violation_error_message=_("The plan already uses this activity number."),
            ),
            models.CheckConstraint(
                condition=Q(number__regex=NUMBER_RE),
                name="%(app_label)s_%(class)s_number_format",
                violation_error_message=_(
                    "The number must be digits separated by full stops, e.g. 1.1 or 6.10."
                ),
            ),
            models.CheckConstraint(
                condition=Q(goal__isnull=False) | Q(area__isnull=False),
                name="%(app_label)s_%(class)s_goal_or_area",
                violation_error_message=_(
                    "An activity belongs to a board goal or, when the area has no goal, to an "
                    "activity area."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(schedule=Schedule.OTHER) | ~Q(schedule_text=""),
                name="%(app_label)s_%(class)s_schedule_text",
                violation_error_message=_(
                    "Write the schedule as free text when the schedule is 'Other'."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        self._follow_goal()
        super().save(*args, **kwargs)

    def _follow_goal(self):
        """The plan and area follow the goal when there is one."""
        if self.goal_id:
            self.plan_id = self.goal.plan_id
            if self.goal.area_id:
                self.area_id = self.goal.area_id

    @property
    def schedule_label(self):
        return (
            self.schedule_text if self.schedule == Schedule.OTHER else self.get_schedule_display()
        )

    def clean(self):
        # The plan follows the goal, so the unique (plan, number) check needs it before validation.
        self._follow_goal()
        if not self.plan_id:
            raise ValidationError({"plan": _("Choose the plan, or a board goal, which gives it.")})
        if self.area_id and self.plan_id and self.area.board_id != self.plan.board_id:
            raise ValidationError({"area": _("The activity area belongs to another board.")})

    def clean_fields(self, exclude=None):
        # A goal gives the plan: the form need not ask for it again.
        exclude = set(exclude or ())
        if self.goal_id:
            self._follow_goal()
            exclude.add("plan")
        super().clean_fields(exclude=exclude)

    def validate_constraints(self, exclude=None):
        exclude = set(exclude or ()) - {"plan"}
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(_field_errors(error, "number_taken", "number")) from None


class Assignment(models.Model):
    """A development assignment (utvecklingsuppdrag) from the board or the city council."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("plan"),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        # Numbered within its goal, an assignment goes with it (a goal-less copy would
        # collide with the plan's own numbering).
        on_delete=models.CASCADE,
        related_name="assignments",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
    )
    origin = models.CharField(
        _("origin"), max_length=20, choices=AssignmentOrigin.choices, default=AssignmentOrigin.BOARD
    )
    number = models.CharField(
        _("number"),
        max_length=20,
        help_text=_(
            "Numbered within the goal (it may continue the goal's indicator numbers); "
            "within the plan for assignments without a goal."
        ),
    )
    sort_key = models.CharField(max_length=60, editable=False, db_index=True)
    text = models.TextField(_("assignment"))
    partners = models.CharField(
        _("together with"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'Tillsammans med barn- och ungdomsnämnden'."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["plan", "origin", "sort_key"]
        verbose_name = _("development assignment")
        verbose_name_plural = _("development assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "origin", "number"],
                condition=Q(goal__isnull=True),
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_code="number_taken",
                violation_error_message=_("The plan already uses this assignment number."),
            ),
            models.UniqueConstraint(
                fields=["goal", "number"],
                condition=Q(goal__isnull=False),
                name="%(app_label)s_%(class)s_unique_number_in_goal",
                violation_error_code="number_taken",
                violation_error_message=_(
                    "The board goal already has an assignment with this number."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.sort_key = number_sort_key(self.number)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # A goal gives the plan: the goal's inline form need not ask for it again.
        if self.goal_id and not self.plan_id:
            self.plan_id = self.goal.plan_id
        super().clean_fields(exclude=exclude)

    def clean(self):
        if self.goal_id and self.plan_id and self.goal.plan_id != self.plan_id:
            raise ValidationError({"goal": _("The board goal belongs to another plan.")})

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(_field_errors(error, "number_taken", "number")) from None
