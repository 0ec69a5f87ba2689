"""Rendered reports shared by the report tests: each PDF is made once per test session."""

import re
from dataclasses import dataclass
from io import BytesIO

import pytest
from pypdf import PdfReader

from goals.models import Plan
from reports import selectors, services


@dataclass
class Rendered:
    """A report as HTML, as PDF and as the text of each PDF page (whitespace collapsed)."""

    html: str
    pdf: bytes
    pages: list[str]

    @property
    def lines(self):
        return [[line.strip() for line in page.splitlines() if line.strip()] for page in self.pages]

    @property
    def flat(self):
        return [normalise(page) for page in self.pages]

    @property
    def text(self):
        return " ".join(self.flat)


def extract(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages]


def build_report(kind, year, until=None):
    """The report of the seed plan of `year`, built from the database as it is now."""
    plan = Plan.objects.select_related("board__municipality").get(year=year)
    if kind == "plan":
        periods = selectors.plan_periods_get(plan=plan, until=until)
        return selectors.plan_report_get(plan=plan, periods=periods)
    period = selectors.year_end_period_get(plan=plan)
    return selectors.year_end_report_get(plan=plan, period=period)


def render(report) -> Rendered:
    html = services.render_html(report)
    pdf = services.render_pdf(html)
    return Rendered(html=html, pdf=pdf, pages=extract(pdf))


@pytest.fixture(scope="session")
def rendered_report(django_db_setup, django_db_blocker):
    """render(kind, year, until) → Rendered, cached: the seed data is the same in every test."""
    cache = {}

    def get(kind, year, until=None):
        key = (kind, year, until)
        if key not in cache:
            with django_db_blocker.unblock():
                report = build_report(kind, year, until)
                html = services.render_html(report)
            pdf = services.render_pdf(html)
            cache[key] = Rendered(html=html, pdf=pdf, pages=extract(pdf))
        return cache[key]

    return get


PAGE_NUMBER = re.compile(r"(?<!\d)(\d+) \((\d+)\)")


TOC_LINE = re.compile(r"(.+?)\s*\.{4,}\s*(\d+)")


def toc_entries(rendered: Rendered):
    """(title, page number) of each table-of-contents line, and the last page of the TOC."""
    entries, last = [], 0
    for number, lines in enumerate(rendered.lines, start=1):
        if not entries and (not lines or lines[0] != "Innehåll"):
            continue
        found = [TOC_LINE.fullmatch(line) for line in lines]
        found = [(m.group(1).strip(), int(m.group(2))) for m in found if m]
        if not found:
            break
        entries += found
        last = number
    return entries, last


def normalise(text: str) -> str:
    """Page text as prose: soft hyphens at line ends joined, whitespace collapsed."""
    return " ".join(text.replace("\u2010\n", "").replace("-\n", "-").split())


def heading_page(rendered: Rendered, title: str, *, after: int) -> int | None:
    """1-based number of the first page after `after` where `title` stands as a heading.

    A heading stands on its own line(s): one to four consecutive lines joined are the title, or,
    for a goal's title shortened with "…" in the table of contents, begin with it.
    """
    shortened = title.endswith("…")
    prefix = title.rstrip("…").strip()
    for number, lines in enumerate(rendered.lines, start=1):
        if number <= after:
            continue
        for start in range(len(lines)):
            for size in range(1, 5):
                window = " ".join(lines[start : start + size])
                if window == title and not shortened:
                    return number
                # A shortened title is a goal: its heading follows the kicker "MÅL".
                if shortened and window.startswith(prefix) and lines[start - 1 : start] == ["MÅL"]:
                    return number
    return None


def outline_pages(pdf: bytes) -> dict[str, int]:
    """The PDF bookmarks (WeasyPrint makes them from the headings): title → 1-based page."""
    reader = PdfReader(BytesIO(pdf))
    pages = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages.setdefault(item.title, reader.get_destination_page_number(item) + 1)

    walk(reader.outline)
    return pages


@pytest.fixture
def staff_client(client, django_user_model):
    """A signed-in reader of both seed boards: may read their reports, drafts included."""
    from access.models import BoardMembership
    from goals.models import Board

    user = django_user_model.objects.create_user("personal", password="x")
    for board in Board.objects.filter(plans__isnull=False).distinct():
        BoardMembership.objects.create(user=user, board=board, role="reader")
    client.force_login(user)
    return client
