"""Indicator values in long form through the admin: preview, confirm, every malformed case.

Each malformed file gets its own clear Swedish error naming row and column, and leaves the
database exactly as it was (values and change history), even when other rows were valid.
"""

import codecs
from decimal import Decimal

import pytest
from django.test import override_settings

from goals.choices import PeriodStatus
from indicators.models import Indicator, IndicatorValue
from tests.imports.conftest import confirm, export, problems, read_xlsx, token, upload, url, xlsx

pytestmark = pytest.mark.django_db

HEADERS = [
    "Nämnd",
    "Indikator",
    "Slag",
    "Kolada-id",
    "År",
    "Tertial",
    "Kön",
    "Kategori",
    "Värde",
    "Text",
    "Bedömt",
    "Not",
]
SON = "Social- och omsorgsnämnden"
SICK = "Total sjukfrånvaro"


def snapshot():
    values = sorted(
        IndicatorValue.objects.values_list(
            "indicator_id",
            "year",
            "tertial",
            "gender",
            "category",
            "value",
            "text_value",
            "is_estimate",
            "note",
        )
    )
    return values, IndicatorValue.history.count()


def row(
    year=2019, value=7.0, gender="K", indicator=SICK, board=SON, kind="Nämndindikator", text=None
):
    return [board, indicator, kind, None, year, None, gender, None, value, text, "Nej", None]


def good_row():
    """A valid change (2019, women: 7.2 → 7.0) that must not be saved when another row fails."""
    return row()


def assert_refused(client, data, expected, name="fel.xlsx"):
    before = snapshot()
    response = upload(client, url("import"), data, name=name)
    assert response.status_code == 200
    found = problems(response) or [
        str(e) for e in response.context["form"].errors.get("import_file", [])
    ]
    assert any(expected in p for p in found), found
    assert token(response) is None, "no confirm button when there are problems"
    assert snapshot() == before
    return found


def test_missing_header(son_client):
    """A file without the År column is refused: 'Rad 1, kolumn ”År”: Kolumnen saknas i filen.'"""
    headers = [h for h in HEADERS if h != "År"]
    data = xlsx(headers, [[c for h, c in zip(HEADERS, good_row(), strict=False) if h != "År"]])
    found = assert_refused(son_client, data, "kolumn ”År”: Kolumnen saknas")
    assert found[0].startswith("Rad 1")


def test_wrong_header(son_client):
    """A misspelt column (Vårde) is named as unknown, with the expected column names listed."""
    headers = [("Vårde" if h == "Värde" else h) for h in HEADERS]
    found = assert_refused(son_client, xlsx(headers, [good_row()]), "kolumn ”Vårde”: Okänd kolumn")
    assert any("Värde" in p for p in found)


def test_text_in_number_cell(son_client):
    """Text in Värde is an error on that row and column; the valid row is not saved either."""
    data = xlsx(HEADERS, [good_row(), row(year=2018, value="ca sju")])
    found = assert_refused(son_client, data, "Rad 3, kolumn ”Värde”: ”ca sju” är inte ett tal")
    assert len(found) == 1


def test_unknown_indicator(son_client):
    """An indicator the board does not have is an error naming the row and the name."""
    data = xlsx(HEADERS, [good_row(), row(indicator="Finns inte")])
    assert_refused(
        son_client,
        data,
        "Rad 3, kolumn ”Indikator”: Nämnden Social- och omsorgsnämnden har "
        "ingen indikator som heter ”Finns inte”.",
    )


def test_duplicate_rows(son_client):
    """The same indicator, year and breakdown twice is an error pointing at the first row."""
    data = xlsx(HEADERS, [good_row(), row(value=7.1)])
    assert_refused(
        son_client,
        data,
        "Rad 3: Raden upprepar Total sjukfrånvaro 2019 Kvinnor, som redan finns på rad 2",
    )


def test_ambiguous_name_needs_kind(son_client):
    """'Total sjukfrånvaro' is both a board indicator and a staff figure: without Slag, an error."""
    data = xlsx(HEADERS, [row(kind=None)])
    assert_refused(
        son_client, data, "kolumn ”Slag”: Indikatornamnet ”Total sjukfrånvaro” finns i flera slag"
    )


@pytest.mark.parametrize("data", [b"", xlsx(HEADERS, [])], ids=["zero-bytes", "header-only"])
def test_empty_file(son_client, data):
    """An empty file, or one with only the header, says so."""
    found = assert_refused(son_client, data, "")
    assert any("tom" in p or "inga rader" in p for p in found), found


