"""Tombstones: which rows the API exposes were deleted or withdrawn from the public, and when."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Tombstone"]


class Tombstone(models.Model):
    """A deleted (or withdrawn) row of a model the API exposes, so syncing readers drop it."""

    model = models.CharField(
        _("model"),
        max_length=100,
        help_text=_("The model's label, e.g. indicators.indicatorvalue."),
    )
    object_id = models.BigIntegerField(_("object id"))
    board_id = models.BigIntegerField(
        _("board id"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The board the row belonged to; kept as a number, as the board may be gone."),
    )
    deleted_at = models.DateTimeField(_("deleted at"), default=timezone.now, db_index=True)
    reason = models.CharField(
        _("reason"),
        max_length=20,
        choices=[("deleted", _("deleted")), ("withdrawn", _("withdrawn"))],
        default="deleted",
        help_text=_(
            "Deleted: the row is gone. Withdrawn: its period was reopened after publication, "
            "so the public no longer sees it (it comes back, changed, when published again)."
        ),
    )
    was_public = models.BooleanField(
        _("was public"),
        default=True,
        help_text=_("Whether anonymous readers could see the row; only those are listed to them."),
    )

    class Meta:
        ordering = ["deleted_at", "pk"]
        verbose_name = _("deletion")
        verbose_name_plural = _("deletions")
        indexes = [
            models.Index(fields=["model", "deleted_at"], name="tombstone_model_time"),
        ]

    def __str__(self):
        return f"{self.model} {self.object_id} ({self.deleted_at:%Y-%m-%d %H:%M})"
