"""Writes of indicator values: many rows at once, all or nothing, with per-row errors."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from access import policy
from access.choices import Action
from core.years import FIRST_YEAR, LAST_YEAR

from .choices import Gender, Tertial
from .locks import ValueLocks
from .models import Indicator, IndicatorValue

VALUE_FIELDS = IndicatorValue.VALUE_FIELDS


@dataclass
class RowError:
    """What is wrong with one input row: its position, the field and why (in Swedish)."""

    row: int
    field: str
    message: str


@dataclass
class UpsertResult:
    created: list[IndicatorValue] = field(default_factory=list)
    updated: list[IndicatorValue] = field(default_factory=list)
    unchanged: int = 0


class ValuesRejected(Exception):
    """Nothing was written; `errors` lists every bad row."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} rows rejected")


def _decimal(raw):
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise InvalidOperation
    if isinstance(raw, int | float | Decimal):
        return Decimal(str(raw))
    return Decimal(str(raw).strip().replace(" ", "").replace(",", "."))


def _existing_values(keys: list[tuple]) -> dict[tuple, IndicatorValue]:
    """The stored values with these (indicator, year, tertial, gender, category) keys, locked
    for update, in one query of IN lists. One OR-ed condition per key would be an expression
    as deep as the number of rows, which SQLite refuses beyond 1000 ("Expression tree is too
    large"); the IN lists select a superset (at most their cross product) that is narrowed
    here."""
    if not keys:
        return {}
    columns = list(zip(*keys, strict=True))
    candidates = IndicatorValue.objects.select_for_update().filter(
        indicator_id__in=set(columns[0]),
        year__in=set(columns[1]),
        tertial__in=set(columns[2]),
        gender__in=set(columns[3]),
        category__in=set(columns[4]),
    )
    wanted = set(keys)
    existing = {}
    for value in candidates:
        key = (value.indicator_id, value.year, value.tertial, value.gender, value.category)
        if key in wanted:
            existing[key] = value
    return existing


#: Rows per INSERT/UPDATE statement of a bulk write.
WRITE_BATCH = 1000


@transaction.atomic
def indicator_values_upsert(*, rows: list[dict], user, dry_run: bool = False) -> UpsertResult:
    """Create or change indicator values from plain rows; refuse all if any row is bad.

    A row names `indicator` (id), `year`, optionally `tertial` ("", T1–T3), `gender` (T/K/M),
    `category`, and gives `value` (number) and/or `text_value`, `is_estimate`, `note`.
    The user must be allowed to edit the indicator's board; values of a year whose
    follow-up period is no longer open are locked. A fixed number of queries for any
    number of rows; history rows name the user. With `dry_run` every check runs and the
    result says what would be written, but nothing is.
    """
    errors: list[RowError] = []
    indicator_ids = {r.get("indicator") for r in rows if isinstance(r.get("indicator"), int)}
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in=indicator_ids)}
    editable = policy.board_ids(user, Action.EDIT)

    cleaned = []
    seen = set()
    for n, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            errors.append(RowError(n, "-", _("The row must be an object with fields.")))
            continue
        indicator = indicators.get(row.get("indicator"))
        if indicator is None:
            errors.append(RowError(n, "indicator", _("Unknown indicator.")))
            continue
        if indicator.board_id not in editable:
            errors.append(RowError(n, "indicator", _("You may not change values of this board.")))
            continue
        year = row.get("year")
        if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            errors.append(
                RowError(
                    n,
                    "year",
                    _("The year must be a whole number between %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
            )
            continue
        tertial = row.get("tertial") or ""
        if tertial not in Tertial.values:
            errors.append(RowError(n, "tertial", _("The tertial must be empty, T1, T2 or T3.")))
            continue
        gender = row.get("gender") or Gender.TOTAL
        if gender not in Gender.values:
            errors.append(RowError(n, "gender", _("The gender must be T, K or M.")))
            continue
        category = str(row.get("category") or "").strip()
        try:
            value = _decimal(row.get("value"))
        except (InvalidOperation, ValueError):
            errors.append(RowError(n, "value", _("The value is not a number.")))
            continue
        text_value = str(row.get("text_value") or "").strip()
        if value is None and not text_value:
            errors.append(RowError(n, "value", _("Give a value or a text (e.g. 'Ej mätbart').")))
            continue
        key = (indicator.pk, year, tertial, gender, category)
        if key in seen:
            errors.append(RowError(n, "-", _("The same row appears earlier in this request.")))
            continue
        seen.add(key)
        cleaned.append(
            (
                n,
                indicator,
                key,
                {
                    "value": value,
                    "text_value": text_value,
                    "is_estimate": bool(row.get("is_estimate", False)),
                    "note": str(row.get("note") or "").strip(),
                },
            )
        )

    locks = ValueLocks.load({ind.board_id for _n, ind, _key, _v in cleaned})
    existing = _existing_values([key for _n, _ind, key, _v in cleaned])

    result = UpsertResult()
    now = timezone.now()
    for n, indicator, key, values in cleaned:
        _ind, year, tertial, gender, category = key
        locked = locks.message(indicator, year, tertial)
        if locked:
            errors.append(RowError(n, "year", locked))
            continue
        obj = existing.get(key)
        if obj is not None and all(getattr(obj, f) == v for f, v in values.items()):
            result.unchanged += 1
            continue
        if obj is None:
            obj = IndicatorValue(
                indicator=indicator,
                year=year,
                tertial=tertial,
                gender=gender,
                category=category,
            )
        for name, value in values.items():
            setattr(obj, name, value)
        obj.updated_at = now
        try:
            obj.clean_fields(exclude=["indicator"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.append(RowError(n, name, " ".join(messages)))
            continue
        (result.updated if obj.pk else result.created).append(obj)

    if errors:
        raise ValuesRejected(errors)
    if dry_run:
        return result
    # Batches keep each statement under PostgreSQL's 65,535 bound parameters.
    bulk_create_with_history(
        result.created, IndicatorValue, batch_size=WRITE_BATCH, default_user=user
    )
    bulk_update_with_history(
        result.updated,
        IndicatorValue,
        [*VALUE_FIELDS, "updated_at"],
        batch_size=WRITE_BATCH,
        default_user=user,
    )
    return result
