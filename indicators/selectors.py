"""Reads of indicator values across relations: the Kolada-compatible view of the values."""

import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from .choices import Gender, Tertial
from .models import IndicatorValue

#: Indicators without a Kolada KPI get a stable id of our own in the Kolada shape:
#: "LKP-" (lokal KPI) followed by the indicator's id, e.g. "LKP-42".
LOCAL_KPI_PREFIX = "LKP-"
LOCAL_KPI_RE = re.compile(r"^LKP-([0-9]{1,18})$")

#: Kolada's own order of the gender breakdown.
GENDER_ORDER = {Gender.WOMEN: 0, Gender.MEN: 1, Gender.TOTAL: 2}


def kpi_id(*, kolada_kpi: str, indicator_id: int) -> str:
    """The indicator's KPI id in the Kolada shape: its Kolada id, else "LKP-<id>"."""
    return kolada_kpi or f"{LOCAL_KPI_PREFIX}{indicator_id}"


def kolada_values_filter(
    values: QuerySet[IndicatorValue],
    *,
    kpis: list[str] | None = None,
    municipalities: list[str] | None = None,
    years: list[int] | None = None,
) -> QuerySet[IndicatorValue]:
    """The whole-year, whole-population values (by gender) for the given KPIs/places/years.

    Kolada has no tertials and no category breakdown: values with a tertial or a category
    (BOU, VUX, LSS, …) are left out; the regular list `/api/v1/indicator-values/` has them.
    """
    values = values.filter(tertial=Tertial.YEAR, category="")
    if kpis:
        local_ids = [int(m.group(1)) for k in kpis if (m := LOCAL_KPI_RE.match(k))]
        kolada_ids = [k for k in kpis if not LOCAL_KPI_RE.match(k)]
        values = values.filter(
            Q(indicator__kolada_kpi__in=kolada_ids)
            | Q(indicator_id__in=local_ids, indicator__kolada_kpi="")
        )
    if municipalities:
        values = values.filter(indicator__board__municipality__code__in=municipalities)
    if years:
        values = values.filter(year__in=years)
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


def kolada_page(values: QuerySet[IndicatorValue], *, offset: int, limit: int) -> KoladaPage:
    """Group the values into Kolada entries, one per indicator and year; three queries."""
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
        entries.append(
            {
                "kpi": kpi_id(kolada_kpi=indicator.kolada_kpi, indicator_id=indicator.pk),
                "municipality": indicator.board.municipality.code,
                "period": key[1],
                "values": [
                    {
                        "gender": v.gender,
                        "count": 1,
                        "status": _status(v),
                        "value": None if v.value is None else float(v.value),
                    }
                    for v in group
                ],
            }
        )
    return KoladaPage(count=count, entries=entries)
