"""Who holds which role on which board."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Role

__all__ = ["BoardMembership", "TokenScope"]


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
                violation_error_message=_("The person already has a role on the board."),
            ),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} ({self.board})"


class TokenScope(models.Model):
    """What an API token may do: read or read-write, on given boards only.

    The token itself is a django-rest-knox AuthToken (stored hashed, with an expiry); the
    scope narrows its user's roles: boards outside the scope are invisible through the
    token, and a read-only token acts as a reader even for an editor.
    """

    token = models.OneToOneField(
        to="knox.AuthToken",
        on_delete=models.CASCADE,
        related_name="scope",
        verbose_name=_("token"),
    )
    name = models.CharField(_("client name"), max_length=200)
    boards = models.ManyToManyField(
        to="goals.Board", related_name="token_scopes", verbose_name=_("boards")
    )
    can_write = models.BooleanField(_("may write"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("API token scope")
        verbose_name_plural = _("API token scopes")

    def __str__(self):
        return self.name
