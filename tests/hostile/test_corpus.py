"""A corpus of hostile import files, uploaded through the admin's import pages.

Each file is refused at the preview with a clear Swedish message (the form's error, or a
problem naming row and column), no confirm button is offered, nothing answers 500, and
the database is unchanged (row counts and content of every table).
"""

import codecs
import io
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.hostile import bigfiles

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
HEADERS = ["Nämnd", "Indikator", "Slag", "Kolada-id", "År", "Tertial", "Kön", "Kategori"]
HEADERS += ["Värde", "Text", "Bedömt", "Not"]
GOOD = ["Social- och omsorgsnämnden", "Total sjukfrånvaro", "Nämndindikator", None, 2019]
GOOD += [None, "K", None, 7.5, None, "Nej", None]


def _sheet(xml: str) -> bytes:
    return bigfiles.xlsx([xml.encode()])


def _value_cell(raw: str) -> bytes:
    """The long-form header and one good row whose Värde cell holds `raw` as written."""
    header = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADERS)
    cells = []
    for name, value in zip(HEADERS, GOOD, strict=True):
        if name == "Värde":
            cells.append(f"<c><v>{raw}</v></c>")
        elif value is None:
            cells.append("<c/>")
        elif isinstance(value, int):
            cells.append(f"<c><v>{value}</v></c>")
        else:
            cells.append(f'<c t="inlineStr"><is><t>{value}</t></is></c>')
    return _sheet(f'<row r="1">{header}</row><row r="2">{"".join(cells)}</row>')


def _upload(client, page, data, name):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse(f"admin:indicators_indicatorvalue_{page}"), {"import_file": file})


def _messages(response) -> str:
    """Every message the preview shows: the form's errors and the import's problems."""
    texts = list(response.context["form"].errors.get("import_file", []))
    result = response.context.get("result")
    if result is not None:
        texts += [str(p) for p in result.problems]
    return " | ".join(texts)


SEMI = "Nämnd;Indikator;År;Kön;Värde\n"
SON = "Social- och omsorgsnämnden;Total sjukfrånvaro"