@override_settings(IMPORT_MAX_BYTES=2000)
def test_file_over_the_size_limit(son_client):
    """A file over IMPORT_MAX_BYTES is refused before it is read, with both sizes in MB."""
    data = xlsx(HEADERS, [good_row()] * 50)
    assert_refused(son_client, data, "högst 0,0019 MB kan importeras")


@override_settings(IMPORT_MAX_ROWS=3)
def test_file_over_the_row_limit(son_client):
    """More data rows than IMPORT_MAX_ROWS is refused with the limit in the message."""
    data = xlsx(HEADERS, [row(year=y) for y in (2015, 2016, 2017, 2018, 2019)])
    assert_refused(son_client, data, "Filen har fler än 3 rader")


def test_wrong_encoding_utf16_without_bom(son_client):
    """A CSV in UTF-16 without byte order mark is refused as an unknown encoding."""
    text = ";".join(HEADERS) + "\r\n"
    assert_refused(
        son_client, text.encode("utf-16-le"), "teckenkodning känns inte igen", name="fel.csv"
    )


def test_wrong_encoding_mojibake(son_client):
    """UTF-8 read as Latin-1 and saved again ('NÃ¤mnd') is refused with an explanation."""
    text = ";".join(HEADERS) + "\r\n" + ";".join(str(c or "") for c in good_row()) + "\r\n"
    broken = text.encode("utf-8").decode("latin-1").encode("utf-8")
    assert_refused(son_client, broken, "fel teckenkodning", name="fel.csv")


def test_formula_cell(son_client):
    """A formula in a cell is refused (not evaluated, not stored), naming row and column."""
    data = xlsx(HEADERS, [good_row(), row(year=2018, value="=SUM(1,2)")])
    assert_refused(son_client, data, "Rad 3, kolumn ”Värde”: Cellen innehåller en formel")


def test_locked_year(son_client, plan_2019):
    """A change to a value of a year whose period is approved shows IndicatorValue.clean's text."""
    plan_2019.periods.update(status=PeriodStatus.APPROVED)
    assert_refused(
        son_client, xlsx(HEADERS, [good_row()]), "Rad 2, kolumn ”År”: Värden för 2019 är låsta"
    )


def test_value_or_text_required(son_client):
    """A new value with neither number nor text breaks the table's rule; the row says so."""
    data = xlsx(HEADERS, [row(year=2016, value=None)])
    assert_refused(son_client, data, "Rad 2, kolumn ”Värde”: Ange ett värde eller en text")


@pytest.mark.parametrize("fmt", [0, 1, 2], ids=["xlsx", "csv-swedish", "csv-plain"])
def test_round_trip_reports_no_changes(son_client, fmt):
    """Exporting the values and importing the same file reports 0 new and 0 changed rows."""
    data = export(son_client, url("export"), fmt)
    response = upload(son_client, url("import"), data, name="export.xlsx" if fmt == 0 else "e.csv")
    result = response.context["result"]
    assert problems(response) == []
    assert (len(result.new_rows), len(result.changed_rows), result.unchanged_count) == (0, 0, 156)


def test_done_when_edit_one_value(son_client, son_editor):
    """Export 2019 values (xlsx), edit one value, import: preview shows exactly one changed row;
    confirming changes that one value (with a history row by the importer) and nothing else."""
    headers, rows = read_xlsx(export(son_client, url("export")))
    col = {h: i for i, h in enumerate(headers)}
    target = next(
        r
        for r in rows
        if r[col["Indikator"]] == SICK
        and r[col["Slag"]] == "Nämndindikator"
        and r[col["År"]] == 2019
        and r[col["Kön"]] == "K"
    )
    target[col["Värde"]] = 7.5
    before_values, before_history = snapshot()
    preview = upload(son_client, url("import"), xlsx(headers, rows))
    result = preview.context["result"]
    assert len(result.changed_rows) == 1 and not result.new_rows
    assert result.changed_rows[0].changes == [("Värde", "7,2", "7,5")]
    assert "1 ändrade" in preview.content.decode()
    assert snapshot() == (before_values, before_history), "the preview saves nothing"

    response = confirm(son_client, url("import"), preview)
    assert response.status_code == 302
    value = IndicatorValue.objects.get(
        indicator__name=SICK, indicator__kind="goal", year=2019, gender="K"
    )
    assert value.value == Decimal("7.5")
    after_values, after_history = snapshot()
    assert after_history == before_history + 1
    assert len(set(before_values) - set(after_values)) == 1
    record = value.history.latest()
    assert record.history_user == son_editor and record.value == Decimal("7.5")


