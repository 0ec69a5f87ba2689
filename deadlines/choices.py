from django.db import models
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    """Which e-mail a person got about a period."""

    BEFORE_DEADLINE = "before", _("Reminder before the deadline")
    VALUES_BEFORE_DEADLINE = "values", _("Reminder of missing indicator values")
    SUMMARY = "summary", _("Summary after the deadline")
