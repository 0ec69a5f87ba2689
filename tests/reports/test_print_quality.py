"""The seed reports hold as PDF/UA-1 and read like the municipality's own documents.

Each PDF is read back (pikepdf for the structure tree, pypdf for the text) and checked with
the `pdfua` package, which covers the machine-checkable subset of PDF/UA-1.
"""

import base64
import io
import re
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from pdfua import validate as pdfua_validate
from PIL import Image

from goals.choices import PeriodKind
from goals.models import FollowUpPeriod, Municipality, Plan
from reports import services
from tests.test_admin import form_data

from .conftest import build_report, render

pytestmark = pytest.mark.django_db

SOURCE = "fixtures/sources/verksamhetsberattelse-2019.txt"


@pytest.fixture
def year_end(rendered_report):
    return rendered_report("year-end", 2019)


@pytest.fixture
def plan_2017(rendered_report):
    return rendered_report("plan", 2017)


# -- reading the structure tree ----------------------------------------------------------------


def _elements(pdf: bytes):
    """Every structure element reachable from the StructTreeRoot, with its parent roles."""
    document = pikepdf.open(io.BytesIO(pdf))
    found = []
    stack = [(document.Root.StructTreeRoot, ())]
    while stack:
        node, path = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        role = str(node.get("/S", ""))
        if role:
            found.append((role, node, path))
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        stack.extend((kid, (*path, role)) for kid in kids if isinstance(kid, pikepdf.Dictionary))
    return document, found


def _tagged_mcids(document, found):
    """(page index, MCID) of every piece of content that the structure tree reaches."""
    pages = {page.objgen: index for index, page in enumerate(document.pages)}
    tagged = set()
    for _role, node, _path in found:
        page = node.get("/Pg")
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        for kid in kids:
            if isinstance(kid, int) and page is not None:
                tagged.add((pages[page.objgen], int(kid)))
    return tagged


def _marked_text(document):
    """page index → list of (kind, MCID or None, text) per marked-content sequence."""
    result = {}
    for index, page in enumerate(document.pages):
        sequences, stack = [], []
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                tag = str(operands[0])
                props = operands[1] if len(operands) > 1 else None
                mcid = (
                    int(props.MCID)
                    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props
                    else None
                )
                stack.append([tag, mcid, []])
            elif op == "BMC":
                stack.append([str(operands[0]), None, []])
            elif op == "EMC" and stack:
                sequences.append(stack.pop())
            elif op in ("Tj", "TJ") and stack:
                stack[-1][2].append(operator)
        result[index] = sequences
    return result


# -- PDF/UA ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind,year", [("year-end", 2019), ("plan", 2017)])
def test_machine_pdfua_check_finds_nothing(rendered_report, tmp_path, kind, year):
    """The pdfua package reports no error and no warning on both seed reports."""
    path = tmp_path / "report.pdf"
    path.write_bytes(rendered_report(kind, year).pdf)
    findings = pdfua_validate(str(path)).findings
    assert [(f.rule_id, f.message) for f in findings] == []


def test_every_figure_has_alternative_text(year_end):
    """Each chart is a Figure whose /Alt names the indicator and its values."""
    _document, found = _elements(year_end.pdf)
    figures = [node for role, node, _path in found if role == "/Figure"]
    assert len(figures) >= 24 + 2  # the sparklines and the two economy diagrams
    alts = [str(node.get("/Alt", "")).replace("\u00a0", " ") for node in figures]
    assert all(alt.startswith("Diagram") for alt in alts), alts
    assert any("Mertid. 2017: 0,4, 2018: 0,3, 2019: 0,2." in alt for alt in alts)
    assert any("BOU 2017: 121, 2018: 113, 2019: 114; VUX" in alt for alt in alts)
    assert any("Individ- och familjeomsorg 443 906" in alt for alt in alts)


