"""Filters of the API lists of quality reports and their sections."""

from django.utils.translation import gettext_lazy as _

from core.api.filters import ApiFilterSet, IdFilter, YearsFilter
from qualityreports.models import QualityReport, Section


class QualityReportFilterSet(ApiFilterSet):
    board = IdFilter(field_name="board_id", help_text=_("Board id(s), comma-separated."))
    year = YearsFilter(field_name="year", help_text=_("Year(s), comma-separated."))

    class Meta:
        model = QualityReport
        fields = []


class SectionFilterSet(ApiFilterSet):
    report = IdFilter(field_name="report_id", help_text=_("Quality report id(s)."))
    theme = IdFilter(field_name="theme_id", help_text=_("Theme id(s), comma-separated."))

    class Meta:
        model = Section
        fields = []
