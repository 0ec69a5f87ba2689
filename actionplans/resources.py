"""Import and export of an action plan's measures (natural key: board, year, group, measure)."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export.fields import Field
from import_export.widgets import ForeignKeyWidget

from core.cells import normalize_text
from goals.models import Board
from imports.engine import (
    NEW,
    UNCHANGED,
    UPDATE,
    PlannedImportResource,
    PlannedRow,
    Problem,
    RowProblems,
)
from imports.widgets import (
    DateCellWidget,
    DecimalCellWidget,
    IntCellWidget,
    TextWidget,
    YearWidget,
    YesNoWidget,
)

from .models import ActionPlan, Measure, MeasureGroup

_QUARTER = re.compile(r"(?:(från)\s+)?q\s*([1-4])\s+(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"(?:(från)\s+)?(\d{4})", re.IGNORECASE)
_DATE = re.compile(r"(?:(från)\s+)?(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def parse_timing(text: str) -> dict:
    """'Q 3 2020', 'Från Q4 2020', '2021', '2023-01-01' or free text → the timing fields."""
    text = " ".join(normalize_text(text).split())
    fields = {
        "timing_year": None,
        "timing_quarter": None,
        "timing_date": None,
        "timing_from": False,
        "timing_text": "",
    }
    if match := _QUARTER.fullmatch(text):
        fields.update(
            timing_from=bool(match.group(1)),
            timing_quarter=int(match.group(2)),
            timing_year=int(match.group(3)),
        )
    elif match := _DATE.fullmatch(text):
        try:
            fields.update(
                timing_from=bool(match.group(1)), timing_date=date.fromisoformat(match.group(2))
            )
        except ValueError:
            raise ValueError(_("Write the date as YYYY-MM-DD.")) from None
    elif match := _YEAR.fullmatch(text):
        fields.update(timing_from=bool(match.group(1)), timing_year=int(match.group(2)))
    else:
        fields["timing_text"] = text
    return fields


def timing_text(measure) -> str:
    """The timing as a cell and as the report prints it: 'Från Q4 2020', '2021', …"""
    if measure.timing_text:
        return measure.timing_text
    prefix = "Från " if measure.timing_from else ""
    if measure.timing_date:
        return f"{prefix}{measure.timing_date:%Y-%m-%d}"
    if measure.timing_quarter:
        return f"{prefix}Q{measure.timing_quarter} {measure.timing_year}"
    return f"{prefix}{measure.timing_year or ''}"


COLUMNS = {
    "group": "Grupp",
    "title": "Åtgärd",
    "reduction": "Kostnadsreducering (mnkr)",
    "approximate": "Ca",
    "reduction_note": "Om reduceringen",
    "timing": "Tidsaspekt",
    "timing_year": "Tidsaspekt",
    "timing_quarter": "Tidsaspekt",
    "timing_date": "Tidsaspekt",
    "timing_text": "Tidsaspekt",
    "effect_from": "Effekt från",
    "comment": "Kommentar",
    "order": "Ordning",
}


class MeasureResource(PlannedImportResource):
    """Measures: board, year, group and name find the row; the rest changes."""

    board = Field(
        attribute="group__plan__board",
        column_name="Nämnd",
        widget=ForeignKeyWidget(Board, field="name"),
    )
    year = Field(attribute="group__plan__year", column_name="År", widget=YearWidget(2000, 2100))
    group = Field(
        attribute="group", column_name="Grupp", widget=ForeignKeyWidget(MeasureGroup, "title")
    )
    title = Field(attribute="title", column_name="Åtgärd", widget=TextWidget(300))
    reduction = Field(
        attribute="reduction",
        column_name="Kostnadsreducering (mnkr)",
        widget=DecimalCellWidget(max_digits=9, decimal_places=3),
    )
    approximate = Field(attribute="approximate", column_name="Ca", widget=YesNoWidget())
    reduction_note = Field(
        attribute="reduction_note", column_name="Om reduceringen", widget=TextWidget(300)
    )
    timing = Field(column_name="Tidsaspekt", widget=TextWidget(200))
    effect_from = Field(attribute="effect_from", column_name="Effekt från", widget=DateCellWidget())
    comment = Field(attribute="comment", column_name="Kommentar", widget=TextWidget(500))
    order = Field(attribute="order", column_name="Ordning", widget=IntCellWidget())

    required_columns = ("Nämnd", "År", "Grupp", "Åtgärd")
    export_select_related = ("group__plan__board",)

    class Meta:
        model = Measure
        name = "Åtgärder"
        fields = (
            "board",
            "year",
            "group",
            "title",
            "reduction",
            "approximate",
            "reduction_note",
            "timing",
            "effect_from",
            "comment",
            "order",
        )
        import_id_fields = ("board", "year", "group", "title")
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = True

    def dehydrate_timing(self, obj):
        return timing_text(obj)

    def filter_export(self, queryset, **kwargs):
        return (
            super()
            .filter_export(queryset, **kwargs)
            .order_by("group__plan__board__name", "group__plan__year", "group__order", "order")
        )

    def prepare(self, rows):
        self.load_boards()
        self.plans = {}
        for plan in ActionPlan.objects.order_by("pk"):
            self.plans.setdefault((plan.board_id, plan.year), []).append(plan)
        self.groups = {(g.plan_id, g.title.casefold()): g for g in MeasureGroup.objects.all()}
        self.existing = {(m.group_id, m.title.casefold()): m for m in Measure.objects.all()}

    def plan_row(self, number, cells):
        problems = []
        values = self.clean_cells(number, cells, problems)
        board = self.resolve_board(number, values.get("board"), problems)
        year = values.get("year")
        if board is None or year is None or problems:
            raise RowProblems(problems)
        plans = self.plans.get((board.pk, year), [])
        if len(plans) != 1:
            message = (
                _("The board %(board)s has no action plan for %(year)s.")
                if not plans
                else _("The board %(board)s has several action plans for %(year)s.")
            )
            raise RowProblems([Problem(number, "År", message % {"board": board, "year": year})])
        plan = plans[0]
        group = self.groups.get((plan.pk, values.get("group", "").casefold()))
        if group is None:
            raise RowProblems(
                [
                    Problem(
                        number,
                        "Grupp",
                        _("The action plan has no group called “%(name)s”.")
                        % {"name": values.get("group", "")},
                    )
                ]
            )
        title = values.get("title", "")
        if not title:
            raise RowProblems([Problem(number, "Åtgärd", _("The measure has no name."))])
        instance = self.existing.get((group.pk, title.casefold()))
        is_new = instance is None
        if is_new:
            instance = Measure(group=group, title=title)
            if values.get("reduction") is None:
                problems.append(
                    Problem(
                        number,
                        "Kostnadsreducering (mnkr)",
                        _("Give the expected cost reduction in mnkr."),
                    )
                )
        new_values = {
            attr: values[attr]
            for attr in ("reduction", "approximate", "reduction_note", "effect_from", "comment")
            if attr in values and not (attr == "reduction" and values[attr] is None)
        }
        if values.get("order") is not None:
            new_values["order"] = values["order"]
        if "timing" in values:
            try:
                new_values.update(parse_timing(values["timing"]))
            except ValueError as exc:
                problems.append(Problem(number, "Tidsaspekt", str(exc)))
        if problems:
            raise RowProblems(problems)
        changes = self.compare(instance, new_values, COLUMNS, is_new)
        planned = PlannedRow(
            row=number,
            action=NEW if is_new else (UPDATE if changes else UNCHANGED),
            label=f"{plan.year} {group.title}: {title}",
            instance=instance,
            board_id=plan.board_id,
            changes=changes,
            key=("measure", group.pk, title.casefold()),
        )
        if planned.action != UNCHANGED:
            try:
                instance.full_clean(exclude=["group"], validate_unique=False)
            except ValidationError as exc:
                raise RowProblems(self.validation_problems(number, exc, COLUMNS)) from exc
        return planned
