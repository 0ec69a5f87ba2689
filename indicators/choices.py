from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorKind(models.TextChoices):
    """What an indicator measures: a board goal, the core mission's volumes, or staff."""

    GOAL = "goal", _("Board indicator")
    VOLUME = "volume", _("Volume (core mission)")
    STAFF = "staff", _("Staff")


class Comparator(models.TextChoices):
    """How a numeric target is read."""

    GTE = ">=", "≥"
    LTE = "<=", "≤"
    GT = ">", ">"
    LT = "<", "<"
    EQ = "=", "="


class Direction(models.TextChoices):
    """Which way is better for an indicator."""

    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Gender(models.TextChoices):
    """The breakdown of a value by gender, as in Kolada (T/K/M)."""

    TOTAL = "T", _("Total")
    WOMEN = "K", _("Women")
    MEN = "M", _("Men")


class Tertial(models.TextChoices):
    """The part of the year a value covers; blank is the whole year."""

    YEAR = "", _("Whole year")
    T1 = "T1", _("Tertial 1")
    T2 = "T2", _("Tertial 2")
    T3 = "T3", _("Tertial 3")
