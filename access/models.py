"""Who holds which role on which board."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role

__all__ = ["BoardMembership"]


class BoardMembership(models.Model):
    """A person's role on a board: reader, editor or approver."""

    user = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="board_memberships",
        verbose_name=_("user"),
    )
    board = models.ForeignKey(
        to="goals.Board",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("board"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["board", "user__username"]
        verbose_name = _("board role")
        verbose_name_plural = _("board roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "board"],
                name="%(app_label)s_%(class)s_unique_user_board",
                violation_error_message=_("Personen har redan en roll i nämnden."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.board})"
