from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import BoardScopedAdminMixin, BoardScopedInlineMixin
from access.choices import Action
from core.locking import LockedModelForm
from followups.models import FollowUp, FollowUpCoverage
from followups.resources import FollowUpResource
from imports.admin_mixins import BoardImportExportMixin

from .labels import LabelledChoicesMixin, restrict_to_plan


class FollowUpAdminForm(LockedModelForm):
    """Refuses changes in a closed period (and, through LockedModelForm, stale saves)."""

    class Meta:
        model = FollowUp
        fields = [
            "period",
            "goal",
            "activity",
            "indicator",
            "indicator_item",
            "assignment",
            "text",
            "forecast",
            "fulfilment",
            "status",
        ]

    def clean(self):
        period = self.cleaned_data.get("period")
        if period is not None and not period.is_open:
            raise ValidationError(
                _("The period is closed; follow-ups can no longer be changed."), code="closed"
            )
        return super().clean()


class FollowUpCoverageInline(BoardScopedInlineMixin, admin.TabularInline):
    """A joint follow-up ("1–2"): the further indicators and assignments of the same goal
    that its one text and forecast cover; read-only, like the follow-up, once its period has
    left "open"."""

    model = FollowUpCoverage
    extra = 1
    fields = ["indicator_item", "assignment"]
    edit_action = Action.EDIT_FOLLOW_UP
    verbose_name = _("also covers")
    verbose_name_plural = _("also covers (joint follow-up)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("indicator_item", "assignment")

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        goal_id = obj.owner_goal_id if obj is not None else None
        for name in ("indicator_item", "assignment"):
            field = formset.form.base_fields.get(name)
            if field is not None:
                # Only items of the follow-up's own goal can be covered by it.
                field.queryset = field.queryset.filter(goal_id=goal_id)
        return formset

    def _may_edit(self, request, obj):
        if obj is not None and getattr(obj, "is_locked", False):
            return False
        return super()._may_edit(request, obj)

    def has_add_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.owner_goal_id is not None
            and super().has_add_permission(request, obj)
        )


@admin.register(FollowUp)
class FollowUpAdmin(
    LabelledChoicesMixin, BoardScopedAdminMixin, BoardImportExportMixin, SimpleHistoryAdmin
):
    """Single follow-ups; the workbench is where a whole period is written."""

    inlines = [FollowUpCoverageInline]

    resource_classes = [FollowUpResource]

    form = FollowUpAdminForm
    edit_action = Action.EDIT_FOLLOW_UP

    list_display = [
        "subject_label",
        "kind",
        "period",
        "board",
        "fulfilment",
        "status",
        "updated_at",
    ]
    list_filter = [
        "period__plan__board",
        "period__plan__year",
        "period__kind",
        "fulfilment",
        "status",
    ]
    list_select_related = [
        "period__plan__board",
        "goal",
        "activity",
        "indicator",
        "assignment",
        "fulfilment",
    ]
    search_fields = ["text", "forecast", "activity__number", "goal__text", "activity__text"]
    autocomplete_fields = ["period", "goal", "activity", "indicator", "assignment"]
    raw_id_fields = ["indicator_item"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    fields = [
        "period",
        ("goal", "activity", "indicator", "indicator_item", "assignment"),
        "text",
        "forecast",
        "fulfilment",
        "status",
        ("version", "updated_at", "updated_by"),
        "base_token",
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is None:
            return form
        plan_id = obj.period.plan_id
        return restrict_to_plan(
            form, plan_id, ["period", "goal", "activity", "indicator_item", "assignment"]
        )

    @admin.display(description=_("subject"))
    def subject_label(self, obj):
        subject = obj.subject
        text = str(subject)
        return text if len(text) <= 80 else text[:79] + "…"

    @admin.display(description=_("kind"))
    def kind(self, obj):
        kind = obj.subject_kind
        return obj._meta.get_field(kind).verbose_name if kind else "–"

    @admin.display(description=_("board"), ordering="period__plan__board__name")
    def board(self, obj):
        return obj.period.plan.board

    def save_model(self, request, obj, form, change):
        current = FollowUp.objects.filter(pk=obj.pk).values_list("version", flat=True).first()
        obj.version = (current or 0) + 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
