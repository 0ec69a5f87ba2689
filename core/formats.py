"""Spreadsheet files in and out: xlsx, CSV as Swedish Excel writes it, and plain UTF-8 CSV.

Reading detects the kind of file from its content (not its name), the encoding (UTF-8 with or
without BOM, UTF-16 with BOM, Windows-1252) and the separator (semicolon, comma or tab), and
refuses files over the size and row limits with a clear message. Writing keeps numbers as
numbers and escapes every text cell that a spreadsheet would run as a formula.
"""

import csv
import io
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
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


def max_columns() -> int:
    return settings.IMPORT_MAX_COLUMNS


def max_cells() -> int:
    return settings.IMPORT_MAX_CELLS


#: Blank rows allowed above the header row (a title block, an empty top).
HEADER_SEARCH_ROWS = 1000
#: Most parts an xlsx archive may have (a workbook has a dozen; a zip of 400,000 tiny parts
#: would cost hundreds of megabytes just to list).
MAX_ZIP_ENTRIES = 10_000


def _too_many_columns(row, column):
    return ImportFileError(
        _(
            "Row %(row)s has a value in column %(column)s; at most %(limit)s columns can be "
            "imported. Remove the extra columns."
        )
        % {"row": row, "column": column, "limit": max_columns()}
    )


def _too_many_cells():
    return ImportFileError(
        _("The file has more than %(limit)s filled cells; split it into several files.")
        % {"limit": max_cells()}
    )


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


def _column_index(ref: str) -> int:
    index = 0
    for char in ref:
        if "A" <= char <= "Z":
            index = index * 26 + ord(char) - 64
        else:
            break
    return index - 1


def _check_archive(data: bytes) -> zipfile.ZipFile:
    """Open the xlsx archive after checking what it declares: the number of parts (from the
    end record, before Python lists them) and the unpacked size of every part, so that a
    small file cannot unpack into gigabytes (zipfile never unpacks more than declared)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 66_000))
    if end < 0 or len(data) < end + 22:
        raise ImportFileError(_("The file could not be read as an Excel file (xlsx)."))
    entries = int.from_bytes(data[end + 10 : end + 12], "little")
    if entries > MAX_ZIP_ENTRIES:
        raise ImportFileError(
            _("The Excel file consists of %(count)s parts; at most %(limit)s are allowed.")
            % {"count": entries, "limit": MAX_ZIP_ENTRIES}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise ImportFileError(_("The file could not be read as an Excel file (xlsx).")) from exc
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The Excel file unpacks to %(size)s MB; at most %(limit)s MB can be read. "
                "Remove unused sheets, images or formatting, or split the file."
            )
            % {
                "size": _megabytes(unpacked),
                "limit": _megabytes(settings.IMPORT_MAX_UNPACKED_BYTES),
            }
        )
    return archive


def _dimension_rows_columns(ref: str) -> tuple[int, int] | None:
    """(last row, last column) of a declared sheet dimension such as "A1:XFD1048576"."""
    match = re.fullmatch(
        r"\$?[A-Z]{1,3}\$?\d+:\$?([A-Z]{1,3})\$?(\d+)|\$?([A-Z]{1,3})\$?(\d+)", ref
    )
    if match is None:
        return None
    letters, digits = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
    return int(digits), _column_index(letters) + 1


def _row_limit() -> int:
    return max_rows() + HEADER_SEARCH_ROWS + 1


def check_dimension(ref: str | None) -> None:
    """Refuse a sheet whose declared size is beyond the limits, before reading any row."""
    size = _dimension_rows_columns(ref or "")
    if size is None:
        return
    rows, columns = size
    if rows > _row_limit() or columns > max_columns():
        raise ImportFileError(
            _(
                "The sheet declares %(rows)s rows and %(columns)s columns (%(ref)s); at most "
                "%(max_rows)s rows and %(max_columns)s columns can be imported. Delete the "
                "empty rows and columns below and to the right of the data, or split the file."
            )
            % {
                "rows": rows,
                "columns": columns,
                "ref": ref,
                "max_rows": max_rows(),
                "max_columns": max_columns(),
            }
        )


#: Excel's own limit of characters in a cell.
MAX_CELL_CHARACTERS = 32767


def _cell_too_long(row):
    if row:
        return ImportFileError(
            _("Row %(row)s has a cell of more than %(limit)s characters, more than Excel allows.")
            % {"row": row, "limit": MAX_CELL_CHARACTERS}
        )
    return ImportFileError(
        _("The file has a text of more than %(limit)s characters, more than Excel allows.")
        % {"limit": MAX_CELL_CHARACTERS}
    )


_PACKAGE_RELS = "_rels/.rels"
_OFFICE_DOCUMENT = "/officeDocument"
_SHEET_CHUNK = 1 << 16


def _xml_root(archive, name):
    from xml.etree.ElementTree import fromstring

    return fromstring(archive.read(name))


def _relationship_targets(archive, rels_name: str, base: str) -> dict:
    """{id: part name} of a relationships part, targets resolved against `base`."""
    targets = {}
    for element in _xml_root(archive, rels_name):
        target = element.get("Target") or ""
        if element.get("TargetMode") == "External":
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(base, target)
        targets[element.get("Id")] = (posixpath.normpath(path), element.get("Type") or "")
    return targets


def _first_sheet_part(archive) -> tuple[str, str]:
    """The part name of the workbook's first sheet, found through the relationships (not
    assumed to be xl/worksheets/sheet1.xml)."""
    package = _relationship_targets(archive, _PACKAGE_RELS, "")
    workbook = next(p for p, kind in package.values() if kind.endswith(_OFFICE_DOCUMENT))
    folder, name = posixpath.split(workbook)
    sheets = [e for e in _xml_root(archive, workbook).iter() if _local(e.tag) == "sheet"]
    rel_id = next(v for k, v in sheets[0].attrib.items() if _local(k) == "id")
    workbook_rels = posixpath.join(folder, "_rels", name + ".rels")
    return _relationship_targets(archive, workbook_rels, folder)[rel_id][0], folder


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _parse_stream(handler_object, stream):
    """Feed an XML part to expat in chunks; the handlers see names without prefixes."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.buffer_text = True
    # Spreadsheet parts never declare a DTD; one with entities is an attack (billion laughs).
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.StartElementHandler = handler_object.start
    parser.EndElementHandler = handler_object.end
    parser.CharacterDataHandler = handler_object.data
    while True:
        chunk = stream.read(_SHEET_CHUNK)
        parser.Parse(chunk, not chunk)
        yield
        if not chunk:
            return


