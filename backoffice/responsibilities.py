"""Responsible persons, set inline on goals, indicators, activities and assignments."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from access import policy
from access.admin_mixins import BoardScopedInlineMixin
from access.choices import Action
from responsibilities.models import Responsibility


def responsible_choices(user):
    """Persons who may be made responsible: active users with a role on a board the editor
    may edit (a system administrator may pick anyone active)."""
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    ids = policy.board_ids(user, Action.EDIT)
    if ids is policy.ALL:
        return users
    return users.filter(board_memberships__board__in=ids).distinct()


class ResponsibilityInline(BoardScopedInlineMixin, admin.TabularInline):
    """The persons responsible for writing this subject's follow-ups."""

    model = Responsibility
    extra = 1
    fields = ["user"]
    verbose_name = _("responsible person")
    verbose_name_plural = _("responsible persons (write the follow-ups; reminded by e-mail)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = responsible_choices(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
