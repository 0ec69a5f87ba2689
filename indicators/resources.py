"""Import and export of indicator values: long form, the year-end report's wide tables, Kolada.

Columns are the Swedish words people use in the report; rows are found by natural keys
(board name, indicator name or Kolada id, year, tertial, gender, category), never database ids.
"""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from access import policy
from access.choices import Action
from core.cells import is_blank, native_number, normalize_text, parse_decimal
from goals.models import Board, Municipality
from imports.engine import (
    NEW,
    UNCHANGED,
    UPDATE,
    PlannedImportResource,
    PlannedRow,
    Problem,
    RowProblems,
)
from imports.widgets import ChoiceWidget, DecimalCellWidget, TextWidget, YearWidget, YesNoWidget

from .choices import Gender, IndicatorKind
from .locks import ValueLocks
from .models import Indicator, IndicatorValue

KIND_LABELS = {
    IndicatorKind.GOAL: "Nämndindikator",
    IndicatorKind.VOLUME: "Volym",
    IndicatorKind.STAFF: "Personal",
}
KIND_ALIASES = {"volymer": IndicatorKind.VOLUME, "basuppdrag": IndicatorKind.VOLUME}
GENDER_CODES = {Gender.TOTAL: "T", Gender.WOMEN: "K", Gender.MEN: "M"}
GENDER_WORDS = {Gender.TOTAL: "Totalt", Gender.WOMEN: "Kvinnor", Gender.MEN: "Män"}
GENDER_ALIASES = {
    "total": Gender.TOTAL,
    "totalt": Gender.TOTAL,
    "kvinnor": Gender.WOMEN,
    "kvinna": Gender.WOMEN,
    "män": Gender.MEN,
    "man": Gender.MEN,
}
TERTIAL_LABELS = {"": "", "T1": "T1", "T2": "T2", "T3": "T3"}
TERTIAL_ALIASES = {
    "helår": "",
    "tertial 1": "T1",
    "tertial 2": "T2",
    "tertial 3": "T3",
}

#: A report cell that carries a number with a remark: "Bedömd till 98%", ">98%",
#: "25,06%(2016)", "1 (Malmslätt)". The number is the value, the cell is kept as the text.
ANNOTATED_NUMBER = re.compile(
    r"^(?P<estimate>bedömd(?:\s+till)?\s+)?(?:[<>≥≤]=?\s*)?"
    r"(?P<number>-?\d+(?:[.,]\d+)?)\s*%?\s*(?:\([^()]*\))?$",
    re.IGNORECASE,
)

VALUE_COLUMNS = {
    "year": "År",
    "value": "Värde",
    "text_value": "Text",
    "is_estimate": "Bedömt",
    "note": "Not",
}


def _field_max(name):
    return IndicatorValue._meta.get_field(name).max_length


