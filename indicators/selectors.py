"""Reads of indicator values across relations: the Kolada-compatible view of the values."""

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from .choices import Gender, Tertial
from .models import IndicatorValue

#: Indicators without a Kolada KPI have their stable key (a UUID, `Indicator.key`) as KPI id
#: in the Kolada shape. The earlier ids "LKP-<database id>" (lokal KPI) are still accepted
#: as aliases of the same indicator, but never written: they clash across installations.
LEGACY_KPI_RE = re.compile(r"^LKP-([0-9]{1,18})$")

#: Kolada's own order of the gender breakdown.
GENDER_ORDER = {Gender.WOMEN: 0, Gender.MEN: 1, Gender.TOTAL: 2}


def kpi_id(*, kolada_kpi: str, key) -> str:
    """The indicator's KPI id in the Kolada shape: its Kolada id, else its stable key."""
    return kolada_kpi or str(key)


def kpi_condition(kpis: list[str], prefix: str = "") -> Q:
    """Indicators (at `prefix`, e.g. "indicator__") with one of the KPI ids: Kolada ids,
    stable keys of local indicators, or legacy "LKP-<id>" aliases."""
    legacy, keys, kolada = [], [], []
    for kpi in kpis:
        if match := LEGACY_KPI_RE.match(kpi):
            legacy.append(int(match.group(1)))
            continue
        try:
            keys.append(uuid.UUID(kpi))
        except ValueError:
            kolada.append(kpi)
    local = Q(**{f"{prefix}kolada_kpi": ""})
    return (
        Q(**{f"{prefix}kolada_kpi__in": kolada})
        | (local & Q(**{f"{prefix}key__in": keys}))
        | (local & Q(**{f"{prefix}pk__in": legacy}))
    )


def kolada_values_filter(
    values: QuerySet[IndicatorValue],
    *,
    kpis: list[str] | None = None,
    municipalities: list[str] | None = None,
    years: list[int] | None = None,
    boards: list[int] | None = None,
    changed_since: datetime | None = None,
) -> QuerySet[IndicatorValue]:
    """The whole-year, whole-population values (by gender) for the given KPIs/places/years.

    Kolada has no tertials and no category breakdown: values with a tertial or a category
    (BOU, VUX, LSS, …) are left out; the regular list `/api/v1/indicator-values/` has them.
    """
    values = values.filter(tertial=Tertial.YEAR, category="")
    if kpis:
        values = values.filter(kpi_condition(kpis, "indicator__"))
    if municipalities:
        values = values.filter(indicator__board__municipality__code__in=municipalities)
    if boards:
        values = values.filter(indicator__board_id__in=boards)
    if years:
        values = values.filter(year__in=years)
    if changed_since:
        values = values.filter(updated_at__gte=changed_since)
    return values


@dataclass(frozen=True)
class KoladaPage:
    """One page of (kpi, municipality, period) entries and how many there are in all."""

    count: int
    entries: list[dict]


def _status(value: IndicatorValue) -> str:
    # Kolada leaves status empty for a value; a text-only cell says why there is none.
    if value.value is None:
        return value.text_value or "Uppgift saknas"
    return ""


def kolada_page(
    values: QuerySet[IndicatorValue], *, offset: int, limit: int, by_unit: bool = False
) -> KoladaPage:
    """Group the values into Kolada entries, one per indicator and year; three queries.

    `by_unit` names each entry's organisational unit (the board, `ou_id`) instead of its
    municipality, as Kolada's oudata does. Each gender's value carries, besides Kolada's
    fields, `is_estimate` and `note`, which Kolada has no place for (clients ignore them).
    """
    groups = (
        values.order_by("indicator__kolada_kpi", "indicator_id", "year")
        .values_list("indicator_id", "year")
        .distinct()
    )
    count = groups.count()
    keys = [(indicator_id, year) for indicator_id, year, *_ in groups[offset : offset + limit]]
    if not keys:
        return KoladaPage(count=count, entries=[])
    rows = values.filter(
        indicator_id__in={i for i, _ in keys}, year__in={y for _, y in keys}
    ).select_related("indicator__board__municipality")
    cells = defaultdict(list)
    for row in rows:
        cells[(row.indicator_id, row.year)].append(row)
    entries = []
    for key in keys:
        group = sorted(cells[key], key=lambda v: GENDER_ORDER.get(v.gender, 9))
        indicator = group[0].indicator
        place = (
            {"ou": ou_id(indicator.board_id)}
            if by_unit
            else {"municipality": indicator.board.municipality.code}
        )
        entries.append(
            {
                "kpi": kpi_id(kolada_kpi=indicator.kolada_kpi, key=indicator.key),
                **place,
                "period": key[1],
                "values": [
                    {
                        "gender": v.gender,
                        "count": 1,
                        "status": _status(v),
                        "value": None if v.value is None else float(v.value),
                        "isdeleted": False,
                        "is_estimate": v.is_estimate,
                        "note": v.note,
                    }
                    for v in group
                ],
            }
        )
    return KoladaPage(count=count, entries=entries)


#: A board as an organisational unit (Kolada's "ou"): "N" and the board's id.
OU_RE = re.compile(r"^N([0-9]{1,9})$")


def ou_id(board_id: int) -> str:
    """The board's id as an organisational unit in the Kolada shape."""
    return f"N{board_id}"


def board_ids(ous: list[str]) -> list[int]:
    """The boards of organisational unit ids (unknown shapes name no board)."""
    return [int(m.group(1)) for ou in ous if (m := OU_RE.match(ou))]