def _refuse_doctype(*_args):
    raise ValueError("DTD in a spreadsheet part")


def _name(name: str) -> str:
    return name[name.find(":") + 1 :]


class _SharedStrings:
    """Collects the shared strings table (the text of every <t> of each <si>)."""

    def __init__(self, limit):
        self.strings, self.parts, self.capture, self.limit = [], None, False, limit
        self.length = 0

    def start(self, name, attrs):
        name = _name(name)
        if name == "si":
            self.parts, self.length = [], 0
        elif name == "t" and self.parts is not None:
            self.capture = True

    def end(self, name):
        name = _name(name)
        if name == "t":
            self.capture = False
        elif name == "si":
            self.strings.append("".join(self.parts))
            self.parts = None
            if len(self.strings) > self.limit:
                raise _too_many_cells()

    def data(self, text):
        if self.capture:
            self.length += len(text)
            if self.length > MAX_CELL_CHARACTERS:
                raise _cell_too_long(None)
            self.parts.append(text)


class _SheetRows:
    """Turns a sheet's XML events into rows of values, checking the bounds as it goes.

    Rows come out in `ready` as value tuples (empty tuples for blank rows between rows
    with values). Formula cells become "=<formula>" so that the import can refuse them;
    date cells stay Excel serial numbers (see cells.parse_date), ISO date cells become
    datetimes. Nothing is kept per cell beyond its value, so a row of millions of cells
    costs no more memory than the limit of columns. The handlers are closures over local
    state: expat calls them once per tag, a million times for a large sheet.
    """

    def __init__(self, strings):
        self.ready = []
        ready = self.ready
        column_limit, row_limit, cell_limit = max_columns(), _row_limit(), max_cells()
        local_names, column_of = {}, {}
        # Every element costs a call: a cell is two (c, v), a row one; beyond that the
        # sheet has more (perhaps empty, formatted) cells than can be read in time.
        budget = [2 * cell_limit + 2 * row_limit + 1000]
        # row: [number, values, expected, filled]; cell: [kind, raw, formula, inline, skip]
        row = [0, None, 1, 0]
        cell = ["n", None, None, None, None]
        capture = [None, [], 0]  # tag name, text parts, length

        def local(name):
            found = local_names.get(name)
            if found is None:
                found = local_names[name] = name[name.find(":") + 1 :]
            return found

        def start(name, attrs):
            budget[0] -= 1
            if budget[0] < 0:
                raise _too_many_cells()
            name = local_names.get(name) or local(name)
            if name == "c":
                values = row[1]
                ref = attrs.get("r")
                if ref:
                    letters = ref.rstrip("0123456789")
                    position = column_of.get(letters)
                    if position is None:
                        position = column_of[letters] = _column_index(letters)
                else:
                    position = len(values)
                cell[0], cell[1], cell[2], cell[3], cell[4] = (
                    attrs.get("t", "n"),
                    None,
                    None,
                    None,
                    None,
                )
                if position >= column_limit:
                    cell[4] = position
                elif position > len(values):
                    values.extend([None] * (position - len(values)))
                elif position < len(values):
                    raise ValueError("cells out of order")
            elif name == "v" or name == "f" or (name == "t" and cell[3] is not None):
                capture[0], capture[1], capture[2] = name, [], 0
                if name == "f":
                    cell[2] = ""
            elif name == "row":
                number = row[0] = int(attrs.get("r") or row[0] + 1)
                row[1] = []
                # Checked on every row, empty ones too: formatting a million rows below (or
                # above) the data would otherwise cost a million rows of work.
                if number > row_limit:
                    raise _too_many_rows()
                if row[2] == 1 and number > HEADER_SEARCH_ROWS + 1:
                    raise _no_header()
            elif name == "is":
                cell[3] = []
            elif name == "dimension":
                check_dimension(attrs.get("ref"))

        def data(text):
            if capture[0] is not None:
                capture[2] += len(text)
                if capture[2] > MAX_CELL_CHARACTERS:
                    raise _cell_too_long(row[0])
                capture[1].append(text)

        def end(name):
            name = local_names.get(name) or local(name)
            if name == capture[0]:
                text = "".join(capture[1])
                if name == "v":
                    cell[1] = text
                elif name == "f":
                    cell[2] = text or "…"
                else:
                    cell[3].append(text)
                capture[0] = None
            elif name == "c":
                end_cell()
            elif name == "row":
                end_row()

        def end_cell():
            kind, raw, formula, inline, skip = cell
            if skip is not None:
                if raw is not None or formula is not None or inline is not None:
                    raise _too_many_columns(row[0], _column_letters(skip))
                return
            if formula is not None:
                value = "=" + formula
            elif raw is None or (raw == "" and kind != "str"):
                value = "".join(inline) if inline is not None else None
            elif kind == "n":
                number = float(raw)
                value = (
                    int(number)
                    if number.is_integer() and "." not in raw and "E" not in raw.upper()
                    else number
                )
            elif kind == "s":
                value = strings[int(raw)]
            elif kind == "b":
                value = raw == "1"
            elif kind == "d":
                try:
                    value = datetime.fromisoformat(raw)
                except ValueError:
                    value = raw
            else:  # str, e (an error such as #DIV/0!), inlineStr with a <v>
                value = raw
            row[1].append(value)

        def end_row():
            number, values, expected, filled = row
            row[1] = None
            if all(v is None for v in values):
                return  # an empty (perhaps formatted) row: produced only if data follows
            if number < expected:
                raise ValueError("rows out of order")
            filled += len(values) - values.count(None)
            if filled > cell_limit:
                raise _too_many_cells()
            if number > expected:
                ready.extend([()] * (number - expected))
            ready.append(tuple(values))
            row[2], row[3] = number + 1, filled

        self.start, self.end, self.data = start, end, data