class IndicatorValueResource(PlannedImportResource):
    """Indicator values in long form: one row per indicator, year, tertial and breakdown."""

    board = Field(
        attribute="indicator__board",
        column_name="Nämnd",
        widget=ForeignKeyWidget(Board, field="name"),
    )
    indicator = Field(
        attribute="indicator",
        column_name="Indikator",
        widget=ForeignKeyWidget(Indicator, field="name"),
    )
    kind = Field(
        attribute="indicator__kind",
        column_name="Slag",
        widget=ChoiceWidget(KIND_LABELS, aliases=KIND_ALIASES),
    )
    kolada = Field(attribute="indicator__kolada_kpi", column_name="Kolada-id", widget=TextWidget())
    year = Field(attribute="year", column_name="År", widget=YearWidget())
    tertial = Field(
        attribute="tertial",
        column_name="Tertial",
        widget=ChoiceWidget(TERTIAL_LABELS, aliases=TERTIAL_ALIASES),
    )
    gender = Field(
        attribute="gender",
        column_name="Kön",
        widget=ChoiceWidget(GENDER_CODES, aliases=GENDER_ALIASES),
    )
    category = Field(
        attribute="category", column_name="Kategori", widget=TextWidget(_field_max("category"))
    )
    value = Field(attribute="value", column_name="Värde", widget=DecimalCellWidget(16, 4))
    text_value = Field(
        attribute="text_value", column_name="Text", widget=TextWidget(_field_max("text_value"))
    )
    is_estimate = Field(attribute="is_estimate", column_name="Bedömt", widget=YesNoWidget())
    note = Field(attribute="note", column_name="Not", widget=TextWidget(_field_max("note")))

    required_columns = ("Nämnd", "År")
    bulk_write = True
    export_select_related = ("indicator__board",)

    class Meta:
        model = IndicatorValue
        name = "Indikatorvärden (lång form)"
        fields = (
            "board",
            "indicator",
            "kind",
            "kolada",
            "year",
            "tertial",
            "gender",
            "category",
            "value",
            "text_value",
            "is_estimate",
            "note",
        )
        import_id_fields = ("board", "indicator", "kind", "year", "tertial", "gender", "category")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def missing_columns(self, present):
        missing = super().missing_columns(present)
        if "Indikator" not in present and "Kolada-id" not in present:
            missing.append("Indikator")
        if not present & {"Värde", "Text", "Bedömt", "Not"}:
            missing.append("Värde")
        return missing

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .order_by(
                "indicator__board__name",
                "indicator__kind",
                "indicator__order",
                "indicator__name",
                "category",
                "gender",
                "year",
                "tertial",
            )
        )

    def update_fields(self):
        return ["value", "text_value", "is_estimate", "note"]

    # -- lookups, loaded once per import ----------------------------------------------------
    def prepare(self, rows):
        self.load_boards()
        names = {normalize_text(c.get("Nämnd")).casefold() for _, c in rows}
        board_ids = {b.pk for n in names for b in self.boards_by_name.get(n, [])}
        self.load_indicators(Indicator.objects.filter(board__in=board_ids))

    def load_indicators(self, indicators):
        self.by_name, self.by_kpi, self.indicators = {}, {}, {}
        for indicator in indicators.select_related("board"):
            self.indicators[indicator.pk] = indicator
            self.by_name.setdefault((indicator.board_id, indicator.name.casefold()), []).append(
                indicator
            )
            if indicator.kolada_kpi:
                self.by_kpi.setdefault(
                    (indicator.board_id, indicator.kolada_kpi.casefold()), []
                ).append(indicator)
        self.values = {}
        for value in IndicatorValue.objects.filter(indicator__in=list(self.indicators)):
            self.values[self.value_key(value)] = value
        self._locks = {}

    @staticmethod
    def value_key(value):
        return (value.indicator_id, value.year, value.tertial, value.gender, value.category)

    def resolve_indicator(self, number, board, name, kind, kpi, problems, kind_column="Slag"):
        label = self.row_label(number)
        if name:
            found = self.by_name.get((board.pk, name.casefold()), [])
            if kind:
                found = [i for i in found if i.kind == kind]
            if not found:
                problems.append(
                    Problem(
                        number,
                        "Indikator",
                        _("The board %(board)s has no indicator called “%(name)s”.")
                        % {"board": board.name, "name": name},
                        label,
                    )
                )
                return None
            if len(found) > 1:
                kinds = ", ".join(KIND_LABELS[i.kind] for i in found)
                problems.append(
                    Problem(
                        number,
                        kind_column,
                        _(
                            "The indicator name “%(name)s” exists in several kinds "
                            "(%(kinds)s); give the kind in the column “Slag”."
                        )
                        % {"name": name, "kinds": kinds},
                        label,
                    )
                )
                return None
            indicator = found[0]
            if kpi and indicator.kolada_kpi.casefold() != kpi.casefold():
                problems.append(
                    Problem(
                        number,
                        "Kolada-id",
                        _("The indicator “%(name)s” has the Kolada id “%(own)s”, not “%(kpi)s”.")
                        % {"name": name, "own": indicator.kolada_kpi, "kpi": kpi},
                        label,
                    )
                )
                return None
            return indicator
        if kpi:
            found = self.by_kpi.get((board.pk, kpi.casefold()), [])
            if kind:
                found = [i for i in found if i.kind == kind]
            if len(found) == 1:
                return found[0]
            problems.append(
                Problem(
                    number,
                    "Kolada-id",
                    (
                        _("The board %(board)s has no indicator with the Kolada id “%(kpi)s”.")
                        if not found
                        else _(
                            "Several indicators have the Kolada id “%(kpi)s”; give the "
                            "indicator's name."
                        )
                    )
                    % {"board": board.name, "kpi": kpi},
                    label,
                )
            )
            return None
        problems.append(Problem(number, "Indikator", _("The indicator is missing."), label))
        return None

    def lock_message(self, instance, indicator):
        """Why the value may not be written (locks.py), with the board's locks read once."""
        locks = self._locks.get(indicator.board_id)
        if locks is None:
            locks = self._locks[indicator.board_id] = ValueLocks.load([indicator.board_id])
        return locks.message(indicator, instance.year, instance.tertial)

    # -- planning ------------------------------------------------------------------------------
    def plan_value(
        self,
        number,
        indicator,
        year,
        tertial,
        gender,
        category,
        new_values,
        *,
        columns=VALUE_COLUMNS,
        year_column="År",
    ):
        """Plan one value: new, changed or unchanged; RowProblems if it may not be written."""
        key = (indicator.pk, year, tertial, gender, category)
        instance = self.values.get(key)
        is_new = instance is None
        if is_new:
            # indicator_id, not indicator: setting the relation costs more than the rest of
            # the row (50,000 rows in the benchmark); lock_message sets it when it needs it.
            instance = IndicatorValue(
                indicator_id=indicator.pk,
                year=year,
                tertial=tertial,
                gender=gender,
                category=category,
            )
        changes = self.compare(instance, new_values, columns, is_new)
        label = " ".join(
            filter(
                None,
                [
                    indicator.name,
                    str(year),
                    tertial,
                    GENDER_WORDS[gender] if gender != Gender.TOTAL or not category else "",
                    category,
                ],
            )
        )
        planned = PlannedRow(
            row=number,
            action=NEW if is_new else (UPDATE if changes else UNCHANGED),
            label=label,
            instance=instance,
            board_id=indicator.board_id,
            changes=changes,
            row_label=self.row_label(number),
            key=("value", *key),
        )
        if planned.action == UNCHANGED:
            return planned
        problems = []
        if instance.value is None and not instance.text_value:
            problems.append(
                Problem(
                    number,
                    columns.get("value", "Värde"),
                    _("Give a value or a text (e.g. 'Ej mätbart')."),
                    self.row_label(number),
                )
            )
        locked = self.lock_message(instance, indicator)
        if locked:
            problems.append(Problem(number, year_column, locked, self.row_label(number)))
        if problems:
            raise RowProblems(problems)
        return planned

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        board = self.resolve_board(number, values.get("board"), problems)
        indicator = None
        if board is not None:
            indicator = self.resolve_indicator(
                number,
                board,
                values.get("indicator"),
                values.get("kind"),
                values.get("kolada"),
                problems,
            )
        if problems:
            raise RowProblems(problems)
        new_values = {
            attr: values[attr]
            for attr in ("value", "text_value", "is_estimate", "note")
            if attr in values
        }
        return self.plan_value(
            number,
            indicator,
            values["year"],
            values.get("tertial", ""),
            values.get("gender", Gender.TOTAL),
            values.get("category", ""),
            new_values,
        )


