"""What `manage.py render_report --kind quality-report` asks of this app."""

from . import selectors
from .models import QualityReport


def quality_report_html(*, board, year, target: str = "pdf") -> str:
    """The quality report's HTML; LookupError when the board has none that year."""
    from .views import report_html

    report = QualityReport.objects.filter(board=board, year=year).first()
    if report is None:
        raise LookupError(f"{board} har ingen kvalitetsberättelse för {year}.")
    return report_html(selectors.quality_report_view_get(report=report, user=None), target=target)
