"""Whole-dataset downloads of a list: every matching row as one file, in bounded memory.

`all.csv` (RFC 4180: comma, decimal point, UTF-8), `all.sv.csv` (as Swedish Excel reads
it: semicolon, decimal comma, UTF-8 with byte order mark) and `all.xlsx`. The rows are read
from the database in chunks (a server-side cursor on PostgreSQL) and written out chunk by
chunk, so a million values take as much memory as a few thousand; both the CSV and the xlsx
(core.xlsxstream: the sheet's XML written directly into a zip stream) are streamed as they
are written. Text cells that a spreadsheet would run as a formula are escaped with
core.cells.escape_text.
"""

import csv
import io
from itertools import islice

from django.http import StreamingHttpResponse

from core.cells import FORMULA_TRIGGERS, escape_text
from core.xlsxstream import MAX_ROWS, workbook_chunks

from .renderers import _cell, _columns, _flatten

CHUNK = 2000
#: The largest sheet Excel opens; further rows are left out of the xlsx (never of the CSV).
XLSX_MAX_ROWS = MAX_ROWS

KINDS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "sv.csv": ("text/csv; charset=utf-8", "sv.csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


def chunks(iterable, size=CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


#: First characters of a text that escape_text may change (formulas, escaped apostrophes).
_RISKY = frozenset((*FORMULA_TRIGGERS, "'"))


def _plain_cell(value) -> str:
    """A cell of the plain CSV, escaped as escape_text does; the common cases (texts,
    numbers, None) without a call, since a million rows have seventeen million cells."""
    kind = value.__class__
    if kind is str:
        return escape_text(value) if value and value[0] in _RISKY else value
    if value is None:
        return ""
    if kind is int or kind is float:
        return repr(value)  # a plain number: never escaped
    return escape_text(_cell(value))


def _swedish_cell(value) -> str:
    """A cell as Swedish Excel reads it: decimal comma for numbers."""
    if value.__class__ is float:
        return repr(value).replace(".", ",") if value == value else ""
    return _plain_cell(value)


class _Line(io.StringIO):
    """A buffer that hands out what was written since the last call."""

    def take(self) -> str:
        text = self.getvalue()
        self.seek(0)
        self.truncate()
        return text


def csv_lines(header, records, *, swedish=False):
    """The CSV text, one chunk of rows at a time. `records` yields lists of flat dicts."""
    buffer = _Line()
    writer = csv.writer(buffer, delimiter=";" if swedish else ",", lineterminator="\r\n")
    cell = _swedish_cell if swedish else _plain_cell
    if swedish:
        buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with the byte order mark
    writer.writerow([escape_text(name) for name in header])
    yield buffer.take()
    for chunk in records:
        writer.writerows([list(map(cell, map(row.get, header))) for row in chunk])
        yield buffer.take()


def xlsx_rows(header, records):
    """The records as lists of xlsx cell values, one list of rows per chunk."""
    for chunk in records:
        yield [[_xlsx_cell(row.get(name)) for name in header] for row in chunk]


def _xlsx_cell(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    return escape_text(_cell(value))


def download_response(kind, *, header, records, filename):
    """The whole-dataset response of one kind ("csv", "sv.csv", "xlsx")."""
    content_type, suffix = KINDS[kind]
    name = f"{filename}.{suffix}"
    if kind == "xlsx":
        body = workbook_chunks(
            [escape_text(name) for name in header], xlsx_rows(header, records), filename
        )
        response = StreamingHttpResponse(body, content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    lines = csv_lines(header, records, swedish=kind == "sv.csv")
    response = StreamingHttpResponse((line.encode("utf-8") for line in lines), content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def flat_header(serializer_class) -> list[str]:
    return _columns(serializer_class())


def flat_rows(data, header):
    """The rows with nested objects as dotted columns; without dotted columns in the
    header the serializer nests nothing and the rows are kept as they are."""
    if not any("." in name for name in header):
        return data
    return [_flatten(item) for item in data]
