"""The report's wide indicator table and Kolada responses, imported through the admin.

The wide table has a row per indicator and breakdown, a column per year and Målvärde, like
the tables of Verksamhetsberättelse 2019. Kolada values go to the indicators carrying the KPI.
"""

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import Indicator, IndicatorValue
from indicators.resources import KIND_LABELS
from tests.imports.conftest import confirm, problems, token, upload, url, xlsx

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "seed" / "verksamhetsberattelse-2019.json"
SAMPLE = Path(__file__).with_name("kolada-sample.json")
BREAKDOWN = {"total": "Totalt", "women": "Kvinnor", "men": "Män"}
KINDS = (("indicators", "goal"), ("volumes", "volume"), ("staff", "staff"))


def seed_table():
    """The 2019 tables from the seed JSON, as the report prints them (text if any, else number)."""
    data = json.loads(SEED.read_text(encoding="utf-8"))
    board = data["board"]["name"]
    headers = ["Nämnd", "Indikator", "Uppdelning", "2017", "2018", "2019", "Målvärde", "Slag"]
    rows, expected = [], {}
    for key, kind in KINDS:
        for item in data[key]:
            by_breakdown = {}
            for cell in item.get("values", []):
                by_breakdown.setdefault(cell["breakdown"], {})[cell["year"]] = cell
                expected[(item["name"], kind, cell["year"], cell["breakdown"])] = (
                    None if cell.get("value") is None else Decimal(str(cell["value"])),
                    cell.get("text") or "",
                    bool(cell.get("estimate", False)),
                )
            for breakdown, years in by_breakdown.items():
                rows.append(
                    [
                        board,
                        item["name"],
                        BREAKDOWN.get(breakdown, breakdown),
                        *[
                            (c.get("text") or c.get("value")) if (c := years.get(y)) else None
                            for y in (2017, 2018, 2019)
                        ],
                        None,
                        KIND_LABELS[kind],
                    ]
                )
    return headers, rows, expected


def db_values(board):
    words = {"T": "total", "K": "women", "M": "men"}
    return {
        (
            v.indicator.name,
            v.indicator.kind,
            v.year,
            v.category or words[v.gender],
        ): (None if v.value is None else v.value.normalize(), v.text_value, v.is_estimate)
        for v in IndicatorValue.objects.filter(indicator__board=board).select_related("indicator")
    }


def test_wide_2019_table_equals_the_seed(son_client, son_board, son_editor):
    """The 2019 indicator, volume and staff tables built as a wide xlsx from the seed JSON and
    imported into a database without values give back every value of the seed: the number, the
    text as printed and the estimate flag (footnotes are not part of the table)."""
    headers, rows, expected = seed_table()
    IndicatorValue.objects.filter(indicator__board=son_board).delete()
    preview = upload(son_client, url("import_wide"), xlsx(headers, rows))
    assert problems(preview) == []
    assert len(preview.context["result"].new_rows) == len(expected) == 156
    assert confirm(son_client, url("import_wide"), preview).status_code == 302
    normalized = {
        k: (None if v is None else v.normalize(), t, e) for k, (v, t, e) in expected.items()
    }
    assert db_values(son_board) == normalized
    assert IndicatorValue.history.filter(history_user=son_editor).count() == 156


def test_wide_round_trip_and_one_edit(son_client, son_board):
    """The exported table re-imports with 0 changes; one edited cell is one changed value."""
    for fmt, name in ((0, "t.xlsx"), (1, "t.csv"), (2, "u.csv")):
        exported = son_client.post(
            url("export_wide"), {"board": son_board.pk, "year": 2019, "format": str(fmt)}
        ).content
        response = upload(son_client, url("import_wide"), exported, name=name)
        assert problems(response) == [] and response.context["result"].change_count == 0
    text = son_client.post(
        url("export_wide"), {"board": son_board.pk, "year": 2019, "format": "1"}
    ).content.decode("utf-8-sig")
    edited = text.replace("Övertid;Kvinnor;0,1;0,2;0,2", "Övertid;Kvinnor;0,1;0,2;0,3")
    assert edited != text
    preview = upload(son_client, url("import_wide"), edited.encode("utf-8-sig"), name="e.csv")
    result = preview.context["result"]
    assert [(r.label, r.changes) for r in result.changed_rows] == [
        ("Övertid 2019 Kvinnor", [("2019", "0,2", "0,3")])
    ]