@pytest.mark.parametrize("kind,year", [("year-end", 2019), ("plan", 2017)])
def test_page_furniture_is_artifact_not_structure(rendered_report, kind, year):
    """Running header, page numbers, footer and UTKAST are Pagination artifacts: none of their
    content is reachable from the structure tree, and the body text still is."""
    rendered = rendered_report(kind, year)
    document, found = _elements(rendered.pdf)
    tagged = _tagged_mcids(document, found)
    marked = _marked_text(document)
    total = len(document.pages)
    for index in range(1, total):
        artifacts = [seq for seq in marked[index] if seq[0] == "/Artifact"]
        assert artifacts, index + 1
        assert all(mcid is None for _tag, mcid, _ops in artifacts)
        content = [mcid for _tag, mcid, _ops in marked[index] if mcid is not None]
        assert content and all((index, mcid) in tagged for mcid in content), index + 1
    # The page number is text only in the artifacts: no tagged element says "N (M)".
    root = document.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    for position in range(0, len(nums), 2):
        entries = nums[position + 1]
        if isinstance(entries, pikepdf.Array):
            for element in entries:
                if isinstance(element, pikepdf.Dictionary):
                    assert element.objgen in {node.objgen for _r, node, _p in found}


def test_header_cells_have_scope(year_end):
    """Every TH says whether it heads a column (table head) or a row (table body)."""
    _document, found = _elements(year_end.pdf)
    cells = [(node, path) for role, node, path in found if role == "/TH"]
    assert len(cells) > 100
    for node, path in cells:
        scope = node.A.Scope
        assert scope == (pikepdf.Name.Column if "/THead" in path else pikepdf.Name.Row)


def test_headings_are_real_and_not_empty(year_end):
    """Narrative subheadings ("Analys och kommentar", "Beslut") are H elements with text."""
    _document, found = _elements(year_end.pdf)
    headings = [node for role, node, _path in found if re.fullmatch(r"/H[1-6]", role)]
    assert len(headings) > 60
    assert all(node.get("/K") for node in headings)
    assert "<h3 id=" in year_end.html and "Analys och kommentar</h3>" in year_end.html


@pytest.mark.parametrize("kind,year", [("year-end", 2019), ("plan", 2017)])
def test_no_hyphens_from_hyphenation(rendered_report, kind, year):
    """No automatic hyphenation: the text layer has no U+2010 hyphen at a line end (before:
    173–205 per report), so copied or spoken text has no 'ser‐ vice'."""
    text = "\n".join(rendered_report(kind, year).pages)
    assert "\u2010" not in text
    assert "hyphens: auto" not in rendered_report(kind, year).html


# -- layout ------------------------------------------------------------------------------------


def test_no_empty_columns(year_end):
    """No table prints a column without a value: Bokslut 2018 and Utgifter/Inkomster are gone
    where no row has an amount; the investments show Netto as in the source."""
    report = build_report("year-end", 2019)
    assert report.operating_columns == ["outcome", "budget", "deviation"]
    assert report.investment_columns == ["net", "budget", "deviation"]
    assert "Utgifter</th>" not in year_end.html and "Inkomster</th>" not in year_end.html
    assert "Ospecificerade investeringar 349 800 451" in year_end.text


def test_number_cells_do_not_break(year_end):
    """Numbers never break inside a cell; a text value breaks only between words."""
    assert "25,06% (2016)" in year_end.text and "41,59% (2016)" in year_end.text
    css = Path("static/reports/print.css").read_text(encoding="utf-8")
    assert ".indicators td.num { white-space: nowrap; }" in css
    assert not re.search(r"\(20\s*\n\s*16\)", "\n".join(year_end.pages))


def test_legend_caption_once_per_legend(year_end):
    """'Färgsättningen indikerar' stands once per legend: the body's lead-in became its caption."""
    assert year_end.text.count("Färgsättningen indikerar") == 2  # two legends, as in the source
    assert "indikerar: Färgsättningen" not in year_end.text
    assert 'scope="row" class="legend-badge"' in year_end.html


def test_no_stray_partner_fragment(year_end):
    """An assignment whose text already names its partner prints no extra partner line."""
    text = year_end.text
    at = text.find("Uppdrag till social- och omsorgsnämnden och äldrenämnden")
    assert at >= 0
    assert "kommunstyrelsen under 2019. Pågår" in text[at:]


def test_toc_lists_the_year_end_goals(year_end):
    """The printed contents list every goal under Målredovisning, cut at a word if long."""
    plan = Plan.objects.get(year=2019)
    toc_page = next(
        page for page in year_end.flat if page.startswith("Innehåll") or " Innehåll " in page[:200]
    )
    for goal in plan.goals.all():
        title = str(goal).rstrip("…")
        assert title in toc_page, goal.text
        if str(goal).endswith("…"):
            assert goal.text.startswith(title) and goal.text[len(title)] == " "


def test_goal_summary_box_has_label_and_date(plan_2017):
    """The plan's year-end summary box says what it is and when."""
    assert "Sammanfattning helår, per 2017-12-31" in plan_2017.text