def _xlsx_rows(data: bytes):
    """Rows of the first sheet as value tuples, streamed from its XML with expat.

    Bounded: the archive's parts and unpacked size before anything is parsed; the declared
    dimension, every row number, column position and the number of filled cells while
    reading; empty rows (gaps, or formatting far below the data) are produced only when a
    row with values follows, so a sheet claiming a million rows costs nothing.
    """
    from xml.etree.ElementTree import ParseError
    from xml.parsers.expat import ExpatError

    archive = _check_archive(data)
    try:
        sheet, folder = _first_sheet_part(archive)
        strings = _SharedStrings(max_cells())
        names = set(archive.namelist())
        shared = posixpath.join(folder, "sharedStrings.xml")
        if shared in names:
            with archive.open(shared) as stream:
                for _step in _parse_stream(strings, stream):
                    pass
        rows = _SheetRows(strings.strings)
        with archive.open(sheet) as stream:
            for _step in _parse_stream(rows, stream):
                yield from rows.ready
                rows.ready.clear()
    except ImportFileError:
        raise
    except (
        KeyError,
        IndexError,
        StopIteration,
        ValueError,
        TypeError,
        ExpatError,
        ParseError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        NotImplementedError,  # a compression method zipfile does not know
        RuntimeError,  # an encrypted part
        struct.error,
    ) as exc:
        raise ImportFileError(_("The file could not be read as an Excel file (xlsx).")) from exc


