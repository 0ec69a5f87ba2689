from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import BoardScopedAdminMixin, BoardScopedInlineMixin
from imports.admin_mixins import BoardImportExportMixin
from qualityreports import services
from qualityreports.models import QualityReport, Reference, Section, Theme
from qualityreports.resources import SectionResource


class ThemeInline(BoardScopedInlineMixin, admin.TabularInline):
    model = Theme
    extra = 0


class SectionInline(BoardScopedInlineMixin, admin.StackedInline):
    model = Section
    fields = [("order", "level", "key"), ("title", "theme"), "body", "notes"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        report_id = (
            request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
        )
        if db_field.name == "theme" and field is not None:
            field.queryset = Theme.objects.filter(report_id=report_id or 0)
        return field


@admin.register(QualityReport)
class QualityReportAdmin(BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "board", "year", "published_at", "links"]
    list_filter = ["board", "year"]
    list_select_related = ["board"]
    search_fields = ["title"]
    autocomplete_fields = ["board"]
    readonly_fields = ["published_at"]
    inlines = [ThemeInline, SectionInline]
    actions = ["publish", "unpublish"]

    @admin.display(description=_("report"))
    def links(self, obj):
        url = reverse("qualityreports:report", args=[obj.board_id, obj.year])
        return format_html('<a href="{}">{}</a>', url, _("Report"))

    def _publish(self, request, queryset, published):
        for report in queryset:
            try:
                services.quality_report_publish(
                    report=report, user=request.user, published=published
                )
            except PermissionDenied:
                self.message_user(
                    request, _("You may not publish %(plan)s.") % {"plan": report}, messages.ERROR
                )

    @admin.action(description=_("Publish the chosen quality reports"))
    def publish(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=_("Unpublish the chosen quality reports"))
    def unpublish(self, request, queryset):
        self._publish(request, queryset, False)


class ReferenceInline(BoardScopedInlineMixin, admin.TabularInline):
    model = Reference
    fields = ["order", "indicator", "goal", "year", "note"]
    autocomplete_fields = ["indicator", "goal"]
    extra = 0


@admin.register(Section)
class SectionAdmin(BoardScopedAdminMixin, BoardImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [SectionResource]
    list_display = ["title", "report", "level", "theme", "order"]
    list_filter = ["report__board", "report", "theme__title", "level"]
    list_select_related = ["report", "theme"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["report"]
    inlines = [ReferenceInline]
