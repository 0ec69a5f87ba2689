"""Background jobs of the reports (Django's Tasks API, see settings.TASKS): editions and PDFs.

No web request lays out a PDF: a published report is served from its stored edition, and a
draft's PDF is made by `report_pdf_task` while the browser shows its progress.
"""

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_tasks import task

from . import editions, services


def render_name(key: str) -> str:
    """Where the PDF of the HTML with SHA-256 `key` is kept once made."""
    return f"renders/{key}.pdf"


def render_error_key(key: str) -> str:
    """The cache key (shared by every server) of the error that stopped the PDF `key`."""
    return f"reports:render-error:{key}"


@task()
def editions_create_task(*, publication_id: int) -> list[str]:
    """Make the editions of a publication; returns their identifiers."""
    return [str(e.uid) for e in editions.editions_create(publication_id=publication_id)]


@task()
def report_pdf_task(*, key: str, html: str) -> dict:
    """Lay out `html` as PDF and store it under render_name(key); an error is returned as text."""
    name = render_name(key)
    if not default_storage.exists(name):
        try:
            pdf = services.render_pdf(html)
        except services.ReportRenderError as exc:
            cache.set(render_error_key(key), str(exc), 3600)
            return {"error": str(exc)}
        if not default_storage.exists(name):
            default_storage.save(name, ContentFile(pdf))
    return {"name": name}
