"""Filters of the API lists of indicators and indicator values."""

from django.utils.translation import gettext_lazy as _

from core.api.filters import (
    ApiFilterSet,
    BooleanFilter,
    CharInFilter,
    ChoiceInFilter,
    IdFilter,
    YearFilter,
    YearsFilter,
)
from indicators.choices import Gender, IndicatorKind, Tertial
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import kpi_condition

KOLADA_HELP = _("Kolada KPI id(s), comma-separated, e.g. N00945.")
KPI_HELP = _(
    "KPI id(s) as in the `kpi` field, comma-separated: Kolada ids, stable keys of local "
    "indicators, or the earlier LKP-<id>."
)


class KpiFilter(CharInFilter):
    """Indicators by the KPI ids of the Kolada shape (see indicators.selectors)."""

    def __init__(self, *args, prefix="", **kwargs):
        self.prefix = prefix
        kwargs.setdefault("help_text", KPI_HELP)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(kpi_condition(list(value), self.prefix))


class IndicatorFilterSet(ApiFilterSet):
    board = IdFilter(field_name="board_id", help_text=_("Board id(s), comma-separated."))
    goal = IdFilter(field_name="goal_id", help_text=_("Board goal id(s), comma-separated."))
    plan = IdFilter(field_name="goal__plan_id", help_text=_("Plan id(s) of the board goal."))
    year = YearsFilter(
        field_name="goal__plan__year", help_text=_("Plan year(s) of the board goal.")
    )
    area = IdFilter(
        field_name="goal__area_id", help_text=_("Activity area id(s) of the board goal.")
    )
    kind = ChoiceInFilter(
        choices=IndicatorKind.choices, help_text=_("Kind(s): goal, volume, staff.")
    )
    kolada_kpi = CharInFilter(help_text=KOLADA_HELP)
    kpi = KpiFilter()

    class Meta:
        model = Indicator
        fields = []


#: `tertial` in the query: "year" stands for whole-year values (stored as blank).
TERTIAL_QUERY_CHOICES = [("year", _("Whole year"))] + [
    (value, label) for value, label in Tertial.choices if value
]


class IndicatorValueFilterSet(ApiFilterSet):
    board = IdFilter(field_name="indicator__board_id", help_text=_("Board id(s) of the indicator."))
    indicator = IdFilter(
        field_name="indicator_id", help_text=_("Indicator id(s), comma-separated.")
    )
    goal = IdFilter(
        field_name="indicator__goal_id", help_text=_("Board goal id(s) of the indicator.")
    )
    area = IdFilter(
        field_name="indicator__goal__area_id",
        help_text=_("Activity area id(s) of the indicator's board goal."),
    )
    kind = ChoiceInFilter(
        field_name="indicator__kind",
        choices=IndicatorKind.choices,
        help_text=_("Indicator kind(s): goal, volume, staff."),
    )
    kolada_kpi = CharInFilter(field_name="indicator__kolada_kpi", help_text=KOLADA_HELP)
    kpi = KpiFilter(prefix="indicator__")
    year = YearsFilter(help_text=_("Year(s) of the values, comma-separated."))
    year_min = YearFilter(field_name="year", lookup_expr="gte", help_text=_("Year at least this."))
    year_max = YearFilter(field_name="year", lookup_expr="lte", help_text=_("Year at most this."))
    tertial = ChoiceInFilter(
        choices=TERTIAL_QUERY_CHOICES,
        method="filter_tertial",
        help_text=_("Part(s) of the year: 'year' for whole-year values, or T1, T2, T3."),
    )
    gender = ChoiceInFilter(
        choices=Gender.choices, help_text=_("Gender breakdown(s) as in Kolada: T, K, M.")
    )
    category = CharInFilter(
        help_text=_("Category breakdown(s) such as BOU, VUX, LSS, comma-separated.")
    )
    has_category = BooleanFilter(
        field_name="category",
        method="filter_has_category",
        help_text=_("true: only category breakdowns; false: only values for the whole."),
    )

    class Meta:
        model = IndicatorValue
        fields = []

    def filter_tertial(self, queryset, name, value):
        return queryset.filter(tertial__in=["" if v == "year" else v for v in value])

    def filter_has_category(self, queryset, name, value):
        return queryset.exclude(category="") if value else queryset.filter(category="")
