"""Representations of quality reports and their sections."""

from rest_framework import serializers

from core.api.fields import SelfLinkField
from core.api.serializers import ReadModelSerializer
from qualityreports.models import QualityReport, Section


class QualityReportSerializer(ReadModelSerializer):
    """A quality report (kvalitetsberättelse) and its themes."""

    url = SelfLinkField("api:quality-report-detail")
    board = serializers.IntegerField(source="board_id")
    themes = serializers.SerializerMethodField()

    class Meta:
        model = QualityReport
        fields = [
            "id",
            "url",
            "board",
            "year",
            "title",
            "case_number",
            "dated",
            "themes",
            "published_at",
            "updated_at",
        ]

    def get_themes(self, report) -> list[dict]:
        return [{"id": t.pk, "key": t.key, "title": t.title} for t in report.themes.all()]


class SectionSerializer(ReadModelSerializer):
    """A section: heading level, text (one paragraph per line, '- ' list items, [n] footnote
    references), footnotes, theme and the indicators and goals it cites."""

    url = SelfLinkField("api:quality-report-section-detail")
    report = serializers.IntegerField(source="report_id")
    theme = serializers.IntegerField(source="theme_id", allow_null=True)
    indicators = serializers.SerializerMethodField()
    goals = serializers.SerializerMethodField()

    class Meta:
        model = Section
        fields = [
            "id",
            "url",
            "report",
            "key",
            "title",
            "level",
            "theme",
            "body",
            "notes",
            "indicators",
            "goals",
            "order",
            "updated_at",
        ]

    def get_indicators(self, section) -> list[int]:
        return [r.indicator_id for r in section.references.all() if r.indicator_id]

    def get_goals(self, section) -> list[int]:
        return [r.goal_id for r in section.references.all() if r.goal_id]
