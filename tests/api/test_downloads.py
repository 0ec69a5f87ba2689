"""Whole-dataset downloads: `<list>/all.csv`, `all.sv.csv` and `all.xlsx`."""

import io

import openpyxl
import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.indicators.serializers import IndicatorValueSerializer
from core.api.downloads import flat_header
from indicators.models import Indicator, IndicatorValue

from .conftest import LIST_ROUTES

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicator-values/all"


def _body(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content if response.streaming else [response.content])


def test_csv_opens_in_pandas_with_every_row(staff_client):
    """pandas.read_csv of all.csv has every value (not only the first page), the list's
    columns and the numbers as numbers."""
    response = staff_client.get(f"{URL}.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="indicator-values.csv"' in response["Content-Disposition"]
    frame = pd.read_csv(io.BytesIO(_body(response)), dtype={"municipality": str})
    assert len(frame) == IndicatorValue.objects.count() > 100
    assert list(frame.columns) == flat_header(IndicatorValueSerializer)
    stored = IndicatorValue.objects.exclude(value=None).order_by("pk").first()
    row = frame.loc[frame["id"] == stored.pk].iloc[0]
    assert row["value"] == float(stored.value) and row["municipality"] == "0580"


def test_swedish_excel_dialect(staff_client):
    """all.sv.csv: byte order mark, semicolons and decimal commas; read back with
    Swedish Excel's settings it gives the same numbers as all.csv."""
    body = _body(staff_client.get(f"{URL}.sv.csv", {"year": "2019"}))
    assert body.startswith("\ufeff".encode())
    assert body.split(b"\r\n", 1)[0].decode("utf-8-sig").startswith("id;url;indicator;kpi")
    swedish = pd.read_csv(
        io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig", dtype={"municipality": str}
    )
    plain = pd.read_csv(
        io.BytesIO(_body(staff_client.get(f"{URL}.csv", {"year": "2019"}))),
        dtype={"municipality": str},
    )
    assert len(swedish) == IndicatorValue.objects.filter(year=2019).count()
    pd.testing.assert_frame_equal(swedish, plain)
    column = flat_header(IndicatorValueSerializer).index("value")
    assert any(b"," in line.split(b";")[column] for line in body.split(b"\r\n")[1:-1])


def test_xlsx_has_every_row_and_escapes_formulas(staff_client, plan_2019):
    """all.xlsx: one sheet with the header and every row; a name that a spreadsheet would
    run as a formula is written with an apostrophe in front."""
    indicator = Indicator.objects.filter(board=plan_2019.board).first()
    indicator.name = '=HYPERLINK("http://x")'
    indicator.save()
    response = staff_client.get(f"{URL}.xlsx", {"indicator": indicator.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(_body(response)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == flat_header(IndicatorValueSerializer)
    assert len(rows) - 1 == indicator.values.count() > 0
    names = {row[4] for row in rows[1:]}
    assert names == {'\'=HYPERLINK("http://x")'}
    csv_text = _body(staff_client.get(f"{URL}.csv", {"indicator": indicator.pk})).decode()
    assert "'=HYPERLINK" in csv_text


def test_public_download_is_what_the_public_sees(api_client, staff_client):
    """Anonymous readers get the rows the list shows them (published years only)."""
    public = pd.read_csv(io.BytesIO(_body(api_client.get(f"{URL}.csv"))))
    listed = api_client.get("/api/v1/indicator-values/").json()["count"]
    assert len(public) == listed < IndicatorValue.objects.count()


#: The lists of the action plans and quality reports, besides the core ones.
OTHER_LIST_ROUTES = [
    "action-plan",
    "action-plan-measure",
    "action-plan-follow-up",
    "quality-report",
    "quality-report-section",
]


@pytest.mark.parametrize("route", LIST_ROUTES + OTHER_LIST_ROUTES)
def test_every_list_downloads_every_row(staff_client, route):
    """Every list has all.csv with exactly the rows the list counts."""
    from django.urls import reverse

    body = _body(staff_client.get(reverse(f"api:{route}-download", kwargs={"kind": "csv"})))
    listed = staff_client.get(reverse(f"api:{route}-list"), {"page_size": 1}).json()["count"]
    assert len(pd.read_csv(io.BytesIO(body))) == listed


@pytest.mark.parametrize(
    ("url", "small", "queries"),
    [
        ("/api/v1/indicator-values/all.csv", {"year": "2017"}, 6),
        ("/api/v1/goals/all.csv", {"year": "2017"}, 9),
    ],
)
def test_downloads_take_constant_queries(staff_client, url, small, queries):
    """The number of queries is the same for a few rows and for all of them: the session,
    the user and their roles, then one read per chunk of 2000 rows plus the chunk's
    prefetches."""
    sizes = []
    for params in (small, {}):
        with CaptureQueriesContext(connection) as captured:
            sizes.append(_body(staff_client.get(url, params)).count(b"\r\n"))
        assert len(captured) == queries, [q["sql"][:80] for q in captured]
    assert sizes[0] < sizes[1]


@pytest.mark.parametrize(
    "value",
    [None, True, False, 0, -1.5, 2.0, 12, "", "text", "=1+2", "-x", "+SUM(A1)", "@a", "'=x",
     "'plain", "\tTab", "-12.5", ["a", "b"], {"a": 1}],
)  # fmt: skip
def test_fast_cells_escape_as_the_renderer_does(value):
    """The download's cell writer gives exactly what the CSV renderer gives (escape_text of
    the rendered cell), and the Swedish one differs only in the decimal comma."""
    from core.api.downloads import _plain_cell, _swedish_cell
    from core.api.renderers import _cell
    from core.cells import escape_text

    assert _plain_cell(value) == escape_text(_cell(value))
    expected = _plain_cell(value)
    if type(value) is float:
        expected = expected.replace(".", ",")
    assert _swedish_cell(value) == expected
