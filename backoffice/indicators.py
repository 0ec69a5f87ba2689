from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from access.admin_mixins import BoardScopedAdminMixin, BoardScopedInlineMixin
from backoffice.responsibilities import ResponsibilityInline
from core.locking import LockedInlineFormSet
from imports.admin_mixins import IndicatorValueImportExportMixin
from indicators.locks import ValueLocks
from indicators.models import Indicator, IndicatorValue
from indicators.resources import (
    IndicatorValueResource,
    IndicatorValueWideResource,
    KoladaValueResource,
)

from .labels import LabelledChoicesMixin


class IndicatorValueFormSet(LockedInlineFormSet):
    """An indicator's values: the locks of its board are read once for all rows."""

    def full_clean(self):
        if self.is_bound and self.instance.board_id:
            self.instance._value_locks = ValueLocks.load([self.instance.board_id])
        super().full_clean()


class IndicatorValueInline(BoardScopedInlineMixin, admin.TabularInline):
    model = IndicatorValue
    formset = IndicatorValueFormSet
    extra = 0
    fields = ["year", "tertial", "gender", "category", "value", "text_value", "is_estimate", "note"]


@admin.register(Indicator)
class IndicatorAdmin(LabelledChoicesMixin, BoardScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "board", "goal", "target", "unit", "kolada_kpi"]
    list_filter = ["board", "kind", "goal__plan__year", "direction"]
    list_select_related = ["board", "goal"]
    search_fields = ["name", "kolada_kpi", "source", "board__name"]
    autocomplete_fields = ["board", "goal"]
    inlines = [ResponsibilityInline, IndicatorValueInline]

    @admin.display(description=_("target value"))
    def target(self, obj):
        return obj.target_display


@admin.register(IndicatorValue)
class IndicatorValueAdmin(
    BoardScopedAdminMixin, IndicatorValueImportExportMixin, SimpleHistoryAdmin
):
    resource_classes = [IndicatorValueResource]
    wide_resource_class = IndicatorValueWideResource
    kolada_resource_class = KoladaValueResource
    list_display = ["indicator", "year", "tertial", "gender", "category", "display", "is_estimate"]
    list_filter = ["indicator__board", "year", "gender", "is_estimate"]
    list_select_related = ["indicator"]
    search_fields = ["indicator__name", "category", "text_value"]
    autocomplete_fields = ["indicator"]

    @admin.display(description=_("value"))
    def display(self, obj):
        return obj.display