# -- wide form: the year-end report's tables ----------------------------------------------------

WIDE_FIXED = ("Nämnd", "Indikator", "Uppdelning")


def breakdown_label(gender, category):
    if not category:
        return GENDER_WORDS[gender]
    return category if gender == Gender.TOTAL else f"{category}, {GENDER_WORDS[gender]}"


def parse_breakdown(text):
    text = normalize_text(text)
    if not text:
        return Gender.TOTAL, ""
    code = GENDER_ALIASES.get(text.casefold())
    if code is not None:
        return code, ""
    if "," in text:
        category, _sep, word = text.rpartition(",")
        code = GENDER_ALIASES.get(word.strip().casefold())
        if code is not None:
            return code, category.strip()
    return Gender.TOTAL, text


def wide_cell(value):
    """A value as the report prints it: its text if it has one, else the number."""
    if value.text_value:
        return value.text_value
    return native_number(value.value)


def interpret_wide_cell(cell):
    """A report cell as value, text and estimate flag (see ANNOTATED_NUMBER)."""
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return {"value": parse_decimal(cell), "text_value": "", "is_estimate": False}
    text = normalize_text(cell)
    try:
        return {"value": parse_decimal(text), "text_value": "", "is_estimate": False}
    except ValueError:
        pass
    match = ANNOTATED_NUMBER.match(text)
    estimate = text.casefold().startswith("bedömd")
    if match:
        return {
            "value": parse_decimal(match.group("number")),
            "text_value": text,
            "is_estimate": estimate,
        }
    return {"value": None, "text_value": text, "is_estimate": estimate}


def _same_cell(existing, cell) -> bool:
    if existing is None:
        return False
    current = wide_cell(existing)
    if isinstance(cell, str):
        cell = normalize_text(cell)
        try:
            number = parse_decimal(cell)
        except ValueError:
            number = None
        if number is None or existing.text_value:
            return cell == existing.text_value
        cell = number
    if isinstance(current, str) or existing.text_value:
        return False
    return Decimal(str(cell)) == Decimal(str(current))


