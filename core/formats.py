"""Spreadsheet files in and out: xlsx, CSV as Swedish Excel writes it, and plain UTF-8 CSV.

Reading detects the kind of file from its content (not its name), the encoding (UTF-8 with or
without BOM, UTF-16 with BOM, Windows-1252) and the separator (semicolon, comma or tab), and
refuses files over the size and row limits with a clear message. Writing keeps numbers as
numbers and escapes every text cell that a spreadsheet would run as a formula.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.formats import base_formats

from .cells import escape_text, native_number
from .text import format_decimal

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
#: Typical traces of UTF-8 read as Windows-1252/Latin-1 and saved again ("Ã¥" for "å").
_MOJIBAKE = re.compile(r"Ã[\u00a4\u00a5\u00b6\u0084\u0085\u0096\u00a9\u00bc]|Ã…|Ã„|Ã–")
#: Windows-1252 letters that Swedish text never has; seeing them means another encoding.
_UNLIKELY_CP1252 = set("ŒŠšœŸžŽƒˆ˜‰‹›")


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message says why, in Swedish."""


@dataclass
class Table:
    """The cells of a file: a header row and data rows, rows numbered as the spreadsheet shows."""

    headers: list
    rows: list = field(default_factory=list)
    kind: str = ""
    first_row_number: int = 2

    def as_dataset(self) -> tablib.Dataset:
        dataset = tablib.Dataset(headers=self.headers)
        width = len(self.headers)
        for row in self.rows:
            row = list(row[:width]) + [None] * (width - len(row))
            dataset.append(row)
        dataset.first_row_number = self.first_row_number
        return dataset


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _megabytes(size: int) -> str:
    return format_decimal(Decimal(size) / Decimal(1024 * 1024), ",")[:6]


def check_size(size: int) -> None:
    if size > max_bytes():
        raise ImportFileError(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported. Split the file.")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes())}
        )


def _too_many_rows():
    return ImportFileError(
        _("The file has more than %(limit)s rows; split it into several files.")
        % {"limit": max_rows()}
    )


def read_table(data: bytes) -> Table:
    """Read an uploaded spreadsheet, whatever its kind; raise ImportFileError if it can't be."""
    check_size(len(data))
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise ImportFileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("The file is in the old Excel format (.xls). Save it as .xlsx or CSV.")
        )
    return read_csv(data)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


class _Unsupported(Exception):
    """The fast reader met something it does not handle; openpyxl reads the file instead."""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _fast_xlsx_rows(data: bytes):
    """Rows of the first sheet as value tuples, straight from the XML (5× faster than openpyxl).

    Formula cells come back as "=<formula>" so that the import can refuse them; dates come
    back as Excel serial numbers (see cells.parse_date). Anything unusual raises _Unsupported.
    """
    from xml.etree.ElementTree import ParseError, fromstring, iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = fromstring(archive.read("xl/workbook.xml"))
        sheets = [e for e in workbook.iter() if _local(e.tag) == "sheet"]
        rel_id = sheets[0].get(f"{_REL}id")
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels if e.get("Id") == rel_id)
        target = target.lstrip("/")
        path = target if target.startswith("xl/") else f"xl/{target}"
        strings = []
        if "xl/sharedStrings.xml" in archive.namelist():
            for _event, element in iterparse(archive.open("xl/sharedStrings.xml")):
                if _local(element.tag) == "si":
                    strings.append(
                        "".join(t.text or "" for t in element.iter() if _local(t.tag) == "t")
                    )
                    element.clear()
        expected = 1
        for _event, element in iterparse(archive.open(path)):
            if _local(element.tag) != "row":
                continue
            number = int(element.get("r") or expected)
            while expected < number:
                yield ()
                expected += 1
            values = []
            for cell in element:
                if _local(cell.tag) != "c":
                    continue
                ref = cell.get("r")
                if ref:
                    position = _column_index(ref)
                    values.extend([None] * (position - len(values)))
                kind = cell.get("t", "n")
                raw, formula, inline = None, None, None
                for part in cell:
                    name = _local(part.tag)
                    if name == "v":
                        raw = part.text
                    elif name == "f":
                        formula = part.text or "…"
                    elif name == "is":
                        inline = "".join(t.text or "" for t in part.iter() if _local(t.tag) == "t")
                if formula is not None:
                    values.append("=" + formula)
                elif kind == "s":
                    values.append(strings[int(raw)] if raw is not None else None)
                elif kind == "inlineStr":
                    values.append(inline)
                elif kind in ("str", "e"):
                    values.append(raw)
                elif kind == "b":
                    values.append(raw == "1")
                elif raw is None:
                    values.append(None)
                elif kind == "n":
                    number_value = float(raw)
                    values.append(
                        int(number_value)
                        if number_value.is_integer() and "." not in raw and "E" not in raw.upper()
                        else number_value
                    )
                else:
                    raise _Unsupported(kind)
            element.clear()
            yield tuple(values)
            expected += 1
    except (KeyError, IndexError, StopIteration, ParseError, ValueError, zipfile.BadZipFile) as exc:
        raise _Unsupported(str(exc)) from exc


def read_xlsx(data: bytes) -> Table:
    try:
        return _table_from_rows(_fast_xlsx_rows(data), "xlsx")
    except _Unsupported:
        return _read_xlsx_openpyxl(data)


def _table_from_rows(rows, kind) -> Table:
    headers = None
    body = []
    limit = max_rows()
    skipped = 0
    for values in rows:
        if headers is None:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                skipped += 1
                continue
            headers = list(values)
            continue
        body.append(values)
        if len(body) > limit:
            raise _too_many_rows()
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    _trim_trailing_blank_rows(body)
    return Table(headers=headers, rows=body, kind=kind, first_row_number=skipped + 2)