def test_wide_errors_name_row_and_year_column(son_client, son_board):
    """A bad cell names its row and year column; a changed Målvärde and an ambiguous name are
    refused; nothing is saved."""
    before = IndicatorValue.objects.count()
    headers = ["Nämnd", "Indikator", "Uppdelning", "2018", "2019", "Målvärde"]
    rows = [
        ["Social- och omsorgsnämnden", "Övertid", "Kvinnor", "=1+1", 0.2, None],
        ["Social- och omsorgsnämnden", "Antal projekt med aktiv medverkan", "Totalt", 3, 6, 4],
        ["Social- och omsorgsnämnden", "Total sjukfrånvaro", "Totalt", 6.6, 6.7, None],
        ["Social- och omsorgsnämnden", "Övertid", "Män", 0.2, 1.23456, None],
    ]
    found = problems(upload(son_client, url("import_wide"), xlsx(headers, rows)))
    assert any(p.startswith("Rad 2, kolumn ”2018”: Cellen innehåller en formel") for p in found)
    assert any(p.startswith("Rad 3, kolumn ”Målvärde”") for p in found)
    assert any(p.startswith("Rad 4, kolumn ”Slag”") for p in found)
    assert any(p.startswith("Rad 5, kolumn ”2019”: Talet 1,23456 har fler än 4") for p in found)
    assert IndicatorValue.objects.count() == before


@pytest.fixture
def kolada_indicators(son_board):
    """Two seed indicators carry Kolada KPI ids."""
    sick = Indicator.objects.get(board=son_board, name="Total sjukfrånvaro", kind="goal")
    ifo = Indicator.objects.get(board=son_board, name="Ej återaktualiserade ärenden inom IFO 0-20")
    sick.kolada_kpi, ifo.kolada_kpi = "N00945", "U00402"
    Indicator.objects.bulk_update([sick, ifo], ["kolada_kpi"])
    return sick, ifo


def test_kolada_file_in_the_admin(son_client, son_editor, kolada_indicators):
    """The sample response changes 3 values, leaves 1 unchanged, and lists the unknown
    municipality, the unknown KPI and the missing (null) value instead of guessing."""
    sick, ifo = kolada_indicators
    preview = upload(son_client, url("import_kolada"), SAMPLE.read_bytes(), name="k.json")
    result = preview.context["result"]
    assert problems(preview) == []
    assert sorted(r.label for r in result.changed_rows) == [
        "Ej återaktualiserade ärenden inom IFO 0-20 2019 Totalt",
        "Total sjukfrånvaro 2019 Kvinnor",
        "Total sjukfrånvaro 2019 Totalt",
    ]
    assert result.unchanged_count == 1 and not result.new_rows
    notes = " ".join(result.notes)
    assert "0180" in notes and "N99999" in notes and "1 värden saknas" in notes
    assert confirm(son_client, url("import_kolada"), preview).status_code == 302
    assert sick.values.get(year=2019, gender="K").value == Decimal("7.4")
    assert ifo.values.get(year=2019).value == Decimal("88.5")
    assert sick.values.get(year=2019, gender="M").value == Decimal("2.6"), "null leaves it alone"
    assert sick.values.get(year=2019, gender="K").history.latest().history_user == son_editor


def test_kolada_command(son_editor, kolada_indicators):
    """`import_kolada FILE --user U` previews without writing; --commit writes atomically."""
    sick, _ifo = kolada_indicators
    out = StringIO()
    call_command("import_kolada", str(SAMPLE), user=son_editor.username, stdout=out)
    assert "0 nya, 3 ändrade, 1 oförändrade" in out.getvalue()
    assert sick.values.get(year=2019, gender="T").value == Decimal("6.7")
    call_command("import_kolada", str(SAMPLE), user=son_editor.username, commit=True, stdout=out)
    assert sick.values.get(year=2019, gender="T").value == Decimal("6.9")
    assert sick.values.get(year=2019, gender="T").history.latest().history_user == son_editor


def test_kolada_malformed(son_client, tmp_path, son_editor):
    """A file that is not a Kolada response is refused with the reason, in the admin and command."""
    bad = json.dumps(
        {
            "count": 1,
            "values": [{"kpi": "N1", "municipality": "0580", "period": "förra året", "values": []}],
        }
    )
    response = upload(son_client, url("import_kolada"), bad.encode(), name="k.json")
    assert "”period” ska vara ett år" in response.context["form"].errors["import_file"][0]
    assert token(response) is None
    path = tmp_path / "k.json"
    path.write_text('{"rows": []}')
    with pytest.raises(CommandError, match="listan ”values” saknas"):
        call_command("import_kolada", str(path), user=son_editor.username)
