from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import BoardScopedAdminMixin, BoardScopedInlineMixin
from activities.models import Activity, Assignment
from activities.resources import ActivityResource, AssignmentResource
from backoffice.responsibilities import ResponsibilityInline
from followups.models import FollowUp
from imports.admin_mixins import BoardImportExportMixin

from .labels import LabelledChoicesMixin, restrict_to_plan


class FollowUpInline(BoardScopedInlineMixin, admin.TabularInline):
    """Follow-ups of one subject across periods; written in the workbench, readable here."""

    model = FollowUp
    extra = 0
    fields = ["period", "text", "status", "updated_at"]
    readonly_fields = ["period", "text", "status", "updated_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("period", "goal", "activity", "indicator", "assignment")
        )


@admin.register(Activity)
class ActivityAdmin(
    LabelledChoicesMixin, BoardScopedAdminMixin, BoardImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [ActivityResource]
    list_display = ["number", "short_text", "goal", "board", "year", "schedule_display"]
    list_display_links = ["number", "short_text"]
    list_filter = ["plan__board", "plan__year", "goal__area", "schedule"]
    list_select_related = ["goal", "plan__board"]
    search_fields = ["number", "text", "plan__board__name"]
    autocomplete_fields = ["goal"]
    inlines = [ResponsibilityInline, FollowUpInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return restrict_to_plan(form, obj.plan_id, ["goal"]) if obj else form

    @admin.display(description=_("activity"), ordering="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 100 else obj.text[:99] + "…"

    @admin.display(description=_("board"), ordering="plan__board__name")
    def board(self, obj):
        return obj.plan.board

    @admin.display(description=_("year"), ordering="plan__year")
    def year(self, obj):
        return obj.plan.year

    @admin.display(description=_("schedule"), ordering="schedule")
    def schedule_display(self, obj):
        return obj.schedule_label


@admin.register(Assignment)
class AssignmentAdmin(
    LabelledChoicesMixin, BoardScopedAdminMixin, BoardImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [AssignmentResource]
    list_display = ["number", "short_text", "origin", "partners", "plan", "board"]
    list_display_links = ["number", "short_text"]
    list_filter = ["plan__board", "plan__year", "origin"]
    list_select_related = ["plan__board"]
    search_fields = ["number", "text", "partners", "plan__board__name"]
    autocomplete_fields = ["plan", "goal"]
    inlines = [ResponsibilityInline, FollowUpInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return restrict_to_plan(form, obj.plan_id, ["goal"]) if obj else form

    @admin.display(description=_("development assignment"), ordering="text")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 100 else obj.text[:99] + "…"

    @admin.display(description=_("board"), ordering="plan__board__name")
    def board(self, obj):
        return obj.plan.board