def _read_xlsx_openpyxl(data: bytes) -> Table:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The file could not be read as an Excel file (xlsx).")) from exc
    try:
        return _table_from_rows(book.worksheets[0].iter_rows(values_only=True), "xlsx")
    finally:
        book.close()


def _trim_trailing_blank_rows(rows):
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data:
        raise ImportFileError(
            _(
                "The file's character encoding is not recognised (it seems to be UTF-16 "
                "without a byte order mark). Save the file as CSV UTF-8 or as an Excel file "
                "(xlsx)."
            )
        )
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "The file's character encoding is not recognised (neither UTF-8 nor "
                "Windows-1252). Save the file as CSV UTF-8 or as an Excel file (xlsx)."
            )
        ) from exc
    if encoding == "cp1252" and _UNLIKELY_CP1252 & set(text):
        raise ImportFileError(
            _(
                "The file's character encoding is not recognised (å, ä and ö come out as "
                "wrong characters). Save the file as CSV UTF-8 or as an Excel file (xlsx)."
            )
        )
    return text, encoding


def detect_separator(text: str) -> str:
    """The separator used in the header line: semicolon, comma or tab, whichever occurs most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: _count_outside_quotes(first, sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: (counts[sep], sep == ";"))
    return best if counts[best] else ";"


def _count_outside_quotes(line: str, sep: str) -> int:
    count, quoted = 0, False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif char == sep and not quoted:
            count += 1
    return count


def read_csv(data: bytes) -> Table:
    text, encoding = decode_text(data)
    if _MOJIBAKE.search(text):
        raise ImportFileError(
            _(
                "The text in the file has the wrong character encoding (e.g. “Ã¥” instead of "
                "“å”): it has been saved again in the wrong encoding. Export the file anew."
            )
        )
    separator = detect_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    headers = None
    body = []
    skipped = 0
    limit = max_rows()
    try:
        for values in reader:
            if headers is None:
                if not any(v.strip() for v in values):
                    skipped += 1
                    continue
                headers = values
                continue
            body.append([v if v != "" else None for v in values])
            if len(body) > limit:
                raise _too_many_rows()
    except csv.Error as exc:
        raise ImportFileError(
            _("The file could not be read as CSV: %(error)s") % {"error": exc}
        ) from exc
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    _trim_trailing_blank_rows(body)
    kind = {";": "csv-semikolon", ",": "csv-komma", "\t": "csv-tabb"}[separator]
    return Table(
        headers=headers, rows=body, kind=f"{kind} ({encoding})", first_row_number=2 + skipped
    )


# -- writing ---------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _text_cell(value) -> str:
    if value is None:
        return ""
    return escape_text(str(value))


def write_xlsx(headers, rows, *, title="Data") -> bytes:
    """An xlsx workbook: bold frozen header, numbers as numbers, formula-like text escaped."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    widths = [max(8, min(60, len(str(h)) + 2)) for h in headers]
    rows = list(rows)
    for row in rows[:200]:
        for i, value in enumerate(row[: len(widths)]):
            widths[i] = max(widths[i], min(60, len(str(value or "")) + 2))
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=_ILLEGAL_XML.sub("", escape_text(str(header))))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        out = []
        for value in row:
            if _is_number(value):
                out.append(native_number(Decimal(value)) if isinstance(value, Decimal) else value)
            elif value is None or value == "":
                out.append(None)
            else:
                out.append(_ILLEGAL_XML.sub("\ufffd", _text_cell(value)))
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(headers, rows, *, swedish: bool) -> bytes:
    """CSV for Swedish Excel (BOM, semicolons, decimal comma) or plain UTF-8 with commas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";" if swedish else ",", lineterminator="\r\n")
    writer.writerow([_text_cell(h) for h in headers])
    decimal_sep = "," if swedish else "."
    for row in rows:
        out = []
        for value in row:
            if _is_number(value):
                out.append(format_decimal(Decimal(str(value)), decimal_sep))
            else:
                out.append(_text_cell(value))
        writer.writerow(out)
    text = buffer.getvalue()
    return (("\ufeff" + text) if swedish else text).encode("utf-8")


# -- django-import-export formats --------------------------------------------------------------


class _FormatBase(base_formats.Format):
    """A django-import-export format that reads with `read_table` and writes with our writers."""

    title = ""
    extension = ""
    content_type = "application/octet-stream"

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return self.title

    def get_extension(self):
        return self.extension

    def get_content_type(self):
        return self.content_type

    def can_import(self):
        return True

    def can_export(self):
        return True

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        return read_table(in_stream).as_dataset()

    def write(self, headers, rows) -> bytes:
        raise NotImplementedError

    def export_data(self, dataset, **kwargs):
        return self.write(dataset.headers or [], dataset)


class XLSXFormat(_FormatBase):
    title = gettext_lazy("xlsx (Excel)")
    extension = "xlsx"
    content_type = XLSX_CONTENT_TYPE

    def write(self, headers, rows):
        return write_xlsx(headers, rows)


class SwedishCSVFormat(_FormatBase):
    title = gettext_lazy("csv (Swedish Excel: semicolon, decimal comma)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, headers, rows):
        return write_csv(headers, rows, swedish=True)


class PlainCSVFormat(_FormatBase):
    title = gettext_lazy("csv (UTF-8, comma)")
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def write(self, headers, rows):
        return write_csv(headers, rows, swedish=False)


EXPORT_FORMATS = [XLSXFormat, SwedishCSVFormat, PlainCSVFormat]