def _column_letters(index: int) -> str:
    """The spreadsheet name of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_xlsx(data: bytes) -> Table:
    return _table_from_rows(_xlsx_rows(data), "xlsx")


def _table_from_rows(rows, kind) -> Table:
    headers = None
    body = []
    limit = max_rows()
    skipped = 0
    for values in rows:
        if headers is None:
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                skipped += 1
                if skipped > HEADER_SEARCH_ROWS:
                    raise _no_header()
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


def _no_header():
    return ImportFileError(
        _("The first %(count)s rows are empty; the header row must come within them.")
        % {"count": HEADER_SEARCH_ROWS}
    )


def _trim_trailing_blank_rows(rows):
    while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
        rows.pop()


def _looks_like_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: in text of Latin letters every other byte is NUL."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    return max(even, odd) >= pairs * 0.4 and min(even, odd) <= pairs * 0.05


#: Control characters that text files do not have (tab, line feed, carriage return and form
#: feed excepted); finding them means the file is binary, whatever its name says.
_BINARY_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])


def _not_text():
    return ImportFileError(
        _(
            "The file is neither an Excel file (xlsx) nor a text (CSV) file: it contains "
            "binary data. Save it from Excel as xlsx or as CSV UTF-8."
        )
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif b"\x00" in data and _looks_like_utf16(data):
        raise ImportFileError(
            _(
                "The file's character encoding is not recognised (it seems to be UTF-16 "
                "without a byte order mark). Save the file as CSV UTF-8 or as an Excel file "
                "(xlsx)."
            )
        )
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
        else:
            # Text with a stray NUL is read, and the import names the row and column of
            # the character; many control characters mean a binary file.
            if len(data) - len(data.translate(None, _BINARY_BYTES)) > max(8, len(data) // 100):
                raise _not_text()
            return text, "utf-8"
    if encoding == "cp1252" and len(data) - len(data.translate(None, _BINARY_BYTES)) > 0:
        raise _not_text()
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


#: Most structure problems listed in one message (the rest are counted).
MAX_LISTED_PROBLEMS = 10


def _check_line_widths(text: str, separator: str) -> None:
    """Refuse a line with more separators than columns allowed, before the CSV reader builds
    it as a list (a 20 MB line of separators would be 20 million cells)."""
    limit = max_columns()
    if text.count(separator) < limit:
        return
    start, number, length = 0, 1, len(text)
    while start < length:
        end = text.find("\n", start)
        end = length if end < 0 else end
        if text.count(separator, start, end) >= limit:
            raise _too_many_columns(number, _column_letters(limit))
        start, number = end + 1, number + 1


def _lines(text: str):
    """The lines of the text with their endings, as the CSV reader wants them; without
    copying the text (io.StringIO would hold it as four bytes per character)."""
    ending = "\n" if "\n" in text else "\r"  # old Mac Excel ends lines with CR only
    start, length = 0, len(text)
    while start < length:
        end = text.find(ending, start)
        if end < 0:
            yield text[start:]
            return
        yield text[start : end + 1]
        start = end + 1


def _csv_error(exc: csv.Error, row: int) -> ImportFileError:
    """The CSV reader's English error as a Swedish message with the row."""
    text = str(exc)
    if "unexpected end of data" in text:
        message = _(
            'A quotation mark (") opened in row %(row)s is never closed: the rest of the '
            "file would be read as one cell. Close or remove the quotation mark."
        )
    elif "expected after" in text:
        message = _(
            'Row %(row)s: a quotation mark (") ends a cell but is followed by more text. '
            'Quotation marks inside a cell must be doubled ("").'
        )
    elif "field larger than field limit" in text:
        message = _(
            "Row %(row)s has a cell longer than %(limit)s characters; this is usually a "
            "quotation mark that is never closed."
        )
    else:
        message = _("Row %(row)s could not be read as CSV.")
    return ImportFileError(message % {"row": row, "limit": csv.field_size_limit()})


