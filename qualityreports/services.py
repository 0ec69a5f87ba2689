"""Writes of quality reports that need a rule: publishing (approvers only)."""

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from access import policy
from access.choices import Action

from .models import QualityReport


def quality_report_publish(*, report: QualityReport, user, published: bool = True) -> QualityReport:
    """Publish the report (anonymous readers see it) or take it back; approvers only."""
    if not policy.can(user, Action.PUBLISH, report.board_id):
        raise PermissionDenied
    report.published_at = timezone.now() if published else None
    report._history_user = user
    report.save(update_fields=["published_at", "updated_at"])
    return report
