"""Responsible persons, set inline on goals, indicators, activities and assignments."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from access import policy
from access.admin_mixins import BoardScopedInlineMixin
from access.choices import Action
from imports.admin_mixins import BoardImportExportMixin
from responsibilities.models import Responsibility
from responsibilities.resources import ResponsibilityResource


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


@admin.register(Responsibility)
class ResponsibilityAdmin(BoardImportExportMixin, admin.ModelAdmin):
    """Every responsible person of the boards one may edit; import and export as xlsx."""

    resource_classes = [ResponsibilityResource]
    list_display = ["user", "subject_display", "kind_display"]
    list_select_related = [
        "user",
        "goal__plan",
        "indicator__goal__plan",
        "activity__plan",
        "assignment__plan",
    ]
    list_filter = [
        ("goal__plan", admin.RelatedOnlyFieldListFilter),
        ("activity__plan", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    fields = ["user", "goal", "indicator", "activity", "assignment"]
    raw_id_fields = ["goal", "indicator", "activity", "assignment"]

    def get_queryset(self, request, action=Action.VIEW_DRAFT):
        queryset = super().get_queryset(request)
        ids = policy.board_ids(request.user, action)
        if ids is policy.ALL:
            return queryset
        return queryset.filter(
            Q(goal__plan__board__in=ids)
            | Q(indicator__board__in=ids)
            | Q(activity__plan__board__in=ids)
            | Q(assignment__plan__board__in=ids)
        )

    def get_export_queryset(self, request):
        # The resource filters by board too; its subjects reach the board by four paths.
        return self.get_queryset(request, Action.EXPORT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = responsible_choices(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_module_permission(self, request):
        return policy.has_any_role(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.has_any_role(request.user)

    def _may_edit(self, request, obj=None):
        if obj is None:
            return bool(policy.board_ids(request.user, Action.EDIT))
        return policy.can(request.user, Action.EDIT, _board_of(obj))

    def has_add_permission(self, request):
        # Added inline on the subject's page (its board is known there) or by import.
        return False

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    @admin.display(description=_("concerns"))
    def subject_display(self, obj):
        return str(obj.subject)

    @admin.display(description=_("kind"))
    def kind_display(self, obj):
        return obj._meta.get_field(obj.subject_kind).verbose_name


def _board_of(obj):
    subject = obj.subject
    if obj.subject_kind == "indicator":
        return subject.board_id
    return subject.plan.board_id
