"""Who sees a quality report where, the PDF's conventions, admin entry, import, queries."""

from io import BytesIO

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from qualityreports.models import QualityReport, Section
from tests.imports.conftest import confirm, problems, token, upload, xlsx

pytestmark = pytest.mark.django_db

SON = "Social- och omsorgsnämnden"
IMPORT = reverse("admin:qualityreports_section_import")


def urls(report):
    args = [report.board_id, report.year]
    return {
        "report": reverse("qualityreports:report", args=args),
        "pdf": reverse("qualityreports:report-pdf", args=args),
        "reader": reverse("qualityreports:reader", args=args),
        "api": reverse("api:quality-report-detail", args=[report.pk]),
    }


def test_published_report_is_public(client, quality_report):
    """The seed report is published: report, reader page, API and its sections answer 200."""
    for name, url in urls(quality_report).items():
        if name != "pdf":
            assert client.get(url).status_code == 200, name
    sections = client.get(reverse("api:quality-report-section-list"), {"page_size": 100})
    assert sections.json()["count"] == 50


@pytest.mark.parametrize(
    "who,report,reader,api,sections",
    [
        ("anonymous", "login", 404, 404, 0),
        ("other-board", 403, 404, 404, 0),
        ("editor", 200, 200, 200, 50),
    ],
)
def test_draft_is_hidden(
    client, quality_report, son_editor, oms_reader, who, report, reader, api, sections
):
    """An unpublished report: anonymous visitors are sent to log in or get 404, a role holder
    of another board 403/404; the board's editor reads everything."""
    QualityReport.objects.filter(pk=quality_report.pk).update(published_at=None)
    if who == "editor":
        client.force_login(son_editor)
    elif who == "other-board":
        client.force_login(oms_reader)
    pages = urls(quality_report)
    response = client.get(pages["report"])
    if report == "login":
        assert response.status_code == 302 and "next=" in response["Location"]
    else:
        assert response.status_code == report
    assert client.get(pages["reader"]).status_code == reader
    assert client.get(pages["api"]).status_code == api
    found = client.get(reverse("api:quality-report-section-list"), {"page_size": 100})
    assert found.json()["count"] == sections


def test_pdf_has_cover_contents_page_numbers_and_tags(client, quality_report, plan_2019):
    """The PDF: a cover with the case facts, a contents page with page numbers, "5 (N)" in
    each page's header, whole sentences, footnotes, the cited indicator's values (public once
    the board's 2019 year-end is published, as in the API), tagged."""
    html = client.get(urls(quality_report)["report"]).text
    assert "Brukarundersökningar med analys" in html and "2019: 3" not in html
    plan_2019.periods.filter(kind="T3").update(status="published")
    response = client.get(urls(quality_report)["pdf"])
    assert response.status_code == 200
    reader = PdfReader(BytesIO(response.content))
    pages = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
    total = len(pages)
    assert "Kvalitetsberättelse 2022" in pages[0] and "SON 2022-1374" in pages[0]
    assert "Innehåll" in pages[1] and "Inledning" in pages[1]
    assert f"5 ({total})" in pages[4] and f"{total} ({total})" in pages[-1]
    text = " ".join(pages)
    assert "Brottsförebyggande rådet (Brå) 42 miljoner kronor" in text
    assert "Indikator: Brukarundersökningar med analys" in text and "2019: 3 antal" in text
    assert "4 Kajonius, P. J. & Kazemi, A. (2016)" in text
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "sv"


def test_editor_enters_a_section_with_an_indicator_link(client, son_editor, quality_report):
    """The admin's section page takes a section with a reference to an indicator (inline)."""
    from indicators.models import Indicator

    client.force_login(son_editor)
    indicator = Indicator.objects.filter(board=quality_report.board).first()
    data = {
        "report": quality_report.pk,
        "key": "ny",
        "title": "Ny rubrik",
        "level": 3,
        "theme": "",
        "body": "Första stycket.\n- en punkt",
        "notes": "",
        "order": 99,
        "base_token": "",
        "references-TOTAL_FORMS": 1,
        "references-INITIAL_FORMS": 0,
        "references-0-order": 0,
        "references-0-indicator": indicator.pk,
        "references-0-goal": "",
        "references-0-year": 2019,
        "references-0-note": "",
        "references-0-base_token": "",
    }
    response = client.post(reverse("admin:qualityreports_section_add"), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    section = Section.objects.get(key="ny")
    assert section.references.get().indicator == indicator
    assert section.history.get().history_user == son_editor
    assert "<li>en punkt</li>" in client.get(urls(quality_report)["report"]).text


def test_import_previews_then_writes_and_refuses_errors(client, son_editor, quality_report):
    """A changed text and a new section are previewed and written on confirm; a file with an
    unknown theme or a bad level writes nothing and names the rows in Swedish."""
    client.force_login(son_editor)
    headers = ["Nämnd", "År", "Nyckel", "Rubrik", "Nivå", "Tema", "Text"]
    rows = [
        [SON, 2022, "avslutningsvis", "Avslutningsvis", 1, "", "Ny avslutning."],
        [SON, 2022, "", "Nytt avsnitt om delaktighet", 3, "Delaktighet", "Text."],
    ]
    preview = upload(client, IMPORT, xlsx(headers, rows))
    assert problems(preview) == []
    result = preview.context["result"]
    assert (len(result.changed_rows), len(result.new_rows)) == (1, 1)
    assert confirm(client, IMPORT, preview).status_code == 302
    assert Section.objects.get(key="avslutningsvis").body == "Ny avslutning."
    new = Section.objects.get(key="nytt-avsnitt-om-delaktighet")
    assert new.theme.title == "Delaktighet"
    before = sorted(Section.objects.values_list("pk", "body", "level"))
    bad = [
        [SON, 2022, "inledning", "Inledning", 1, "", "Ändrad."],
        [SON, 2022, "x", "X", 1, "Okänt tema", "Text."],
        [SON, 2022, "y", "Y", 7, "", "Text."],
    ]
    preview = upload(client, IMPORT, xlsx(headers, bad))
    found = problems(preview)
    assert any(
        p.startswith("Rad 3, kolumn ”Tema”: Kvalitetsberättelsen har inget tema") for p in found
    ), found
    assert any(
        p.startswith("Rad 4") and "Rubriknivån ska vara 1, 2, 3 eller 4." in p for p in found
    ), found
    assert token(preview) is None
    assert sorted(Section.objects.values_list("pk", "body", "level")) == before


def _count(client, url, **params):
    for cache in caches.all():
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_report(client, quality_report):
    """The report, the reader page and the API lists need the same queries for 50 sections
    and for 650 sections with references."""
    from indicators.models import Indicator
    from qualityreports.models import Reference

    def measure():
        pages = urls(quality_report)
        return (
            _count(client, pages["report"]),
            _count(client, pages["reader"]),
            _count(client, reverse("api:quality-report-list")),
            _count(client, reverse("api:quality-report-section-list"), page_size=1000),
        )

    small = measure()
    indicator = Indicator.objects.filter(board=quality_report.board).first()
    new = Section.objects.bulk_create(
        Section(
            report=quality_report,
            key=f"extra-{i}",
            title=f"Extra {i}",
            level=3,
            body="Text [1].",
            order=100 + i,
        )
        for i in range(600)
    )
    Reference.objects.bulk_create(
        Reference(section=s, indicator=indicator, year=2019) for s in new[:100]
    )
    assert measure() == small == (4, 4, 3, 3)