class IndicatorValueWideResource(IndicatorValueResource):
    """The report's table: one row per indicator and breakdown, a column per year, Målvärde.

    Each filled year cell becomes one long-form value, planned and checked exactly like a row
    of the long form; a problem names the row and the year column. An empty cell changes
    nothing (it does not delete a value). Målvärde is shown for reading and checked: a target
    is changed on the indicator, not by import.
    """

    class Meta(IndicatorValueResource.Meta):
        name = "Indikatortabell (som i verksamhetsberättelsen)"

    def check_headers(self, headers, result):
        columns, seen = [], set()
        self.year_columns = []
        for position, header in enumerate(headers, start=1):
            text = normalize_text(header)
            name = None
            if not text:
                columns.append(None)
                continue
            if re.fullmatch(r"\d{4}", text):
                name = text
                self.year_columns.append(text)
            else:
                for known in (*WIDE_FIXED, "Målvärde", "Slag"):
                    if text.casefold() == known.casefold():
                        name = known
            if name is None:
                result.problems.append(
                    Problem(
                        1,
                        text,
                        _(
                            "Unknown column (no. %(position)s). The table must have the "
                            "columns Nämnd, Indikator, Uppdelning, one column per year (e.g. "
                            "2019), Målvärde and Slag."
                        )
                        % {"position": position},
                    )
                )
            elif name in seen:
                result.problems.append(Problem(1, name, _("The column appears twice.")))
            seen.add(name)
            columns.append(name)
        for name in WIDE_FIXED:
            if name not in seen:
                result.problems.append(Problem(1, name, _("The file lacks this column.")))
        if not self.year_columns:
            result.problems.append(
                Problem(1, None, _("The table has no year column (e.g. “2019”)."))
            )
        return columns

    def plan_row(self, number, cells):
        problems = []
        board = self.resolve_board(number, normalize_text(cells.get("Nämnd")), problems)
        kind = None
        if not is_blank(cells.get("Slag")):
            try:
                kind = self.fields["kind"].widget.clean(cells.get("Slag"))
            except ValueError as exc:
                problems.append(Problem(number, "Slag", str(exc)))
        indicator = None
        if board is not None and not problems:
            indicator = self.resolve_indicator(
                number, board, normalize_text(cells.get("Indikator")), kind, "", problems
            )
        if problems:
            raise RowProblems(problems)
        gender, category = parse_breakdown(cells.get("Uppdelning"))
        target = cells.get("Målvärde")
        if not is_blank(target) and not _same_target(target, indicator.target_display):
            problems.append(
                Problem(
                    number,
                    "Målvärde",
                    _(
                        "The target “%(cell)s” differs from the indicator's (“%(target)s”). "
                        "Targets are changed on the indicator, not by import."
                    )
                    % {"cell": normalize_text(target), "target": indicator.target_display},
                )
            )
        planned = []
        for column in self.year_columns:
            cell = cells.get(column)
            if is_blank(cell):
                continue
            year = int(column)
            key = (indicator.pk, year, "", gender, category)
            if _same_cell(self.values.get(key), cell):
                new_values = {}
            else:
                try:
                    new_values = interpret_wide_cell(cell)
                    if new_values["value"] is not None:
                        self.fields["value"].widget.clean(new_values["value"])
                    self.fields["text_value"].widget.clean(new_values["text_value"])
                except ValueError as exc:
                    problems.append(Problem(number, column, str(exc)))
                    continue
            columns = {"value": column, "text_value": column, "is_estimate": column}
            try:
                planned.append(
                    self.plan_value(
                        number,
                        indicator,
                        year,
                        "",
                        gender,
                        category,
                        new_values,
                        columns=columns,
                        year_column=column,
                    )
                )
            except RowProblems as exc:
                problems.extend(exc.problems)
        if problems:
            raise RowProblems(problems)
        return planned

    def export_table(self, boards, years):
        """Headers and rows of the wide table for these boards and years (report order)."""
        headers = [*WIDE_FIXED, *[str(y) for y in years], "Målvärde", "Slag"]
        indicators = list(
            Indicator.objects.filter(board__in=boards)
            .select_related("board")
            .order_by("board__name", "kind", "order", "name")
        )
        cells = {}
        for value in IndicatorValue.objects.filter(
            indicator__in=indicators, year__in=years, tertial=""
        ):
            cells[(value.indicator_id, value.gender, value.category, value.year)] = value
        order = {Gender.TOTAL: 0, Gender.MEN: 1, Gender.WOMEN: 2}
        rows = []
        for indicator in indicators:
            breakdowns = sorted(
                {(g, c) for (i, g, c, _y) in cells if i == indicator.pk},
                key=lambda b: (b[1], order[b[0]]),
            ) or [(Gender.TOTAL, "")]
            for n, (gender, category) in enumerate(breakdowns):
                rows.append(
                    [
                        indicator.board.name,
                        indicator.name,
                        breakdown_label(gender, category),
                        *[
                            wide_cell(v)
                            if (v := cells.get((indicator.pk, gender, category, y)))
                            else None
                            for y in years
                        ],
                        indicator.target_display if n == 0 else "",
                        KIND_LABELS[indicator.kind],
                    ]
                )
        return headers, rows


