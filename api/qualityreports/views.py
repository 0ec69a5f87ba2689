from api import visibility as api_visibility
from api.base import ReadOnlyViewSet
from qualityreports.models import QualityReport, Section

from . import filtersets, serializers


class QualityReportViewSet(ReadOnlyViewSet):
    """Quality reports (kvalitetsberättelser): anonymous readers see published ones."""

    queryset = QualityReport.objects.prefetch_related("themes")
    serializer_class = serializers.QualityReportSerializer
    filterset_class = filtersets.QualityReportFilterSet
    visibility = staticmethod(api_visibility.visible_quality_reports)
    ordering = ["board_id", "year", "pk"]
    ordering_fields = ["id", "year", "updated_at"]


class SectionViewSet(ReadOnlyViewSet):
    """Sections of the visible quality reports, in document order."""

    queryset = Section.objects.prefetch_related("references")
    serializer_class = serializers.SectionSerializer
    filterset_class = filtersets.SectionFilterSet
    visibility = staticmethod(api_visibility.visible_quality_report_sections)
    ordering = ["report_id", "order", "pk"]
    ordering_fields = ["id", "order", "updated_at"]
    # Publishing or unpublishing a report changes which sections a reader sees.
    etag_timestamps = ("updated_at", (QualityReport, "updated_at"))