# -- fidelity to the source -------------------------------------------------------------------


def _source_footnotes():
    """number → text of the source's footnotes; a line that follows a footnote without
    indentation continues it (footnote 7 runs over two lines)."""
    notes, last = {}, None
    for line in Path(SOURCE).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(\d{1,2}) ?(Källa.*)$", line.strip())
        if match:
            last = int(match.group(1))
            notes[last] = match.group(2)
        elif last is not None and line.strip() and not line[0].isspace():
            notes[last] += " " + line
        else:
            last = None
    return {number: " ".join(text.split()) for number, text in notes.items()}


def test_footnotes_numbered_and_worded_as_in_the_source(year_end):
    """Footnotes 1–11 carry the source's numbers and texts, none merged, none added; 7, 8, 9
    are the BOU, VUX and LSS lines' own notes."""
    source = _source_footnotes()
    assert sorted(source) == list(range(1, 12))
    report = build_report("year-end", 2019)
    printed = dict(enumerate(report.footnotes, start=1))
    assert printed == source
    for number, text in source.items():
        assert f"{number} {text}" in year_end.text, number
    assert "Avser 2016" not in year_end.text
    lines = {line for page in year_end.lines for line in page}
    assert any(re.fullmatch(r"VUX\s*8 49 34 35.*", line) for line in lines), lines
    assert any(re.fullmatch(r"LSS\s*9 130 174 141.*", line) for line in lines)


def test_category_rows_in_source_order(year_end):
    """BOU, VUX, LSS as in the source, not alphabetical."""
    text = year_end.text
    found = [re.search(pattern, text) for pattern in (r"BOU 121", r"VUX ?8 49", r"LSS ?9 130")]
    assert all(found), found
    assert found[0].start() < found[1].start() < found[2].start()


def test_source_wording(year_end):
    """'Genomfört' for assignments, headings as the source words them, thousands separated."""
    text = year_end.text
    assert "Genomfört En översyn har genomförts" in text
    assert "Genomförd" not in text
    assert "Nämndens kostnader 2019" in text and "Nämndens intäkter 2019" in text
    assert "Nämndens intäkter och kostnader" not in text
    assert "myndighet1 1 089 1 053" in text


def test_category_sparkline_has_a_key(year_end):
    """A chart that draws the categories (no total) has a key naming each line."""
    assert year_end.html.count('<ul class="chart-legend"') >= 1
    key = year_end.html[year_end.html.find('<ul class="chart-legend"') :]
    key = key[: key.find("</ul>")]
    assert [label for label in ("BOU", "VUX", "LSS") if label in key] == ["BOU", "VUX", "LSS"]


# -- covers and the HTML file ----------------------------------------------------------------