def _same_target(cell, target) -> bool:
    text = normalize_text(cell)
    if text == target:
        return True
    try:
        a, b = parse_decimal(cell), parse_decimal(target)
    except ValueError:
        return False
    return a is not None and a == b


# -- Kolada -------------------------------------------------------------------------------------

KOLADA_COLUMNS = ("Post", "Kolada-id", "Kommun", "År", "Kön", "Värde")


class KoladaValueResource(IndicatorValueResource):
    """Values from a Kolada API response, upserted into the indicators that carry the KPI.

    Each value goes to every indicator with that `kolada_kpi` on a board of the municipality
    with that code (only boards the user may import into, or the one board chosen). Unknown
    KPIs and municipalities, and values Kolada has not got (null), are listed, not guessed.
    """

    class Meta(IndicatorValueResource.Meta):
        name = "Kolada"

    def __init__(self, user=None, board=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.board = board

    def check_headers(self, headers, result):
        return list(headers)

    def row_label(self, number):
        return self.labels.get(number, "") if hasattr(self, "labels") else ""

    def prepare(self, rows):
        self.labels = {number: cells["Post"] for number, cells in rows}
        self.municipalities = {m.code: m for m in Municipality.objects.exclude(code="")}
        boards = Board.objects.all()
        if self.board is not None:
            boards = boards.filter(pk=self.board.pk)
        allowed = policy.board_ids(self.user, Action.IMPORT)
        board_ids = [b.pk for b in boards if b.pk in allowed]
        self.load_indicators(Indicator.objects.filter(board__in=board_ids).exclude(kolada_kpi=""))
        self.by_municipality_kpi = {}
        for indicator in self.indicators.values():
            key = (indicator.board.municipality_id, indicator.kolada_kpi.casefold())
            self.by_municipality_kpi.setdefault(key, []).append(indicator)
        self.unknown_municipalities, self.unknown_kpis, self.missing = set(), set(), 0

    def plan(self, rows, result):
        super().plan(rows, result)
        if self.unknown_municipalities:
            result.notes.append(
                _("Municipality codes not in the system (skipped): %(codes)s")
                % {"codes": ", ".join(sorted(self.unknown_municipalities))}
            )
        if self.unknown_kpis:
            result.notes.append(
                _("Kolada ids that none of your boards' indicators has (skipped): %(kpis)s")
                % {"kpis": ", ".join(sorted(self.unknown_kpis))}
            )
        if self.missing:
            result.notes.append(
                _("%(count)s values are missing in Kolada (null) and were left untouched.")
                % {"count": self.missing}
            )

    def plan_row(self, number, cells):
        municipality = self.municipalities.get(cells["Kommun"])
        if municipality is None:
            self.unknown_municipalities.add(cells["Kommun"])
            return []
        indicators = self.by_municipality_kpi.get(
            (municipality.pk, cells["Kolada-id"].casefold()), []
        )
        if not indicators:
            self.unknown_kpis.add(f"{cells['Kolada-id']} ({municipality.name})")
            return []
        if cells["Värde"] is None:
            self.missing += 1
            return []
        new_values = {"value": cells["Värde"], "text_value": "", "is_estimate": False}
        planned, problems = [], []
        for indicator in indicators:
            try:
                planned.append(
                    self.plan_value(
                        number,
                        indicator,
                        cells["År"],
                        "",
                        cells["Kön"],
                        "",
                        new_values.copy(),
                        columns={"value": "value"},
                        year_column="period",
                    )
                )
            except RowProblems as exc:
                problems.extend(exc.problems)
        if problems:
            raise RowProblems(problems)
        return planned
