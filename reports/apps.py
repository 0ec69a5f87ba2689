import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # WeasyPrint logs every layout step at INFO; the project's log wants only its warnings.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from followups.seed import report_loaded

        from .seed import economy_on_report_loaded

        report_loaded.connect(economy_on_report_loaded, dispatch_uid="reports.economy")
