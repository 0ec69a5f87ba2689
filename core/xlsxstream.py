"""An xlsx workbook of one sheet, written and streamed row by row.

openpyxl's write-only mode keeps memory bounded but builds a cell object and an lxml
element for every cell (about 2,000 rows of 17 columns a second on the 2-core machine) and
needs the whole file in a temporary file before the first byte is sent. A whole-dataset
sheet is plain: a header and rows of numbers, booleans and texts. So the sheet's XML is
written here directly, numbers as numbers and texts inline (`t="inlineStr"`, no shared
string table to hold in memory), into a zip archive whose output is handed out chunk by
chunk as it grows (zipfile writes to an unseekable stream with data descriptors, ZIP64 for
large sheets).
"""

import re
import zipfile
from xml.sax.saxutils import escape

#: The largest sheet Excel opens: the header and 1,048,575 rows.
MAX_ROWS = 1_048_575

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def _workbook(title):
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name="{escape(title, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>"
    )


# Characters XML 1.0 cannot hold are written as OOXML escapes (_x000B_), as Excel does; a
# text that already looks like such an escape gets its underscore escaped (_x005F_).
_OOXML_ESCAPE = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)|[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _ooxml_escape(match):
    return f"_x{ord(match.group()):04X}_"


def _text(value: str) -> str:
    text = escape(value)
    if _OOXML_ESCAPE.search(text):
        text = _OOXML_ESCAPE.sub(_ooxml_escape, text)
    return text


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def row_xml(number: int, values, columns) -> str:
    """One `<row>`: None is no cell, booleans and numbers are values, anything else text."""
    cells = []
    for column, value in zip(columns, values, strict=True):
        if value is None:
            continue
        kind = value.__class__
        if kind is str:
            if value:
                cells.append(
                    f'<c r="{column}{number}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{_text(value)}</t></is></c>"
                )
        elif kind is bool:
            cells.append(f'<c r="{column}{number}" t="b"><v>{int(value)}</v></c>')
        elif kind is int or kind is float:
            cells.append(f'<c r="{column}{number}"><v>{value!r}</v></c>')
        else:
            raise TypeError(f"no xlsx cell for {kind.__name__}")
    return f'<row r="{number}">{"".join(cells)}</row>'


class _Sink:
    """An unseekable output that hands out what the zip archive wrote since last asked."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def workbook_chunks(header, rows, title, *, max_rows=MAX_ROWS):
    """The bytes of an xlsx file of one sheet named `title`: the `header` row, then `rows`
    (an iterable of lists of row value lists, as cells for row_xml) up to `max_rows`."""
    columns = [column_letters(i) for i in range(len(header))]
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook(title[:31]))
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", STYLES)
        yield sink.take()
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<worksheet xmlns="{_MAIN}"><sheetData>'.encode()
            )
            sheet.write(row_xml(1, header, columns).encode())
            number = 1
            for chunk in rows:
                lines = []
                for values in chunk:
                    if number > max_rows:
                        break
                    number += 1
                    lines.append(row_xml(number, values, columns))
                sheet.write("".join(lines).encode())
                yield sink.take()
            sheet.write(b"</sheetData></worksheet>")
    yield sink.take()
