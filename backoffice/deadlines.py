"""Reminder history (read-only) and the persons' reminder preferences."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from access import policy
from access.choices import Action
from deadlines.models import ReminderPreference, ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """Who was reminded when: written only by the reminder job, never edited."""

    list_display = ["sent_at", "user", "email", "kind", "days_before", "row_count", "period"]
    list_filter = ["kind", "period__plan__board", "period__plan__year"]
    list_select_related = ["user", "period__plan"]
    search_fields = ["user__username", "email"]
    date_hierarchy = "sent_at"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = policy.board_ids(request.user, Action.EDIT_FOLLOW_UP)
        return qs if ids is policy.ALL else qs.filter(period__plan__board__in=ids)

    def has_module_permission(self, request):
        return bool(policy.board_ids(request.user, Action.EDIT_FOLLOW_UP))

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return self.has_module_permission(request)
        return policy.can(request.user, Action.EDIT_FOLLOW_UP, obj.period.plan.board_id)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderPreference)
class ReminderPreferenceAdmin(admin.ModelAdmin):
    """Opt-outs; each person sets their own on "Mina påminnelser", administrators here."""

    list_display = ["user", "opt_out", "updated_at"]
    list_filter = ["opt_out"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    verbose_name = _("reminder preference")

    def has_module_permission(self, request):
        return policy.is_system_admin(request.user)

    has_view_permission = has_add_permission = has_module_permission

    def has_change_permission(self, request, obj=None):
        return policy.is_system_admin(request.user)

    has_delete_permission = has_change_permission
