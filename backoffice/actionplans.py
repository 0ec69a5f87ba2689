from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access import policy
from access.admin_mixins import BoardScopedAdminMixin, BoardScopedInlineMixin
from access.choices import Action
from actionplans import services
from actionplans.models import (
    ActionPlan,
    ActionPlanSection,
    BackgroundFigure,
    DecisionPoint,
    FollowUpMonth,
    Measure,
    MeasureFollowUp,
    MeasureGroup,
)
from actionplans.resources import MeasureResource, timing_text
from core.locking import LockedInlineForm
from imports.admin_mixins import BoardImportExportMixin


class DecisionPointInline(BoardScopedInlineMixin, admin.TabularInline):
    model = DecisionPoint
    extra = 0


class BackgroundFigureInline(BoardScopedInlineMixin, admin.TabularInline):
    model = BackgroundFigure
    extra = 0


class SectionInline(BoardScopedInlineMixin, admin.StackedInline):
    model = ActionPlanSection
    extra = 0


class GroupInline(BoardScopedInlineMixin, admin.TabularInline):
    model = MeasureGroup
    fields = ["order", "kind", "title", "edit_link"]
    readonly_fields = ["edit_link"]
    extra = 0

    @admin.display(description=_("measures"))
    def edit_link(self, obj):
        if not obj.pk:
            return "–"
        url = reverse("admin:actionplans_measuregroup_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Edit the measures"))


@admin.register(ActionPlan)
class ActionPlanAdmin(BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "board", "year", "total", "forecast_deficit", "published_at", "links"]
    list_filter = ["board", "year"]
    list_select_related = ["board"]
    search_fields = ["title"]
    autocomplete_fields = ["board"]
    readonly_fields = ["published_at"]
    inlines = [DecisionPointInline, BackgroundFigureInline, SectionInline, GroupInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_total=Sum("groups__measures__reduction"))

    @admin.display(description=_("total reduction (mnkr)"), ordering="_total")
    def total(self, obj):
        return obj._total

    @admin.display(description=_("report"))
    def links(self, obj):
        url = reverse("actionplans:report", args=[obj.board_id, obj.year])
        return format_html('<a href="{}">{}</a>', url, _("Report"))

    def _publish(self, request, queryset, published):
        done = 0
        for plan in queryset:
            try:
                services.action_plan_publish(plan=plan, user=request.user, published=published)
            except PermissionDenied:
                self.message_user(
                    request, _("You may not publish %(plan)s.") % {"plan": plan}, messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s plans changed.") % {"count": done})

    @admin.action(description=_("Publish the chosen action plans"))
    def publish(self, request, queryset):
        self._publish(request, queryset, True)

    @admin.action(description=_("Unpublish the chosen action plans"))
    def unpublish(self, request, queryset):
        self._publish(request, queryset, False)


class MeasureInline(BoardScopedInlineMixin, admin.TabularInline):
    model = Measure
    fields = [
        "order",
        "title",
        "reduction",
        "approximate",
        "reduction_note",
        "timing_year",
        "timing_quarter",
        "timing_date",
        "timing_from",
        "timing_text",
        "effect_from",
        "comment",
    ]
    extra = 0


@admin.register(MeasureGroup)
class MeasureGroupAdmin(BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "plan", "total", "order"]
    list_filter = ["plan__board", "plan", "kind"]
    list_select_related = ["plan"]
    search_fields = ["title", "body"]
    autocomplete_fields = ["plan"]
    inlines = [MeasureInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_total=Sum("measures__reduction"))

    @admin.display(description=_("sum (mnkr)"), ordering="_total")
    def total(self, obj):
        return obj._total


@admin.register(Measure)
class MeasureAdmin(BoardScopedAdminMixin, BoardImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [MeasureResource]
    list_display = ["title", "group", "reduction", "timing", "comment"]
    list_filter = ["group__plan__board", "group__plan", "group"]
    list_select_related = ["group__plan"]
    search_fields = ["title", "comment", "group__title"]
    autocomplete_fields = ["group"]

    @admin.display(description=_("timing"))
    def timing(self, obj):
        return timing_text(obj)


class MeasureFollowUpForm(LockedInlineForm):
    def clean(self):
        period = getattr(self.instance, "period", None) if self.instance.period_id else None
        if period is not None and not period.is_open:
            raise ValidationError(
                _("The period is closed; follow-ups can no longer be changed."), code="closed"
            )
        return super().clean()


class MeasureFollowUpInline(BoardScopedInlineMixin, admin.TabularInline):
    model = MeasureFollowUp
    form = MeasureFollowUpForm
    edit_action = Action.EDIT_FOLLOW_UP
    fields = ["measure", "status", "realised", "comment"]
    autocomplete_fields = ["measure"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("measure__group")

    def _may_edit(self, request, obj):
        # A month's figures change only while it is open, as a tertial period's texts.
        if obj is not None and not obj.is_open:
            return False
        return super()._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "measure" and field is not None:
            field.queryset = policy.filter_by_board(
                Measure.objects.select_related("group"), request.user, Action.EDIT_FOLLOW_UP
            )
        return field


@admin.register(FollowUpMonth)
class FollowUpMonthAdmin(BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "date", "status", "workflow"]
    list_filter = ["plan__board", "plan", "status"]
    list_select_related = ["plan"]
    search_fields = ["plan__title"]
    autocomplete_fields = ["plan"]
    readonly_fields = ["status", "workflow"]
    fields = ["plan", "date", "deadline", "status", "workflow"]
    inlines = [MeasureFollowUpInline]

    def get_inlines(self, request, obj):
        # A new month gets its rows from the service (every measure, last month carried over).
        return self.inlines if obj is not None else []

    @admin.display(description=_("workflow"))
    def workflow(self, obj):
        if not obj.pk:
            return "–"
        url = reverse("actionplans:month-status", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Workflow"))

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        # A new month starts with every measure, carrying last month's figures forward.
        try:
            created = services.follow_up_month_create(
                plan=obj.plan, date=obj.date, deadline=obj.deadline, user=request.user
            )
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            raise
        obj.pk = created.pk
        obj._state.adding = False
