from django.db import models
from django.utils.translation import gettext_lazy as _


class Schedule(models.TextChoices):
    """When an activity is due (tidplan); anything else is written as free text."""

    TERTIAL_1 = "T1", _("Tertial 1")
    TERTIAL_2 = "T2", _("Tertial 2")
    TERTIAL_3 = "T3", _("Tertial 3")
    YEAR_END = "bokslut", _("Year-end accounts")
    OTHER = "other", _("Other (free text)")


class AssignmentOrigin(models.TextChoices):
    """Who gave a development assignment."""

    BOARD = "board", _("The board's own")
    MUNICIPAL = "municipal", _("Municipality-wide")


class WorkStatus(models.TextChoices):
    """Progress of an activity or assignment at a follow-up."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")
