"""Render the reports: a Django template to HTML, and that HTML to a tagged PDF by WeasyPrint.

Safety:

- WeasyPrint fetches resources only through `StaticOnlyFetcher`, which serves the app's own
  static files (found by django.contrib.staticfiles finders) under the report's base URL and
  refuses everything else: file://, any other host, data: URLs, redirects.
- A PDF is laid out in a separate worker process that is killed when it runs longer than
  `settings.REPORT_RENDER_TIMEOUT` seconds. Layout is the one step whose time is not bounded
  by the data (a pathological table can take very long); a process can be stopped at any
  moment, which a thread or a signal alarm cannot promise inside C code. The workers are
  forked from a multiprocessing fork server that has Django and WeasyPrint loaded, so a
  render does not pay for imports, and no worker inherits database connections or threads.
"""

import logging
import mimetypes
import multiprocessing
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .pdftags import finish_tags

logger = logging.getLogger(__name__)

#: Relative URLs in a report resolve against this origin; it is never contacted (RFC 2606).
REPORT_BASE_URL = "http://rapport.invalid/"

TEMPLATES = {"plan": "reports/plan.html", "year-end": "reports/year_end.html"}
PDF_VARIANT = "pdf/ua-1"


class ReportRenderError(Exception):
    """The PDF could not be made."""


class ReportRenderTimeout(ReportRenderError):
    """The PDF took longer than REPORT_RENDER_TIMEOUT seconds and its worker was stopped."""


class FetchRefused(ValueError):
    """The report asked for a resource that is not one of the app's static files."""


# -- resources --------------------------------------------------------------------------------


def static_fetch(url: str) -> tuple[bytes, str]:
    """Return (content, mime type) of a static file at `url`; raise FetchRefused otherwise.

    Only `REPORT_BASE_URL` + STATIC_URL + path is served, where path names a file that the
    staticfiles finders find; no query, no fragment tricks, no "..", nothing else.
    """
    parts = urlsplit(url)
    base = urlsplit(REPORT_BASE_URL)
    static_path = "/" + urlsplit(settings.STATIC_URL).path.lstrip("/")
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or parts.query:
        raise FetchRefused(url)
    if parts.username or parts.password or parts.port:
        raise FetchRefused(url)
    if not parts.path.startswith(static_path):
        raise FetchRefused(url)
    relative = unquote(parts.path[len(static_path) :])
    segments = relative.split("/")
    if not relative or any(s in ("", ".", "..") for s in segments) or "\\" in relative:
        raise FetchRefused(url)
    if "\x00" in relative:
        raise FetchRefused(url)
    found = finders.find(relative)
    if not found:
        raise FetchRefused(url)
    path = Path(found)
    return path.read_bytes(), mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for reports: `static_fetch`, and never the network or disk."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        try:
            content, mime_type = static_fetch(url)
        except FetchRefused:
            logger.warning("Report asked for a resource that is not served: %s", url[:200])
            raise
        return URLFetcherResponse(url, content, {"Content-Type": mime_type})

    def open(self, url, data=None, timeout=None):  # pragma: no cover - urllib entry point
        raise FetchRefused(str(url))


# -- HTML -------------------------------------------------------------------------------------


def render_html(report, *, pdf_url: str = "", edition=None) -> str:
    """The report as an HTML document (Swedish, whatever the reader's interface language);
    `edition` (is_correction, published_at, correction_reason) prints on a published one."""
    context = {"report": report, "pdf_url": pdf_url, "edition": edition}
    with translation.override("sv"):
        return render_to_string(TEMPLATES[report.kind], context)


def report_filename(report, extension: str) -> str:
    """A download name such as verksamhetsplan-2017-omsorgsnamnden.pdf."""
    kind = "verksamhetsplan" if report.kind == "plan" else "verksamhetsberattelse"
    board = slugify(report.board.name.replace("å", "a").replace("ä", "a").replace("ö", "o"))
    return f"{kind}-{report.plan.year}-{board}.{extension}"


# -- PDF --------------------------------------------------------------------------------------


def write_pdf(html: str) -> bytes:
    """Lay out `html` with WeasyPrint in this process: A4, tagged PDF/UA-1, static files only."""
    document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return finish_tags(document.write_pdf(pdf_variant=PDF_VARIANT))


def _pdf_worker(connection, html):
    """Body of the worker process: send back (True, pdf) or (False, error text)."""
    try:
        connection.send((True, write_pdf(html)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        connection.send((False, f"{type(exc).__name__}: {exc}"))
    finally:
        connection.close()


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["reports.pdfboot"])
    return context


def render_pdf(html: str, *, timeout: float | None = None) -> bytes:
    """The PDF of `html`, laid out in a worker process stopped after `timeout` seconds.

    `timeout` defaults to settings.REPORT_RENDER_TIMEOUT; 0 renders in this process, unlimited.
    """
    if timeout is None:
        timeout = settings.REPORT_RENDER_TIMEOUT
    if not timeout:
        return write_pdf(html)
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_pdf_worker, args=(sender, html), daemon=True)
    started = time.monotonic()
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            logger.error("Report PDF stopped after %.0f s", time.monotonic() - started)
            raise ReportRenderTimeout(
                _("The report took too long to create (more than %(seconds)s seconds).")
                % {"seconds": timeout}
            )
        ok, payload = receiver.recv()
    except EOFError:
        raise ReportRenderError(_("The report could not be created.")) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if not ok:
        logger.error("Report PDF failed: %s", payload)
        raise ReportRenderError(_("The report could not be created."))
    return payload
