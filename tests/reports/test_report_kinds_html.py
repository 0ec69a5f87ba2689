"""Action plans and quality reports share the plan's cover and file export: the
municipality's logo on the cover, and an HTML file that stands alone (issue 18)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from actionplans.commands import action_plan_html
from actionplans.models import ActionPlan
from qualityreports.commands import quality_report_html
from qualityreports.models import QualityReport

from .test_print_quality import with_logo  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

KINDS = [
    ("action-plan", action_plan_html, ActionPlan, 2020, "actionplans:report"),
    ("quality-report", quality_report_html, QualityReport, 2022, "qualityreports:report"),
]


def _linked(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="(?!#|data:)[^"]*', html)


@pytest.fixture
def municipality_logo(with_logo):  # noqa: F811
    """Every board of the seed belongs to the municipality that gets the logo."""
    return with_logo


@pytest.mark.parametrize(("kind", "html_of", "model", "year", "url"), KINDS)
def test_html_file_stands_alone_with_the_logo(municipality_logo, kind, html_of, model, year, url):
    """target="file": no external stylesheet, image or link; both stylesheets inlined; the
    logo on the cover as a PNG data: URI."""
    report = model.objects.select_related("board__municipality").get(year=year)
    assert report.board.municipality_id == municipality_logo.pk
    html = html_of(board=report.board, year=year, target="file")
    assert "<link" not in html
    assert not _linked(html), _linked(html)
    assert html.count("<style>") >= 1 and "@page" in html
    assert "table.measures { table-layout: fixed" in html  # the app's own stylesheet too
    cover = html[html.index('<header class="cover">') : html.index("</header>")]
    assert re.search(r'<img class="cover-logo" src="data:image/png;base64,[A-Za-z0-9+/=]+"', cover)


@pytest.mark.parametrize(("kind", "html_of", "model", "year", "url"), KINDS)
def test_without_logo_no_image_and_screen_links_stylesheets(db, kind, html_of, model, year, url):
    """No logo uploaded: no cover image. The page shown by the app links its stylesheets."""
    report = model.objects.select_related("board").get(year=year)
    html = html_of(board=report.board, year=year, target="file")
    assert '<img class="cover-logo"' not in html and not _linked(html)
    pdf_html = html_of(board=report.board, year=year)
    assert "<style>@page" not in pdf_html and 'rel="stylesheet"' in pdf_html


@pytest.mark.parametrize(("kind", "html_of", "model", "year", "url"), KINDS)
def test_report_page_shows_logo(admin_client, municipality_logo, kind, html_of, model, year, url):
    """The report page in the app shows the same cover logo."""
    report = model.objects.get(year=year)
    page = admin_client.get(reverse(url, args=[report.board_id, year])).content.decode()
    assert 'class="cover-logo" src="data:image/png;base64,' in page
    assert 'rel="stylesheet"' in page


@pytest.mark.parametrize(("kind", "html_of", "model", "year", "url"), KINDS)
def test_render_report_command_writes_a_standalone_file(
    municipality_logo, tmp_path, kind, html_of, model, year, url
):
    """`render_report --kind … --format html` writes the self-contained document."""
    report = model.objects.select_related("board").get(year=year)
    out = tmp_path / "report.html"
    call_command(
        "render_report",
        kind=kind,
        board=str(report.board_id),
        year=year,
        format="html",
        output=str(out),
    )
    html = out.read_text(encoding="utf-8")
    assert "<link" not in html and not _linked(html)
    assert 'src="data:image/png;base64,' in html
