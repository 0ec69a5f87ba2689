"""CSV output for the API (`?format=csv`): UTF-8 with BOM, safe to open in Excel.

One row per resource (for lists, the rows of the current page; the `Link` header points to
the next page). Nested objects become dotted columns (`fulfilment.code`), lists of plain
values are joined with commas and lists of objects are written as JSON text. A text cell
that starts with = + - @ tab or CR is prefixed with an apostrophe, so that a spreadsheet shows
it instead of running it as a formula (plain numbers such as -1.5 are left alone).
"""

import csv
import io
import json

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from core.cells import escape_text


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if all(not isinstance(v, (dict, list, tuple)) for v in value):
            return ",".join(_cell(v) for v in value)
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _rows(data) -> list[dict]:
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        data = [{"value": data}]
    return [_flatten(item) if isinstance(item, dict) else {"value": item} for item in data]


def _columns(serializer, prefix="") -> list[str]:
    """The flattened column names of a serializer: nested objects as dotted names."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            columns += _columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _header(rows, renderer_context) -> list[str]:
    """The serializer's columns (also for an empty page), else the keys of the rows."""
    context = renderer_context or {}
    response, view = context.get("response"), context.get("view")
    succeeded = response is None or response.status_code < 400
    if succeeded and hasattr(view, "get_serializer_class") and view.get_serializer_class():
        return _columns(view.get_serializer_class()())
    return list(dict.fromkeys(key for row in rows for key in row))


class CSVRenderer(BaseRenderer):
    """Comma-separated values with a header row, as RFC 4180 describes."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = _rows(data)
        header = _header(rows, renderer_context)
        buffer = io.StringIO()
        buffer.write("\ufeff")  # the byte order mark tells Excel the file is UTF-8
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([escape_text(name) for name in header])
        for row in rows:
            writer.writerow([escape_text(_cell(row.get(name))) for name in header])
        return buffer.getvalue().encode("utf-8")
