"""The verksamhetsplan with follow-ups, rendered from the seed to PDF, reads like the document."""

import re
from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from followups.models import FollowUp
from goals.choices import PeriodStatus

from .conftest import (
    PAGE_NUMBER,
    build_report,
    heading_page,
    outline_pages,
    render,
    toc_entries,
)

pytestmark = pytest.mark.django_db

AUGUST = date(2017, 8, 31)


@pytest.fixture
def full(rendered_report):
    return rendered_report("plan", 2017)


@pytest.fixture
def august(rendered_report):
    return rendered_report("plan", 2017, AUGUST)


def _position(text, needle, start=0):
    found = text.find(needle, start)
    assert found >= 0, f"{needle!r} saknas efter position {start}"
    return found


def test_structure_in_document_order(full):
    """Area → goal → indicators → municipal goals → activity → its follow-ups by date → summary."""
    text = full.text
    at = _position(text, "Nämndövergripande verksamhet", _position(text, "Sammanhållen stad"))
    at = _position(text, "MÅL Medborgare i Linköpings kommun ska känna sig trygga", at)
    at = _position(text, "INDIKATORER Kommunens medborgare ska kunna erhålla rådgivning", at)
    at = _position(text, "Koppling till kommunens övergripande mål:", at)
    at = _position(text, "Nr Aktiviteter Tidplan", at)
    at = _position(text, "1.3 Verkställa planerad utbyggnad", at)
    at = _position(text, "Uppföljning 2017-08-31", at)
    at = _position(
        text, "Detta pågår kontinuerligt. Omsorgsnämnden beslutar för varje enskilt objekt", at
    )
    at = _position(text, "Uppföljning 2017-12-31", at)
    at = _position(
        text, "inväntas förslag på hyresavtal från Lejonfastigheter avseende flera objekt.", at
    )
    at = _position(text, "Sammanfattningsvis bidrar samtliga verksamheter", at)
    at = _position(text, "1.4 Analys och uppföljning av brukarundersökningar", at)
    _position(text, "Individ och familjeomsorg", at)
    # Activities keep their natural order: 1.10 comes after 1.9.
    assert _position(text, "1.9 Påverkansarbete") < _position(text, "1.10 Förarbete")


def test_follow_up_texts_verbatim(full):
    """Sample follow-up texts of both dates appear word for word in the PDF."""
    for number, on in [("1.3", "2017-08-31"), ("1.4", "2017-12-31"), ("1.9", "2017-08-31")]:
        text = FollowUp.objects.get(activity__number=number, period__date=on).text
        for paragraph in text.splitlines():
            if paragraph.strip():
                assert " ".join(paragraph.split()) in full.text, paragraph


def test_page_numbers_as_the_documents_write_them(full):
    """Every page after the cover carries "N (M)" with its own number and the page count."""
    total = len(full.pages)
    assert total > 10
    for number, page in enumerate(full.pages[1:], start=2):
        assert (str(number), str(total)) in PAGE_NUMBER.findall(page), number


def test_toc_page_numbers_are_where_the_headings_are(full):
    """Each table-of-contents number is the page on which that heading is printed."""
    entries, last_toc_page = toc_entries(full)
    assert len(entries) >= 20
    assert entries[0] == ("Inledning", 3)
    for title, page in entries:
        assert heading_page(full, title, after=last_toc_page) == page, title
    # The PDF bookmarks agree.
    outline = outline_pages(full.pdf)
    for title in ("Inledning", "Individ och familjeomsorg", "Hemtjänst"):
        assert outline[title] == dict(entries)[title]
    # A goal's introduction prints its subheadings as headings (bookmarked, not in the TOC).
    assert "FoU-centrum" in outline


def test_only_august_has_no_year_end_texts(august, full):
    """With follow-ups to 2017-08-31 no 2017-12-31 text, date or year-end summary is printed."""
    assert "Uppföljning 2017-08-31" in august.text
    assert "2017-12-31" not in august.text
    assert "Sammanfattningsvis" not in august.text
    year_end_only = FollowUp.objects.get(activity__number="1.4", period__date="2017-12-31").text
    assert " ".join(year_end_only.split()) not in august.text
    assert " ".join(year_end_only.split()) in full.text
    assert "med uppföljning per 2017-08-31" in august.text


