"""The board's plan structure: municipality, boards, areas, municipal goals, plans, goals."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.years import LAST_YEAR

from .choices import FINAL_STATUSES, PeriodKind, PeriodStatus

#: The first year of a plan (and so of its follow-ups and reports); values go back further
#: (core.years.FIRST_YEAR).
FIRST_PLAN_YEAR = 2000
#: Reminders before a period's deadline unless the period says otherwise (days before).
DEFAULT_REMINDER_DAYS = "7,1"
#: The furthest a reminder may go ahead of the deadline, and a deadline after the date.
MAX_REMINDER_DAYS = 60
MAX_DEADLINE_DAYS = 366


def parse_reminder_days(value: str) -> list[int]:
    """ "7, 1" → [7, 1]: distinct whole days from 1 to MAX_REMINDER_DAYS, furthest first.

    Raises ValueError with a message for the person who typed it.
    """
    days = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_REMINDER_DAYS:
            raise ValueError(
                _(
                    "Give the reminder days as whole numbers from 1 to %(max)s separated by "
                    'commas, e.g. 7,1 (not "%(part)s").'
                )
                % {"max": MAX_REMINDER_DAYS, "part": part[:20]}
            )
        days.add(int(part))
    return sorted(days, reverse=True)


__all__ = [
    "ActivityArea",
    "Board",
    "FollowUpPeriod",
    "FulfilmentLevel",
    "Goal",
    "GoalDomain",
    "GoalIndicatorItem",
    "GoalMunicipalGoal",
    "Municipality",
    "MunicipalGoal",
    "Plan",
    "PlanSection",
]


class Municipality(models.Model):
    """A municipality (kommun) whose boards plan and follow up their goals."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("municipality code"),
        max_length=4,
        blank=True,
        help_text=_("The four-digit code used by Kolada and SCB, e.g. 0580."),
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        help_text=_("Printed on the covers of the reports (PNG or JPEG)."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self):
        return self.name


class Board(models.Model):
    """A political board (nämnd); a renamed or merged board is a new row linked to its forebears."""

    municipality = models.ForeignKey(
        to="goals.Municipality",
        on_delete=models.PROTECT,
        related_name="boards",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("abbreviation"), max_length=20, blank=True)
    valid_from = models.PositiveSmallIntegerField(_("from year"), null=True, blank=True)
    valid_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    predecessors = models.ManyToManyField(
        to="goals.Board",
        symmetrical=False,
        blank=True,
        related_name="successors",
        verbose_name=_("predecessors"),
        help_text=_("Boards whose responsibilities passed to this board."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["municipality__name", "name", "valid_from"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name", "valid_from"],
                name="%(app_label)s_%(class)s_unique_name_from",
                violation_error_message=_(
                    "The municipality already has a board with this name and first year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return self.name


class ActivityArea(models.Model):
    """An activity area (verksamhetsområde) of a board, in the board's own order."""

    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.CASCADE,
        related_name="activity_areas",
        verbose_name=_("board"),
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["board", "order", "name"]
        verbose_name = _("activity area")
        verbose_name_plural = _("activity areas")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("The board already has an activity area with this name."),
            ),
        ]

    def __str__(self):
        return self.name


class GoalDomain(models.Model):
    """A goal domain (målområde) of the municipality: Samhälle, Medborgare, Ekonomi, …"""

    municipality = models.ForeignKey(
        to="goals.Municipality",
        on_delete=models.PROTECT,
        related_name="goal_domains",
        verbose_name=_("municipality"),
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["municipality", "order", "name"]
        verbose_name = _("goal domain")
        verbose_name_plural = _("goal domains")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"],
                name="%(app_label)s_%(class)s_unique_name",
                violation_error_message=_("The municipality already has this goal domain."),
            ),
        ]

    def __str__(self):
        return self.name


class MunicipalGoal(models.Model):
    """An overarching goal (kommunövergripande mål) of the municipality for a span of years."""

    municipality = models.ForeignKey(
        to="goals.Municipality",
        on_delete=models.PROTECT,
        related_name="municipal_goals",
        verbose_name=_("municipality"),
    )
    domain = models.ForeignKey(
        to="goals.GoalDomain",
        on_delete=models.PROTECT,
        related_name="municipal_goals",
        null=True,
        blank=True,
        verbose_name=_("goal domain"),
    )
    title = models.CharField(_("title"), max_length=300)
    valid_from = models.PositiveSmallIntegerField(_("from year"))
    valid_to = models.PositiveSmallIntegerField(_("to year"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["municipality", "valid_from", "order", "title"]
        verbose_name = _("municipal goal")
        verbose_name_plural = _("municipal goals")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "title", "valid_from"],
                name="%(app_label)s_%(class)s_unique_title_from",
                violation_error_message=_(
                    "This municipal goal already exists for this first year."
                ),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="%(app_label)s_%(class)s_valid_range",
                violation_error_message=_("The last year cannot be before the first year."),
            ),
        ]

    def __str__(self):
        return self.title


