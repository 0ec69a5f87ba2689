"""Render the reports: a Django template to HTML, and that HTML to a tagged PDF by WeasyPrint.

Safety:

- WeasyPrint fetches resources only through `StaticOnlyFetcher`, which serves the app's own
  static files (found by django.contrib.staticfiles finders) under the report's base URL and
  refuses everything else: file://, any other host, redirects, and every data: URL but the
  base64 PNG/JPEG that render_html itself writes for the logo (read from the media storage).
- A PDF is laid out in a separate worker process that is killed when it runs longer than
  `settings.REPORT_RENDER_TIMEOUT` seconds. Layout is the one step whose time is not bounded
  by the data (a pathological table can take very long); a process can be stopped at any
  moment, which a thread or a signal alarm cannot promise inside C code. The workers are
  forked from a multiprocessing fork server that has Django and WeasyPrint loaded, so a
  render does not pay for imports, and no worker inherits database connections or threads.
"""

import base64
import logging
import mimetypes
import multiprocessing
import re
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
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


#: Uploaded files a report may show (the municipality's logo), with their types.
MEDIA_FOLDER = "logos/"
MEDIA_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
MEDIA_MAX_BYTES = 5 * 1024 * 1024


#: A data: URI as the report writes it for an uploaded image, and nothing else.
DATA_IMAGE = re.compile(r"^data:(image/(?:png|jpeg));base64,([A-Za-z0-9+/]+={0,2})$")


def data_image_fetch(url: str) -> tuple[bytes, str]:
    """Content and type of a base64 PNG or JPEG data: URI (the logo, put there by
    render_html from the media storage); FetchRefused for any other data: URI."""
    if len(url) > MEDIA_MAX_BYTES * 4 // 3 + 64:
        raise FetchRefused(url[:60])
    match = DATA_IMAGE.match(url)
    if not match:
        raise FetchRefused(url[:60])
    try:
        return base64.b64decode(match.group(2), validate=True), match.group(1)
    except ValueError as exc:
        raise FetchRefused(url[:60]) from exc


def media_file(name: str) -> tuple[bytes, str]:
    """Content and type of the uploaded logo `name` ("logos/x.png"); FetchRefused otherwise."""
    segments = name.split("/")
    if (
        not name.startswith(MEDIA_FOLDER)
        or len(segments) != 2
        or any(s in ("", ".", "..") for s in segments)
        or "\\" in name
        or "\x00" in name
    ):
        raise FetchRefused(name)
    mime_type = MEDIA_TYPES.get(Path(name).suffix.lower())
    if mime_type is None:
        raise FetchRefused(name)
    try:
        if default_storage.size(name) > MEDIA_MAX_BYTES:
            raise FetchRefused(name)
        with default_storage.open(name, "rb") as stored:
            return stored.read(MEDIA_MAX_BYTES + 1), mime_type
    except (OSError, ValueError) as exc:
        raise FetchRefused(name) from exc


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint's URL fetcher for reports: the app's static files (`static_fetch`) and the
    PNG/JPEG data: URIs that render_html writes for the logo (`data_image_fetch`); never the
    network, the disk or any other data: URI."""

    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        try:
            if url.startswith("data:"):
                content, mime_type = data_image_fetch(url)
            else:
                content, mime_type = static_fetch(url)
        except FetchRefused:
            logger.warning("Report asked for a resource that is not served: %s", url[:200])
            raise
        return URLFetcherResponse(url, content, {"Content-Type": mime_type})

    def open(self, url, data=None, timeout=None):  # pragma: no cover - urllib entry point
        raise FetchRefused(str(url))


# -- HTML -------------------------------------------------------------------------------------


#: What an HTML document is made for: laid out as PDF (resources through StaticOnlyFetcher),
#: shown by the app (its stylesheet linked), or a file that stands alone (stylesheet inlined,
#: images as data: URIs; nothing outside the file is asked for).
HTML_TARGETS = ("pdf", "screen", "file")
STYLESHEET = "reports/print.css"


def render_html(report, *, pdf_url: str = "", edition=None, target: str = "pdf") -> str:
    """The report as an HTML document (Swedish, whatever the reader's interface language);
    `edition` (is_correction, published_at, correction_reason) prints on a published one;
    `target` is one of HTML_TARGETS."""
    with translation.override("sv"):
        if report.kind == "plan":
            decision = decision_line(report.plan)  # the template prints "Förslag" for ""
        else:
            decision = period_decision_line(report.period, board=report.board)
    context = {"report": report, "pdf_url": pdf_url, "edition": edition, "decision": decision}
    return render_document(
        TEMPLATES[report.kind], context, municipality=report.board.municipality, target=target
    )


def render_document(
    template_name: str,
    context: dict,
    *,
    municipality,
    target: str = "pdf",
    stylesheets: tuple[str, ...] = (),
) -> str:
    """A report template extending reports/base.html rendered for `target` (HTML_TARGETS), in
    Swedish: the cover's logo as a data: URI and, for a file, the print stylesheet and
    `stylesheets` (the app's own, linked by its template otherwise) inlined. The shared
    entry point of every report kind, this app's and the apps' above it."""
    if target not in HTML_TARGETS:
        raise ValueError(target)
    context = {
        **context,
        "logo_src": _logo_src(municipality),
        "inline_css": _inline_css(STYLESHEET, *stylesheets) if target == "file" else "",
    }
    with translation.override("sv"):
        return render_to_string(template_name, context)


def _inline_css(*stylesheets: str) -> str:
    parts = []
    for name in stylesheets:
        found = finders.find(name)
        if found:
            parts.append(Path(found).read_text(encoding="utf-8"))
    # The stylesheets are the apps' own files; "</" cannot close the <style> element early.
    return mark_safe("\n".join(parts).replace("</", "<\\/"))  # noqa: S308


def _logo_src(municipality) -> str:
    """The cover's logo as a data: URI, read from the media storage here, in the process that
    renders the template: a PDF worker or a file needs nothing else to show it."""
    logo = municipality.logo
    if not logo:
        return ""
    try:
        content, mime_type = media_file(logo.name)
    except FetchRefused:
        logger.warning("The logo %s cannot be shown", logo.name[:200])
        return ""
    return f"data:{mime_type};base64,{base64.b64encode(content).decode('ascii')}"


def decision_line(plan) -> str:
    """ "Fastställd av <body> <date>, § <n>, Dnr <number>" for an adopted plan, else ""."""
    return _decision(
        adopted_on=plan.adopted_on,
        body=plan.adopted_by.strip() or plan.board.name,
        paragraph=plan.decision_paragraph,
        diary_number=plan.diary_number,
    )


def period_decision_line(period, *, board) -> str:
    """The same line for the report written at `period` (the verksamhetsberättelse at the
    year-end) from the period's report_* fields; "Förslag" while it is not adopted. `board`
    is the period's plan's board (the body when none is named)."""
    line = _decision(
        adopted_on=period.report_adopted_on,
        body=period.report_adopted_by.strip() or board.name,
        paragraph=period.report_decision_paragraph,
        diary_number=period.report_diary_number,
    )
    return line or _("Proposal")


def _decision(*, adopted_on, body: str, paragraph: str, diary_number: str) -> str:
    if adopted_on is None:
        return ""
    text = _("Adopted by %(body)s %(date)s") % {"body": body, "date": adopted_on.isoformat()}
    paragraph = paragraph.strip().lstrip("§").strip()
    if paragraph:
        text += f", § {paragraph}"
    if diary_number.strip():
        text += ", " + _("Reg. no. %(number)s") % {"number": diary_number.strip()}
    return text


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
