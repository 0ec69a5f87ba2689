"""Data entry for the year-end report's economy tables."""

from django.contrib import admin

from access.admin_mixins import BoardScopedAdminMixin
from reports.models import EconomySummaryRow, InvestmentRow, OperatingSummaryRow


@admin.register(EconomySummaryRow)
class EconomySummaryRowAdmin(BoardScopedAdminMixin, admin.ModelAdmin):
    list_display = ["label", "plan", "outcome", "budget", "deviation", "order"]
    list_filter = ["plan__board", "plan__year"]
    list_select_related = ["plan"]
    search_fields = ["label"]
    autocomplete_fields = ["plan"]
    ordering = ["plan", "order"]


@admin.register(OperatingSummaryRow)
class OperatingSummaryRowAdmin(BoardScopedAdminMixin, admin.ModelAdmin):
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
class InvestmentRowAdmin(BoardScopedAdminMixin, admin.ModelAdmin):
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
