import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # WeasyPrint logs every layout step at INFO; the project's log wants only its warnings.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

        from .triggers import TRIGGERS

        TRIGGERS.connect(self)

        from followups.seed import report_loaded
        from followups.workflow import publication_made

        from .seed import economy_on_report_loaded

        report_loaded.connect(economy_on_report_loaded, dispatch_uid="reports.economy")
        publication_made.connect(_on_period_published, dispatch_uid="reports.editions")
        from followups.workflow import period_reopened

        period_reopened.connect(_on_period_reopened, dispatch_uid="reports.reopened")


def _on_period_published(sender, *, period, publication, **kwargs):
    """A published period's editions are made by a job, enqueued once the publication commits."""
    from django.db import transaction

    from .editions import published_refs_forget
    from .tasks import editions_create_task

    transaction.on_commit(published_refs_forget)
    transaction.on_commit(lambda: editions_create_task.enqueue(publication_id=publication.pk))


def _on_period_reopened(sender, **kwargs):
    """A reopened period's editions leave the reader's report URLs once the reopening commits."""
    from django.db import transaction

    from .editions import published_refs_forget

    transaction.on_commit(published_refs_forget)
