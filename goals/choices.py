from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """The three tertial follow-ups of a plan year."""

    TERTIAL_1 = "T1", _("Tertial 1")
    TERTIAL_2 = "T2", _("Interim report (tertial 2)")
    TERTIAL_3 = "T3", _("Year-end (tertial 3)")


class PeriodStatus(models.TextChoices):
    """Where a follow-up period stands in its workflow; only an open period accepts changes.

    open → submitted → approved → published; an approver can reopen with a reason.
    """

    OPEN = "open", _("Open")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


#: Statuses whose content is final enough to print without a draft marking.
FINAL_STATUSES = (PeriodStatus.APPROVED, PeriodStatus.PUBLISHED)


#: The usual follow-up dates per kind (month, day).
PERIOD_DEFAULT_DATES = {
    PeriodKind.TERTIAL_1: (4, 30),
    PeriodKind.TERTIAL_2: (8, 31),
    PeriodKind.TERTIAL_3: (12, 31),
}