def test_new_value_from_swedish_csv(son_client, son_editor):
    """A CSV from Swedish Excel (Windows-1252, semicolons, decimal comma) adds a value."""
    text = (
        ";".join(HEADERS)
        + "\r\n"
        + ";".join(
            [SON, SICK, "Nämndindikator", "", "2016", "", "Kvinnor", "", "-1,25", "", "", "Häst"]
        )
        + "\r\n"
    )
    preview = upload(son_client, url("import"), text.encode("cp1252"), name="sv.csv")
    assert problems(preview) == [] and len(preview.context["result"].new_rows) == 1
    assert confirm(son_client, url("import"), preview).status_code == 302
    value = IndicatorValue.objects.get(indicator__name=SICK, indicator__kind="goal", year=2016)
    assert (value.value, value.gender, value.note) == (Decimal("-1.25"), "K", "Häst")
    assert value.history.get().history_user == son_editor


def test_plain_utf8_comma_csv_with_bom(son_client):
    """UTF-8 (with BOM) comma-separated CSV with a decimal point is read as well."""
    text = (
        ",".join(HEADERS)
        + "\n"
        + ",".join([SON, SICK, "Nämndindikator", "", "2016", "", "T", "", "5.5", "", "", ""])
        + "\n"
    )
    preview = upload(son_client, url("import"), codecs.BOM_UTF8 + text.encode(), name="en.csv")
    assert problems(preview) == []
    assert preview.context["result"].new_rows[0].instance.value == Decimal("5.5")


def test_export_escapes_formula_text_but_keeps_negative_numbers(son_client, son_board):
    """Text cells starting with = + - @ tab or CR get an apostrophe; numbers (also negative)
    stay numbers; and the escaped file still imports with 0 changes."""
    indicator = Indicator.objects.get(board=son_board, name=SICK, kind="goal")
    IndicatorValue.objects.create(indicator=indicator, year=2014, text_value='=HYPERLINK("x")')
    IndicatorValue.objects.create(indicator=indicator, year=2013, text_value="@SUM(A1)")
    IndicatorValue.objects.create(indicator=indicator, year=2012, text_value="+46 13 20 60 00")
    IndicatorValue.objects.create(indicator=indicator, year=2011, text_value="\tflik")
    IndicatorValue.objects.create(indicator=indicator, year=2010, value=Decimal("-3.5"))
    headers, rows = read_xlsx(export(son_client, url("export")))
    text_col, value_col = headers.index("Text"), headers.index("Värde")
    texts = {r[text_col] for r in rows if r[text_col]}
    assert {'\'=HYPERLINK("x")', "'@SUM(A1)", "'+46 13 20 60 00", "'\tflik", "'-"} <= texts
    assert -3.5 in [r[value_col] for r in rows]
    csv_text = export(son_client, url("export"), 1).decode("utf-8-sig")
    assert ";-3,5;" in csv_text and ";'=HYPERLINK" in csv_text.replace('"', "")
    assert "'-3,5" not in csv_text
    for fmt, name in ((0, "a.xlsx"), (1, "b.csv"), (2, "c.csv")):
        response = upload(son_client, url("import"), export(son_client, url("export"), fmt), name)
        assert response.context["result"].change_count == 0, problems(response)


def test_confirm_refuses_a_plan_that_changed(son_client):
    """If the data changed between preview and confirm, nothing is saved and a new preview shows."""
    preview = upload(son_client, url("import"), xlsx(HEADERS, [good_row()]))
    IndicatorValue.objects.filter(
        indicator__name=SICK, indicator__kind="goal", year=2019, gender="K"
    ).update(value=Decimal("9.9"))
    response = confirm(son_client, url("import"), preview)
    assert response.status_code == 200
    assert "har ändrats sedan förhandsgranskningen" in response.content.decode()
    assert IndicatorValue.objects.get(
        indicator__name=SICK, indicator__kind="goal", year=2019, gender="K"
    ).value == Decimal("9.9")


def test_forgotten_previews_of_any_user_are_removed(son_client):
    """A preview nobody confirmed within the hour is removed from the shared file storage at
    the next upload, whoever made it; a fresh one (another user's, still waiting) stays."""
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from imports.views import PENDING_MAX_AGE, PREVIEW_FOLDER, preview_name

    now = time.time()
    old = default_storage.save(preview_name(now - PENDING_MAX_AGE - 60), ContentFile(b"x"))
    fresh = default_storage.save(preview_name(now - 60), ContentFile(b"x"))
    other = default_storage.save("annan-fil", ContentFile(b"x"))

    preview = upload(son_client, url("import"), xlsx(HEADERS, [good_row()]))
    assert token(preview)
    assert not default_storage.exists(old)
    assert default_storage.exists(fresh) and default_storage.exists(other)
    assert len(default_storage.listdir(PREVIEW_FOLDER)[1]) == 2  # the fresh one and this upload's
