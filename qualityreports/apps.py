from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualityReportsConfig(AppConfig):
    name = "qualityreports"
    verbose_name = _("Quality reports")

    def ready(self):
        from access import policy
        from reports.kinds import register_kind

        from .commands import quality_report_html

        register_kind("quality-report", quality_report_html)

        # The role policy finds the board of each of this app's rows through these paths.
        policy.BOARD_PATHS.update(
            {
                "qualityreports.qualityreport": "board",
                "qualityreports.theme": "report__board",
                "qualityreports.section": "report__board",
                "qualityreports.reference": "section__report__board",
            }
        )
