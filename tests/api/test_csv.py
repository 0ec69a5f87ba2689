"""CSV output: UTF-8 with BOM, Swedish letters intact, formulas made inert, same data as JSON."""

import csv
import io

import pytest
from django.urls import reverse

from core.cells import escape_text as escape_cell
from indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def _csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark first"
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def _unescape(cell):
    return cell[1:] if cell.startswith("'") and escape_cell(cell[1:]) == cell else cell


def test_bom_and_swedish_letters(staff_client, plan_2017):
    """The file starts with the BOM and keeps å, ä and ö exactly as in the database."""
    rows = _csv(staff_client.get(reverse("api:goal-list"), {"format": "csv", "plan": plan_2017.pk}))
    texts = {row["text"] for row in rows}
    assert texts == set(plan_2017.goals.values_list("text", flat=True))
    assert any("ö" in t for t in texts) and any("ä" in t for t in texts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\tTAB", "'\tTAB"),
        ("\rCR", "'\rCR"),
        ("-12.5", "-12.5"),
        ("Ej mätbart", "Ej mätbart"),
    ],
)
def test_escape_cell(text, expected):
    """Cells starting with = + - @ tab or CR get a leading apostrophe; numbers stay numbers."""
    assert escape_cell(text) == expected


def test_formula_cells_are_escaped_in_the_file(staff_client):
    """A note that looks like a formula is written with a leading apostrophe; a negative
    number is written as a number."""
    value = IndicatorValue.objects.filter(value__isnull=False).first()
    value.note = "=cmd|'/c calc'!A1"
    value.value = -1.5
    value.save()
    rows = _csv(
        staff_client.get(
            reverse("api:indicator-value-list"), {"format": "csv", "indicator": value.indicator_id}
        )
    )
    row = next(r for r in rows if r["id"] == str(value.pk))
    assert row["note"] == "'=cmd|'/c calc'!A1"
    assert row["value"] == "-1.5"


def test_round_trip_matches_json(staff_client):
    """Every value read back from the CSV equals the JSON of the same page: one row per
    indicator, year, tertial and breakdown (long form)."""
    url = reverse("api:indicator-value-list")
    params = {"page_size": 1000}
    json_rows = staff_client.get(url, params).json()["results"]
    csv_rows = _csv(staff_client.get(url, {**params, "format": "csv"}))
    assert len(csv_rows) == len(json_rows) == IndicatorValue.objects.count()
    assert list(csv_rows[0]) == list(json_rows[0])
    for from_csv, from_json in zip(csv_rows, json_rows, strict=True):
        for key, expected in from_json.items():
            cell = _unescape(from_csv[key])
            if expected is None:
                assert cell == "", key
            elif isinstance(expected, bool):
                assert cell == str(expected).lower(), key
            elif isinstance(expected, (int, float)):
                assert float(cell) == expected, key
            else:
                assert cell == expected, key
    keys = {(r["indicator"], r["year"], r["tertial"], r["gender"], r["category"]) for r in csv_rows}
    assert len(keys) == len(csv_rows)


def test_nested_objects_become_dotted_columns(staff_client):
    """Follow-ups' nested fulfilment becomes fulfilment.code, fulfilment.label, …, with the
    same columns for rows without one; an empty page still has its header row."""
    rows = _csv(
        staff_client.get(reverse("api:follow-up-list"), {"format": "csv", "subject": "goal"})
    )
    assert {"fulfilment.code", "fulfilment.label", "fulfilment.colour"} <= set(rows[0])
    assert "fulfilment" not in rows[0]
    empty = staff_client.get(reverse("api:deletion-list"), {"format": "csv"})
    assert empty.content.decode("utf-8-sig").splitlines()[0].startswith("id,url,model,")


def test_csv_links_to_the_next_page(staff_client):
    """A CSV page says where the next one is in the Link header, and has no format in the
    rows' own links."""
    response = staff_client.get(
        reverse("api:indicator-value-list"), {"format": "csv", "page_size": 5}
    )
    assert 'rel="next"' in response["Link"]
    assert "format=csv" in response["Link"]
    assert "?" not in _csv(response)[0]["url"]
