"""The 2022 quality report seed: whole sentences, themes, footnotes, cited indicators."""

import re

import pytest

from qualityreports.models import Section
from qualityreports.seed import quality_report_seed_load

pytestmark = pytest.mark.django_db


def test_structure_follows_the_table_of_contents(quality_report):
    """50 sections in the document's order with their levels; the four themes are data and
    each holds its follow-up sections and its conclusion in the summary."""
    sections = list(quality_report.sections.order_by("order"))
    assert len(sections) == 50
    assert [s.title for s in sections if s.level == 1] == [
        "Inledning",
        "Kvalitetsuppföljningsplan 2022",
        "Omvärldstrender",
        "Erfarenheter av uppföljning 2022",
        "Sammanfattning och övergripande slutsatser",
        "Avslutningsvis",
    ]
    assert list(quality_report.themes.values_list("title", flat=True)) == [
        "Delaktighet",
        "Personalens kompetens",
        "Effekter av insatser",
        "Ledning och styrning",
    ]
    delaktighet = quality_report.themes.get(key="delaktighet")
    assert [s.title for s in delaktighet.sections.order_by("order")][:3] == [
        "Delaktighet",
        "Uppföljning av implementering av åtgärder avseende Barnkonventionen",
        "Kvalitetsuppföljning av utredningar barn och unga",
    ]
    assert delaktighet.sections.filter(key="sammanfattning-delaktighet").exists()
    omvarld = [s.title for s in sections if s.level == 2 and s.theme_id is None]
    assert "Nära vård" in omvarld and "Förslag på ny socialtjänstlag" in omvarld
    assert "Ändringar i LSS" in omvarld


def test_text_has_no_extraction_debris(quality_report):
    """No page numbers, broken words, hyphenation or glued footnote numbers remain; every
    paragraph is one line and footnotes are written [n] with their note in the section."""
    bodies = "\n".join(quality_report.sections.values_list("body", flat=True))
    assert "(41)" not in bodies and "  " not in bodies and "●" not in bodies
    assert "Brottsförebyggande rådet" in bodies and "kom munerna" not in bodies
    assert "FoU-centrum" in bodies  # a compound broken over two lines, joined
    assert not re.search(r"[a-zåäö”][0-9]{1,2}\b", bodies)
    refs = sorted(int(n) for n in re.findall(r"\[(\d+)\]", bodies))
    assert refs == list(range(1, 16))
    lss = Section.objects.get(report=quality_report, key="andringar-i-lss")
    assert "lagen[1]." in lss.body and lss.notes.startswith("1 Bild 1. Sju grundläggande")
    intro = Section.objects.get(report=quality_report, key="inledning")
    assert intro.body.splitlines()[-1] == (
        "- beskriva kvaliteten i nämndernas verksamheter utifrån förvaltningens samlade bild."
    )


def test_cited_indicator_is_linked(quality_report):
    """The user-survey section links to the board's indicator for user surveys."""
    section = Section.objects.get(
        report=quality_report, key="brukarundersokning-placerade-barn-och-unga"
    )
    assert section.references.get().indicator.name.startswith("Brukarundersökningar med analys")


def test_loading_twice_changes_nothing(quality_report):
    before = sorted(Section.objects.values_list("pk", "key", "body"))
    quality_report_seed_load()
    assert sorted(Section.objects.values_list("pk", "key", "body")) == before