class FulfilmentLevel(models.Model):
    """One step of a municipality's goal-fulfilment scale, with its colour and symbol.

    The scale is data: Linköping uses four colours, other municipalities three levels or symbols.
    """

    municipality = models.ForeignKey(
        to="goals.Municipality",
        on_delete=models.PROTECT,
        related_name="fulfilment_levels",
        verbose_name=_("municipality"),
    )
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("label"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        help_text=_("Hex colour such as #2e7d32."),
    )
    symbol = models.CharField(_("symbol"), max_length=4, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["municipality", "order"]
        verbose_name = _("fulfilment level")
        verbose_name_plural = _("fulfilment levels")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "code"],
                name="%(app_label)s_%(class)s_unique_code",
                violation_error_message=_("The municipality's scale already has this level."),
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"),
                name="%(app_label)s_%(class)s_colour_hex",
                violation_error_message=_(
                    "Give the colour as # followed by six hexadecimal digits, e.g. #2e7d32."
                ),
            ),
        ]

    def __str__(self):
        return self.label


class Plan(models.Model):
    """A board's yearly plan (verksamhetsplan)."""

    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.PROTECT,
        related_name="plans",
        verbose_name=_("board"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.CharField(
        _("adopted by"),
        max_length=200,
        blank=True,
        help_text=_("The body that adopted the plan; empty means the board itself."),
    )
    decision_paragraph = models.CharField(
        _("decision paragraph"),
        max_length=40,
        blank=True,
        help_text=_("The paragraph of the minutes, e.g. § 112."),
    )
    diary_number = models.CharField(
        _("diary number"),
        max_length=60,
        blank=True,
        help_text=_("The case's registration number (diarienummer), e.g. SN 2018/0456."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["board", "-year"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year"],
                name="%(app_label)s_%(class)s_unique_board_year",
                violation_error_message=_("The board already has a plan for the year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_PLAN_YEAR) & Q(year__lte=LAST_YEAR),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return self.title


class PlanSection(models.Model):
    """A narrative section of a plan or of a follow-up report: title and text.

    Sections with an activity area hold that area's narrative; sections with a follow-up
    period belong to the report written at that period (e.g. the year-end report). A section
    placed before a goal (`before_goal`) is narrative that leads into that goal — a context
    heading such as "E-hälsa" with its text — and prints right before the goal's heading.
    The body keeps paragraphs (blank lines), subheadings ("## ") and bullet lists ("- ").
    """

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("plan"),
    )
    period = models.ForeignKey(
        to="goals.FollowUpPeriod",
        on_delete=models.PROTECT,
        related_name="sections",
        null=True,
        blank=True,
        verbose_name=_("follow-up period"),
    )
    area = models.ForeignKey(
        to="goals.ActivityArea",
        on_delete=models.PROTECT,
        related_name="sections",
        null=True,
        blank=True,
        verbose_name=_("activity area"),
    )
    before_goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.SET_NULL,
        related_name="sections_before",
        null=True,
        blank=True,
        verbose_name=_("before board goal"),
        help_text=_(
            "Print the section right before this goal's heading (narrative that leads into "
            "the goal); empty: with the area's narrative, or the plan's introduction."
        ),
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "Paragraphs separated by blank lines; a line starting with '## ' is a subheading, "
            "lines starting with '- ' a bulleted list."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "period", "order"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("The plan already has a section with this key."),
            ),
            models.CheckConstraint(
                condition=Q(period__isnull=True) | Q(before_goal__isnull=True),
                name="%(app_label)s_%(class)s_report_not_before_goal",
                violation_error_message=_(
                    "A section of a follow-up report cannot be placed before a board goal."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if "period_id" in field_names:
            instance._stored_period_id = instance.period_id
        return instance

    @property
    def is_locked(self) -> bool:
        """A section written for a period that has left "open" prints in its report: it
        changes only after the workflow reopens the period."""
        period_id = getattr(self, "_stored_period_id", None)
        if period_id is None:
            return False
        return (
            FollowUpPeriod.objects.filter(pk=period_id).exclude(status=PeriodStatus.OPEN).exists()
        )

    @classmethod
    def locked_among(cls, pks):
        return cls.objects.filter(pk__in=pks, period__isnull=False).exclude(
            period__status=PeriodStatus.OPEN
        )

    def clean(self):
        errors = {}
        if self.is_locked or (self.period_id and not self.period.is_open):
            raise ValidationError(
                _(
                    "The section belongs to the report of a period that is no longer open: "
                    "it cannot be changed until an approver reopens the period."
                )
            )
        if self.period_id and self.plan_id and self.period.plan_id != self.plan_id:
            errors["period"] = _("The follow-up period belongs to another plan.")
        if self.area_id and self.plan_id and self.area.board_id != self.plan.board_id:
            errors["area"] = _("The activity area belongs to another board.")
        if self.before_goal_id and self.plan_id:
            goal = self.before_goal
            if goal.plan_id != self.plan_id:
                errors["before_goal"] = _(
                    "The section can only be placed before a board goal of its own plan."
                )
            elif self.area_id and goal.area_id and goal.area_id != self.area_id:
                errors["area"] = _(
                    "The section is placed before a goal of the area %(area)s: choose that "
                    "area or none."
                ) % {"area": goal.area}
        if errors:
            raise ValidationError(errors)


class Goal(models.Model):
    """A board goal (nämndmål) in a plan."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="goals",
        verbose_name=_("plan"),
    )
    area = models.ForeignKey(
        to="goals.ActivityArea",
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        verbose_name=_("activity area"),
    )
    domain = models.ForeignKey(
        to="goals.GoalDomain",
        on_delete=models.PROTECT,
        related_name="goals",
        null=True,
        blank=True,
        verbose_name=_("goal domain"),
    )
    text = models.TextField(_("goal"))
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_(
            "The text that opens the goal: paragraphs separated by blank lines; a line "
            "starting with '## ' is a subheading, lines starting with '- ' a bulleted list."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    municipal_goals = models.ManyToManyField(
        to="goals.MunicipalGoal",
        through="goals.GoalMunicipalGoal",
        blank=True,
        related_name="goals",
        verbose_name=_("municipal goals"),
    )
    summary = models.TextField(
        _("year-end summary"),
        blank=True,
        help_text=_("The 'Sammanfattningsvis …' text written at year end."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name = _("board goal")
        verbose_name_plural = _("board goals")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_("The plan already has a board goal in this position."),
            ),
        ]

    def __str__(self):
        text = " ".join(self.text.split())
        if len(text) <= 90:
            return text
        # Cut at a word boundary: a contents line never ends in half a word.
        cut = text[:89].rsplit(" ", 1)[0]
        return cut.rstrip(" ,.;:–-") + "…"

    def get_absolute_url(self):
        return reverse("admin:goals_goal_change", args=[self.pk])

    def clean(self):
        errors = {}
        if self.area_id and self.plan_id and self.area.board_id != self.plan.board_id:
            errors["area"] = _("The activity area belongs to another board than the plan.")
        if errors:
            raise ValidationError(errors)


class GoalIndicatorItem(models.Model):
    """A numbered indicator of a board goal as the plan writes it ("1. Fler personer ska …")."""

    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="indicator_items",
        verbose_name=_("board goal"),
    )
    number = models.CharField(
        _("number"),
        max_length=10,
        blank=True,
        help_text=_(
            "As the plan numbers it, e.g. 1 or 3a; empty when the plan does not number it."
        ),
    )
    text = models.TextField(_("indicator"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["goal", "order", "pk"]
        verbose_name = _("goal indicator")
        verbose_name_plural = _("goal indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "number"],
                condition=~Q(number=""),
                name="%(app_label)s_%(class)s_unique_number",
                violation_error_code="number_taken",
                violation_error_message=_(
                    "The board goal already has an indicator with this number."
                ),
            ),
        ]

    def __str__(self):
        text = " ".join(self.text.split())
        text = text if len(text) <= 80 else text[:79] + "…"
        return f"{self.number}. {text}" if self.number else text

    def validate_constraints(self, exclude=None):
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            raise ValidationError(field_errors(error, "number_taken", "number")) from None


class GoalMunicipalGoal(models.Model):
    """A board goal's link to a municipal goal, in the order the goal lists its links."""

    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="municipal_goal_links",
        verbose_name=_("board goal"),
    )
    municipal_goal = models.ForeignKey(
        to="goals.MunicipalGoal",
        on_delete=models.PROTECT,
        related_name="goal_links",
        verbose_name=_("municipal goal"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["goal", "order", "pk"]
        verbose_name = _("link to a municipal goal")
        verbose_name_plural = _("links to municipal goals")
        constraints = [
            models.UniqueConstraint(
                fields=["goal", "municipal_goal"],
                name="%(app_label)s_%(class)s_unique_link",
                violation_error_message=_(
                    "The board goal is already linked to this municipal goal."
                ),
            ),
        ]

    def __str__(self):
        return str(self.municipal_goal_id)


def field_errors(error: ValidationError, code: str, field: str) -> ValidationError:
    """Move the constraint errors with `code` from the form's top onto `field`."""
    if not hasattr(error, "error_dict"):
        return error
    moved = {}
    for name, errors in error.error_dict.items():
        for item in errors:
            target = field if getattr(item, "code", None) == code else name
            moved.setdefault(target, []).append(item)
    return ValidationError(moved)


class FollowUpPeriod(models.Model):
    """A follow-up date of a plan (tertial 1, interim report at 08-31, year-end at 12-31)."""

    plan = models.ForeignKey(
        to="goals.Plan",
        on_delete=models.CASCADE,
        related_name="periods",
        verbose_name=_("plan"),
    )
    kind = models.CharField(_("kind"), max_length=2, choices=PeriodKind.choices)
    date = models.DateField(_("follow-up date"))
    deadline = models.DateField(
        _("deadline"),
        null=True,
        blank=True,
        help_text=_("The last day for writing the period's follow-up texts."),
    )
    values_deadline = models.DateField(
        _("deadline for values"),
        null=True,
        blank=True,
        help_text=_("Optional: an earlier last day for the indicator values."),
    )
    reminder_days = models.CharField(
        _("reminders (days before the deadline)"),
        max_length=40,
        blank=True,
        default=DEFAULT_REMINDER_DAYS,
        help_text=_(
            "Comma-separated numbers of days before the deadline when responsible persons "
            "with unwritten follow-ups are reminded by email, e.g. 7,1; empty: no reminders."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PeriodStatus.choices,
        default=PeriodStatus.OPEN,
    )
    # The board's own decision on the report written at this follow-up (for the year-end:
    # the verksamhetsberättelse), printed on its cover; empty while it is a proposal.
    report_adopted_on = models.DateField(
        _("report adopted on"),
        null=True,
        blank=True,
        help_text=_("The date the follow-up report (e.g. the annual report) was adopted."),
    )
    report_adopted_by = models.CharField(
        _("report adopted by"),
        max_length=200,
        blank=True,
        help_text=_("The body that adopted the report; empty means the board itself."),
    )
    report_decision_paragraph = models.CharField(
        _("report decision paragraph"),
        max_length=40,
        blank=True,
        help_text=_("The paragraph of the minutes, e.g. § 112."),
    )
    report_diary_number = models.CharField(
        _("report diary number"),
        max_length=60,
        blank=True,
        help_text=_("The case's registration number (diarienummer), e.g. SN 2018/0456."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)

    class Meta:
        ordering = ["plan", "date"]
        verbose_name = _("follow-up period")
        verbose_name_plural = _("follow-up periods")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind"],
                name="%(app_label)s_%(class)s_unique_kind",
                violation_error_message=_("The plan already has a follow-up of this kind."),
            ),
            models.UniqueConstraint(
                fields=["plan", "date"],
                name="%(app_label)s_%(class)s_unique_date",
                violation_error_message=_("The plan already has a follow-up on this date."),
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gte=F("date")),
                name="%(app_label)s_%(class)s_deadline_after_date",
                violation_error_message=_(
                    "The reporting deadline cannot be before the follow-up date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(values_deadline__isnull=True)
                | (
                    Q(deadline__isnull=False)
                    & Q(values_deadline__gte=F("date"))
                    & Q(values_deadline__lte=F("deadline"))
                ),
                name="%(app_label)s_%(class)s_values_deadline_in_range",
                violation_error_message=_(
                    "The deadline for values must lie between the follow-up date and the "
                    "deadline for texts."
                ),
            ),
        ]
        # "The date lies in the plan's year" spans two tables; it is enforced by a
        # database trigger (see migration 0002) and mirrored in clean().

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("followups:workbench", args=[self.pk])

    @property
    def is_open(self):
        """Texts, assessments and values of the period may change (see is_locked)."""
        return self.status == PeriodStatus.OPEN

    @property
    def is_published(self):
        """Public: anyone may read the period's follow-ups (else they are a draft)."""
        return self.status == PeriodStatus.PUBLISHED

    @property
    def is_final(self):
        """Approved or published: printed without the preliminary ("UTKAST") marking."""
        return self.status in FINAL_STATUSES

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The status as stored: a form may not change a closed period by sending "open".
        if "status" in field_names:
            instance._stored_status = instance.status
        return instance

    @property
    def is_locked(self) -> bool:
        """A period that has left "open" is part of the record until the workflow reopens it:
        its plan, kind and date stay, and it cannot be deleted (also kept by a trigger)."""
        return getattr(self, "_stored_status", PeriodStatus.OPEN) != PeriodStatus.OPEN

    @classmethod
    def locked_among(cls, pks):
        """The rows among `pks` that may be neither changed nor deleted (one query)."""
        return cls.objects.filter(pk__in=pks).exclude(status=PeriodStatus.OPEN)

    @property
    def reminder_offsets(self) -> list[int]:
        """The reminder days as numbers, furthest first ([7, 1]); [] when unreadable or empty."""
        try:
            return parse_reminder_days(self.reminder_days)
        except ValueError:
            return []

    def _deadline_errors(self) -> dict:
        """The deadlines follow the follow-up date: texts by `deadline` (within a year), values
        by `values_deadline`, which needs a text deadline and is not after it."""
        errors = {}
        if self.deadline and self.date:
            if self.deadline < self.date:
                errors["deadline"] = _(
                    "The reporting deadline cannot be before the follow-up date."
                )
            elif (self.deadline - self.date).days > MAX_DEADLINE_DAYS:
                errors["deadline"] = _("The deadline must lie within a year of the follow-up date.")
        if self.values_deadline:
            if not self.deadline:
                errors["values_deadline"] = _(
                    "Set the deadline for texts before a deadline for values."
                )
            elif self.values_deadline > self.deadline:
                errors["values_deadline"] = _(
                    "The deadline for values cannot be after the deadline for texts."
                )
            elif self.date and self.values_deadline < self.date:
                errors["values_deadline"] = _(
                    "The deadline for values cannot be before the follow-up date."
                )
        try:
            self.reminder_days = ",".join(str(d) for d in parse_reminder_days(self.reminder_days))
        except ValueError as exc:
            errors["reminder_days"] = str(exc)
        return errors

    def clean(self):
        errors = self._deadline_errors()
        if self.is_locked:
            stored = type(self).objects.filter(pk=self.pk).values("plan_id", "kind", "date").first()
            for name in ("plan_id", "kind", "date"):
                if stored and stored[name] != getattr(self, name):
                    errors[name.removesuffix("_id")] = _(
                        "The period has status %(status)s and is part of the record: it cannot "
                        "be changed until an approver reopens it."
                    ) % {"status": PeriodStatus(self._stored_status).label}
            if errors:
                raise ValidationError(errors)
        if self.plan_id and self.date and self.date.year != self.plan.year:
            errors["date"] = _("The follow-up date must lie within the plan's year (%(year)s).") % {
                "year": self.plan.year
            }
        if errors:
            raise ValidationError(errors)


class WorkflowStep(models.Model):
    """One step of a period's workflow (submit, approve, publish, reopen): who, when, and
    why. The concrete logs add `period`, the follow-up period or monthly follow-up moved."""

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
        abstract = True
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