def _row_shape_problem(number, values, width, separator) -> str | None:
    """Why a row with another number of cells than the header cannot be read, or None."""
    if len(values) == width:
        return None
    if len(values) > width:
        extra = values[width:]
        if all(not v.strip() for v in extra):
            return None  # trailing separators after the last column: nothing is lost
        if separator == "," and any(
            re.fullmatch(r"-?\d+", a.strip()) and re.fullmatch(r"\d+", b.strip())
            for a, b in zip(values, values[1:], strict=False)
        ):
            return _(
                "Row %(row)s has %(count)s cells but the header row has %(width)s. A number "
                "with a decimal comma in a comma-separated file splits into two cells: put "
                'it in quotation marks ("6,7"), use a decimal point, or save the file with '
                "semicolons."
            ) % {"row": number, "count": len(values), "width": width}
        return _(
            "Row %(row)s has %(count)s cells but the header row has %(width)s: column "
            "%(column)s has a value and no header."
        ) % {
            "row": number,
            "count": len(values),
            "width": width,
            "column": _column_letters(width + next(i for i, v in enumerate(extra) if v.strip())),
        }
    return _(
        "Row %(row)s has %(count)s cells but the header row has %(width)s: column %(column)s "
        "and those after it are missing. Check the separators and quotation marks."
    ) % {
        "row": number,
        "count": len(values),
        "width": width,
        "column": _column_letters(len(values)),
    }


def _swallowed_rows_problem(number, values, headers, separator) -> str | None:
    """A cell spanning lines that look like rows of the file: an unclosed quotation mark
    swallowed them (a legitimate text with line breaks has no such lines)."""
    width = len(headers)
    if width < 3:
        return None
    for position, value in enumerate(values):
        if "\n" not in value:
            continue
        lines = value.split("\n")[1:]
        if any(line.count(separator) >= width - 1 for line in lines):
            return _(
                "Row %(row)s, column %(column)s: the cell spans several lines that look like "
                'rows of the file; a quotation mark (") is probably not closed.'
            ) % {"row": number, "column": _shown_header(headers, position)}
    return None


def _shown_header(headers, position) -> str:
    text = str(headers[position]).strip() if position < len(headers) else ""
    return f"”{text}”" if text else _column_letters(position)


def read_csv(data: bytes) -> Table:
    """Read CSV text: the separator from the header line, every row checked against the
    header's width and for unclosed quotation marks, numbered as a spreadsheet shows them."""
    text, encoding = decode_text(data)
    if _MOJIBAKE.search(text):
        raise ImportFileError(
            _(
                "The text in the file has the wrong character encoding (e.g. “Ã¥” instead of "
                "“å”): it has been saved again in the wrong encoding. Export the file anew."
            )
        )
    separator = detect_separator(text)
    _check_line_widths(text, separator)
    reader = csv.reader(_lines(text), delimiter=separator, strict=True)
    headers = None
    body = []
    problems = []
    skipped = 0
    limit, cell_limit, filled = max_rows(), max_cells(), 0
    number = 0
    try:
        for values in reader:
            number += 1
            if headers is None:
                if not any(v.strip() for v in values):
                    skipped += 1
                    if skipped > HEADER_SEARCH_ROWS:
                        raise _no_header()
                    continue
                headers = values
                continue
            if not any(v.strip() for v in values):
                body.append(())  # a blank line keeps the numbering
                continue
            problem = _row_shape_problem(
                number, values, len(headers), separator
            ) or _swallowed_rows_problem(number, values, headers, separator)
            if problem:
                problems.append(problem)
            cells = tuple(v if v != "" else None for v in values[: len(headers)])
            filled += len(cells) - cells.count(None)
            if filled > cell_limit:
                raise _too_many_cells()
            body.append(cells)
            if len(body) > limit:
                raise _too_many_rows()
    except csv.Error as exc:
        raise _csv_error(exc, number + 1) from exc
    if headers is None:
        raise ImportFileError(_("The file is empty."))
    if problems:
        raise _listed(problems)
    _trim_trailing_blank_rows(body)
    kind = {";": "csv-semikolon", ",": "csv-komma", "\t": "csv-tabb"}[separator]
    return Table(
        headers=headers, rows=body, kind=f"{kind} ({encoding})", first_row_number=2 + skipped
    )


def _listed(problems) -> ImportFileError:
    shown = " ".join(problems[:MAX_LISTED_PROBLEMS])
    if len(problems) > MAX_LISTED_PROBLEMS:
        shown += " " + _("(and %(count)s more rows with the same kind of problem)") % {
            "count": len(problems) - MAX_LISTED_PROBLEMS
        }
    return ImportFileError(shown)


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