#: name: (page, file name, bytes, a fragment of the Swedish message)
CASES = {
    "csv: unclosed quotation mark": (
        "import",
        "a.csv",
        (FILES / "unclosed-quote.csv").read_bytes(),
        'citattecken (") som öppnas på rad 2 avslutas aldrig',
    ),
    "csv: decimal comma in a comma-separated file": (
        "import",
        "a.csv",
        (FILES / "decimal-comma-in-comma-file.csv").read_bytes(),
        "decimalkomma",
    ),
    "csv: a value beyond the header": (
        "import",
        "a.csv",
        (FILES / "extra-cell.csv").read_bytes(),
        "Rad 2 har 6 celler men rubrikraden har 5: kolumn F har ett värde",
    ),
    "csv: cells missing": (
        "import",
        "a.csv",
        (FILES / "missing-cells.csv").read_bytes(),
        "Rad 2 har 3 celler men rubrikraden har 5: kolumn D",
    ),
    "csv: NUL in UTF-8 text": (
        "import",
        "a.csv",
        (FILES / "nul-in-utf8.csv").read_bytes(),
        "kolumn ”Indikator”: Texten innehåller ett NUL-tecken",
    ),
    "csv: a quoted cell swallowing rows": (
        "import",
        "a.csv",
        (SEMI + f'{SON};2019;K;"7,1\n{SON};2019;M;6,2\n{SON};2018;K;5"\n').encode(),
        "sträcker sig över flera rader",
    ),
    "csv: text after a closing quotation mark": (
        "import",
        "a.csv",
        (SEMI + f'{SON};2019;K;"7"1\n').encode(),
        "ska skrivas dubbla",
    ),
    "csv: NUL in the header": (
        "import",
        "a.csv",
        "Nämnd;Indi\x00kator\n".encode(),
        "Rubrik nr 2",
    ),
    "csv: UTF-16 without byte order mark": (
        "import",
        "a.csv",
        (SEMI + f"{SON};2019;K;7,1\n").encode("utf-16-le"),
        "UTF-16",
    ),
    "csv: Windows-1252 with control characters": (
        "import",
        "a.csv",
        b"N\xe4mnd;\x01\x02\x03\n",
        "binära data",
    ),
    "random bytes named .xlsx": ("import", "a.xlsx", bytes(range(256)) * 40, "binära data"),
    "only NUL bytes": ("import", "a.csv", b"\x00" * 100, "Filen är tom"),
    "xlsx: a NUL character reference (XML forbids it)": (
        "import",
        "a.xlsx",
        _sheet('<row r="1"><c t="inlineStr"><is><t>a&#0;b</t></is></c></row>'),
        "kunde inte läsas som en Excel-fil",
    ),
    "xlsx: a surrogate character reference": (
        "import",
        "a.xlsx",
        _sheet('<row r="1"><c t="inlineStr"><is><t>a&#xD800;b</t></is></c></row>'),
        "kunde inte läsas som en Excel-fil",
    ),
    "xlsx: inf": (
        "import",
        "a.xlsx",
        _value_cell("inf"),
        "kolumn ”Värde”: ”inf” är inte ett ändligt",
    ),
    "xlsx: NaN": (
        "import",
        "a.xlsx",
        _value_cell("NaN"),
        "kolumn ”Värde”: ”nan” är inte ett ändligt",
    ),
    "xlsx: 1e400": ("import", "a.xlsx", _value_cell("1e400"), "kolumn ”Värde”: ”inf” är inte"),
    "xlsx: cells out of order": (
        "import",
        "a.xlsx",
        _sheet('<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>2</v></c></row>'),
        "kunde inte läsas som en Excel-fil",
    ),
    "xlsx: rows out of order": (
        "import",
        "a.xlsx",
        _sheet('<row r="2"><c><v>1</v></c></row><row r="1"><c><v>2</v></c></row>'),
        "kunde inte läsas som en Excel-fil",
    ),
    "xlsx: truncated sheet XML": (
        "import",
        "a.xlsx",
        _sheet('<row r="1"><c><v>1</v>'),
        "kunde inte läsas som en Excel-fil",
    ),
    "xlsx: a cell longer than Excel allows": (
        "import",
        "a.xlsx",
        _sheet(f'<row r="1"><c t="inlineStr"><is><t>{"x" * 40000}</t></is></c></row>'),
        "mer än 32767 tecken",
    ),
    "xlsx: header after 1000 empty rows": (
        "import",
        "a.xlsx",
        _sheet('<row r="1002"><c t="inlineStr"><is><t>Nämnd</t></is></c></row>'),
        "De första 1000 raderna är tomma",
    ),
    "xlsx: a part missing": (
        "import",
        "a.xlsx",
        _sheet("").replace(b"xl/worksheets/sheet1.xml", b"xl/worksheets/sheetX.xml"),
        "kunde inte läsas som en Excel-fil",
    ),
    "kolada: NaN": ("import_kolada", "k.json", (FILES / "kolada-nan.json").read_bytes(), "NaN"),
    "kolada: 1e400": (
        "import_kolada",
        "k.json",
        (FILES / "kolada-1e400.json").read_bytes(),
        "för stort",
    ),
    "kolada: NUL in the KPI id": (
        "import_kolada",
        "k.json",
        (FILES / "kolada-nul.json").read_bytes(),
        "Post 1: Fältet ”kpi” innehåller ett NUL-tecken",
    ),
    "kolada: unpaired surrogate": (
        "import_kolada",
        "k.json",
        (FILES / "kolada-surrogate.json").read_bytes(),
        "Post 1: Fältet ”kpi” innehåller ett oparat surrogattecken (U+D800)",
    ),
    "kolada: nested 100 levels": (
        "import_kolada",
        "k.json",
        b'{"values": ' + b"[" * 100 + b"]" * 100 + b"}",
        "nästlad i 101 nivåer; högst 32",
    ),
    "kolada: nested 100,000 levels": (
        "import_kolada",
        "k.json",
        b"[" * 100_000,
        "nästlad i fler än 32 nivåer",
    ),
    "kolada: an entry that is not an object": (
        "import_kolada",
        "k.json",
        b'{"values": [1]}',
        "Post 1 är inget objekt",
    ),
    "kolada: municipality true": (
        "import_kolada",
        "k.json",
        b'{"values": [{"kpi": "N1", "municipality": true, "period": 2019, "values": []}]}',
        "”municipality” saknas",
    ),
    "kolada: a long KPI id": (
        "import_kolada",
        "k.json",
        b'{"values": [{"kpi": "' + b"N" * 100 + b'", "municipality": "0580", "period": 2019}]}',
        "högst 40 tecken",
    ),
    "kolada: a huge integer": (
        "import_kolada",
        "k.json",
        b'{"values": [' + b"9" * 5000 + b"]}",
        "för långt",
    ),
    "kolada: not UTF-8": ("import_kolada", "k.json", b'{"values": "\xff"}', "inte giltig UTF-8"),
}

