"""Widgets for Swedish spreadsheets: they raise ValueError with the reason in Swedish."""

from decimal import Decimal

from django.utils.translation import gettext as _
from import_export import widgets

from core.cells import (
    check_digits,
    native_number,
    normalize_text,
    parse_date,
    parse_decimal,
    parse_int,
    parse_yes_no,
)
from core.years import FIRST_YEAR, LAST_YEAR


class TextWidget(widgets.CharWidget):
    """Text, trimmed and NFC-normalized, with the export escaping undone; max length checked."""

    def __init__(self, max_length=None, **kwargs):
        self.max_length = max_length
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value)
        if self.max_length and len(text) > self.max_length:
            raise ValueError(
                _("The text is %(length)s characters long; at most %(max)s fit.")
                % {"length": len(text), "max": self.max_length}
            )
        return text

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class DecimalCellWidget(widgets.DecimalWidget):
    """A number: native, or text with decimal comma or point; exported as a native number."""

    def __init__(self, max_digits=16, decimal_places=4, **kwargs):
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        number = parse_decimal(value)
        if number is not None:
            check_digits(number, max_digits=self.max_digits, decimal_places=self.decimal_places)
        return number

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return None
        return native_number(Decimal(value))


class YearWidget(widgets.IntegerWidget):
    def __init__(self, low=FIRST_YEAR, high=LAST_YEAR, **kwargs):
        self.low, self.high = low, high
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        year = parse_int(value)
        if year is None:
            raise ValueError(_("The year is missing."))
        if not self.low <= year <= self.high:
            raise ValueError(
                _("The year %(year)s does not lie between %(low)s and %(high)s.")
                % {"year": year, "low": self.low, "high": self.high}
            )
        return year

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A choice written as its Swedish label (or code); exported as the first label given."""

    def __init__(self, labels: dict, *, aliases: dict | None = None, **kwargs):
        self.labels = labels  # code -> label written on export
        self.lookup = {}
        for code, label in labels.items():
            self.lookup[str(code).casefold()] = code
            self.lookup[str(label).casefold()] = code
        for alias, code in (aliases or {}).items():
            self.lookup[alias.casefold()] = code
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = normalize_text(value)
        code = self.lookup.get(text.casefold())
        if code is None:
            allowed = ", ".join(f"”{label}”" for label in self.labels.values() if label)
            raise ValueError(
                _("“%(value)s” is not a valid value. Allowed: %(allowed)s.")
                % {"value": text, "allowed": allowed or "–"}
            )
        return code

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class YesNoWidget(widgets.BooleanWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_yes_no(value)

    def render(self, value, obj=None, **kwargs):
        return "Ja" if value else "Nej"


class DateCellWidget(widgets.DateWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class IntCellWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        return parse_int(value)

    def render(self, value, obj=None, **kwargs):
        return value
