"""Data entry for the year-end report's economy tables; the published editions, read-only."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from access.admin_mixins import BoardScopedAdminMixin
from reports.models import EconomySummaryRow, Edition, InvestmentRow, OperatingSummaryRow

from .labels import LabelledChoicesMixin


@admin.register(Edition)
class EditionAdmin(BoardScopedAdminMixin, admin.ModelAdmin):
    """Editions are made by publishing and never change: listed and shown, nothing else."""

    list_display = [
        "__str__",
        "plan",
        "period",
        "published_at",
        "published_by",
        "is_correction",
        "download",
        "compare",
    ]
    list_filter = ["kind", "is_correction", "plan__board", "plan__year"]
    list_select_related = ["plan__board", "period", "published_by"]
    ordering = ["-published_at", "-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        earlier = Edition.objects.filter(
            plan=OuterRef("plan"), kind=OuterRef("kind"), published_at__lt=OuterRef("published_at")
        ).order_by("-published_at", "-pk")
        return (
            super().get_queryset(request).annotate(previous_uid=Subquery(earlier.values("uid")[:1]))
        )

    @admin.display(description=_("PDF"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Download"))

    @admin.display(description=_("What changed"))
    def compare(self, obj):
        """The diff against the edition of the same report published before it, if any."""
        if not getattr(obj, "previous_uid", None):
            return "–"
        url = reverse("public:compare", args=[obj.plan.board_id, obj.plan.year])
        return format_html(
            '<a href="{}?fran={}&amp;till={}">{}</a>', url, obj.previous_uid, obj.uid, _("Compare")
        )


@admin.register(EconomySummaryRow)
class EconomySummaryRowAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = ["label", "plan", "outcome", "budget", "deviation", "order"]
    list_filter = ["plan__board", "plan__year"]
    list_select_related = ["plan"]
    search_fields = ["label"]
    autocomplete_fields = ["plan"]
    ordering = ["plan", "order"]


@admin.register(OperatingSummaryRow)
class OperatingSummaryRowAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "label",
        "plan",
        "parent",
        "outcome",
        "budget",
        "deviation",
        "previous_year",
        "is_sum",
        "order",
    ]
    list_filter = ["plan__board", "plan__year", "is_sum"]
    list_select_related = ["plan", "parent"]
    search_fields = ["label"]
    autocomplete_fields = ["plan", "parent"]
    ordering = ["plan", "order"]


@admin.register(InvestmentRow)
class InvestmentRowAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "label",
        "plan",
        "expenditure",
        "income",
        "net",
        "budget",
        "deviation",
        "previous_year",
        "is_sum",
        "order",
    ]
    list_filter = ["plan__board", "plan__year", "is_sum"]
    list_select_related = ["plan"]
    search_fields = ["label"]
    autocomplete_fields = ["plan"]
    ordering = ["plan", "order"]
