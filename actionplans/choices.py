from django.db import models
from django.utils.translation import gettext_lazy as _


class MeasureKind(models.TextChoices):
    """The two kinds of measure an action plan proposes."""

    ORGANISATIONAL = "organisational", _("Organisational and method-related measures")
    COST_REDUCING = "cost_reducing", _("Cost-reducing measures")


class MeasureStatus(models.TextChoices):
    """Where a measure stands at a monthly follow-up."""

    NOT_STARTED = "not_started", _("Not started")
    ONGOING = "ongoing", _("Ongoing")
    DONE = "done", _("Carried out")
    DELAYED = "delayed", _("Delayed")
    CANCELLED = "cancelled", _("Cancelled")
