"""Large hostile files, built at run time (nothing big is committed): each shape that once
cost minutes or gigabytes, at up to the 20 MB an import accepts."""

import io
import json
import os
import zipfile

MB = 1024 * 1024
LIMIT = 20 * MB - 1024  # just under IMPORT_MAX_BYTES

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def xlsx(sheet_parts, *, dimension=None, padding=0, extra=None) -> bytes:
    """A minimal workbook whose sheet XML is streamed from `sheet_parts` (bytes chunks);
    `padding` bytes of random data in a stored part bring the file to a given size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(b"<sheetData>")
            for part in sheet_parts:
                sheet.write(part)
            sheet.write(b"</sheetData></worksheet>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
        if padding:
            archive.writestr(
                zipfile.ZipInfo("xl/media/padding.bin"), os.urandom(padding), zipfile.ZIP_STORED
            )
    return buffer.getvalue()


def _pad_to_limit(build):
    """Build once small, then again with random padding to just under 20 MB."""
    small = build(0)
    return build(max(0, LIMIT - len(small) - 200))


def _header_row(number=1):
    return (
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>Nämnd</t></is></c></row>'.encode()
    )


def xlsx_empty_rows_before_header(rows=1_000_000) -> bytes:
    """Millions of empty (formatted) rows, the header after them; no dimension declared."""

    def parts():
        chunk = []
        for number in range(1, rows + 1):
            chunk.append(f'<row r="{number}" s="1" customFormat="1"/>')
            if len(chunk) == 100_000:
                yield "".join(chunk).encode()
                chunk = []
        yield "".join(chunk).encode()
        yield _header_row(rows + 1)

    return _pad_to_limit(lambda padding: xlsx(parts(), padding=padding))


def xlsx_declared_huge() -> bytes:
    """A sheet that declares the whole grid (A1:XFD1048576) before its one row."""
    return _pad_to_limit(
        lambda padding: xlsx([_header_row()], dimension="A1:XFD1048576", padding=padding)
    )


def xlsx_wide_header(cells=3_000_000) -> bytes:
    """A header row of three million cells (without cell references, as some writers do)."""

    def parts():
        yield b'<row r="1">'
        chunk = b'<c t="inlineStr"><is><t>x</t></is></c>' * 10_000
        for _ in range(cells // 10_000):
            yield chunk
        yield b"</row>"

    return _pad_to_limit(lambda padding: xlsx(parts(), padding=padding))


def xlsx_unpacks_huge(megabytes=200) -> bytes:
    """A zip bomb: shared strings that unpack to 200 MB from a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", _SHEET_START + "<sheetData/></worksheet>")
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            block = b"<si><t>a</t></si>" * 60_000
            for _ in range(megabytes * MB // len(block)):
                strings.write(block)
            strings.write(b"</sst>")
    return buffer.getvalue()


def xlsx_many_parts(parts=50_000) -> bytes:
    """An archive of fifty thousand tiny parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(parts):
            archive.writestr(f"xl/media/p{n}.bin", b"x")
    return buffer.getvalue()


def _data_rows(rows, columns, start=2):
    chunk = []
    for number in range(start, start + rows):
        cells = "".join(f"<c><v>{number * 10 + c}</v></c>" for c in range(columns))
        chunk.append(f'<row r="{number}">{cells}</row>')
        if len(chunk) == 5_000:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()


def _headers(columns):
    cells = "".join(f'<c t="inlineStr"><is><t>K{c}</t></is></c>' for c in range(columns))
    return f'<row r="1">{cells}</row>'.encode()


def xlsx_rows(rows, columns=10) -> bytes:
    """A plain table: a header and `rows` numeric rows of `columns` cells."""
    return xlsx([_headers(columns), *_data_rows(rows, columns)])


def csv_separators_only() -> bytes:
    """20 MB of semicolons on one line: twenty million cells if read as written."""
    return b"a;b\n" + b";" * LIMIT


def csv_one_huge_quoted_cell() -> bytes:
    """A quotation mark that is never closed, followed by 20 MB of text."""
    return b'a;b\n1;"' + b"x" * LIMIT


def csv_rows(rows, columns=10, separator=b";") -> bytes:
    header = separator.join(f"K{c}".encode() for c in range(columns)) + b"\n"
    line = separator.join(b"12345" for _ in range(columns)) + b"\n"
    return header + line * rows


def random_bytes() -> bytes:
    return os.urandom(LIMIT)


def random_bytes_zip_signature() -> bytes:
    return b"PK\x03\x04" + os.urandom(LIMIT - 4)


def kolada_deep() -> bytes:
    return b'{"values": ' + b"[" * (LIMIT - 20) + b"]"


def kolada_many_values() -> bytes:
    """A Kolada response of 20 MB: far more values than the row limit."""
    entry = json.dumps(
        {
            "kpi": "N00945",
            "municipality": "0580",
            "period": 2019,
            "values": [
                {"gender": g, "count": 1, "status": "", "value": 81.2} for g in ("K", "M", "T")
            ],
        }
    ).encode()
    count = (LIMIT - 40) // (len(entry) + 2)
    return b'{"count": %d, "values": [' % count + b", ".join([entry] * count) + b"]}"