_laughs = (FILES / "billion-laughs-sheet.xml").read_bytes()


def _billion_laughs() -> bytes:
    """A workbook whose sheet part is the billion-laughs XML of the corpus."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(bigfiles.xlsx([])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(
                info.filename, _laughs if info.filename.endswith("sheet1.xml") else data
            )
    return buffer.getvalue()


CASES["xlsx: nested entities (billion laughs)"] = (
    "import",
    "a.xlsx",
    _billion_laughs(),
    "kunde inte läsas som en Excel-fil",
)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_file_is_refused_clearly(son_client, unchanged_db, name):
    """Refused at the preview with the expected Swedish message, no confirm step, no 500."""
    page, file_name, data, fragment = CASES[name]
    response = _upload(son_client, page, data, file_name)
    assert response.status_code == 200
    assert fragment in _messages(response), _messages(response)
    assert b'name="confirm_token"' not in response.content


@override_settings(IMPORT_MAX_COLUMNS=3, IMPORT_MAX_CELLS=5, IMPORT_MAX_ROWS=3)
@pytest.mark.parametrize(
    "data,fragment",
    [
        (_sheet('<dimension ref="A1:D2"/><row r="1"><c><v>1</v></c></row>'), "och 4 kolumner"),
        (_sheet('<row r="1"><c r="D1"><v>1</v></c></row>'), "värde i kolumn D; högst 3"),
        (_sheet("".join(f'<row r="{n}"><c><v>1</v></c></row>' for n in range(1, 7))), "celler"),
        (_sheet('<row r="1"><c><v>1</v></c></row><row r="2000"/>'), "fler än 3 rader"),
        (b"a;b;c\n1;2;3\n4;5;6\n", "fler än 5 ifyllda celler"),
        (b"a;b;c;d\n", "värde i kolumn D; högst 3"),
    ],
)
def test_limits_name_themselves(son_client, unchanged_db, data, fragment):
    """Each bound (columns, cells, rows, declared dimension) refuses with its own message;
    formatted empty rows far below the data count towards the rows."""
    name = "a.csv" if data[:2] != b"PK" else "a.xlsx"
    response = _upload(son_client, "import", data, name)
    assert fragment in _messages(response), _messages(response)


def test_utf8_bom_and_sig_still_read():
    """The binary check leaves ordinary files alone: UTF-8 with BOM, Windows-1252 with å."""
    from core.formats import read_table

    assert read_table(codecs.BOM_UTF8 + "Nämnd;År\nå;1\n".encode()).rows == [("å", "1")]
    assert read_table("Nämnd;År\nå;1\n".encode("cp1252")).rows == [("å", "1")]