def test_draft_marking_on_every_page_while_open(full, august):
    """Open periods: "UTKAST" on every page, cover included."""
    for rendered in (full, august):
        assert all("UTKAST" in page for page in rendered.pages)


def test_no_draft_marking_when_approved(plan_2017):
    """When the chosen (latest) period is approved, no page carries "UTKAST"."""
    plan_2017.periods.filter(date=AUGUST).update(status=PeriodStatus.APPROVED)
    rendered = render(build_report("plan", 2017, AUGUST))
    assert rendered.pages and not any("UTKAST" in page for page in rendered.pages)
    # The later, still open, period decides when it is included.
    report = build_report("plan", 2017)
    assert report.is_preliminary


def test_pdf_is_tagged_a4_with_title_and_language(full):
    """A4 pages, PDF/UA-1 tagging, document title and language set."""
    reader = PdfReader(BytesIO(full.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "sv"
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == "Verksamhetsplan 2017 – Omsorgsnämnden"
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    assert re.search(r"<html lang=\"sv\">", full.html)


def test_context_headings_print_before_their_goal(full):
    """Where the source has a heading that leads into a goal ("FoU-centrum", "E-hälsa" with its
    text), it prints before the goal's heading, not inside the goal's introduction."""
    html = full.html
    for title, goal in [
        ("FoU-centrum", "FoU-centrum för vård och omsorg och socialt arbete"),
        ("E-hälsa", "Den enskildes upplevelse av delaktighet"),
    ]:
        heading = html.index(f'<h2 class="context-title">{title}</h2>')
        goal_heading = html.index(f'<span class="kicker">Mål</span>{goal}')
        assert heading < goal_heading
        assert "</article>" not in html[heading:goal_heading]  # directly before the goal
        assert f'subheading">{title}<' not in html
    text = full.text
    at = _position(text, "1.13 Uppföljning av rapporterade läkemedelsavvikelser")
    at = _position(text, "FoU-centrum MÅL FoU-centrum för vård och omsorg", at)
    at = _position(text, "1.14", at)
    at = _position(text, "E-hälsa Linköping har som ambition att vara en ledande användare", at)
    at = _position(text, "respektive insatsområde 2018-2019. MÅL Den enskildes upplevelse", at)
    _position(text, "1.15 Införa kalenderstöd", at)
    # The heading is bookmarked and kept on the page of the goal it leads into.
    outline = outline_pages(full.pdf)
    for title, goal in [
        ("FoU-centrum", "MÅL FoU-centrum för vård"),
        ("E-hälsa", "MÅL Den enskildes"),
    ]:
        goal_page = next(n for n, page in enumerate(full.flat, start=1) if goal in page)
        assert outline[title] == goal_page, title


def test_area_narrative_subheadings_print_as_headings(full):
    """The subheadings of an area's narrative ("Familjestödsinsatser", …) are headings (H2
    under the area's H1, bookmarked), each on its own line before its paragraphs."""
    html = full.html
    for title in ["Familjestödsinsatser", "Boendestöd", "Ledsagarservice", "Daglig verksamhet"]:
        assert f'<h2 class="subheading">{title}</h2>' in html
    assert html.count('<h2 class="subheading">') >= 30
    assert "<p>Familjestödsinsatser</p>" not in html
    lines = [line for page in full.lines for line in page]
    assert "Familjestödsinsatser" in lines and "Boendestöd" in lines
    text = full.text
    at = _position(text, "Individ och familjeomsorg Verksamhetsområde individ- och familjeomsorg")
    at = _position(text, "Familjestödsinsatser Nationell statistik visar", at)
    at = _position(text, "Förebyggande arbete, f.d. Fältverksamheten Kommunen har", at)
    _position(text, "Samverkan Ett utvecklingsarbete har pågått under 2016", at)
    assert "Familjestödsinsatser" in outline_pages(full.pdf)
