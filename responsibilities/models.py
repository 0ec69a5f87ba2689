"""Who is responsible (ansvarig) for writing the follow-ups of a goal, indicator, activity or
development assignment."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["SUBJECT_FIELDS", "Responsibility"]

#: What a person can be responsible for; exactly one is set on each row (the same kinds as
#: a follow-up's subject).
SUBJECT_FIELDS = ("goal", "indicator", "activity", "assignment")


def _only(field):
    q = Q(**{f"{field}__isnull": False})
    for other in SUBJECT_FIELDS:
        if other != field:
            q &= Q(**{f"{other}__isnull": True})
    return q


class Responsibility(models.Model):
    """A person responsible for one subject of a plan; a subject may have several.

    An indicator, activity or assignment without a responsible person of its own falls to
    the persons responsible for its board goal (see selectors.effective_responsibles).
    """

    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="responsibilities",
        verbose_name=_("responsible person"),
    )
    goal = models.ForeignKey(
        to="goals.Goal",
        on_delete=models.CASCADE,
        related_name="responsibilities",
        null=True,
        blank=True,
        verbose_name=_("board goal"),
    )
    indicator = models.ForeignKey(
        to="indicators.Indicator",
        on_delete=models.CASCADE,
        related_name="responsibilities",
        null=True,
        blank=True,
        verbose_name=_("indicator"),
    )
    activity = models.ForeignKey(
        to="activities.Activity",
        on_delete=models.CASCADE,
        related_name="responsibilities",
        null=True,
        blank=True,
        verbose_name=_("activity"),
    )
    assignment = models.ForeignKey(
        to="activities.Assignment",
        on_delete=models.CASCADE,
        related_name="responsibilities",
        null=True,
        blank=True,
        verbose_name=_("development assignment"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("responsible person")
        verbose_name_plural = _("responsible persons")
        constraints = [
            models.CheckConstraint(
                condition=_only("goal")
                | _only("indicator")
                | _only("activity")
                | _only("assignment"),
                name="%(app_label)s_%(class)s_exactly_one_subject",
                violation_error_message=_(
                    "A responsibility must concern exactly one of: board goal, indicator, "
                    "activity or development assignment."
                ),
            ),
            *[
                models.UniqueConstraint(
                    fields=["user", field],
                    condition=Q(**{f"{field}__isnull": False}),
                    name=f"%(app_label)s_%(class)s_unique_{field}",
                    violation_error_message=_("The person is already responsible for this."),
                )
                for field in SUBJECT_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.user} – {self.subject}"

    @property
    def subject_kind(self) -> str | None:
        return next((f for f in SUBJECT_FIELDS if getattr(self, f"{f}_id") is not None), None)

    @property
    def subject_id(self) -> int | None:
        kind = self.subject_kind
        return getattr(self, f"{kind}_id") if kind else None

    @property
    def subject(self):
        kind = self.subject_kind
        return getattr(self, kind) if kind else None

    def clean(self):
        if self.user_id and not self.user.is_active:
            raise ValidationError({"user": _("The person's account is not active.")})
