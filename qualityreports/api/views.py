from config.api.viewsets import ReadOnlyViewSet

from .. import filtersets
from ..models import QualityReport, Section
from ..selectors import visible_reports_q
from . import serializers


def _visible_reports(request, queryset):
    return queryset.filter(visible_reports_q(request.user))


def _visible_sections(request, queryset):
    return queryset.filter(report__in=QualityReport.objects.filter(visible_reports_q(request.user)))


class QualityReportViewSet(ReadOnlyViewSet):
    """Quality reports (kvalitetsberättelser): anonymous readers see published ones."""

    queryset = QualityReport.objects.prefetch_related("themes")
    serializer_class = serializers.QualityReportSerializer
    filterset_class = filtersets.QualityReportFilterSet
    visibility = staticmethod(_visible_reports)
    ordering = ["board_id", "year", "pk"]
    ordering_fields = ["id", "year", "updated_at"]


class SectionViewSet(ReadOnlyViewSet):
    """Sections of the visible quality reports, in document order."""

    queryset = Section.objects.prefetch_related("references")
    serializer_class = serializers.SectionSerializer
    filterset_class = filtersets.SectionFilterSet
    visibility = staticmethod(_visible_sections)
    ordering = ["report_id", "order", "pk"]
    ordering_fields = ["id", "order", "updated_at"]
