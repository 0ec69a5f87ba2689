from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """The three tertial follow-ups of a plan year."""

    TERTIAL_1 = "T1", _("Tertial 1")
    TERTIAL_2 = "T2", _("Interim report (tertial 2)")
    TERTIAL_3 = "T3", _("Year-end (tertial 3)")


class PeriodStatus(models.TextChoices):
    """Where a follow-up period stands; only an open period accepts changes."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


#: The usual follow-up dates per kind (month, day).
PERIOD_DEFAULT_DATES = {
    PeriodKind.TERTIAL_1: (4, 30),
    PeriodKind.TERTIAL_2: (8, 31),
    PeriodKind.TERTIAL_3: (12, 31),
}
