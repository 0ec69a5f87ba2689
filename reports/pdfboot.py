"""Imported once by the fork server that runs PDF workers (see reports.services.render_pdf).

It sets Django up from DJANGO_SETTINGS_MODULE and loads WeasyPrint and its fonts, so every
worker forked from the server starts ready to lay out a report. Nothing here opens a database
connection. A failure only makes each worker do the work itself.
"""

import os

try:  # pragma: no cover - runs inside the fork server
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        import django

        django.setup()

        from weasyprint import HTML

        from reports import services

        HTML(string='<p lang="sv">Förbered typsnitt</p>').write_pdf()
        del services
except Exception:  # noqa: BLE001, S110 - the worker repeats the set-up and reports errors
    pass
