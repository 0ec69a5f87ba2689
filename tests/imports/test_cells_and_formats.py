"""Cells and files as Swedish spreadsheets write them: numbers, escaping, encodings, separators."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings

from core.cells import escape_text, is_formula, parse_date, parse_decimal, unescape_text
from core.formats import ImportFileError, read_table, write_csv, write_xlsx
from imports.kolada import fetch


@pytest.mark.parametrize(
    "text,number",
    [
        ("6,7", "6.7"),
        ("6.7", "6.7"),
        ("-0,5", "-0.5"),
        ("1 089", "1089"),
        ("1\u00a0089,5", "1089.5"),
        ("1.234,5", "1234.5"),
        ("1,234.5", "1234.5"),
        ("\u22123", "-3"),
        (12, "12"),
        (0.1, "0.1"),
    ],
)
def test_numbers_the_swedish_way(text, number):
    """Decimal comma or point, spaces as thousands separators and the minus sign are read."""
    assert parse_decimal(text) == Decimal(number)


def test_text_is_not_a_number():
    """Text in a number cell says what was found."""
    with pytest.raises(ValueError, match="”sju” är inte ett tal"):
        parse_decimal("sju")


@pytest.mark.parametrize("text", ["=1+1", "+46 13", "-", "@SUM(A1)", "\tx", "\rx", "'=x"])
def test_escaping_round_trips(text):
    """Formula-like text gets an apostrophe on export and loses it on import."""
    escaped = escape_text(text)
    assert escaped.startswith("'") and unescape_text(escaped) == text


def test_formula_detection():
    """'=…', function calls after + - @, and DDE links are formulas; ordinary text is not."""
    assert is_formula("=SUMMA(A1:A3)") and is_formula("@SUM(A1)") and is_formula("+cmd|x")
    assert not is_formula("- Se bilaga (sid 3)") and not is_formula("-3,5") and not is_formula(5)


def test_excel_serial_dates():
    """A date cell read without its style (an Excel serial number) is still a date."""
    assert parse_date(42978) == date(2017, 8, 31) and parse_date("2017-08-31") == date(2017, 8, 31)


@override_settings(IMPORT_MAX_BYTES=10**6, IMPORT_MAX_ROWS=100)
def test_written_files_read_back_unchanged():
    """xlsx and both CSV variants keep åäö, numbers (negative too) and escaped text."""
    headers = ["Nämnd", "Värde", "Text"]
    rows = [["Åre Ödeshög", Decimal("-1.5000"), "=HYPERLINK()"], ["Malmö", 3, "-"]]
    for data in (
        write_xlsx(headers, rows),
        write_csv(headers, rows, swedish=True),
        write_csv(headers, rows, swedish=False),
    ):
        table = read_table(data)
        assert [normalize(r) for r in table.rows] == [
            ["Åre Ödeshög", Decimal("-1.5"), "'=HYPERLINK()"],
            ["Malmö", Decimal(3), "'-"],
        ]
    swedish = write_csv(headers, rows, swedish=True)
    assert swedish.startswith(b"\xef\xbb\xbf") and b";-1,5;" in swedish


def normalize(row):
    return [parse_decimal(v) if i == 1 else v for i, v in enumerate(row)]


@override_settings(IMPORT_MAX_BYTES=10**6, IMPORT_MAX_ROWS=100)
@pytest.mark.parametrize(
    "data,message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gamla Excel-formatet"),
        (b"PK\x03\x04 not really a zip", "kunde inte läsas som en Excel-fil"),
        ("Nämnd;År\n".encode("utf-16-le"), "teckenkodning"),
        (b"   \r\n", "Filen är tom"),
    ],
)
def test_unreadable_files(data, message):
    """Files that are not spreadsheets we can read are refused with the reason."""
    with pytest.raises(ImportFileError, match=message):
        read_table(data)


def test_kolada_fetch_only_http():
    """The command fetches http(s) URLs only (no file:// or other schemes)."""
    with pytest.raises(ImportFileError, match="https://"):
        fetch("file:///etc/passwd")
