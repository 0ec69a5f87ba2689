"""Kolada API responses (v2 data: {"count": n, "values": [{"kpi", "municipality", "period",
"values": [{"gender": "T"|"K"|"M", "count", "status", "value"}]}]}) as rows to import."""

import urllib.request

from django.utils.translation import gettext as _

from core.cells import check_digits, parse_decimal, shown
from core.formats import ImportFileError, Table, check_size, max_bytes, max_rows
from core.safeinput import jsonsafe
from core.safeinput.text import text_problem
from core.years import FIRST_YEAR, LAST_YEAR

GENDERS = {"T": "T", "K": "K", "M": "M"}
#: Kolada's KPI ids (N00945) and municipality codes (0580) are short; longer is not Kolada.
MAX_ID_LENGTH = 40


def read_kolada(data: bytes) -> Table:
    """One row per value: Post (label), Kolada-id, Kommun, År, Kön, Värde (Decimal or None)."""
    check_size(len(data))
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    try:
        document = jsonsafe.loads(data)
    except jsonsafe.JSONRefused as exc:
        raise ImportFileError(
            _("The file is not valid JSON (%(error)s).") % {"error": exc}
        ) from exc
    if not isinstance(document, dict) or not isinstance(document.get("values"), list):
        raise ImportFileError(
            _(
                "The file is not a response from Kolada: the list “values” is missing at the "
                "top level."
            )
        )
    rows = []
    for n, entry in enumerate(document["values"], start=1):
        where = _("Post %(n)s") % {"n": n}
        if not isinstance(entry, dict):
            raise ImportFileError(_("%(where)s is not an object.") % {"where": where})
        kpi, municipality, period = entry.get("kpi"), entry.get("municipality"), entry.get("period")
        for name in ("kpi", "municipality", "period"):
            problem = text_problem(entry.get(name), name)
            if problem:
                raise ImportFileError(f"{where}: {problem}")
        if not isinstance(kpi, str) or not kpi.strip():
            raise ImportFileError(_("%(where)s: “kpi” is missing.") % {"where": where})
        if len(kpi.strip()) > MAX_ID_LENGTH or len(str(municipality).strip()) > MAX_ID_LENGTH:
            raise ImportFileError(
                _("%(where)s: ”kpi” and ”municipality” are at most %(limit)s characters long.")
                % {"where": where, "limit": MAX_ID_LENGTH}
            )
        if (
            not isinstance(municipality, str | int)
            or isinstance(municipality, bool)
            or not str(municipality).strip()
        ):
            raise ImportFileError(_("%(where)s: “municipality” is missing.") % {"where": where})
        try:
            if isinstance(period, bool) or not isinstance(period, int | str):
                raise TypeError(period)
            year = int(str(period).strip())
        except (TypeError, ValueError) as exc:
            raise ImportFileError(
                _("%(where)s: “period” must be a year, not “%(period)s”.")
                % {"where": where, "period": shown(period)}
            ) from exc
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ImportFileError(
                _("%(where)s: the year %(year)s does not lie between %(first)s and %(last)s.")
                % {"where": where, "year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        cells = entry.get("values")
        if not isinstance(cells, list):
            raise ImportFileError(_("%(where)s: the list “values” is missing.") % {"where": where})
        municipality = str(municipality).strip().zfill(4)
        for cell in cells:
            gender = (
                GENDERS.get(str(cell.get("gender", "")).upper()) if isinstance(cell, dict) else None
            )
            if gender is None:
                raise ImportFileError(
                    _("%(where)s: the gender must be T, K or M, not “%(gender)s”.")
                    % {
                        "where": where,
                        "gender": shown(cell.get("gender") if isinstance(cell, dict) else cell),
                    }
                )
            value = cell.get("value")
            if value is not None:
                try:
                    value = parse_decimal(value)
                    check_digits(value, max_digits=16, decimal_places=4)
                except ValueError as exc:
                    value = _round_or_raise(value, where, exc)
            label = f"{where} ({kpi}, {municipality}, {year}, {gender})"
            rows.append([label, kpi.strip(), municipality, year, gender, value])
            if len(rows) > max_rows():
                raise ImportFileError(
                    _("The file has more than %(limit)s values; split it.") % {"limit": max_rows()}
                )
    return Table(
        headers=["Post", "Kolada-id", "Kommun", "År", "Kön", "Värde"],
        rows=rows,
        kind="kolada",
        first_row_number=1,
    )


def _round_or_raise(value, where, exc):
    """Kolada sends floats such as 12.345678; keep four decimals like the database does."""
    try:
        number = parse_decimal(value).quantize(parse_decimal("0.0001"))
        check_digits(number, max_digits=16, decimal_places=4)
        return number
    except (ValueError, ArithmeticError, AttributeError):
        raise ImportFileError(f"{where}: {exc}") from exc


def fetch(url: str, *, timeout: int = 30) -> bytes:
    """Download a Kolada response (http/https only), refusing more than IMPORT_MAX_BYTES."""
    if not url.startswith(("https://", "http://")):
        raise ImportFileError(_("The address must start with https:// or http://."))
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        data = response.read(max_bytes() + 1)
    check_size(len(data))
    return data
