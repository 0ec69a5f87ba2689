"""Reading and writing single spreadsheet cells the way Swedish Excel users write them.

Numbers may come as native numbers (xlsx) or as text with a decimal comma ("6,7", "1 089",
"-0,5"); text cells that a spreadsheet would run as a formula are escaped on export with a
leading apostrophe, and the apostrophe is taken off again on import, so a file makes the
round trip unchanged.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .text import format_decimal

#: A text cell starting with one of these is run as a formula by Excel/LibreOffice.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: Cells that are formulas: "=…", or +/-/@ followed directly by a function call or a DDE link.
_FORMULA_RE = re.compile(r"^(=|[+\-@]\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(|[+\-@=].*\|)")
_NUMBER_RE = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
#: A number as the API writes it ("-12.5", "1e-3"): a spreadsheet reads it as that number.
_PLAIN_NUMBER_RE = re.compile(r"^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


def escape_text(text: str) -> str:
    """The text, made inert for spreadsheets: an apostrophe in front when a spreadsheet would
    read it as a formula (it starts with = + - @ tab or CR and is not a plain number such as
    "-12.5"), or when it already starts with an apostrophe and a formula character (so that
    `unescape_text` gives back exactly the text). Used by every CSV and xlsx the system
    writes: the API's CSV and the admin's exports."""
    if not text:
        return text
    if text[0] in FORMULA_TRIGGERS and not _PLAIN_NUMBER_RE.match(text):
        return "'" + text
    if text[0] == "'" and text[1:2] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def unescape_text(text: str) -> str:
    """Undo `escape_text`: drop one apostrophe in front of a formula character."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_TRIGGERS or text[1] == "'"):
        return text[1:]
    return text


def is_formula(value) -> bool:
    return isinstance(value, str) and value[:1] in "=+-@" and bool(_FORMULA_RE.match(value))


def normalize_text(value) -> str:
    """A cell as text: NFC (macOS writes å as a + ring), trimmed, escaping undone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    text = text.strip()
    return unescape_text(text) if text[:1] == "'" else text


def shown(value, limit: int = 40) -> str:
    """A value as a message quotes it: at most `limit` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_decimal(value) -> Decimal | None:
    """A number from a native cell or from text written the Swedish or the English way."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("“%(value)s” is not a number.") % {"value": shown(value)})
    if isinstance(value, int | Decimal | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            # NaN and infinity come from xlsx cells ("inf", 1e400) and JSON; no column holds them.
            raise ValueError(_("”%(value)s” is not a finite number.") % {"value": shown(value)})
        return number
    text = unicodedata.normalize("NFC", str(value)).strip().translate(_SPACES)
    text = text.replace("\u2212", "-")  # the typographic minus sign
    if "," in text and "." in text:
        # 1.234,5 (Swedish thousands) or 1,234.5 (English thousands)
        text = text.replace(".", "") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
    if not _NUMBER_RE.match(text):
        raise ValueError(
            _("“%(value)s” is not a number. Write text in a text column.") % {"value": shown(value)}
        )
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the regex lets only numbers through
        raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from exc


def check_digits(number: Decimal, *, max_digits: int, decimal_places: int) -> None:
    """Refuse numbers the database column cannot hold, with the reason in Swedish."""
    _sign, digits, exponent = number.normalize().as_tuple()
    decimals = max(0, -exponent)
    whole = max(len(digits) + exponent, 0)
    if decimals > decimal_places:
        raise ValueError(
            _("The number %(value)s has more than %(places)s decimals.")
            % {"value": format_decimal(number), "places": decimal_places}
        )
    if max(whole, 1) > max_digits - decimal_places:
        raise ValueError(
            _("The number %(value)s is too large.") % {"value": format_decimal(number)}
        )


def native_number(number: Decimal | None):
    """A Decimal as the plainest native number: int when whole, else Decimal without zeros."""
    if number is None:
        return None
    normal = number.normalize()
    if normal == normal.to_integral_value():
        return int(normal)
    return Decimal(format_decimal(normal, "."))


def parse_int(value, *, column_hint: str = "") -> int | None:
    if is_blank(value):
        return None
    try:
        number = parse_decimal(value)
    except ValueError:
        number = None
    if number is None or number != number.to_integral_value():
        raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
    return int(number)


def parse_date(value) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 < value < 2958466:
        # An Excel date cell read without its style: days since 1899-12-30.
        return date(1899, 12, 30) + timedelta(days=int(value))
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date. Write dates as YYYY-MM-DD.") % {"value": value})


YES_WORDS = {"ja", "j", "x", "1", "true", "sant", "yes", "y"}
NO_WORDS = {"nej", "n", "0", "false", "falskt", "no", ""}


def parse_yes_no(value) -> bool:
    if value is True or value is False:
        return value
    text = normalize_text(value).lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise ValueError(_("“%(value)s” must be Ja or Nej.") % {"value": value})
