"""Quality reports (kvalitetsberättelser): themed narrative sections citing goals and indicators."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["QualityReport", "Reference", "Section", "Theme"]


class QualityReport(models.Model):
    """A board's yearly quality report (kvalitetsberättelse)."""

    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.PROTECT,
        related_name="quality_reports",
        verbose_name=_("board"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    case_number = models.CharField(_("case number"), max_length=50, blank=True)
    dated = models.DateField(_("date"), null=True, blank=True)
    handled_by = models.CharField(_("handled by"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_("Anonymous readers see the report once it is published."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["board", "-year"]
        verbose_name = _("quality report")
        verbose_name_plural = _("quality reports")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "year"],
                name="%(app_label)s_%(class)s_unique_board_year",
                violation_error_message=_("The board already has a quality report for the year."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="%(app_label)s_%(class)s_year_range",
                violation_error_message=_("The year must lie between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.board}"

    @property
    def is_published(self):
        return self.published_at is not None


class Theme(models.Model):
    """A theme the year's follow-up focused on (Delaktighet, Personalens kompetens, …)."""

    report = models.ForeignKey(
        to="qualityreports.QualityReport",
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("quality report"),
    )
    key = models.SlugField(_("key"), max_length=80)
    title = models.CharField(_("title"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("The report already has a theme with this key."),
            ),
        ]

    def __str__(self):
        return self.title


class Section(models.Model):
    """A section of a quality report: heading level, text, footnotes, optionally a theme."""

    report = models.ForeignKey(
        to="qualityreports.QualityReport",
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("quality report"),
    )
    theme = models.ForeignKey(
        to="qualityreports.Theme",
        on_delete=models.SET_NULL,
        related_name="sections",
        null=True,
        blank=True,
        verbose_name=_("theme"),
    )
    key = models.SlugField(_("key"), max_length=120)
    title = models.CharField(_("title"), max_length=300)
    level = models.PositiveSmallIntegerField(
        _("heading level"), default=1, help_text=_("1 for a chapter, 2 to 4 below it.")
    )
    body = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            "One paragraph per line; lines starting with '- ' form a list. A footnote is"
            " referred to as [4]."
        ),
    )
    notes = models.TextField(
        _("footnotes"),
        blank=True,
        help_text=_("One footnote per line, starting with its number: '4 Kajonius, …'."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["report", "order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="%(app_label)s_%(class)s_unique_key",
                violation_error_message=_("The report already has a section with this key."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=4),
                name="%(app_label)s_%(class)s_level_range",
                violation_error_message=_("The heading level must be 1, 2, 3 or 4."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.theme_id and self.report_id and self.theme.report_id != self.report_id:
            raise ValidationError({"theme": _("The theme belongs to another quality report.")})


class Reference(models.Model):
    """A goal or indicator of the board that a section cites, with the year of the value."""

    section = models.ForeignKey(
        to="qualityreports.Section",
        on_delete=models.CASCADE,
        related_name="references",
        verbose_name=_("section"),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="quality_references",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
    )
    indicator = models.ForeignKey(
        to="indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="quality_references",
        null=True,
        blank=True,
        verbose_name=_("indicator"),
    )
    year = models.PositiveSmallIntegerField(
        _("value of year"),
        null=True,
        blank=True,
        help_text=_("An indicator's values up to this year are shown beside the text."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("reference")
        verbose_name_plural = _("references")
        constraints = [
            models.CheckConstraint(
                condition=(Q(goal__isnull=False) & Q(indicator__isnull=True))
                | (Q(goal__isnull=True) & Q(indicator__isnull=False)),
                name="%(app_label)s_%(class)s_one_subject",
                violation_error_message=_("Give either a board goal or an indicator."),
            ),
        ]

    def __str__(self):
        return str(self.goal or self.indicator)

    def clean(self):
        board_id = self.section.report.board_id if self.section_id else None
        if board_id is None:
            return
        if self.goal_id and self.goal.plan.board_id != board_id:
            raise ValidationError({"goal": _("The board goal belongs to another board.")})
        if self.indicator_id and self.indicator.board_id != board_id:
            raise ValidationError({"indicator": _("The indicator belongs to another board.")})