def _logo_png() -> bytes:
    image = Image.new("RGB", (300, 100), "#1f4e79")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def with_logo(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    municipality = Municipality.objects.get(boards__plans__year=2017)
    municipality.logo.save("logo.png", ContentFile(_logo_png()))
    return municipality


def test_cover_has_logo_and_decision(with_logo):
    """The cover shows the logo (fetched from the media storage by the report fetcher) and
    'Fastställd av … <datum>, § n, Dnr …'; no workflow words."""
    Plan.objects.filter(year=2017).update(
        adopted_on=date(2016, 12, 14),
        adopted_by="",
        decision_paragraph="§ 112",
        diary_number="ON 2016/0456",
    )
    report = build_report("plan", 2017)
    rendered = render(report)
    cover = rendered.flat[0]
    assert "Fastställd av Omsorgsnämnden 2016-12-14, § 112, Dnr ON 2016/0456" in cover
    for word in ("Publicerad", "Godkänd", "Öppen", "Stängd", "Ej antagen", "Status"):
        assert word not in cover
    document, found = _elements(rendered.pdf)
    figures = [node for role, node, _path in found if role == "/Figure"]
    assert any(str(node.get("/Alt", "")) == f"{with_logo.name}s logotyp" for node in figures)
    assert document.pages[0].get_images()


def test_logo_fetch_refuses_anything_else(with_logo):
    """The fetcher takes only base64 PNG/JPEG data: URIs; the storage only logos/<name>.png|jpg."""
    content = _logo_png()
    uri = "data:image/png;base64," + base64.b64encode(content).decode()
    assert services.data_image_fetch(uri) == (content, "image/png")
    for url in [
        "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode(),
        "data:text/html;base64,PGI+",
        "data:image/png,rawbytes",
        "data:image/png;base64,@@@",
    ]:
        with pytest.raises(services.FetchRefused):
            services.data_image_fetch(url)
    with pytest.raises(services.FetchRefused):
        services.StaticOnlyFetcher().fetch("data:text/css,body{}")
    assert services.media_file(with_logo.logo.name)[1] == "image/png"
    for name in [
        "../logo.png",
        "logos/../x.png",
        "other/logo.png",
        "logos/logo.svg",
        "logos/a/b.png",
    ]:
        with pytest.raises(services.FetchRefused):
            services.media_file(name)


def test_html_file_is_self_contained(with_logo):
    """The HTML written to a file links nothing: stylesheet inlined, logo as a data: URI."""
    html = services.render_html(build_report("year-end", 2019), target="file")
    assert "<link" not in html
    assert "<style>" in html and "@page" in html
    assert not re.search(r'(?:src|href)="(?!#|data:)', html), re.findall(
        r'(?:src|href)="[^"]*', html
    )
    assert 'src="data:image/png;base64,' in html
    screen = services.render_html(build_report("year-end", 2019), target="screen")
    assert 'rel="stylesheet"' in screen


def _cover(html: str) -> str:
    return html[html.index('<header class="cover">') : html.index("</header>")]


def test_year_end_cover_carries_its_own_decision(with_logo):
    """The verksamhetsberättelse prints the decision on itself, taken from its year-end period
    (not the plan's): 'Fastställd av … <datum>, § n, Dnr …'; 'Förslag' until it is adopted;
    never workflow words."""
    Plan.objects.filter(year=2019).update(
        adopted_on=date(2018, 12, 12), decision_paragraph="§ 99", diary_number="ON 2018/1"
    )
    cover = _cover(services.render_html(build_report("year-end", 2019)))
    assert '<p class="cover-decision">Förslag</p>' in cover
    assert "ON 2018/1" not in cover and "2018-12-12" not in cover
    assert 'src="data:image/png;base64,' in cover

    FollowUpPeriod.objects.filter(plan__year=2019, kind=PeriodKind.TERTIAL_3).update(
        report_adopted_on=date(2020, 3, 18),
        report_adopted_by="Kommunfullmäktige",
        report_decision_paragraph="§ 41",
        report_diary_number="KS 2020/0123",
    )
    cover = _cover(services.render_html(build_report("year-end", 2019)))
    assert "Fastställd av Kommunfullmäktige 2020-03-18, § 41, Dnr KS 2020/0123" in cover
    assert "Förslag" not in cover
    for word in ("Publicerad", "Godkänd", "Öppen", "Stängd", "Ej antagen", "Status"):
        assert word not in cover

    FollowUpPeriod.objects.filter(plan__year=2019, kind=PeriodKind.TERTIAL_3).update(
        report_adopted_by="", report_decision_paragraph="", report_diary_number=""
    )
    report = build_report("year-end", 2019)
    cover = _cover(services.render_html(report))
    assert f"Fastställd av {report.board.name} 2020-03-18</p>" in cover


def test_year_end_decision_is_entered_on_the_period_in_the_admin(admin_client, plan_2019):
    """The period's admin page and the plan's period rows offer the report decision fields;
    a saved decision is what the cover prints."""
    period = FollowUpPeriod.objects.get(plan=plan_2019, kind=PeriodKind.TERTIAL_3)
    change = reverse("admin:goals_followupperiod_change", args=[period.pk])
    page = admin_client.get(change)
    for name in (
        "report_adopted_on",
        "report_adopted_by",
        "report_decision_paragraph",
        "report_diary_number",
    ):
        assert f'name="{name}"' in page.content.decode()
    plan_page = admin_client.get(reverse("admin:goals_plan_change", args=[plan_2019.pk]))
    assert re.search(r'name="periods-\d+-report_adopted_on"', plan_page.content.decode())
    data = form_data(page)
    data.update(
        report_adopted_on="2020-03-18", report_decision_paragraph="41", report_diary_number="X 1"
    )
    response = admin_client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    period.refresh_from_db()
    assert period.report_adopted_on == date(2020, 3, 18)
    with translation.override("sv"):
        line = services.period_decision_line(period, board=plan_2019.board)
    assert line == f"Fastställd av {plan_2019.board.name} 2020-03-18, § 41, Dnr X 1"
